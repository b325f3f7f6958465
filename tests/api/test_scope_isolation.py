"""Scope on every endpoint: what lies outside is "not found", lists never show it, roles gate
writes, and the scope is the tree as it stood on the date asked about.

The routes come from the OpenAPI schema, so an endpoint added without a case here fails
`test_every_route_has_an_isolation_case`.
"""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Grant, Role
from dangvu.access.scopes import Scope
from dangvu.access.tokens import token_create
from dangvu.members.candidates import candidate_register
from dangvu.members.models import Candidate, MemberEvent, Person, Sponsor
from dangvu.organizations import services
from dangvu.organizations.models import Organization, OrganizationEvent
from dangvu.organizations.models import OrganizationType as T
from dangvu.planning.models import Target
from dangvu.planning.services import target_set
from dangvu.reports.models import IssuedReport
from tests.conftest import decision, establish
from tests.members.people import add_person

from .candidate_routes import candidate_naming
from .common import (
    DAY,
    WRITES,
    assert_error,
    import_upload,
    issued_report,
    restructuring,
    routes,
    strings,
    write_request,
)
from .target_routes import target_naming

# Routes that name no organisation and no user: what they show is checked separately.
# lists of the actor's own scope, with no object to name (incoming transfers: tests/members)
NAME_NOTHING = {
    ("GET", "/api/indicators/catalogue"),
    ("GET", "/api/me"),
    ("POST", "/api/tokens"),
    ("GET", "/api/transfers/incoming"),
    ("GET", "/api/transfers/temporary"),
    ("GET", "/api/worklists/transfers-past-deadline"),
    ("GET", "/api/worklists/temporary-ended"),
    ("GET", "/api/imports/template"),
}


def naming(
    inside: Organization,
    outside: Organization,
    outside_user: str,
    outside_person: int = 0,
    outside_candidate: int = 0,
    inside_candidate: int = 0,
    outside_issued: int = 0,
    inside_person: int = 0,
) -> dict:
    """For each route, requests that name an object outside the scope (method, url, body)."""
    a, b = inside.code, outside.code
    person = {"org": b, "full_name": "Nguyễn Văn An", "birth_year": 1985, "sex": "male"}
    new_cell = {"code": "NEW.CELL", "name": "Chi bộ mới", "type": "grassroots_cell"}
    why = {"reason": "Nghi trùng lý lịch"}
    return {
        ("GET", "/api/organizations"): [("get", f"/api/organizations?root={b}", None)],
        ("GET", "/api/organizations/count"): [("get", f"/api/organizations/count?root={b}", None)],
        ("GET", "/api/organizations/changes"): [
            ("get", f"/api/organizations/changes?start=2009-01-01&end=2025-01-01&root={b}", None)
        ],
        ("GET", "/api/organizations/{code}"): [
            ("get", f"/api/organizations/{b}", None),
            ("get", f"/api/organizations/{b}?at=2015-01-01", None),
        ],
        ("GET", "/api/organizations/{code}/subtree"): [
            ("get", f"/api/organizations/{b}/subtree", None)
        ],
        ("GET", "/api/organizations/{code}/path"): [("get", f"/api/organizations/{b}/path", None)],
        ("GET", "/api/organizations/{code}/history"): [
            ("get", f"/api/organizations/{b}/history", None)
        ],
        ("GET", "/api/organizations/{code}/committee"): [
            ("get", f"/api/organizations/{b}/committee", None)
        ],
        ("POST", "/api/organizations"): [
            ("post", "/api/organizations", restructuring(**new_cell, parent_code=b)),
        ],
        ("POST", "/api/organizations/{code}/rename"): [
            ("post", f"/api/organizations/{b}/rename", restructuring(name="Tên mới")),
        ],
        ("POST", "/api/organizations/{code}/move"): [
            ("post", f"/api/organizations/{b}/move", restructuring(parent_code=a)),
            ("post", f"/api/organizations/{a}/move", restructuring(parent_code=b)),
        ],
        ("POST", "/api/organizations/{code}/convert"): [
            ("post", f"/api/organizations/{b}/convert", restructuring(type="sub_committee")),
        ],
        ("POST", "/api/organizations/{code}/update"): [
            (
                "post",
                f"/api/organizations/{b}/update",
                {"effective_date": DAY.isoformat(), "address": "Địa chỉ mới"},
            ),
        ],
        ("POST", "/api/organizations/{code}/dissolve"): [
            ("post", f"/api/organizations/{b}/dissolve", restructuring()),
        ],
        ("POST", "/api/organizations/merge"): [
            ("post", "/api/organizations/merge", restructuring(sources=[b], into=a)),
            ("post", "/api/organizations/merge", restructuring(sources=[a], into=b)),
            (
                "post",
                "/api/organizations/merge",
                restructuring(sources=[a], new={**new_cell, "parent_code": b}),
            ),
            (
                "post",
                "/api/organizations/merge",
                restructuring(sources=[a, b], new={**new_cell, "parent_code": a}),
            ),
        ],
        ("POST", "/api/organizations/{code}/split"): [
            ("post", f"/api/organizations/{b}/split", restructuring(parts=[new_cell])),
            (
                "post",
                f"/api/organizations/{a}/split",
                restructuring(parts=[{**new_cell, "children": [b]}], dissolve_source=False),
            ),
        ],
        ("POST", "/api/organizations/{code}/committee/terms"): [
            (
                "post",
                f"/api/organizations/{b}/committee/terms",
                {
                    "name": "2020–2025",
                    "start_date": "2020-07-01",
                    "decision": restructuring()["decision"],
                },
            ),
        ],
        ("POST", "/api/organizations/{code}/committee/consolidations"): [
            (
                "post",
                f"/api/organizations/{b}/committee/consolidations",
                {**restructuring(), "relieve": [1]},
            ),
        ],
        ("GET", "/api/audit/objects/{object_type}/{object_id}"): [
            ("get", f"/api/audit/objects/organizations.organization/{outside.pk}", None),
        ],
        ("GET", "/api/audit/users/{username}"): [
            ("get", f"/api/audit/users/{outside_user}", None),
        ],
        ("GET", "/api/people"): [("get", f"/api/people?org={b}", None)],
        ("GET", "/api/people/{id}"): [("get", f"/api/people/{outside_person}", None)],
        ("POST", "/api/people"): [("post", "/api/people", person)],
        ("POST", "/api/people/{id}/update"): [
            ("post", f"/api/people/{outside_person}/update", {"phone": "0912345678"}),
            ("post", f"/api/people/{outside_person}/update", {}),
        ],
        ("GET", "/api/people/{id}/events"): [("get", f"/api/people/{outside_person}/events", None)],
        ("GET", "/api/people/{id}/photo"): [("get", f"/api/people/{outside_person}/photo", None)],
        ("GET", "/api/indicators/catalogue"): [],
        ("GET", "/api/indicators"): [
            ("get", f"/api/indicators?org={b}&at=2021-03-31", None),
            ("get", f"/api/indicators?org={b}&period=2021-Q1", None),
        ],
        ("GET", "/api/indicators/{code}/items"): [
            ("get", f"/api/indicators/members.total/items?org={b}&at=2021-03-31", None),
        ],
        ("GET", "/api/reports"): [("get", f"/api/reports?org={b}&period=2021-Q1", None)],
        ("POST", "/api/reports/issue"): [
            (
                "post",
                "/api/reports/issue",
                {
                    "org": b,
                    "period": "2021-Q1",
                    "number_symbol": "9-BC/ĐU",
                    "issued_on": "2021-04-01",
                },
            )
        ],
        ("GET", "/api/reports/issued"): [("get", f"/api/reports/issued?org={b}", None)],
        ("GET", "/api/reports/issued/{id}"): [
            ("get", f"/api/reports/issued/{outside_issued}", None)
        ],
        ("GET", "/api/reports/issued/{id}/file"): [
            ("get", f"/api/reports/issued/{outside_issued}/file", None)
        ],
        ("GET", "/api/reports/file"): [
            ("get", f"/api/reports/file?org={b}&period=2021-Q1&format=xlsx", None)
        ],
        ("POST", "/api/people/{id}/photo"): [
            ("post", f"/api/people/{outside_person}/photo", {"data": "iVBORw0KGgo="})
        ],
        ("POST", "/api/people/{id}/photo/remove"): [
            ("post", f"/api/people/{outside_person}/photo/remove", {})
        ],
        ("POST", "/api/people/{id}/admission"): [
            (
                "post",
                f"/api/people/{outside_person}/admission",
                {"ceremony_date": DAY.isoformat(), "decision": restructuring()["decision"]},
            ),
        ],
        ("POST", "/api/people/{id}/recognition"): [
            (
                "post",
                f"/api/people/{outside_person}/recognition",
                {"decision": restructuring()["decision"]},
            ),
        ],
        ("POST", "/api/people/{id}/events"): [
            ("post", f"/api/people/{outside_person}/events", {**restructuring(), "kind": "death"}),
        ],
        ("POST", "/api/people/{id}/transfer-out"): [
            (
                "post",
                f"/api/people/{outside_person}/transfer-out",
                {"to": inside.code, **restructuring()},
            ),
        ],
        ("POST", "/api/people/{id}/transfer-in"): [
            ("post", f"/api/people/{outside_person}/transfer-in", restructuring()),
        ],
        ("POST", "/api/people/{id}/temporary-transfer"): [
            (
                "post",
                f"/api/people/{outside_person}/temporary-transfer",
                {"to": inside.code, "until": "2025-06-01", **restructuring()},
            ),
        ],
        ("GET", "/api/worklists/probation-ending"): [
            ("get", f"/api/worklists/probation-ending?org={b}", None)
        ],
        ("GET", "/api/worklists/recognition-overdue"): [
            ("get", f"/api/worklists/recognition-overdue?org={b}", None)
        ],
        ("GET", "/api/worklists/badge-candidates"): [
            ("get", f"/api/worklists/badge-candidates?org={b}", None)
        ],
        ("GET", "/api/transfers/incoming"): [],
        ("GET", "/api/transfers/temporary"): [],
        ("GET", "/api/worklists/transfers-past-deadline"): [],
        ("GET", "/api/worklists/temporary-ended"): [],
        **candidate_naming(b, outside_person, outside_candidate, inside_candidate),
        **target_naming(b),
        ("GET", "/api/me"): [],
        ("POST", "/api/tokens"): [],
        # the organisation of an import; what the file names is checked row by row
        # (tests/exchange: outside the scope is "not found" there too)
        ("POST", "/api/imports"): [("post", "/api/imports", import_upload(org=b))],
        ("GET", "/api/imports/template"): [],
        ("GET", "/api/quality/report"): [("get", f"/api/quality/report?org={b}", None)],
        ("GET", "/api/quality/duplicates"): [("get", f"/api/quality/duplicates?org={b}", None)],
        ("POST", "/api/people/{id}/merge"): [  # either file outside
            ("post", f"/api/people/{outside_person}/merge", {"duplicate": inside_person, **why}),
            ("post", f"/api/people/{inside_person}/merge", {"duplicate": outside_person, **why}),
        ],
    }


ADMISSIONS = {"indicator": "admissions", "value": 7}

# (the grant, an organisation outside it, what the grant sees)
CASES = {
    "grassroots cell vs a subordinate cell": ("justice", "office", {"BD.TP"}),
    "grassroots committee vs a sibling": ("health", "justice", {"BD.YT", "BD.YT.VP", "BD.YT.TTR"}),
    "subordinate cell vs a sibling": ("office", "inspect", {"BD.YT.VP"}),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request, tree, make_user):
    inside, outside, visible = CASES[request.param]
    user = make_user("quantri", tree[inside], Role.ADMINISTRATOR)
    make_user("ngoaipham", tree[outside], Role.EDITOR)
    cell = {"health": "office"}.get(inside, inside)
    hoa = add_person(Scope.system(), tree[cell], "Lê Thị Hoa", sex="female")
    khoa = add_person(Scope.system(), tree[outside], "Đỗ Văn Khoa", card_number="5299")
    for organization in (tree[inside], tree[outside]):  # something to remove, or to list
        target_set(scope=Scope.system(), organization=organization, year=2024, **ADMISSIONS)
    return {
        "person": khoa,
        "candidate": candidate_register(scope=Scope.system(), person=khoa, registered_on=DAY),
        "inside_candidate": candidate_register(scope=Scope.system(), person=hoa, registered_on=DAY),
        "inside_person": hoa,
        "issued": issued_report(tree[outside]),
        "user": user,
        "inside": tree[inside],
        "outside": tree[outside],
        "visible": visible,
    }


def test_every_route_has_an_isolation_case(tree):
    assert set(naming(tree["justice"], tree["office"], "x")) == routes()


def test_routes_that_name_nothing_are_the_known_ones(tree):
    cases = naming(tree["justice"], tree["office"], "x")
    assert {route for route, requests in cases.items() if not requests} == NAME_NOTHING


def test_outside_objects_are_not_found_on_every_route(case, client_for, post_json):
    client = client_for(case["user"])
    audit_rows = AuditEntry.objects.count()
    events = OrganizationEvent.objects.count()
    member_events = MemberEvent.objects.count()
    people = list(Person.objects.order_by("pk").values())
    pipeline = list(Candidate.objects.order_by("pk").values()), Sponsor.objects.count()
    targets = list(Target.objects.order_by("pk").values())
    issued = IssuedReport.objects.count()
    checked = 0
    outside_person = case["person"].pk
    for route, requests in naming(
        case["inside"],
        case["outside"],
        "ngoaipham",
        outside_person,
        outside_candidate=case["candidate"].pk,
        inside_candidate=case["inside_candidate"].pk,
        inside_person=case["inside_person"].pk,
        outside_issued=case["issued"].pk,
    ).items():
        for method, url, body in requests:
            response = client.get(url) if method == "get" else post_json(client, url, body)
            assert response.status_code == 404, (route, url, response.content)
            error = assert_error(response, 404, "core.NOT_FOUND")
            assert case["outside"].name not in error["message"]
            checked += 1
    assert checked >= len(routes()) - len(NAME_NOTHING)
    assert AuditEntry.objects.count() == audit_rows
    assert OrganizationEvent.objects.count() == events
    assert MemberEvent.objects.count() == member_events
    assert IssuedReport.objects.count() == issued
    assert list(Person.objects.order_by("pk").values()) == people
    assert (list(Candidate.objects.order_by("pk").values()), Sponsor.objects.count()) == pipeline
    assert list(Target.objects.order_by("pk").values()) == targets


def list_responses(client, inside: Organization) -> dict:
    code = inside.code
    return {
        "list": client.get("/api/organizations"),
        "list at": client.get("/api/organizations?at=2015-01-01"),
        "changes": client.get("/api/organizations/changes?start=2009-01-01&end=2030-01-01"),
        "subtree": client.get(f"/api/organizations/{code}/subtree"),
        "path": client.get(f"/api/organizations/{code}/path"),
        "history": client.get(f"/api/organizations/{code}/history"),
        "committee": client.get(f"/api/organizations/{code}/committee"),
        "audit": client.get(f"/api/audit/objects/organizations.organization/{inside.pk}"),
        "me": client.get("/api/me"),
        "people": client.get("/api/people"),
        "people of the grant": client.get(f"/api/people?org={code}"),
        "people search": client.get("/api/people?q=khoa"),
        "candidates": client.get("/api/candidates"),
        "candidates of the grant": client.get(f"/api/candidates?org={code}"),
        "certificates expiring": client.get(
            "/api/worklists/certificates-expiring?within_days=3660"
        ),
        "targets": client.get("/api/targets"),
        "targets of the grant": client.get(f"/api/targets?org={code}&year=2024"),
    }


def test_lists_never_show_outside_objects(case, client_for, system):
    # something to see on both sides: a rename in scope and one outside it
    for organization, name in ((case["inside"], "Tên mới A"), (case["outside"], "Tên mới B")):
        services.organization_rename(
            scope=system,
            organization=organization,
            name=name,
            effective_date=DAY,
            decision=decision(DAY),
        )
    client = client_for(case["user"])
    outside = {
        case["outside"].code,
        case["outside"].name,
        "Tên mới B",
        str(case["outside"].pk),
        "Đỗ Văn Khoa",
        "5299",
    }
    for what, response in list_responses(client, case["inside"]).items():
        assert response.status_code == 200, (what, response.content)
        assert not strings(response.json()) & outside, what

    listed = client.get("/api/organizations").json()
    assert {item["code"] for item in listed["items"]} == case["visible"]
    people = client.get("/api/people").json()["items"]
    assert [p["full_name"] for p in people] == ["Lê Thị Hoa"]
    count = client.get("/api/organizations/count").json()["count"]
    assert count == len(case["visible"])
    changes = client.get("/api/organizations/changes?start=2009-01-01&end=2030-01-01").json()
    assert {e["organization_code"] for e in changes["events"]} == case["visible"]
    assert client.get("/api/me").json()["grants"] == [
        {
            "organization": case["inside"].code,
            "organization_name": "Tên mới A",
            "role": "administrator",
        }
    ]


def test_path_starts_at_the_top_of_the_scope(tree, make_user, client_for):
    client = client_for(make_user("yte", tree["health"], Role.VIEWER))
    path = client.get("/api/organizations/BD.YT.VP/path").json()
    assert [v["code"] for v in path] == ["BD.YT", "BD.YT.VP"]


def test_grassroots_committee_grant_sees_its_cells_not_its_siblings(tree, make_user, client_for):
    client = client_for(make_user("yte", tree["health"], Role.VIEWER))
    for code in ("BD.YT", "BD.YT.VP", "BD.YT.TTR"):
        assert client.get(f"/api/organizations/{code}").status_code == 200
    for code in ("BD.TP", "BD.DUK", "BD"):
        assert_error(client.get(f"/api/organizations/{code}"), 404, "core.NOT_FOUND")


def test_unknown_and_outside_look_the_same(tree, make_user, client_for):
    client = client_for(make_user("yte", tree["health"], Role.VIEWER))
    unknown = client.get("/api/organizations/KHONG.CO").json()
    outside = client.get("/api/organizations/BD.TP").json()
    assert unknown == outside


def test_a_user_without_grants_sees_nothing(tree, make_user, client_for):
    client = client_for(make_user("khongquyen"))
    assert client.get("/api/organizations").json() == {"items": [], "count": 0}
    assert_error(client.get("/api/organizations/BD"), 404, "core.NOT_FOUND")


def test_superuser_sees_everything(tree, make_user, client_for):
    client = client_for(make_user("root", is_superuser=True, is_staff=True))
    assert client.get("/api/organizations/count").json()["count"] == 6
    assert client.get("/api/me").json()["unrestricted"] is True


# roles --------------------------------------------------------------------------------------
APPROVER_WRITES = {("POST", "/api/people/{id}/merge")}  # the rest take the editor role


@pytest.fixture
def bloc_user(api_tree, make_user, client_for):
    def make(role, auth="session"):
        user = make_user(f"khoi-{role}", api_tree["bloc"], role)
        if auth == "session":
            return client_for(user)
        key = token_create(user=user, name="test")[1]
        return client_for(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


@pytest.mark.parametrize("auth", ["session", "bearer"])
@pytest.mark.parametrize("route", sorted(WRITES))
def test_viewer_cannot_write_inside_the_scope(bloc_user, post_json, route, auth):
    client = bloc_user(Role.VIEWER, auth)
    url, body = write_request(route)
    audit_rows = AuditEntry.objects.count()
    error = assert_error(post_json(client, url, body), 403, "access.ROLE_REQUIRED")
    role = "Phê duyệt" if route in APPROVER_WRITES else "Cập nhật"
    assert role in error["message"]  # names the role it takes
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize("auth", ["session", "bearer"])
@pytest.mark.parametrize("route", sorted(WRITES))
def test_editor_can_write_inside_the_scope(bloc_user, post_json, route, auth):
    if route in APPROVER_WRITES:
        client = bloc_user(Role.EDITOR, auth)
        error = assert_error(post_json(client, *write_request(route)), 403, "access.ROLE_REQUIRED")
        assert "Phê duyệt" in error["message"]
        client = bloc_user(Role.APPROVER, auth)
    else:
        client = bloc_user(Role.EDITOR, auth)
    if route[1].endswith("/consolidations"):
        url, body = WRITES[("POST", "/api/organizations/{code}/committee/terms")]
        assert post_json(client, url, body).status_code == 201
    url, body = write_request(route)
    response = post_json(client, url, body)
    assert response.status_code in (200, 201), response.content
    assert AuditEntry.objects.filter(actor__username__in=["khoi-editor", "khoi-approver"]).exists()


def test_viewer_can_still_create_an_api_token(bloc_user, post_json):
    response = post_json(bloc_user(Role.VIEWER), "/api/tokens", {"name": "Đọc số liệu"})
    assert response.status_code == 201


def test_only_the_system_establishes_a_top_organisation(bloc_user, post_json):
    client = bloc_user(Role.ADMINISTRATOR)
    body = restructuring(code="HN", name="Đảng bộ thành phố Hà Nội", type="provincial_committee")
    assert_error(post_json(client, "/api/organizations", body), 403, "access.ROLE_REQUIRED")


def test_the_highest_role_of_overlapping_grants_applies(api_tree, make_user, client_for, post_json):
    user = make_user("hai-quyen", api_tree["bloc"], Role.VIEWER)
    Grant.objects.create(user=user, organization=api_tree["health"], role=Role.EDITOR)
    client = client_for(user)
    url, body = WRITES[("POST", "/api/organizations/{code}/rename")]  # BD.TP: viewer only
    assert_error(post_json(client, url, body), 403, "access.ROLE_REQUIRED")
    body = restructuring(name="Chi bộ Văn phòng Sở Y tế")
    response = post_json(client, "/api/organizations/BD.YT.VP/rename", body)
    assert response.status_code == 200, response.content


# unauthenticated ----------------------------------------------------------------------------
def concrete(path: str) -> str:
    return (
        path.replace("{code}", "BD.TP")
        .replace("{object_type}", "organizations.organization")
        .replace("{object_id}", "1")
        .replace("{username}", "admin")
        .replace("{id}", "1")
    )


@pytest.mark.parametrize("enforce_csrf", [False, True], ids=["test-client", "csrf-enforced"])
def test_every_route_needs_authentication(tree, client_for, post_json, enforce_csrf):
    client = client_for(enforce_csrf_checks=enforce_csrf)
    audit_rows = AuditEntry.objects.count()
    for method, path in sorted(routes()):
        if method == "GET":
            response = client.get(concrete(path))
        else:
            response = post_json(client, concrete(path), {})
        assert_error(response, 401, "access.UNAUTHENTICATED")
    assert AuditEntry.objects.count() == audit_rows


def test_inactive_user_session_is_unauthenticated(tree, make_user, client_for):
    user = make_user("nghiviec", tree["bloc"], Role.EDITOR)
    client = client_for(user)
    user.is_active = False
    user.save()
    assert_error(client.get("/api/organizations"), 401, "access.UNAUTHENTICATED")


# scope by date ------------------------------------------------------------------------------
@pytest.fixture
def moved(tree, system, make_user, client_for):
    """Chi bộ Sở Tư pháp moves from the first bloc to a second one on 01/01/2020."""
    bloc2 = establish(
        system, "BD.DUK2", "Đảng bộ Khối Doanh nghiệp tỉnh", T.UPPER_COMMITTEE, tree["province"]
    )
    services.organization_move(
        scope=system,
        organization=tree["justice"],
        parent=bloc2,
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2019, 12, 20)),
    )
    return {
        "new": client_for(make_user("khoi2", bloc2, Role.EDITOR)),
        "old": client_for(make_user("khoi1", tree["bloc"], Role.EDITOR)),
    }


def codes_on(client, day: str, root: str | None = None) -> set[str]:
    url = f"/api/organizations?at={day}" + (f"&root={root}" if root else "")
    return {item["code"] for item in client.get(url).json()["items"]}


def test_new_bloc_does_not_see_the_cell_before_it_arrived(moved):
    new = moved["new"]
    assert_error(new.get("/api/organizations/BD.TP?at=2019-12-31"), 404, "core.NOT_FOUND")
    assert new.get("/api/organizations/BD.TP?at=2020-01-01").json()["parent_code"] == "BD.DUK2"
    assert codes_on(new, "2019-06-01") == {"BD.DUK2"}
    assert codes_on(new, "2020-06-01") == {"BD.DUK2", "BD.TP"}
    assert new.get("/api/organizations/count?at=2019-06-01").json()["count"] == 1
    subtree = new.get("/api/organizations/BD.DUK2/subtree?at=2019-06-01").json()
    assert [v["code"] for v in subtree["items"]] == ["BD.DUK2"]
    assert_error(new.get("/api/organizations/BD.TP/path?at=2019-06-01"), 404, "core.NOT_FOUND")
    assert_error(new.get("/api/organizations/BD.TP/committee?at=2019-06-01"), 404, "core.NOT_FOUND")


def test_old_bloc_does_not_see_the_cell_after_it_left(moved):
    old = moved["old"]
    assert old.get("/api/organizations/BD.TP?at=2019-12-31").json()["parent_code"] == "BD.DUK"
    assert_error(old.get("/api/organizations/BD.TP?at=2020-01-01"), 404, "core.NOT_FOUND")
    assert_error(old.get("/api/organizations/BD.TP"), 404, "core.NOT_FOUND")
    assert "BD.TP" in codes_on(old, "2019-06-01")
    assert "BD.TP" not in codes_on(old, "2020-06-01")


def test_writes_are_scoped_by_their_effective_date(moved, post_json):
    body = restructuring(dt.date(2019, 6, 1), name="Chi bộ Sở Tư pháp (cũ)")
    body["decision"]["date"] = "2019-05-01"
    assert_error(
        post_json(moved["new"], "/api/organizations/BD.TP/rename", body), 404, "core.NOT_FOUND"
    )
    body = restructuring(name="Chi bộ Sở Tư pháp (mới)")
    assert_error(
        post_json(moved["old"], "/api/organizations/BD.TP/rename", body), 404, "core.NOT_FOUND"
    )
    assert post_json(moved["new"], "/api/organizations/BD.TP/rename", body).status_code == 200


def test_changes_show_the_move_to_both_blocs(moved):
    url = "/api/organizations/changes?start=2019-01-01&end=2020-12-31"
    for side in ("new", "old"):
        events = moved[side].get(url).json()["events"]
        assert [(e["kind"], e["organization_code"]) for e in events] == [("move", "BD.TP")], side
    assert [v["code"] for v in moved["old"].get(url).json()["ended"]] == ["BD.TP"]
    assert [v["code"] for v in moved["new"].get(url).json()["established"]] == ["BD.TP"]


def test_changes_before_arrival_stay_hidden_from_the_new_bloc(tree, system, moved):
    services.organization_rename(
        scope=system,
        organization=tree["justice"],
        name="Chi bộ Sở Tư pháp (2015)",
        effective_date=dt.date(2015, 1, 1),
        decision=decision(dt.date(2015, 1, 1)),
    )
    url = "/api/organizations/changes?start=2010-01-01&end=2021-01-01"
    new = moved["new"].get(url).json()
    assert [e["kind"] for e in new["events"] if e["organization_code"] == "BD.TP"] == ["move"]
    assert all(e["kind"] != "rename" for e in new["events"])
    old = moved["old"].get(url).json()
    assert [e["kind"] for e in old["events"] if e["organization_code"] == "BD.TP"] == [
        "establish",
        "rename",
        "move",
    ]
