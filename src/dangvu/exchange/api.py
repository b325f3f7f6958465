"""JSON API of the import: upload a file (multipart) for a dry run or a real one, download the
template. Thin: the import itself is `imports.import_file`, in the caller's scope."""

import base64

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile

from dangvu.access.scopes import Scope, scope_for
from dangvu.core.errors import DomainError
from dangvu.organizations import selectors as organization_selectors

from .exchange_format import is_exchange_file
from .exchange_import import import_exchange
from .imports import FileRejected, import_file
from .templates import import_template

router = Router(tags=["Nhập dữ liệu"])

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


class RowErrorOut(Schema):
    sheet: str = Field(description="Tên trang")
    row: int = Field(description="Số dòng như Excel đánh số (0: cả trang, cả tệp)")
    column: str = Field(description="Tiêu đề cột như trong tệp")
    cell: str = Field(description="Ô, ví dụ D7", examples=["D7"])
    code: str = Field(examples=["members.INVALID_CITIZEN_ID"])
    message: str


class SheetOut(Schema):
    name: str
    kind: str = Field(description="organizations, people hoặc events")
    header_row: int
    rows: int
    created: int
    updated: int
    skipped: int = Field(description="Đã có, không thay đổi")
    rejected: int
    ignored_columns: list[str]


class ImportReportOut(Schema):
    filename: str
    dry_run: bool
    applied: bool = Field(description="Dữ liệu đã được ghi (tệp không có lỗi, không chạy thử)")
    ok: bool = Field(description="Tệp không có lỗi")
    sheets: list[SheetOut]
    error_count: int
    errors_listed: int = Field(description="Số lỗi trong danh sách (tối đa 1.000)")
    errors: list[RowErrorOut]
    notices: list[str]
    summary: str


class TemplateOut(Schema):
    filename: str
    content_type: str
    data: str = Field(description="Nội dung tệp, mã hóa base64")


@router.post("/imports", response=ImportReportOut, summary="Nhập dữ liệu từ tệp Excel, CSV")
def import_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    org: Form[str | None] = None,
):
    """The report of the whole file, row by row. A real import with errors writes nothing and
    answers 422 with the report under `details.report`."""
    scope = _scope(request)
    default = organization_selectors.organization_get(scope=scope, code=org) if org else None
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            "exchange.FILE_TOO_LARGE",
            f"Tệp lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: hãy chia thành nhiều tệp.",
        )
    head = file.file.read(4096)
    file.file.seek(0)
    if is_exchange_file(head):  # a file of `dangvu export`: merged, rows as "sheets"
        report = import_exchange(
            scope=scope, source=file.file, filename=file.name or "", dry_run=dry_run
        )
    else:
        report = import_file(
            scope=scope,
            source=file.file,
            filename=file.name or "",
            dry_run=dry_run,
            default_organization=default,
        )
    body = {**report.as_dict(), "summary": report.summary()}
    if not dry_run and not report.ok:
        raise FileRejected(
            "exchange.FILE_REJECTED", report.summary(), report=ImportReportOut(**body).model_dump()
        )
    return body


@router.get("/imports/template", response=TemplateOut, summary="Tệp Excel mẫu để nhập dữ liệu")
def import_template_file(request: HttpRequest):
    return TemplateOut(
        filename="mau-nhap-du-lieu.xlsx",
        content_type=XLSX,
        data=base64.b64encode(import_template()).decode(),
    )
