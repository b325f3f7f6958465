"""The targets' API: list, set, change, remove; refusals in the error shape."""

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.planning.models import Target
from tests.api.common import assert_error

RESOLUTION = {
    "symbol": "05-NQ/ĐUK",
    "date": "2024-01-10",
    "issuing_body": "Ban Chấp hành Đảng bộ Khối",
}


@pytest.fixture
def client(tree, make_user, client_for):
    return client_for(make_user("bientap", tree["bloc"], Role.EDITOR))


@pytest.fixture
def post(client):
    def send(url, body):
        return client.post(url, data=body, content_type="application/json")

    return send


def target(org="BD.DUK", year=2024, indicator="admissions", **extra) -> dict:
    return {"org": org, "year": year, "indicator": indicator, **extra}


def test_set_then_change_then_list(client, post):
    response = post("/api/targets", target(value=805, decision=RESOLUTION, note="Nghị quyết năm"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organization"] == "BD.DUK"
    assert body["organization_name"] == "Đảng bộ Khối các cơ quan tỉnh"
    assert (body["year"], body["indicator"], body["value"]) == (2024, "admissions", 805)
    assert body["indicator_label"] == "Kết nạp đảng viên"
    assert body["decision"].startswith("05-NQ/ĐUK")

    assert post("/api/targets", target(value=820)).json()["value"] == 820
    entry = AuditEntry.objects.get(action="target.update")
    assert (entry.before["value"], entry.after["value"]) == (805, 820)

    post("/api/targets", target(org="BD.YT", value=40))
    post("/api/targets", target(year=2025, value=900))
    listed = client.get("/api/targets").json()
    assert listed["count"] == 3
    assert [(t["organization"], t["year"], t["value"]) for t in listed["items"]] == [
        ("BD.DUK", 2025, 900),
        ("BD.DUK", 2024, 820),
        ("BD.YT", 2024, 40),
    ]
    only = client.get("/api/targets?org=BD.YT&year=2024").json()["items"]
    assert [t["value"] for t in only] == [40]
    page = client.get("/api/targets?limit=1&offset=1").json()
    assert page["count"] == 3 and [t["value"] for t in page["items"]] == [820]


def test_remove(client, post):
    post("/api/targets", target(org="BD.TP", value=12))
    response = post("/api/targets/remove", target(org="BD.TP"))
    assert response.status_code == 200, response.content
    assert response.json()["value"] == 12
    assert not Target.objects.exists()
    assert_error(post("/api/targets/remove", target(org="BD.TP")), 404, "core.NOT_FOUND")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (target(indicator="members.total", value=5), "planning.UNKNOWN_INDICATOR"),
        (target(value=0), "planning.INVALID_TARGET"),
        (target(year=1800, value=5), "planning.YEAR_OUT_OF_RANGE"),
    ],
)
def test_refusals_are_400_with_a_code_and_nothing_written(post, body, code):
    error = assert_error(post("/api/targets", body), 400, code)
    assert error["message"]
    assert not Target.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="target.").exists()


def test_another_cell_gets_not_found_and_nothing_is_written(tree, make_user, client_for, post):
    post("/api/targets", target(org="BD.YT", value=40))
    before = list(Target.objects.values())
    other = client_for(make_user("chibo", tree["justice"], Role.EDITOR))

    def send(url, body):
        return other.post(url, data=body, content_type="application/json")

    assert_error(send("/api/targets", target(org="BD.YT", value=1)), 404, "core.NOT_FOUND")
    assert_error(send("/api/targets/remove", target(org="BD.YT")), 404, "core.NOT_FOUND")
    assert_error(other.get("/api/targets?org=BD.YT"), 404, "core.NOT_FOUND")
    assert other.get("/api/targets").json() == {"items": [], "count": 0}
    assert list(Target.objects.values()) == before
    assert AuditEntry.objects.filter(action__startswith="target.").count() == 1


def test_unknown_organisation_is_not_found(post):
    assert_error(post("/api/targets", target(org="KHONG.CO", value=1)), 404, "core.NOT_FOUND")


@pytest.mark.parametrize("query", ["year=1800", "year=100000", "org=" + "x" * 40])
def test_bad_list_parameters_are_invalid_input(client, query):
    assert_error(client.get(f"/api/targets?{query}"), 422, "core.INVALID_INPUT")
