"""The candidates pipeline's cases in the route-by-route API tests (common.WRITES, the reads of
test_organizations_api, the isolation cases of test_scope_isolation), kept here so that those
shared lists take them in one line each."""

import datetime as dt

DAY = dt.date(2024, 6, 1)
DECISION = {
    "symbol": "52-QĐ/ĐUK",
    "date": "2024-05-20",
    "issuing_body": "Ban Thường vụ Đảng ủy Khối",
}

# One valid write per route in BD.TP. "{candidate_<stage>}" is a candidate at that stage
# (tests/members/pipeline.STAGES); in a body, "{person}" is a new personal file, "{full_member}"
# a full member, "{sponsor}" one of the candidate's sponsors.
CANDIDATE_WRITES: dict[tuple[str, str], tuple[str, dict]] = {
    ("POST", "/api/candidates"): (
        "/api/candidates",
        {"person": "{person}", "registered_on": DAY.isoformat()},
    ),
    ("POST", "/api/candidates/{id}/certificate"): (
        "/api/candidates/{candidate_registered}/certificate",
        {"number": "88/GCN-TTCT", "issued_on": "2024-05-02", "issuing_body": "Trung tâm Chính trị"},
    ),
    ("POST", "/api/candidates/{id}/sponsors"): (
        "/api/candidates/{candidate_certified}/sponsors",
        {
            "kind": "member",
            "person": "{full_member}",
            "worked_with_since": "2021-09-01",
            "sponsored_on": "2024-03-01",
        },
    ),
    ("POST", "/api/candidates/{id}/sponsors/remove"): (
        "/api/candidates/{candidate_sponsored}/sponsors/remove",
        {"sponsor": "{sponsor}"},
    ),
    ("POST", "/api/candidates/{id}/background-check"): (
        "/api/candidates/{candidate_sponsored}/background-check",
        {"checked_on": "2024-04-20", "result": "passed", "note": "Lý lịch rõ ràng"},
    ),
    ("POST", "/api/candidates/{id}/application"): (
        "/api/candidates/{candidate_sponsored}/application",
        {"applied_on": "2024-03-10"},
    ),
    ("POST", "/api/candidates/{id}/vote"): (
        "/api/candidates/{candidate_dossier}/vote",
        {"vote_date": "2024-05-10", "votes_in_favour": 9, "full_members": 12},
    ),
    ("POST", "/api/candidates/{id}/admission"): (
        "/api/candidates/{candidate_voted}/admission",
        {"ceremony_date": DAY.isoformat(), "decision": DECISION},
    ),
    ("POST", "/api/candidates/{id}/withdrawal"): (
        "/api/candidates/{candidate_registered}/withdrawal",
        {"withdrawn_on": DAY.isoformat(), "reason": "Chuyển công tác ra ngoài tỉnh"},
    ),
}

# One in-scope request per read route ("{candidate}": a candidate in BD.YT.VP).
CANDIDATE_READS = {
    ("GET", "/api/candidates"): "/api/candidates?org=BD.YT&status=active",
    ("GET", "/api/candidates/{id}"): "/api/candidates/{candidate}",
    (
        "GET",
        "/api/worklists/certificates-expiring",
    ): "/api/worklists/certificates-expiring?within_days=90",
}


def fill_candidate_placeholders(url: str, body: dict) -> tuple[str, dict]:
    """CANDIDATE_WRITES' placeholders replaced by objects made for them in BD.TP."""
    from dangvu.access.scopes import Scope
    from dangvu.organizations.models import Organization
    from tests.members.people import add_person
    from tests.members.pipeline import STAGES, candidate_at, full_member

    system = Scope.system()
    body = dict(body)
    if "{" not in url and "{" not in str(body):
        return url, body
    cell = Organization.objects.get(code="BD.TP")
    if body.get("person") == "{person}":
        body["person"] = add_person(
            system, cell, "Hồ Thị Ngọc Ánh", birth_year=1997, sex="female"
        ).pk
    if body.get("person") == "{full_member}":
        body["person"] = full_member(system, cell, "Nguyễn Hữu Phước").pk
    for stage in STAGES:
        placeholder = f"{{candidate_{stage}}}"
        if placeholder in url:
            candidate = candidate_at(stage, cell, "Lương Văn Tài", sex="male")
            url = url.replace(placeholder, str(candidate.pk))
            if body.get("sponsor") == "{sponsor}":
                body["sponsor"] = candidate.sponsors.order_by("id").first().pk
    return url, body


def candidate_naming(
    outside: str, outside_person: int, outside_candidate: int, inside_candidate: int
) -> dict:
    """For each candidates route, requests naming something outside the scope: the outside
    cell, its candidate, or its person (as the one to register or as a sponsor)."""
    day = DAY.isoformat()
    at = f"/api/candidates/{outside_candidate}"
    sponsor = {"person": outside_person, "worked_with_since": "2021-01-01", "sponsored_on": day}
    return {
        ("GET", "/api/candidates"): [("get", f"/api/candidates?org={outside}", None)],
        ("GET", "/api/candidates/{id}"): [("get", at, None)],
        ("GET", "/api/worklists/certificates-expiring"): [
            ("get", f"/api/worklists/certificates-expiring?org={outside}", None)
        ],
        ("POST", "/api/candidates"): [
            ("post", "/api/candidates", {"person": outside_person, "registered_on": day})
        ],
        ("POST", "/api/candidates/{id}/certificate"): [
            ("post", f"{at}/certificate", {"number": "1/GCN", "issued_on": day}),
        ],
        ("POST", "/api/candidates/{id}/sponsors"): [
            ("post", f"{at}/sponsors", {**sponsor, "person": None, "kind": "youth_union"}),
            ("post", f"/api/candidates/{inside_candidate}/sponsors", sponsor),
        ],
        ("POST", "/api/candidates/{id}/sponsors/remove"): [
            ("post", f"{at}/sponsors/remove", {"sponsor": 1}),
        ],
        ("POST", "/api/candidates/{id}/background-check"): [
            ("post", f"{at}/background-check", {"checked_on": day, "result": "passed"}),
        ],
        ("POST", "/api/candidates/{id}/application"): [
            ("post", f"{at}/application", {"applied_on": day}),
        ],
        ("POST", "/api/candidates/{id}/vote"): [
            ("post", f"{at}/vote", {"vote_date": day, "votes_in_favour": 3, "full_members": 3}),
        ],
        ("POST", "/api/candidates/{id}/admission"): [
            ("post", f"{at}/admission", {"ceremony_date": day, "decision": DECISION}),
        ],
        ("POST", "/api/candidates/{id}/withdrawal"): [
            ("post", f"{at}/withdrawal", {"withdrawn_on": day, "reason": "Không đủ điều kiện"}),
        ],
    }
