"""The candidates endpoints: the pipeline step by step, the lists with what each candidate
lacks, the work list of expiring certificates, errors in Vietnamese, scope and roles."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.access.models import AuditEntry, Role
from dangvu.access.scopes import Scope
from dangvu.members import candidates
from dangvu.members.models import Candidate, MemberEvent, Person, Sponsor
from tests.api.common import VIETNAMESE, assert_error

from .people import add_person
from .pipeline import CERTIFIED, candidate_at, full_member, two_sponsors

DECISION = {"symbol": "52-QĐ/ĐUK", "date": "2024-05-20", "issuing_body": "Đảng ủy Khối"}


@pytest.fixture
def post_json():
    def post(client, url, body):
        return client.post(url, data=body, content_type="application/json")

    return post


@pytest.fixture
def editor(tree, make_user, client_for):
    return client_for(make_user("bithu", tree["health"], Role.EDITOR))


@pytest.fixture
def sponsors(system, tree):
    return two_sponsors(system, tree["office"])


def codes(body) -> list[str]:
    return [lack["code"] for lack in body["missing"]]


def test_the_pipeline_step_by_step_ends_in_an_admission(system, tree, editor, post_json, sponsors):
    ha = add_person(system, tree["office"], "Võ Thị Thu Hà", birth_year=1996, sex="female")
    response = post_json(
        editor, "/api/candidates", {"person": ha.pk, "registered_on": "2023-09-01"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    url = f"/api/candidates/{body['id']}"
    assert (body["status"], body["status_label"]) == ("active", "Đang bồi dưỡng, xem xét")
    assert (body["organization"], body["full_name"]) == ("BD.YT.VP", "Võ Thị Thu Hà")
    assert body["missing"][0] == {
        "code": "certificate",
        "label": "Chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
    }

    steps = [
        (
            "certificate",
            {"number": "125/GCN-TTCT", "issued_on": "2023-10-15", "issuing_body": "TTCT Quy Nhơn"},
            200,
        ),
        *(
            (
                "sponsors",
                {"person": s.pk, "worked_with_since": "2022-01-01", "sponsored_on": "2024-03-01"},
                201,
            )
            for s in sponsors
        ),
        ("background-check", {"checked_on": "2024-04-20", "result": "passed"}, 200),
        ("application", {"applied_on": "2024-03-10"}, 200),
        ("vote", {"vote_date": "2024-05-10", "votes_in_favour": 6, "full_members": 9}, 200),
    ]
    for step, data, status in steps:
        response = post_json(editor, f"{url}/{step}", data)
        assert response.status_code == status, (step, response.content)
    body = response.json()
    assert body["missing"] == []
    assert body["certificate_expires_on"] == "2028-10-14"
    assert [s["person_name"] for s in body["sponsors"]] == ["Trần Văn Hùng", "Phạm Thị Thanh Xuân"]

    response = post_json(
        editor, f"{url}/admission", {"ceremony_date": "2024-06-01", "decision": DECISION}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "admitted"
    assert body["admission_decision"] == "52-QĐ/ĐUK ngày 20/05/2024 của Đảng ủy Khối"
    person = editor.get(f"/api/people/{ha.pk}").json()
    assert (person["status"], person["ceremony_date"]) == ("probationary", "2024-06-01")
    assert editor.get(url).json() == body


def test_a_refused_step_answers_in_vietnamese_and_writes_nothing(
    system, tree, editor, post_json, sponsors
):
    candidate = candidate_at("certified", tree["office"])
    rows = AuditEntry.objects.count(), Sponsor.objects.count()
    response = post_json(
        editor,
        f"/api/candidates/{candidate.pk}/sponsors",
        {"person": sponsors[0].pk, "worked_with_since": "2023-03-02", "sponsored_on": "2024-03-01"},
    )
    error = assert_error(response, 400, "members.CANDIDATE_SPONSOR_TOO_SHORT")
    assert VIETNAMESE.search(error["message"]) and "11 tháng" in error["message"]
    assert (AuditEntry.objects.count(), Sponsor.objects.count()) == rows


def test_admission_before_the_vote_passed_is_refused_with_what_is_missing(tree, editor, post_json):
    candidate = candidate_at("voted", tree["office"], votes=(5, 8))
    response = post_json(
        editor,
        f"/api/candidates/{candidate.pk}/admission",
        {"ceremony_date": "2024-06-01", "decision": DECISION},
    )
    error = assert_error(response, 400, "members.CANDIDATE_NOT_READY")
    assert error["details"]["missing"] == ["vote_failed"]
    assert MemberEvent.objects.filter(person=candidate.person).count() == 0


def test_the_youth_union_route_and_removing_a_sponsor(tree, editor, post_json, sponsors):
    candidate = candidate_at("certified", tree["office"])
    url = f"/api/candidates/{candidate.pk}"
    post_json(
        editor,
        f"{url}/sponsors",
        {"person": sponsors[0].pk, "worked_with_since": "2022-01-01", "sponsored_on": "2024-03-01"},
    )
    response = post_json(
        editor,
        f"{url}/sponsors",
        {
            "kind": "youth_union",
            "sponsored_on": "2024-03-05",
            "resolution_symbol": "05-NQ/ĐTN",
            "issuing_body": "Ban Chấp hành Đoàn cơ sở Sở Y tế",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert "sponsors" not in codes(body)
    assert [s["kind_label"] for s in body["sponsors"]] == [
        "Đảng viên chính thức giới thiệu",
        "Nghị quyết giới thiệu của Đoàn Thanh niên",
    ]
    youth = body["sponsors"][1]["id"]
    response = post_json(editor, f"{url}/sponsors/remove", {"sponsor": youth})
    assert response.status_code == 200, response.content
    assert "sponsors" in codes(response.json())
    assert_error(
        post_json(editor, f"{url}/sponsors/remove", {"sponsor": youth}), 404, "core.NOT_FOUND"
    )


def test_withdrawal_ends_the_pipeline(tree, editor, post_json):
    candidate = candidate_at("registered", tree["office"])
    url = f"/api/candidates/{candidate.pk}"
    response = post_json(
        editor, f"{url}/withdrawal", {"withdrawn_on": "2024-01-10", "reason": "Xin dừng phấn đấu"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status_label"], response.json()["missing"]) == ("Dừng xem xét", [])
    error = assert_error(
        post_json(editor, f"{url}/application", {"applied_on": "2024-01-11"}),
        400,
        "members.CANDIDATE_NOT_ACTIVE",
    )
    assert VIETNAMESE.search(error["message"])


def test_the_list_per_cell_says_what_each_lacks_and_paginates(tree, editor, sponsors):
    candidate_at("voted", tree["office"], sponsors=sponsors)
    candidate_at("registered", tree["office"], "Ngô Bảo Châu", sex="male")
    candidate_at("registered", tree["inspect"], "Lý Thị Hồng Nhung")
    body = editor.get("/api/candidates?org=BD.YT.VP").json()
    assert body["count"] == 2
    assert [(c["full_name"], codes(c)) for c in body["items"]] == [
        ("Ngô Bảo Châu", ["certificate", "sponsors", "background_check", "application", "vote"]),
        ("Võ Thị Thu Hà", []),
    ]
    page = editor.get("/api/candidates?limit=1&offset=1").json()
    assert page["count"] == 3
    assert [c["full_name"] for c in page["items"]] == ["Võ Thị Thu Hà"]
    assert editor.get("/api/candidates?status=withdrawn").json() == {"items": [], "count": 0}


def test_the_list_costs_the_same_queries_however_many_candidates(
    system, tree, editor, sponsors, django_assert_max_num_queries
):
    candidate_at("voted", tree["office"], sponsors=sponsors)
    with CaptureQueriesContext(connection) as captured:
        assert editor.get("/api/candidates").status_code == 200
    few = len(captured)
    names = ("Đinh Công Tráng", "Hà Thị Mai", "Kiều Văn Lực", "Mạc Thị Bưởi", "Tạ Quang Bửu")
    stages = ("registered", "certified", "sponsored", "dossier", "voted")
    for name, stage in zip(names, stages, strict=True):
        candidate_at(stage, tree["inspect"], name, sponsors=sponsors)
    with django_assert_max_num_queries(few):
        body = editor.get("/api/candidates").json()
    assert body["count"] == 6
    assert sum(1 for c in body["items"] for _ in c["sponsors"]) == 8


def test_the_certificates_expiring_work_list(system, tree, editor, monkeypatch):
    soon = candidate_at("registered", tree["office"], "Nguyễn Văn Sắp Hết")
    later = candidate_at("registered", tree["office"], "Trần Thị Còn Lâu")
    for candidate, issued in ((soon, dt.date(2021, 12, 10)), (later, dt.date(2023, 1, 10))):
        candidates.candidate_record_certificate(
            scope=Scope.system(), candidate=candidate, number="7/GCN", issued_on=issued
        )
    monkeypatch.setattr("dangvu.core.clock.today", lambda: dt.date(2026, 11, 23))
    body = editor.get("/api/worklists/certificates-expiring").json()
    assert [(c["full_name"], c["certificate_expires_on"]) for c in body["items"]] == [
        ("Nguyễn Văn Sắp Hết", "2026-12-09")
    ]
    wide = editor.get("/api/worklists/certificates-expiring?within_days=800&org=BD.YT.VP").json()
    assert wide["count"] == 2


def test_outside_the_scope_every_candidate_route_is_not_found(
    system, tree, make_user, client_for, post_json
):
    other = candidate_at("registered", tree["justice"])
    stranger = full_member(system, tree["justice"], "Đoàn Văn Sơn")
    mine = candidate_at("certified", tree["office"], "Ngô Bảo Châu", sex="male")
    client = client_for(make_user("vanphong", tree["office"], Role.ADMINISTRATOR))
    url = f"/api/candidates/{other.pk}"
    before = AuditEntry.objects.count(), list(Candidate.objects.values()), Sponsor.objects.count()
    requests = [
        ("get", url, None),
        ("get", "/api/candidates?org=BD.TP", None),
        ("get", "/api/worklists/certificates-expiring?org=BD.TP", None),
        ("post", "/api/candidates", {"person": stranger.pk, "registered_on": "2024-01-01"}),
        ("post", f"{url}/certificate", {"number": "1/GCN", "issued_on": "2024-01-01"}),
        ("post", f"{url}/application", {"applied_on": "2024-01-01"}),
        ("post", f"{url}/withdrawal", {"withdrawn_on": "2024-01-01", "reason": "Thử"}),
        (
            "post",
            f"/api/candidates/{mine.pk}/sponsors",
            {
                "person": stranger.pk,
                "worked_with_since": "2020-01-01",
                "sponsored_on": "2024-03-01",
            },
        ),
    ]
    for method, target, body in requests:
        response = client.get(target) if method == "get" else post_json(client, target, body)
        error = assert_error(response, 404, "core.NOT_FOUND")
        assert "Tư pháp" not in error["message"], target
    assert client.get("/api/candidates").json()["count"] == 1
    after = AuditEntry.objects.count(), list(Candidate.objects.values()), Sponsor.objects.count()
    assert after == before


def test_a_viewer_cannot_write(tree, make_user, client_for, post_json):
    candidate = candidate_at("registered", tree["office"])
    viewer = client_for(make_user("xem", tree["health"], Role.VIEWER))
    response = post_json(
        viewer,
        f"/api/candidates/{candidate.pk}/certificate",
        {"number": "1/GCN", "issued_on": CERTIFIED.isoformat()},
    )
    error = assert_error(response, 403, "access.ROLE_REQUIRED")
    assert "Cập nhật" in error["message"]
    assert Candidate.objects.get(pk=candidate.pk).certificate_number == ""
    assert viewer.get(f"/api/candidates/{candidate.pk}").status_code == 200


def test_invalid_input_is_refused_before_the_services(tree, editor, post_json):
    candidate = candidate_at("dossier", tree["office"])
    url = f"/api/candidates/{candidate.pk}/vote"
    bad = {"vote_date": "2024-05-10", "votes_in_favour": -1, "full_members": 9}
    assert_error(post_json(editor, url, bad), 422, "core.INVALID_INPUT")
    too_many = {"vote_date": "2024-05-10", "votes_in_favour": 10, "full_members": 9}
    assert_error(post_json(editor, url, too_many), 400, "members.CANDIDATE_VOTE_INVALID")
    assert Person.objects.get(pk=candidate.person_id).status == ""
