"""The statistics and report endpoints on the hand-computed quarter: the same figures as the
engine and the CLI, the drill-down lists as long as their figures, scoped to the caller."""

import base64
import io

import openpyxl

from dangvu.access.models import Role
from tests.reports.test_assembly import as_json
from tests.statistics.test_engine import story  # noqa: F401 - the fixture


def test_indicators_at_a_date_and_over_a_period(story, make_user, client_for):  # noqa: F811
    client = client_for(make_user("khoi", story["bloc"], Role.VIEWER))
    at = client.get("/api/indicators?org=BD.DUK&at=2021-03-31").json()
    assert at["indicators"]["members.total"] == 4
    over = client.get("/api/indicators?org=BD.DUK&period=2021-Q1").json()
    assert (over["start"], over["end"]) == ("2021-01-01", "2021-03-31")
    assert over["indicators"]["admissions"] == 1
    assert over["balance"]["holds"] is True
    both = client.get("/api/indicators?org=BD.DUK&at=2021-03-31&period=2021-Q1")
    assert (both.status_code, both.json()["code"]) == (400, "statistics.AT_OR_PERIOD")


def test_items_are_as_many_as_the_figure(story, make_user, client_for):  # noqa: F811
    client = client_for(make_user("khoi", story["bloc"], Role.VIEWER))
    figures = client.get("/api/indicators?org=BD.DUK&period=2021-Q1").json()["indicators"]
    for code in ("admissions", "deaths", "transfers.out", "transfers.in"):
        items = client.get(f"/api/indicators/{code}/items?org=BD.DUK&period=2021-Q1").json()
        assert items["count"] == figures[code], code
    stock = client.get("/api/indicators/members.total/items?org=BD.DUK&at=2021-03-31").json()
    assert stock["count"] == 4
    wrong = client.get("/api/indicators/members.total/items?org=BD.DUK&period=2021-Q1")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "statistics.DATE_REQUIRED")
    deaths = client.get("/api/indicators/deaths/items?org=BD.DUK&period=2021-Q1").json()
    assert [row["full_name"] for row in deaths["items"]] == ["Phạm Văn Em"]


def test_the_report_endpoint_equals_the_cli(story, make_user, client_for):  # noqa: F811
    client = client_for(make_user("khoi", story["bloc"], Role.VIEWER))
    assert client.get("/api/reports?org=BD.DUK&period=2021-Q1").json() == as_json()
    response = client.get("/api/reports/file?org=BD.DUK&period=2021-Q1&format=xlsx").json()
    assert response["filename"] == "bao-cao-BD.DUK-2021-Q1.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(response["data"])))
    assert "Chỉ tiêu" in workbook.sheetnames


def test_a_cell_user_cannot_read_the_bloc(story, make_user, client_for):  # noqa: F811
    client = client_for(make_user("chibo", story["justice"], Role.EDITOR))
    for url in (
        "/api/indicators?org=BD.DUK&period=2021-Q1",
        "/api/reports?org=BD.YT&period=2021-Q1",
        "/api/indicators/members.total/items?org=BD.YT&at=2021-03-31",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.get("/api/indicators?org=BD.TP&at=2021-03-31").json()["indicators"]["members.total"]
        == 2
    )
