"""The import's API routes: a multipart upload answering with the report, and the template."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from dangvu.access.models import AuditEntry, Role
from dangvu.members.models import Person
from tests.api.common import assert_error

from .workbooks import messy_workbook


@pytest.fixture
def editor(tree, make_user, client_for):
    return client_for(make_user("bientap", tree["bloc"], Role.EDITOR))


def upload(client, content: bytes, filename: str = "du-lieu.xlsx", **fields):
    body = {"file": SimpleUploadedFile(filename, content), **fields}
    return client.post("/api/imports", data=body)


def test_a_dry_run_answers_with_the_report_and_writes_nothing(editor, snapshot):
    before = snapshot()
    response = upload(editor, messy_workbook(), dry_run="true")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["ok"], report["applied"], report["dry_run"]) == (True, False, True)
    assert [s["created"] for s in report["sheets"]] == [3, 4, 5]
    assert report["summary"].startswith("Chạy thử")
    assert snapshot() == before


def test_a_real_import_applies_the_file_in_the_users_name(editor):
    response = upload(editor, messy_workbook())
    assert response.status_code == 200, response.content
    assert response.json()["applied"] is True
    assert Person.objects.count() == 4
    assert AuditEntry.objects.filter(actor__username="bientap", action="person.create").count() == 4


def test_a_file_with_errors_is_refused_with_its_report(editor, snapshot):
    workbook = load_workbook(io.BytesIO(messy_workbook()))
    workbook["Danh sach dang vien"]["C12"] = "30/02/1995"
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = snapshot()
    response = upload(editor, buffer.getvalue())
    body = assert_error(response, 422, "exchange.FILE_REJECTED")
    report = body["details"]["report"]
    assert report["applied"] is False
    assert report["errors"] == [
        {
            "sheet": "Danh sach dang vien",
            "row": 12,
            "column": "Ngày sinh",
            "cell": "C12",
            "code": "exchange.INVALID_DATE",
            "message": "Ngày «30/02/1995» không có thật (ghi theo dạng dd/mm/yyyy).",
        }
    ]
    # the events of Phạm Thị Thu Hà's colleagues were checked too, and nothing was written
    assert snapshot() == before


def test_a_dry_run_with_errors_is_a_report_not_an_error(editor):
    workbook = load_workbook(io.BytesIO(messy_workbook()))
    workbook["Danh sach dang vien"]["M12"] = "Chi bộ Không Có"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(editor, buffer.getvalue(), dry_run="true")
    assert response.status_code == 200
    report = response.json()
    assert (report["ok"], report["error_count"]) == (False, 1)
    assert report["errors"][0]["code"] == "exchange.UNKNOWN_ORGANIZATION"


def test_the_scope_limits_what_a_file_reaches(tree, make_user, client_for, snapshot):
    client = client_for(make_user("yte", tree["health"], Role.EDITOR))
    before = snapshot()
    response = upload(client, messy_workbook())
    report = assert_error(response, 422, "exchange.FILE_REJECTED")["details"]["report"]
    codes = {(e["sheet"], e["code"]) for e in report["errors"]}
    assert ("Danh sach dang vien", "exchange.UNKNOWN_ORGANIZATION") in codes  # BD.TP
    assert ("To chuc", "exchange.UNKNOWN_ORGANIZATION") in codes  # under BD.DUK
    assert snapshot() == before


def test_the_default_organisation_must_be_in_scope(editor):
    assert_error(upload(editor, messy_workbook(), org="KHONG.CO"), 404, "core.NOT_FOUND")


def test_a_file_that_is_not_a_workbook_is_refused(editor):
    response = upload(editor, b"%PDF-1.7", filename="bao-cao.pdf")
    assert_error(response, 400, "exchange.UNSUPPORTED_FORMAT")


def test_the_upload_needs_a_file(editor):
    assert_error(editor.post("/api/imports", data={"dry_run": "true"}), 422, "core.INVALID_INPUT")


def test_the_template_downloads_as_xlsx(editor):
    response = editor.get("/api/imports/template")
    assert response.status_code == 200
    body = response.json()
    assert body["filename"].endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(base64.b64decode(body["data"])))
    assert workbook.sheetnames == [
        "Tổ chức đảng",
        "Biến động tổ chức",
        "Đảng viên",
        "Sự kiện",
        "Hướng dẫn",
    ]
