"""JSON API of the periodic reports: the report of an organisation for a period (figures,
last year's, the balance check, the narrative) and its files. Scoped like everything else."""

import base64
import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dangvu.access.scopes import Scope, scope_for
from dangvu.organizations import selectors as organization_selectors
from dangvu.statistics.periods import parse_period

from . import assembly, services

router = Router(tags=["Báo cáo"])
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
