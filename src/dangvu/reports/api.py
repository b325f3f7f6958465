"""JSON API of the periodic reports: the report of an organisation for a period (figures,
last year's, the balance check, the narrative) and its files. Scoped like everything else."""

import base64
import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangvu.access.scopes import Scope, scope_for
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.organizations import selectors as organization_selectors
from dangvu.statistics.periods import parse_period

from . import assembly, services
from .models import IssuedReport

router = Router(tags=["Báo cáo"])
MAX_ID = 2**63 - 1
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


def _report(request: HttpRequest, org: str, period: str):
    chosen = parse_period(period, settings.DANGVU_PERIOD_CUTOFF_DAY)
    root = organization_selectors.organization_get(scope=_scope(request), code=org, at=chosen.end)
    return root, services.report_build(root=root, period=chosen)


class FileOut(Schema):
    filename: str
    content_type: str
    data: str = Field(description="Nội dung tệp, mã hóa base64")


@router.get("/reports", response=dict, summary="Báo cáo sơ kết, tổng kết của một tổ chức")
def report(
    request: HttpRequest,
    org: str = Query(..., max_length=32),  # noqa: B008
    period: str = Query(..., max_length=32),  # noqa: B008
):
    _root, built = _report(request, org, period)
    return assembly.to_json(built)


@router.get("/reports/file", response=FileOut, summary="Tệp báo cáo (DOCX, XLSX, PDF)")
def report_file(
    request: HttpRequest,
    org: str = Query(..., max_length=32),  # noqa: B008
    period: str = Query(..., max_length=32),  # noqa: B008
    format: Literal["docx", "xlsx", "pdf"] = "docx",  # noqa: A002
    number: str = Query("-BC/", max_length=32),  # noqa: B008
    place: str = Query("", max_length=64),  # noqa: B008
    date: dt.date | None = Query(None, ge=dt.date(1930, 2, 3), le=dt.date(2199, 12, 31)),  # noqa: B008
):
    root, built = _report(request, org, period)
    content = services.report_render(
        built, format, root=root, number_symbol=number, place=place, date=date
    )
    return FileOut(
        filename=f"bao-cao-{root.code}-{built.period.code}.{format}",
        content_type=MEDIA_TYPES[format],
        data=base64.b64encode(content).decode(),
    )


# issued reports -----------------------------------------------------------------------------
class IssueIn(Schema):
    org: str = Field(max_length=32, examples=["BD.DUK"])
    period: str = Field(max_length=32, examples=["2021-Q1"])
    number_symbol: str = Field(max_length=48, examples=["45-BC/ĐUK"])
    issued_on: dt.date
    place: str = Field("", max_length=64)
    signer: str = Field("", max_length=128)


class IssuedOut(Schema):
    id: int
    organization: str
    period: str
    version: int
    amends: int | None
    number_symbol: str
    issued_on: dt.date
    issued_by: str | None
    issued_at: dt.datetime

    @staticmethod
    def of(issued: IssuedReport) -> "IssuedOut":
        return IssuedOut(
            id=issued.pk,
            organization=issued.organization.code,
            period=issued.period_code,
            version=issued.version,
            amends=issued.amends_id,
            number_symbol=issued.number_symbol,
            issued_on=issued.issued_on,
            issued_by=issued.issued_by.username if issued.issued_by_id else None,
            issued_at=issued.issued_at,
        )


class IssuedDetailOut(IssuedOut):
    content: dict = Field(description="Số liệu, cân đối và nhận định như đã ban hành")
    differences: dict = Field(
        description="Các số liệu nay khác bản đã ban hành: {mã: {issued, now}}"
    )


@router.post("/reports/issue", response={201: IssuedOut}, summary="Ban hành báo cáo")
def report_issue(request: HttpRequest, data: IssueIn):
    scope = _scope(request)
    chosen = parse_period(data.period, settings.DANGVU_PERIOD_CUTOFF_DAY)
    root = organization_selectors.organization_get(scope=scope, code=data.org, at=chosen.end)
    issued = services.report_issue(
        scope=scope,
        root=root,
        period=chosen,
        number_symbol=data.number_symbol,
        issued_on=data.issued_on,
        place=data.place,
        signer=data.signer,
    )
    return Status(201, IssuedOut.of(issued))


@router.get("/reports/issued", response=list[IssuedOut], summary="Báo cáo đã ban hành")
@paginate(LimitOffsetPagination)
def issued_list(request: HttpRequest, org: str | None = Query(None, max_length=32)):  # noqa: B008
    scope = _scope(request)
    root = organization_selectors.organization_get(scope=scope, code=org) if org else None
    return [IssuedOut.of(issued) for issued in services.issued_list(scope=scope, root=root)]


@router.get(
    "/reports/issued/{id}",
    response=IssuedDetailOut,
    summary="Một báo cáo đã ban hành, với những gì nay đã khác",
)
def issued_detail(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002, B008
    issued = services.issued_get(scope=_scope(request), pk=id)
    return IssuedDetailOut(
        **IssuedOut.of(issued).model_dump(),
        content=issued.content,
        differences=services.issued_differences(issued),
    )


@router.get("/reports/issued/{id}/file", response=FileOut, summary="Tệp báo cáo đã ban hành")
def issued_file(
    request: HttpRequest,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
    format: Literal["docx", "xlsx", "pdf"] = "docx",  # noqa: A002
):
    issued = services.issued_get(scope=_scope(request), pk=id)
    return FileOut(
        filename=f"bao-cao-{issued.organization.code}-{issued.period_code}-lan-{issued.version}"
        f".{format}",
        content_type=MEDIA_TYPES[format],
        data=base64.b64encode(bytes(getattr(issued, format))).decode(),
    )
