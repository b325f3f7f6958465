"""Issuing a report freezes it: its figures, narrative and files stay as issued while the data
changes; the report shows what differs since, and an amended version can be issued."""

import base64
import datetime as dt
import io

import docx
import pytest
from django.db import DatabaseError, transaction

from dangvu.access.models import AuditEntry, Role
from dangvu.core.errors import DomainError
from dangvu.members import lifecycle
from dangvu.organizations import services as organization_services
from dangvu.reports import services
from dangvu.reports.models import IssuedReport
from dangvu.statistics.periods import parse_period
from tests.conftest import decision
from tests.members.people import add_person
from tests.statistics.test_engine import story  # noqa: F401 - the fixture

D = dt.date
Q1 = parse_period("2021-Q1")


def issue(scope, root, number="45-BC/ĐUK"):
    return services.report_issue(
        scope=scope,
        root=root,
        period=Q1,
        number_symbol=number,
        issued_on=D(2021, 4, 9),
        place="Quy Nhơn",
        signer="Nguyễn Văn A",
    )


def test_an_issued_report_keeps_its_figures_and_files_while_the_data_changes(
    story,  # noqa: F811
    system,
):
    issued = issue(system, story["bloc"])
    assert (issued.version, issued.number_symbol, issued.amends) == (1, "45-BC/ĐUK", None)
    assert issued.content["indicators"]["admissions"] == 1
    document = docx.Document(io.BytesIO(bytes(issued.docx)))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Số 45-BC/ĐUK" in cells
    assert bytes(issued.pdf).startswith(b"%PDF") and bytes(issued.xlsx).startswith(b"PK")
    assert services.issued_differences(issued) == {}

    # a late admission in the quarter, entered after the report was issued
    late = add_person(system, story["justice"], "Võ Minh Tâm", birth_year=1999)
    lifecycle.member_admit(
        scope=system, person=late, ceremony_date=D(2021, 3, 5), decision=decision(D(2021, 3, 1))
    )
    issued.refresh_from_db()
    assert issued.content["indicators"]["admissions"] == 1
    differences = services.issued_differences(issued)
    assert differences["admissions"] == {"issued": 1, "now": 2}
    assert differences["members.total"] == {"issued": 4, "now": 5}

    amended = issue(system, story["bloc"], "46-BC/ĐUK")
    assert (amended.version, amended.amends_id) == (2, issued.pk)
    assert amended.content["indicators"]["admissions"] == 2
    assert services.issued_differences(amended) == {}
    assert AuditEntry.objects.filter(action="report.issue").count() == 2


def test_the_database_refuses_to_rewrite_an_issued_report(story, system):  # noqa: F811
    issued = issue(system, story["justice"], "3-BC/CB")
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=issued.pk).update(number_symbol="99-BC/CB")
    issued.refresh_from_db()
    assert issued.number_symbol == "03-BC/CB"


def test_a_report_that_does_not_balance_is_not_issued(story, system):  # noqa: F811
    organization_services.organization_dissolve(
        scope=system,
        organization=story["inspect"],
        effective_date=D(2021, 1, 20),
        decision=decision(D(2021, 1, 15)),
    )
    with pytest.raises(DomainError) as info:
        issue(system, story["health"], "7-BC/ĐU")
    assert info.value.code == "reports.NOT_BALANCED"
    assert info.value.details["balance"]["holds"] is False
    assert not IssuedReport.objects.exists()


def test_a_report_needs_its_number_to_be_issued(story, system):  # noqa: F811
    with pytest.raises(DomainError) as info:
        issue(system, story["bloc"], "-BC/ĐUK")
    assert info.value.code == "reports.NUMBER_REQUIRED"
    assert not IssuedReport.objects.exists()


def test_issued_reports_through_the_api_are_scoped(
    story,  # noqa: F811
    make_user,
    client_for,
):
    bloc = client_for(make_user("khoi", story["bloc"], Role.EDITOR))
    body = {"org": "BD.DUK", "period": "2021-Q1", "number_symbol": "45-BC/ĐUK",
            "issued_on": "2021-04-09"}  # fmt: skip
    response = bloc.post("/api/reports/issue", data=body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    detail = bloc.get(f"/api/reports/issued/{pk}").json()
    assert detail["content"]["indicators"]["members.total"] == 4
    assert detail["differences"] == {}
    file = bloc.get(f"/api/reports/issued/{pk}/file?format=docx").json()
    assert base64.b64decode(file["data"]).startswith(b"PK")
    assert [r["id"] for r in bloc.get("/api/reports/issued").json()["items"]] == [pk]
    cell = client_for(make_user("chibo", story["justice"], Role.EDITOR))
    assert cell.get(f"/api/reports/issued/{pk}").status_code == 404
    assert cell.get("/api/reports/issued").json()["items"] == []
