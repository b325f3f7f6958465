"""Errors: one JSON shape, stable codes, Vietnamese messages; nothing half-written."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.models import Decision
from dangvu.organizations.models import (
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import establish

from .common import DAY, VIETNAMESE, WRITES, assert_error, decision_body, restructuring


@pytest.fixture
def client(api_tree, make_user, client_for):
    return client_for(make_user("bientap", api_tree["bloc"], Role.EDITOR))


def snapshot() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "versions": OrganizationVersion.objects.count(),
        "events": OrganizationEvent.objects.count(),
        "audit": AuditEntry.objects.count(),
        "decisions": Decision.objects.count(),
    }


# domain errors ------------------------------------------------------------------------------
DOMAIN_ERRORS = [
    (
        "/api/organizations/BD.TP/rename",
        restructuring(name="Chi bộ Sở Tư pháp"),
        400,
        "organizations.NAME_UNCHANGED",
    ),
    (
        "/api/organizations",
        restructuring(
            code="BD.TP", name="Chi bộ trùng mã", type="grassroots_cell", parent_code="BD.DUK"
        ),
        409,
        "organizations.CODE_TAKEN",
    ),
    (
        "/api/organizations",
        restructuring(code="BD.X", name="Chi bộ X", type="subordinate_cell", parent_code="BD.DUK"),
        400,
        "organizations.INVALID_PARENT_TYPE",
    ),
    (
        "/api/organizations/BD.YT/dissolve",
        restructuring(),
        400,
        "organizations.DISSOLVE_HAS_CHILDREN",
    ),
    (
        "/api/organizations/BD.TP/convert",
        restructuring(type="sub_committee"),
        400,
        "organizations.CONVERSION_NOT_ALLOWED",
    ),
    (
        "/api/organizations/BD.TP/rename",
        {**restructuring(name="Tên mới"), "effective_date": "2024-05-01"},
        400,
        "organizations.EFFECTIVE_BEFORE_DECISION",
    ),
    (
        "/api/organizations/BD.TP/update",
        {"effective_date": DAY.isoformat(), "province_code": 99},
        400,
        "organizations.UNKNOWN_PROVINCE",
    ),
    (
        "/api/organizations/BD.TP/update",
        {"effective_date": DAY.isoformat()},
        400,
        "organizations.NOTHING_CHANGED",
    ),
    (
        "/api/organizations/BD.YT/committee/consolidations",
        {**restructuring(), "relieve": [1]},
        400,
        "organizations.NO_TERM",
    ),
    (
        "/api/organizations/merge",
        restructuring(sources=["BD.TP"], into="BD.TP"),
        400,
        "organizations.MERGE_NEEDS_TWO",
    ),
    (
        "/api/organizations/merge",
        restructuring(sources=["BD.TP"]),
        400,
        "organizations.MERGE_TARGET",
    ),
    (
        "/api/organizations/BD.YT.VP/move",
        restructuring(parent_code="BD.TP"),
        400,
        "organizations.INVALID_PARENT_TYPE",
    ),
    (
        "/api/organizations/BD.DUK/move",
        restructuring(parent_code="BD.YT"),
        400,
        "organizations.MOVE_CREATES_CYCLE",
    ),
    (
        "/api/organizations/BD.YT.VP/move",
        restructuring(parent_code="BD.YT"),
        400,
        "organizations.MOVE_SAME_PARENT",
    ),
    (
        "/api/organizations/NOPE/rename",
        restructuring(name="Tên mới"),
        404,
        "core.NOT_FOUND",
    ),
]


@pytest.mark.parametrize(
    ("url", "body", "status", "code"), DOMAIN_ERRORS, ids=[c or "any" for *_, c in DOMAIN_ERRORS]
)
def test_domain_errors_are_json_with_a_code_and_a_vietnamese_message(
    client, post_json, url, body, status, code
):
    before = snapshot()
    response = post_json(client, url, body)
    assert response.status_code == status, response.content
    error = response.json()
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert VIETNAMESE.search(error["message"]), error["message"]
    assert snapshot() == before


def test_dissolve_error_names_the_remaining_children(client, post_json):
    error = post_json(client, "/api/organizations/BD.YT/dissolve", restructuring()).json()
    assert "Chi bộ Văn phòng Sở" in error["message"]
    assert f"{DAY:%d/%m/%Y}" in error["message"]


def test_conversion_error_has_details(client, post_json):
    body = restructuring(type="sub_committee")
    error = post_json(client, "/api/organizations/BD.TP/convert", body).json()
    assert error["details"] == {"old_type": "grassroots_cell", "new_type": "sub_committee"}


def test_unknown_organisation_is_not_found(client):
    assert_error(client.get("/api/organizations/KHONG.CO"), 404, "core.NOT_FOUND")
    assert_error(client.get("/api/organizations?root=KHONG.CO"), 404, "core.NOT_FOUND")


@pytest.mark.parametrize("object_id", ["abc", "999999", "1.5", "-1"])
def test_audit_of_a_malformed_or_unknown_object_id_is_not_found(client, object_id):
    response = client.get(f"/api/audit/objects/organizations.organization/{object_id}")
    assert_error(response, 404, "core.NOT_FOUND")


# invalid input ------------------------------------------------------------------------------
INVALID = [
    ("get", "/api/organizations?at=31/12/2020", None),
    ("get", "/api/organizations?at=2020-02-30", None),
    ("get", "/api/organizations?type=chi_bo", None),
    ("get", "/api/organizations/count?type=central&type=x", None),
    ("get", "/api/organizations/changes?start=2020-01-01", None),
    ("get", "/api/organizations?limit=-1", None),
    ("get", "/api/organizations?limit=99999999999999999999", None),
    ("get", "/api/organizations?offset=99999999999999999999", None),
    ("get", "/api/organizations/BD.YT/subtree?limit=1001", None),
    ("get", "/api/audit/users/bientap?offset=9223372036854775808", None),
    ("get", "/api/organizations/BD.TP?at=hôm-nay", None),
    ("post", "/api/organizations", restructuring(code="BD.X", name="X", type="chi_bo")),
    ("post", "/api/organizations/BD.TP/rename", {**restructuring(name="X"), "effective_date": "x"}),
    ("post", "/api/organizations/BD.TP/rename", {"name": "X"}),
    (
        "post",
        "/api/organizations/BD.TP/rename",
        {**restructuring(name="X"), "decision": {"symbol": "", "date": "2024-01-01"}},
    ),
    ("post", "/api/organizations/BD.TP/rename", restructuring(name="X" * 300)),
    ("post", "/api/organizations/BD.TP/convert", restructuring(type=None)),
    ("post", "/api/organizations/merge", restructuring(sources=[])),
    ("post", "/api/organizations/BD.TP/split", restructuring(parts=[])),
    ("post", "/api/tokens", {}),
]


@pytest.mark.parametrize(("method", "url", "body"), INVALID)
def test_invalid_input_is_422_invalid_input(client, post_json, method, url, body):
    before = snapshot()
    response = client.get(url) if method == "get" else post_json(client, url, body)
    error = assert_error(response, 422, "core.INVALID_INPUT")
    assert VIETNAMESE.search(error["message"])
    assert error["details"]["errors"], "the details say which field is wrong"
    assert snapshot() == before


def test_a_body_that_is_not_json_is_invalid_input(client):
    before = snapshot()
    response = client.post(
        "/api/organizations/BD.TP/rename", data="{không phải json", content_type="application/json"
    )
    error = assert_error(response, 400, "core.INVALID_INPUT")
    assert VIETNAMESE.search(error["message"])
    assert snapshot() == before


# nothing half-written -----------------------------------------------------------------------
def test_a_merge_failing_at_the_second_source_leaves_nothing(api_tree, system, client, post_json):
    """The first source (a cell) merges cleanly; the second one's subordinate cell cannot sit
    under a grassroots cell, so the whole merge is refused and nothing of the first remains."""
    bloc = api_tree["bloc"]
    target = establish(system, "BD.CT", "Chi bộ Sở Công Thương", T.GRASSROOTS_CELL, bloc)
    second = establish(system, "BD.NN", "Đảng bộ Sở Nông nghiệp", T.GRASSROOTS_COMMITTEE, bloc)
    establish(system, "BD.NN.VP", "Chi bộ Văn phòng Sở Nông nghiệp", T.SUBORDINATE_CELL, second)
    assert api_tree["justice"].pk < second.pk  # the sources are handled in this order
    before = snapshot()

    body = restructuring(sources=["BD.TP", "BD.NN"], into="BD.CT")
    error = assert_error(
        post_json(client, "/api/organizations/merge", body),
        400,
        "organizations.INVALID_PARENT_TYPE",
    )
    assert "Chi bộ Văn phòng Sở Nông nghiệp" in error["message"]
    assert snapshot() == before
    assert not OrganizationEvent.objects.filter(effective_date=DAY).exists()
    assert Organization.objects.get(code="BD.TP").dissolved_on is None
    assert target.versions.count() == 1


def test_a_split_failing_at_the_second_part_leaves_nothing(client, post_json):
    before = snapshot()
    body = restructuring(
        parts=[
            {"code": "BD.TP.A", "name": "Chi bộ A", "type": "grassroots_cell"},
            {"code": "BD.YT", "name": "Chi bộ trùng mã", "type": "grassroots_cell"},
        ]
    )
    assert_error(
        post_json(client, "/api/organizations/BD.TP/split", body), 409, "organizations.CODE_TAKEN"
    )
    assert snapshot() == before
    assert not Organization.objects.filter(code="BD.TP.A").exists()


def test_a_refused_write_by_role_leaves_nothing(api_tree, make_user, client_for, post_json):
    client = client_for(make_user("xem", api_tree["bloc"], Role.VIEWER))
    before = snapshot()
    url, body = WRITES[("POST", "/api/organizations/merge")]
    assert_error(post_json(client, url, body), 403, "access.ROLE_REQUIRED")
    assert snapshot() == before


def test_back_dated_event_that_breaks_a_later_state_is_refused(client, post_json):
    """Dissolving the Office before the date it later moves to another committee."""
    moved = post_json(client, *WRITES[("POST", "/api/organizations/{code}/move")])
    assert moved.status_code == 200
    before = snapshot()
    body = {**restructuring(dt.date(2024, 3, 1)), "decision": decision_body(dt.date(2024, 2, 1))}
    response = post_json(client, "/api/organizations/BD.YT.VP/dissolve", body)
    error = assert_error(response, 400, "organizations.EVENT_AFTER_DISSOLUTION")
    assert "01/06/2024" in error["message"]
    assert snapshot() == before


NUL_REQUESTS = [
    ("get", "/api/organizations/BD%00TP", None),
    ("get", "/api/organizations?root=BD%00", None),
    ("get", "/api/audit/users/a%00", None),
    ("get", "/api/audit/objects/x%00/1", None),
    ("post", "/api/organizations/BD.TP/rename", restructuring(name="Chi bộ\x00mới")),
    ("post", "/api/organizations/merge", restructuring(sources=["BD\x00"], into="BD.TP")),
]


@pytest.mark.parametrize(("method", "url", "body"), NUL_REQUESTS)
def test_a_nul_character_is_refused_not_a_server_error(
    api_tree, make_user, client_for, post_json, method, url, body
):
    """PostgreSQL cannot store or compare NUL; SQLite can. Either way: no 500, one error shape."""
    client = client_for(make_user("root", is_superuser=True))
    response = client.get(url) if method == "get" else post_json(client, url, body)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["code"] in ("core.INVALID_INPUT", "core.NOT_FOUND")
    # the connection is still usable after the refusal
    assert client.get("/api/organizations/BD.TP").status_code == 200
