"""What the API tests share: the routes read from the OpenAPI schema, request bodies, checks."""

import base64
import datetime as dt
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangvu.api import api

from .candidate_routes import CANDIDATE_WRITES, fill_candidate_placeholders
from .target_routes import TARGET_WRITES, fill_target_placeholders

DAY = dt.date(2024, 6, 1)  # the effective date of the writes below
SIGNED = dt.date(2024, 5, 20)

VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]")


def routes() -> set[tuple[str, str]]:
    """Every operation of the API as (METHOD, path template), from its OpenAPI schema."""
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def decision_body(day: dt.date = SIGNED, symbol: str = "45-QĐ/ĐUK") -> dict:
    return {"symbol": symbol, "date": day.isoformat(), "issuing_body": "Ban Thường vụ Đảng ủy Khối"}


def restructuring(day: dt.date = DAY, **extra) -> dict:
    return {"effective_date": day.isoformat(), "decision": decision_body(), **extra}


# One valid write per write route, inside the bloc (BD.DUK) of the `api_tree` fixture.
WRITES: dict[tuple[str, str], tuple[str, dict]] = {
    ("POST", "/api/organizations"): (
        "/api/organizations",
        restructuring(
            code="BD.YT.DD",
            name="Chi bộ Khoa Điều dưỡng",
            type="subordinate_cell",
            parent_code="BD.YT",
        ),
    ),
    ("POST", "/api/organizations/{code}/rename"): (
        "/api/organizations/BD.TP/rename",
        restructuring(name="Chi bộ Sở Tư pháp tỉnh Bình Định"),
    ),
    ("POST", "/api/organizations/{code}/move"): (
        "/api/organizations/BD.YT.VP/move",
        restructuring(parent_code="BD.GD"),
    ),
    ("POST", "/api/organizations/{code}/convert"): (
        "/api/organizations/BD.TP/convert",
        restructuring(type="grassroots_committee"),
    ),
    ("POST", "/api/organizations/{code}/update"): (
        "/api/organizations/BD.TP/update",
        {
            "effective_date": DAY.isoformat(),
            "sector": "agency",
            "province_code": 1,
            "address": "01 Trần Phú, Quy Nhơn",
        },
    ),
    ("POST", "/api/organizations/{code}/dissolve"): (
        "/api/organizations/BD.YT.TTR/dissolve",
        restructuring(),
    ),
    ("POST", "/api/organizations/merge"): (
        "/api/organizations/merge",
        restructuring(sources=["BD.YT.TTR"], into="BD.YT.VP"),
    ),
    ("POST", "/api/organizations/{code}/split"): (
        "/api/organizations/BD.TP/split",
        restructuring(
            parts=[
                {"code": "BD.TP.A", "name": "Chi bộ Bổ trợ tư pháp", "type": "grassroots_cell"},
                {"code": "BD.TP.B", "name": "Chi bộ Hành chính tư pháp", "type": "grassroots_cell"},
            ]
        ),
    ),
    ("POST", "/api/organizations/{code}/committee/terms"): (
        "/api/organizations/BD.YT/committee/terms",
        {
            "name": "2020–2025",
            "start_date": "2020-07-15",
            "decision": decision_body(dt.date(2020, 7, 15), "12-QĐ/ĐUK"),
            "seats": [
                {"full_name": "Nguyễn Văn An", "position": "secretary"},
                {"full_name": "Trần Thị Bình", "position": "deputy_secretary"},
            ],
        },
    ),
    ("POST", "/api/organizations/{code}/committee/consolidations"): (
        "/api/organizations/BD.YT/committee/consolidations",
        {
            "effective_date": DAY.isoformat(),
            "decision": decision_body(symbol="46-QĐ/ĐUK"),
            "appoint": [{"full_name": "Lê Văn Cường", "position": "standing_member"}],
        },
    ),
    ("POST", "/api/people"): (
        "/api/people",
        {"org": "BD.TP", "full_name": "Nguyễn Văn An", "birth_year": 1985, "sex": "male"},
    ),
    ("POST", "/api/people/{id}/update"): (
        "/api/people/{person}/update",
        {"job_position": "Chánh Văn phòng", "citizen_id": "052179001234"},
    ),
    ("POST", "/api/people/{id}/admission"): (
        "/api/people/{person}/admission",
        {
            "ceremony_date": DAY.isoformat(),
            "vote_date": "2024-05-10",
            "decision": decision_body(symbol="47-QĐ/ĐUK"),
        },
    ),
    ("POST", "/api/people/{id}/recognition"): (
        "/api/people/{member}/recognition",
        {"decision": decision_body(symbol="48-QĐ/ĐUK")},
    ),
    ("POST", "/api/people/{id}/events"): (
        "/api/people/{member}/events",
        {
            "kind": "discipline",
            "effective_date": DAY.isoformat(),
            "decision": decision_body(symbol="49-QĐ/ĐUK"),
            "details": {"form": "reprimand"},
        },
    ),
    ("POST", "/api/people/{id}/transfer-out"): (
        "/api/people/{member}/transfer-out",
        {"to": "BD.YT.VP", "effective_date": DAY.isoformat(), "decision": decision_body()},
    ),
    ("POST", "/api/people/{id}/transfer-in"): (
        "/api/people/{incoming}/transfer-in",
        {"effective_date": DAY.isoformat()},
    ),
    ("POST", "/api/people/{id}/temporary-transfer"): (
        "/api/people/{member}/temporary-transfer",
        {"to": "BD.YT.VP", "effective_date": DAY.isoformat(), "until": "2024-12-31"},
    ),
}
WRITES.update(CANDIDATE_WRITES)  # the candidates pipeline (candidate_routes.py)
WRITES.update(TARGET_WRITES)  # targets (target_routes.py)
WRITES[("POST", "/api/reports/issue")] = (
    "/api/reports/issue",
    {"org": "BD.DUK", "period": "2020-Q1", "number_symbol": "12-BC/ĐUK", "issued_on": "2020-04-09"},
)


def issued_report(organization):
    """An issued report row, written directly (issuing renders three files: slow for a fixture)."""
    from dangvu.reports.models import IssuedReport

    return IssuedReport.objects.create(
        organization=organization,
        period_code="2020-Q1",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 3, 31),
        version=1,
        number_symbol="12-BC/ĐUK",
        issued_on=dt.date(2020, 4, 9),
        content={"indicators": {"members.total": 0}},
        docx=b"PK",
        xlsx=b"PK",
        pdf=b"%PDF",
    )


# the smallest valid PNG: one transparent pixel
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
WRITES[("POST", "/api/people/{id}/photo")] = (
    "/api/people/{person}/photo",
    {"data": base64.b64encode(PNG).decode()},
)
WRITES[("POST", "/api/people/{id}/photo/remove")] = ("/api/people/{pictured}/photo/remove", {})


def import_upload(org: str) -> dict:
    """A multipart body for POST /api/imports: a workbook of one personal file for BD.TP, with
    `org` the import's organisation (`post_json` sends a body holding a file as multipart)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Chi bộ"])
    sheet.append(["Đoàn Thị Thanh Hương", "14/03/1988", "Nữ", "BD.TP"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {
        "file": SimpleUploadedFile("dang-vien.xlsx", buffer.getvalue()),
        "dry_run": "false",
        "org": org,
    }


WRITES[("POST", "/api/imports")] = ("/api/imports", import_upload(org="BD.TP"))
# "{twin}": a second file of the same woman, entered again in BD.TP
WRITES[("POST", "/api/people/{id}/merge")] = (
    "/api/people/{person}/merge",
    {"duplicate": "{twin}", "reason": "Trùng họ tên, năm sinh: Phan Thị Khánh nhập hai lần"},
)

MEMBER_CEREMONY = dt.date(2022, 5, 1)  # of the probationary member "{member}" in BD.TP


def write_request(route: tuple[str, str]) -> tuple[str, dict]:
    """WRITES[route], with "{person}" replaced by a file created for it in BD.TP, "{member}"
    by such a file admitted on MEMBER_CEREMONY (a probationary member)."""
    url, body = WRITES[route]
    for placeholder in ("{person}", "{member}", "{incoming}", "{pictured}"):
        if placeholder not in url:
            continue
        from dangvu.access.scopes import Scope
        from dangvu.core.decisions import DecisionInput
        from dangvu.members.lifecycle import member_admit
        from dangvu.members.services import PersonInput, person_create
        from dangvu.organizations.models import Organization

        person = person_create(
            scope=Scope.system(),
            organization=Organization.objects.get(code="BD.TP"),
            data=PersonInput(full_name="Phan Thị Khánh", birth_year=1979, sex="female"),
        )
        if placeholder in ("{member}", "{incoming}"):
            member_admit(
                scope=Scope.system(),
                person=person,
                ceremony_date=MEMBER_CEREMONY,
                decision=DecisionInput(
                    symbol="20-QĐ/ĐUK",
                    date=MEMBER_CEREMONY - dt.timedelta(days=10),
                    issuing_body="Ban Thường vụ Đảng ủy Khối",
                ),
            )
        if placeholder == "{pictured}":
            from dangvu.members.services import person_photo_set

            person_photo_set(scope=Scope.system(), person=person, content=PNG)
        if placeholder == "{incoming}":  # on its way from BD.TP to BD.YT.VP
            from dangvu.members.lifecycle import member_transfer_out

            member_transfer_out(
                scope=Scope.system(),
                person=person,
                to=Organization.objects.get(code="BD.YT.VP"),
                effective_date=DAY - dt.timedelta(days=10),
            )
            person.refresh_from_db()
        url = url.replace(placeholder, str(person.pk))
    if body.get("duplicate") == "{twin}":
        from dangvu.access.scopes import Scope
        from dangvu.members.services import PersonInput, person_create
        from dangvu.organizations.models import Organization

        twin = person_create(
            scope=Scope.system(),
            organization=Organization.objects.get(code="BD.TP"),
            data=PersonInput(full_name="PHAN THI KHANH", birth_year=1979, sex="female"),
        )
        body = {**body, "duplicate": twin.pk}
    url, body = fill_candidate_placeholders(url, body)
    url, body = fill_target_placeholders(url, body)
    return url, body


def assert_error(response, status: int, code: str) -> dict:
    """The response is the API's error shape with this status and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"].strip()
    return body


def strings(value) -> set[str]:
    """Every string anywhere inside a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return set()
