"""The lifecycle endpoints: admission, recognition, the other events and the history list."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core import clock
from dangvu.members.models import MemberEvent, MemberStatus, Person
from tests.api.common import VIETNAMESE, assert_error

from .people import add_person


@pytest.fixture
def lan(system, tree):
    return add_person(
        system, tree["office"], "Nguyễn Thị Lan", birth_year=1995, birth_month=4, birth_day=12,
        sex="female",
    )  # fmt: skip


@pytest.fixture
def post_json():
    def post(client, url, body):
        return client.post(url, data=body, content_type="application/json")

    return post


@pytest.fixture
def editor(tree, make_user, client_for):
    return client_for(make_user("bithu", tree["health"], Role.EDITOR))


def decision_body(day: str, symbol: str = "12-QĐ/ĐU") -> dict:
    return {"symbol": symbol, "date": day, "issuing_body": "Ban Thường vụ Đảng ủy Sở Y tế"}


ADMISSION = {
    "ceremony_date": "2020-03-15",
    "vote_date": "2020-02-20",
    "decision": decision_body("2020-03-01"),
}


def admit(client, post_json, person):
    return post_json(client, f"/api/people/{person.pk}/admission", ADMISSION)


def test_admission_answers_the_person_as_a_probationary_member(editor, post_json, lan):
    response = admit(editor, post_json, lan)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == lan.pk
    assert (body["status"], body["status_label"]) == ("probationary", "Đảng viên dự bị")
    assert (body["ceremony_date"], body["full_member_date"]) == ("2020-03-15", None)
    assert (body["exempt"], body["left_on"]) == (False, None)
    assert editor.get(f"/api/people/{lan.pk}").json() == body


def test_recognition_before_twelve_months_is_refused_then_accepted_after(editor, post_json, lan):
    assert admit(editor, post_json, lan).status_code == 201
    url = f"/api/people/{lan.pk}/recognition"
    rows = MemberEvent.objects.count(), AuditEntry.objects.count()

    early = post_json(editor, url, {"decision": decision_body("2021-03-14", "40-QĐ/ĐU")})
    error = assert_error(early, 400, "members.RECOGNITION_BEFORE_PROBATION_END")
    assert VIETNAMESE.search(error["message"]) and "15/03/2021" in error["message"]
    assert (MemberEvent.objects.count(), AuditEntry.objects.count()) == rows

    response = post_json(editor, url, {"decision": decision_body("2021-03-20", "41-QĐ/ĐU")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["full_member_date"]) == (MemberStatus.FULL, "2021-03-15")
    assert Person.objects.get(pk=lan.pk).status == MemberStatus.FULL


def test_events_route_records_the_kind_asked_for(editor, post_json, lan):
    admit(editor, post_json, lan)
    body = {
        "kind": "discipline",
        "effective_date": "2020-09-01",
        "decision": decision_body("2020-09-01", "50-QĐ/ĐU"),
        "details": {"form": "warning"},
    }
    response = post_json(editor, f"/api/people/{lan.pk}/events", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "probationary"
    death = {"kind": "death", "effective_date": "2020-10-02"}
    response = post_json(editor, f"/api/people/{lan.pk}/events", death)
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["left_on"]) == ("deceased", "2020-10-02")
    kinds = list(MemberEvent.objects.filter(person=lan).values_list("kind", flat=True))
    assert kinds == ["admission", "discipline", "death"]


def test_events_route_refuses_a_form_not_allowed_and_an_unknown_kind(editor, post_json, lan):
    admit(editor, post_json, lan)
    url = f"/api/people/{lan.pk}/events"
    expel = {
        "kind": "expulsion",
        "effective_date": "2020-09-01",
        "decision": decision_body("2020-09-01"),
    }
    assert_error(post_json(editor, url, expel), 400, "members.EVENT_NOT_ALLOWED")
    recognition = {"kind": "recognition", "effective_date": "2021-03-15"}
    assert post_json(editor, url, recognition).status_code == 422
    assert MemberEvent.objects.filter(person=lan).count() == 1


def test_a_viewer_cannot_record_lifecycle_events(tree, make_user, client_for, post_json, lan):
    viewer = client_for(make_user("xem", tree["health"], Role.VIEWER))
    error = assert_error(admit(viewer, post_json, lan), 403, "access.ROLE_REQUIRED")
    assert VIETNAMESE.search(error["message"])
    assert MemberEvent.objects.count() == 0
    assert Person.objects.get(pk=lan.pk).status == MemberStatus.NONE


def test_outside_the_scope_the_person_and_their_events_are_not_found(
    tree, make_user, client_for, post_json, editor, lan
):
    admit(editor, post_json, lan)
    other = client_for(make_user("tuphap", tree["justice"], Role.ADMINISTRATOR))
    assert_error(other.get(f"/api/people/{lan.pk}/events"), 404, "core.NOT_FOUND")
    body = {"decision": decision_body("2021-03-20", "41-QĐ/ĐU")}
    assert_error(post_json(other, f"/api/people/{lan.pk}/recognition", body), 404, "core.NOT_FOUND")
    death = {"kind": "death", "effective_date": "2021-01-01"}
    assert_error(post_json(other, f"/api/people/{lan.pk}/events", death), 404, "core.NOT_FOUND")
    assert MemberEvent.objects.filter(person=lan).count() == 1


def test_events_list_the_history_in_date_order(editor, post_json, lan):
    admit(editor, post_json, lan)
    post_json(
        editor,
        f"/api/people/{lan.pk}/events",
        {
            "kind": "withdrawal",
            "effective_date": "2022-01-10",
            "decision": decision_body("2022-01-05", "60-QĐ/ĐU"),
        },
    )
    post_json(  # entered later, dated earlier
        editor,
        f"/api/people/{lan.pk}/recognition",
        {"decision": decision_body("2021-03-20", "41-QĐ/ĐU")},
    )
    response = editor.get(f"/api/people/{lan.pk}/events")
    assert response.status_code == 200, response.content
    events = response.json()
    assert [(e["kind"], e["effective_date"]) for e in events] == [
        ("admission", "2020-03-15"),
        ("recognition", "2021-03-15"),
        ("withdrawal", "2022-01-10"),
    ]
    first = events[0]
    assert first["kind_label"] == "Kết nạp"
    assert first["organization"] == "BD.YT.VP"
    assert first["decision"] == "12-QĐ/ĐU ngày 01/03/2020 của Ban Thường vụ Đảng ủy Sở Y tế"
    assert first["details"] == {"vote_date": "2020-02-20", "decision_date": "2020-03-01"}
    assert (first["recorded_by"], first["override_reason"]) == ("bithu", "")
    assert first["recorded_at"]
    assert editor.get(f"/api/people/{lan.pk}").json()["left_on"] == "2022-01-10"


def test_a_discipline_without_its_form_is_a_400_not_a_crash(editor, post_json, lan):
    admit(editor, post_json, lan)
    url = f"/api/people/{lan.pk}/events"
    body = {"kind": "discipline", "effective_date": "2020-09-01", "details": {"form": "phạt"}}
    assert_error(post_json(editor, url, body), 400, "members.DISCIPLINE_FORM_REQUIRED")
    assert MemberEvent.objects.filter(person=lan).count() == 1


def test_a_readmission_without_a_decision_is_a_400_not_a_crash(editor, post_json, lan):
    admit(editor, post_json, lan)
    url = f"/api/people/{lan.pk}/events"
    withdraw = {"kind": "withdrawal", "effective_date": "2020-09-01"}
    assert post_json(editor, url, withdraw).status_code == 201
    body = {
        "kind": "readmission",
        "effective_date": "2024-09-01",
        "details": {"exit_reason": "other"},
    }
    assert_error(post_json(editor, url, body), 400, "core.DECISION_REQUIRED")
    assert Person.objects.get(pk=lan.pk).status == MemberStatus.WITHDRAWN


def test_a_temporary_transfer_through_the_api_keeps_the_home_cell(
    tree, make_user, client_for, editor, post_json, lan
):
    assert admit(editor, post_json, lan).status_code == 201
    body = {"to": "BD.TP", "effective_date": "2020-06-01", "until": "2020-12-01"}
    response = post_json(editor, f"/api/people/{lan.pk}/temporary-transfer", body)
    assert response.status_code == 201, response.content
    person = response.json()
    assert (person["organization"], person["temporary_at"], person["temporary_until"]) == (
        "BD.YT.VP",
        "BD.TP",
        "2020-12-01",
    )
    host = client_for(make_user("tuphap", tree["justice"], Role.EDITOR))
    assert [p["id"] for p in host.get("/api/transfers/temporary").json()["items"]] == [lan.pk]
    assert host.get("/api/people").json()["items"] == []  # not on the host's roll

    too_long = {**body, "effective_date": "2021-01-01", "until": "2022-01-01"}
    returned = {"kind": "temporary_return", "effective_date": "2020-11-20"}
    assert post_json(editor, f"/api/people/{lan.pk}/events", returned).status_code == 201
    error = assert_error(
        post_json(editor, f"/api/people/{lan.pk}/temporary-transfer", too_long),
        400,
        "members.TEMPORARY_TRANSFER_TOO_LONG",
    )
    assert VIETNAMESE.search(error["message"])


def test_the_work_lists_answer_through_the_api(editor, post_json, lan, monkeypatch):
    assert admit(editor, post_json, lan).status_code == 201  # probation ends 15/03/2021
    monkeypatch.setattr(clock, "today", lambda: dt.date(2021, 2, 1))
    ending = editor.get("/api/worklists/probation-ending").json()["items"]
    assert [p["id"] for p in ending] == [lan.pk]
    assert editor.get("/api/worklists/probation-ending?within_days=30").json()["items"] == []
    monkeypatch.setattr(clock, "today", lambda: dt.date(2021, 8, 1))
    overdue = editor.get("/api/worklists/recognition-overdue?org=BD.YT.VP").json()["items"]
    assert [p["id"] for p in overdue] == [lan.pk]
    badges = editor.get("/api/worklists/badge-candidates").json()
    assert badges["award_date"] == "2021-09-02"  # the next award day
    assert badges["milestones"]["30"] == []
