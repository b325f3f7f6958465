"""The targets' cases (chỉ tiêu) in the route-by-route API tests (common.WRITES, the reads of
test_organizations_api, the isolation cases of test_scope_isolation), kept here so that those
shared lists take them in one line each."""

TARGET = {"org": "BD.TP", "year": 2024, "indicator": "admissions"}
RESOLUTION = {
    "symbol": "05-NQ/ĐUK",
    "date": "2024-01-10",
    "issuing_body": "Ban Chấp hành Đảng bộ Khối",
}

# One valid write per route in BD.TP; "{targeted}" as the organisation: BD.TP with a target
# of 2024 on admissions already set.
TARGET_WRITES: dict[tuple[str, str], tuple[str, dict]] = {
    ("POST", "/api/targets"): (
        "/api/targets",
        {**TARGET, "value": 12, "decision": RESOLUTION, "note": "Nghị quyết năm 2024"},
    ),
    ("POST", "/api/targets/remove"): ("/api/targets/remove", {**TARGET, "org": "{targeted}"}),
}

# One in-scope request per read route.
TARGET_READS = {("GET", "/api/targets"): "/api/targets?org=BD.YT&year=2024"}


def fill_target_placeholders(url: str, body: dict) -> tuple[str, dict]:
    """TARGET_WRITES' placeholders replaced by the target made for them."""
    if body.get("org") != "{targeted}":
        return url, body
    from dangvu.access.scopes import Scope
    from dangvu.organizations.models import Organization
    from dangvu.planning.services import target_set

    cell = Organization.objects.get(code="BD.TP")
    target_set(scope=Scope.system(), organization=cell, year=2024, indicator="admissions", value=9)
    return url, {**body, "org": cell.code}


def target_naming(outside: str) -> dict:
    """For each targets route, requests naming the outside organisation."""
    target = {"org": outside, "year": 2024, "indicator": "admissions"}
    return {
        ("GET", "/api/targets"): [
            ("get", f"/api/targets?org={outside}", None),
            ("get", f"/api/targets?org={outside}&year=2024", None),
        ],
        ("POST", "/api/targets"): [
            ("post", "/api/targets", {**target, "value": 5}),
            ("post", "/api/targets", {**target, "year": 2023, "value": 5}),
        ],
        ("POST", "/api/targets/remove"): [("post", "/api/targets/remove", target)],
    }
