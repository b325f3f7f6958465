"""Each endpoint's happy path, through a session (CSRF included) and through a bearer token."""

import datetime as dt

import pytest
from django.test import Client

from dangvu.access.models import APIToken, AuditEntry, Role
from dangvu.access.scopes import Scope
from dangvu.access.tokens import token_create
from dangvu.core import clock
from dangvu.members.lifecycle import member_admit
from dangvu.members.services import person_photo_set
from dangvu.organizations.models import Organization, OrganizationEvent
from tests.conftest import decision
from tests.members.people import add_person
from tests.members.pipeline import candidate_at

from .candidate_routes import CANDIDATE_READS
from .common import (
    DAY,
    PNG,
    WRITES,
    assert_error,
    decision_body,
    issued_report,
    restructuring,
    routes,
)
from .target_routes import TARGET_READS

BEFORE = (DAY - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def editor(api_tree, make_user):
    return make_user("bientap", api_tree["bloc"], Role.EDITOR, first_name="Hoa", last_name="Lê")


@pytest.fixture
def client(editor, client_for):
    return client_for(editor)


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    return [item["code"] for item in items]


def write(client, post_json, route):
    url, body = WRITES[route]
    return post_json(client, url, body)


def test_every_write_route_has_a_happy_path_request():
    assert set(WRITES) == {r for r in routes() if r[0] == "POST"} - {("POST", "/api/tokens")}


# reads --------------------------------------------------------------------------------------
def test_list_shows_the_tree_of_the_scope_in_path_order(client):
    assert codes(client.get("/api/organizations")) == [
        "BD.DUK",
        "BD.YT",
        "BD.YT.VP",
        "BD.YT.TTR",
        "BD.TP",
        "BD.GD",
    ]


def test_list_at_a_date_before_the_establishments_is_empty(client):
    response = client.get("/api/organizations?at=2009-12-31")
    assert response.json() == {"items": [], "count": 0}


def test_list_filters_by_root_and_type_and_paginates(client):
    response = client.get("/api/organizations?root=BD.YT&type=subordinate_cell")
    assert codes(response) == ["BD.YT.VP", "BD.YT.TTR"]
    page = client.get("/api/organizations?limit=2&offset=1").json()
    assert page["count"] == 6
    assert [item["code"] for item in page["items"]] == ["BD.YT", "BD.YT.VP"]


def test_count_counts_the_subtree_by_type(client):
    response = client.get(
        "/api/organizations/count?at=2020-01-01&type=grassroots_committee&type=grassroots_cell"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["at"] == "2020-01-01"
    assert sorted(body["types"]) == ["grassroots_cell", "grassroots_committee"]
    assert client.get("/api/organizations/count?root=BD.YT").json()["count"] == 3


def test_detail_shows_the_organisation_with_labels(client):
    response = client.get("/api/organizations/BD.YT.VP")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Chi bộ Văn phòng Sở"
    assert body["type_label"] == "Chi bộ trực thuộc"
    assert body["parent_code"] == "BD.YT"
    assert body["valid_from"] == "2010-01-01"
    assert body["valid_to"] is None


def test_subtree_and_path(client):
    assert codes(client.get("/api/organizations/BD.YT/subtree")) == [
        "BD.YT",
        "BD.YT.VP",
        "BD.YT.TTR",
    ]
    # the path starts at the top of the scope (the bloc), not at the province
    assert codes(client.get("/api/organizations/BD.YT.VP/path")) == ["BD.DUK", "BD.YT", "BD.YT.VP"]


# One in-scope request per read route; each answers 200 through a session and a bearer token.
READS = {
    ("GET", "/api/organizations"): "/api/organizations?at=2020-01-01&type=subordinate_cell",
    ("GET", "/api/organizations/count"): "/api/organizations/count?root=BD.YT",
    (
        "GET",
        "/api/organizations/changes",
    ): "/api/organizations/changes?start=2009-01-01&end=2011-01-01",
    ("GET", "/api/organizations/{code}"): "/api/organizations/BD.YT?at=2015-01-01",
    ("GET", "/api/organizations/{code}/subtree"): "/api/organizations/BD.YT/subtree",
    ("GET", "/api/organizations/{code}/path"): "/api/organizations/BD.YT.VP/path",
    ("GET", "/api/organizations/{code}/history"): "/api/organizations/BD.YT/history",
    ("GET", "/api/organizations/{code}/committee"): "/api/organizations/BD.YT/committee",
    (
        "GET",
        "/api/audit/objects/{object_type}/{object_id}",
    ): "/api/audit/objects/organizations.organization/{health}",
    ("GET", "/api/audit/users/{username}"): "/api/audit/users/bientap",
    ("GET", "/api/me"): "/api/me",
    ("GET", "/api/people"): "/api/people?org=BD.YT&q=nguyen",
    ("GET", "/api/people/{id}"): "/api/people/{person}",
    ("GET", "/api/people/{id}/events"): "/api/people/{person}/events",
    ("GET", "/api/people/{id}/photo"): "/api/people/{person}/photo",
    ("GET", "/api/indicators/catalogue"): "/api/indicators/catalogue",
    ("GET", "/api/indicators"): "/api/indicators?org=BD.YT&period=2020-Q1",
    (
        "GET",
        "/api/indicators/{code}/items",
    ): "/api/indicators/admissions/items?org=BD.YT&period=2020",
    ("GET", "/api/reports"): "/api/reports?org=BD.DUK&period=2020-Q1",
    ("GET", "/api/reports/file"): "/api/reports/file?org=BD.DUK&period=2020&format=xlsx",
    ("GET", "/api/reports/issued"): "/api/reports/issued?org=BD.DUK",
    ("GET", "/api/reports/issued/{id}"): "/api/reports/issued/{issued}",
    ("GET", "/api/reports/issued/{id}/file"): "/api/reports/issued/{issued}/file?format=pdf",
    ("GET", "/api/transfers/incoming"): "/api/transfers/incoming",
    ("GET", "/api/transfers/temporary"): "/api/transfers/temporary",
    ("GET", "/api/worklists/probation-ending"): "/api/worklists/probation-ending?org=BD.YT",
    ("GET", "/api/worklists/recognition-overdue"): "/api/worklists/recognition-overdue",
    (
        "GET",
        "/api/worklists/badge-candidates",
    ): "/api/worklists/badge-candidates?award_date=2025-09-02",
    ("GET", "/api/worklists/transfers-past-deadline"): "/api/worklists/transfers-past-deadline",
    ("GET", "/api/worklists/temporary-ended"): "/api/worklists/temporary-ended",
    ("GET", "/api/imports/template"): "/api/imports/template",
    ("GET", "/api/quality/report"): "/api/quality/report?org=BD.YT",
    ("GET", "/api/quality/duplicates"): "/api/quality/duplicates?org=BD.YT",
}
READS.update(CANDIDATE_READS)  # the candidates pipeline (candidate_routes.py)
READS.update(TARGET_READS)  # targets (target_routes.py)


def test_every_read_route_has_a_request():
    assert set(READS) == {r for r in routes() if r[0] == "GET"}


@pytest.mark.parametrize("auth", ["session", "bearer"])
@pytest.mark.parametrize("route", sorted(READS))
def test_every_read_answers_through_session_and_token(api_tree, make_user, client_for, route, auth):
    user = make_user("quantri", api_tree["bloc"], Role.ADMINISTRATOR)
    make_user("bientap", api_tree["health"], Role.EDITOR)
    if auth == "session":
        client = client_for(user)
    else:
        client = bearer(token_create(user=user, name="đọc")[1])
    person = add_person(Scope.system(), api_tree["office"], "Nguyễn Thị Mai", sex="female")
    member_admit(  # something in her history
        scope=Scope.system(),
        person=person,
        ceremony_date=dt.date(2020, 3, 15),
        decision=decision(dt.date(2020, 3, 1)),
    )
    person_photo_set(scope=Scope.system(), person=person, content=PNG)
    candidate = candidate_at("registered", api_tree["office"], "Lương Văn Tài", sex="male")
    issued = issued_report(api_tree["bloc"])
    response = client.get(
        READS[route].format(
            health=api_tree["health"].pk, person=person.pk, candidate=candidate.pk, issued=issued.pk
        )
    )
    assert response.status_code == 200, response.content
    assert response.json()


# writes -------------------------------------------------------------------------------------
def test_establish(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["parent_code"], body["valid_from"]) == (
        "BD.YT.DD",
        "BD.YT",
        DAY.isoformat(),
    )
    assert client.get(f"/api/organizations/BD.YT.DD?at={BEFORE}").status_code == 404
    assert "BD.YT.DD" in codes(client.get("/api/organizations/BD.YT/subtree"))


def test_rename_keeps_the_old_name_before_the_date(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/rename"))
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Chi bộ Sở Tư pháp tỉnh Bình Định"
    old = client.get(f"/api/organizations/BD.TP?at={BEFORE}").json()
    assert old["name"] == "Chi bộ Sở Tư pháp"


def test_move(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/move"))
    assert response.status_code == 200, response.content
    assert response.json()["parent_code"] == "BD.GD"
    assert client.get(f"/api/organizations/BD.YT.VP?at={BEFORE}").json()["parent_code"] == "BD.YT"
    assert codes(client.get("/api/organizations/BD.GD/subtree")) == ["BD.GD", "BD.YT.VP"]


def test_convert(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/convert"))
    assert response.status_code == 200, response.content
    assert response.json()["type"] == "grassroots_committee"
    assert client.get(f"/api/organizations/BD.TP?at={BEFORE}").json()["type"] == "grassroots_cell"


def test_update_details(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/update"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["sector"], body["province_code"], body["address"]) == (
        "agency",
        1,
        "01 Trần Phú, Quy Nhơn",
    )
    assert client.get(f"/api/organizations/BD.TP?at={BEFORE}").json()["address"] == ""


def test_dissolve_ends_the_organisation_the_day_before(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/dissolve"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["versions"][-1]["valid_to"] == DAY.isoformat()
    assert [e["kind"] for e in body["events"]] == ["establish", "dissolve"]
    assert "BD.YT.TTR" not in codes(client.get(f"/api/organizations?at={DAY}"))
    assert "BD.YT.TTR" in codes(client.get(f"/api/organizations?at={BEFORE}"))
    # without a date, a dissolved organisation is shown as it stood on its last day
    assert client.get("/api/organizations/BD.YT.TTR").json()["valid_to"] == DAY.isoformat()


def test_merge_into_an_existing_organisation(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/merge"))
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "BD.YT.VP"
    assert codes(client.get(f"/api/organizations/BD.YT/subtree?at={DAY}")) == ["BD.YT", "BD.YT.VP"]
    merge = OrganizationEvent.objects.get(kind="merge")
    assert merge.organization.code == "BD.YT.VP"
    assert [e.kind for e in merge.effects.all()] == ["dissolve"]


def test_merge_into_a_new_organisation_moves_the_children(client, post_json):
    body = restructuring(
        sources=["BD.YT", "BD.GD"],
        new={
            "code": "BD.VX",
            "name": "Đảng bộ Sở Văn hóa – Xã hội",
            "type": "grassroots_committee",
            "parent_code": "BD.DUK",
        },
    )
    response = post_json(client, "/api/organizations/merge", body)
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "BD.VX"
    assert codes(client.get(f"/api/organizations/BD.VX/subtree?at={DAY}")) == [
        "BD.VX",
        "BD.YT.VP",
        "BD.YT.TTR",
    ]
    assert Organization.objects.get(code="BD.YT").dissolved_on == DAY


def test_split(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/split"))
    assert response.status_code == 200, response.content
    assert [(o["code"], o["parent_code"]) for o in response.json()] == [
        ("BD.TP.A", "BD.DUK"),
        ("BD.TP.B", "BD.DUK"),
    ]
    assert "BD.TP" not in codes(client.get(f"/api/organizations?at={DAY}"))


def test_split_with_children(client, post_json):
    body = restructuring(
        dissolve_source=False,
        parts=[
            {
                "code": "BD.YT.BV",
                "name": "Đảng bộ Bệnh viện Đa khoa tỉnh",
                "type": "grassroots_committee",
                "children": ["BD.YT.TTR"],
            }
        ],
    )
    response = post_json(client, "/api/organizations/BD.YT/split", body)
    assert response.status_code == 200, response.content
    assert codes(client.get(f"/api/organizations/BD.YT.BV/subtree?at={DAY}")) == [
        "BD.YT.BV",
        "BD.YT.TTR",
    ]
    assert codes(client.get(f"/api/organizations/BD.YT/subtree?at={DAY}")) == ["BD.YT", "BD.YT.VP"]


def test_committee_term_and_consolidation(client, post_json):
    response = write(client, post_json, ("POST", "/api/organizations/{code}/committee/terms"))
    assert response.status_code == 201, response.content
    committee = response.json()
    assert committee["term"]["name"] == "2020–2025"
    assert [s["position"] for s in committee["seats"]] == ["secretary", "deputy_secretary"]
    deputy = committee["seats"][1]["id"]

    body = {
        "effective_date": DAY.isoformat(),
        "decision": decision_body(symbol="46-QĐ/ĐUK"),
        "appoint": [{"full_name": "Lê Văn Cường", "position": "deputy_secretary"}],
        "relieve": [deputy],
        "note": "Kiện toàn Phó Bí thư",
    }
    response = post_json(client, "/api/organizations/BD.YT/committee/consolidations", body)
    assert response.status_code == 201, response.content
    seats = response.json()["committee"]["seats"]
    assert [(s["full_name"], s["position_label"]) for s in seats] == [
        ("Nguyễn Văn An", "Bí thư"),
        ("Lê Văn Cường", "Phó Bí thư"),
    ]
    before = client.get(f"/api/organizations/BD.YT/committee?at={BEFORE}").json()
    assert [s["full_name"] for s in before["seats"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert client.get("/api/organizations/BD.YT/committee?at=2019-01-01").json()["term"] is None


def test_history_and_changes(client, post_json):
    assert write(client, post_json, ("POST", "/api/organizations/{code}/rename")).status_code == 200
    assert write(client, post_json, ("POST", "/api/organizations/{code}/move")).status_code == 200

    history = client.get("/api/organizations/BD.TP/history").json()
    assert [e["kind"] for e in history["events"]] == ["establish", "rename"]
    assert [v["name"] for v in history["versions"]] == [
        "Chi bộ Sở Tư pháp",
        "Chi bộ Sở Tư pháp tỉnh Bình Định",
    ]
    assert history["events"][1]["decision"].startswith("45-QĐ/ĐUK")

    changes = client.get("/api/organizations/changes?start=2024-01-01&end=2024-12-31").json()
    assert [(e["kind"], e["organization_code"]) for e in changes["events"]] == [
        ("rename", "BD.TP"),
        ("move", "BD.YT.VP"),
    ]
    assert [c["code"] for c in changes["renamed"]] == ["BD.TP"]
    assert [(c["before"]["parent_code"], c["after"]["parent_code"]) for c in changes["moved"]] == [
        ("BD.YT", "BD.GD")
    ]
    assert changes["established"] == [] and changes["ended"] == []
    only_health = client.get(
        "/api/organizations/changes?start=2024-01-01&end=2024-12-31&root=BD.GD"
    ).json()
    assert [e["kind"] for e in only_health["events"]] == ["move"]


def test_me_lists_the_grants(client):
    body = client.get("/api/me").json()
    assert body == {
        "username": "bientap",
        "full_name": "Hoa Lê",
        "unrestricted": False,
        "grants": [
            {
                "organization": "BD.DUK",
                "organization_name": "Đảng bộ Khối các cơ quan tỉnh",
                "role": "editor",
            }
        ],
    }


# session and CSRF ---------------------------------------------------------------------------
def csrf_client(user, client_for) -> tuple[Client, str]:
    client = client_for(user, enforce_csrf_checks=True)
    client.get("/dang-nhap/")  # sets the CSRF cookie, as a browser page would
    return client, client.cookies["csrftoken"].value


def test_session_write_with_the_csrf_token_is_accepted(editor, client_for, post_json):
    client, token = csrf_client(editor, client_for)
    url, body = WRITES[("POST", "/api/organizations/{code}/rename")]
    response = post_json(client, url, body, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_session_write_without_the_csrf_token_is_refused(editor, client_for, post_json):
    client, _ = csrf_client(editor, client_for)
    url, body = WRITES[("POST", "/api/organizations/{code}/rename")]
    response = post_json(client, url, body)
    assert response.status_code == 403
    assert response.json()["code"] == "access.CSRF_FAILED"
    assert not OrganizationEvent.objects.filter(kind="rename").exists()


def test_session_reads_need_no_csrf_token(editor, client_for):
    client, _ = csrf_client(editor, client_for)
    assert client.get("/api/organizations/BD.TP").status_code == 200


# bearer tokens ------------------------------------------------------------------------------
def new_token(client, post_json) -> str:
    response = post_json(client, "/api/tokens", {"name": "Máy chủ báo cáo"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Máy chủ báo cáo"
    return body["key"]


def bearer(key: str) -> Client:
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_bearer_token_reads_and_writes_without_csrf(client, post_json):
    key = new_token(client, post_json)
    assert key.startswith("dv_")
    robot = bearer(key)
    assert robot.get("/api/me").json()["username"] == "bientap"
    url, body = WRITES[("POST", "/api/organizations/{code}/rename")]
    response = post_json(robot, url, body)
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(action="organization.rename")
    assert entry.actor.username == "bientap"
    assert APIToken.objects.get().last_used_at is not None


def test_bearer_token_carries_the_owner_scope(client, post_json):
    robot = bearer(new_token(client, post_json))
    assert_error(robot.get("/api/organizations/BD"), 404, "core.NOT_FOUND")


@pytest.mark.parametrize(
    "spoil",
    [
        {"revoked_at": clock.now()},
        {"expires_at": clock.now() - dt.timedelta(seconds=1)},
    ],
    ids=["revoked", "expired"],
)
def test_revoked_or_expired_token_is_unauthenticated(client, post_json, spoil):
    key = new_token(client, post_json)
    APIToken.objects.update(**spoil)
    robot = bearer(key)
    assert_error(robot.get("/api/me"), 401, "access.UNAUTHENTICATED")
    url, body = WRITES[("POST", "/api/organizations/{code}/rename")]
    assert_error(post_json(robot, url, body), 401, "access.UNAUTHENTICATED")


def test_token_not_yet_expired_works(client, post_json):
    key = new_token(client, post_json)
    APIToken.objects.update(expires_at=clock.now() + dt.timedelta(days=1))
    assert bearer(key).get("/api/me").status_code == 200


@pytest.mark.parametrize("key", ["dv_notarealkey", "abc", ""])
def test_unknown_token_is_unauthenticated(api_tree, key):
    assert_error(bearer(key).get("/api/organizations"), 401, "access.UNAUTHENTICATED")


def test_token_of_a_deactivated_user_is_unauthenticated(client, editor, post_json):
    key = new_token(client, post_json)
    editor.is_active = False
    editor.save()
    assert_error(bearer(key).get("/api/me"), 401, "access.UNAUTHENTICATED")
