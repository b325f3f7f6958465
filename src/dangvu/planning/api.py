"""JSON API of targets (chỉ tiêu): parse, call a selector or service, shape."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangvu.access.scopes import Scope, scope_for
from dangvu.core.decisions import DecisionInput
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.organizations import selectors as organization_selectors
from dangvu.statistics.catalogue import indicator as catalogue_indicator

from . import selectors, services
from .models import FIRST_YEAR, Target

router = Router(tags=["Chỉ tiêu"])


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


# schemas ------------------------------------------------------------------------------------
class TargetOut(Schema):
    organization: str = Field(description="Mã tổ chức đảng")
    organization_name: str
    year: int
    indicator: str = Field(examples=["admissions"])
    indicator_label: str = Field(examples=["Kết nạp đảng viên"])
    value: int
    decision: str | None = Field(description="Nghị quyết, quyết định giao chỉ tiêu")
    note: str
    recorded_at: dt.datetime

    @staticmethod
    def resolve_organization(target: Target) -> str:
        return target.organization.code

    @staticmethod
    def resolve_organization_name(target: Target) -> str:
        return target.organization.name

    @staticmethod
    def resolve_indicator_label(target: Target) -> str:
        return catalogue_indicator(target.indicator).label

    @staticmethod
    def resolve_decision(target: Target) -> str | None:
        return str(target.decision) if target.decision_id else None


class TargetKey(Schema):
    org: str = Field(max_length=32, examples=["BD.DUK"])
    year: int = Field(examples=[2025])
    indicator: str = Field(max_length=64, examples=["admissions"])


class TargetIn(TargetKey):
    value: int = Field(examples=[805])
    decision: DecisionInput | None = Field(
        None, description="Nghị quyết đại hội hoặc nghị quyết năm giao chỉ tiêu"
    )
    note: str = Field("", max_length=500)


# reads --------------------------------------------------------------------------------------
@router.get("/targets", response=list[TargetOut], summary="Danh sách chỉ tiêu")
@paginate(LimitOffsetPagination)
def target_list(
    request: HttpRequest,
    org: str | None = Query(None, max_length=32),  # noqa: B008
    year: int | None = Query(None, ge=FIRST_YEAR, le=9999),  # noqa: B008
):
    scope = _scope(request)
    organization = organization_selectors.organization_get(scope=scope, code=org) if org else None
    return selectors.target_list(scope=scope, organization=organization, year=year)


# writes -------------------------------------------------------------------------------------
@router.post("/targets", response=TargetOut, summary="Giao hoặc điều chỉnh chỉ tiêu")
def target_set(request: HttpRequest, data: TargetIn):
    scope = _scope(request)
    return services.target_set(
        scope=scope,
        organization=organization_selectors.organization_by_code(code=data.org),
        year=data.year,
        indicator=data.indicator,
        value=data.value,
        decision=data.decision,
        note=data.note,
    )


@router.post("/targets/remove", response=TargetOut, summary="Xóa chỉ tiêu")
def target_remove(request: HttpRequest, data: TargetKey):
    scope = _scope(request)
    return services.target_remove(
        scope=scope,
        organization=organization_selectors.organization_by_code(code=data.org),
        year=data.year,
        indicator=data.indicator,
    )
