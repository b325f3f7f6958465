"""JSON API of data quality: the report of `dangvu check`, the duplicate suspects, and the merge
of two personal files of the same person."""

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from dangvu.access.scopes import Scope, scope_for
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.members.api import MAX_ID, PersonOut
from dangvu.members.selectors import person_get
from dangvu.organizations.selectors import organization_get

from . import rules, selectors, services

router = Router(tags=["Chất lượng dữ liệu"])


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


class QualityFilter(Schema):
    org: str | None = None  # the subtree's root; the whole scope without it
    stale_years: int = Field(rules.STALE_YEARS, ge=1, le=100)  # untouched this long: stale


class ProblemCountOut(Schema):
    code: str
    label: str
    count: int


class ProblemOut(ProblemCountOut):
    message: str
    weight: float


class OrganizationQualityOut(Schema):
    code: str
    name: str
    ended: bool
    members: int
    score: float
    problems: list[ProblemCountOut]


class PersonBriefOut(Schema):
    id: int
    full_name: str
    birth: str
    hometown: str
    citizen_id: str | None
    organization_id: int
    organization_code: str
    organization_name: str


class SuspectOut(Schema):
    kind: str
    label: str
    score: float
    first: PersonBriefOut
    second: PersonBriefOut


class QualityReportOut(Schema):
    date: str
    stale_years: int
    organization: str | None
    members: int
    score: float
    problems: list[ProblemOut]
    organizations: list[OrganizationQualityOut]
    duplicates: list[SuspectOut]


class MergeIn(Schema):
    duplicate: int = Field(..., ge=1, le=MAX_ID)  # merged into the file of the URL, deleted
    reason: str


@router.get("/quality/report", response=QualityReportOut, summary="Kiểm tra chất lượng dữ liệu")
def quality_report(request: HttpRequest, filters: Query[QualityFilter]):
    scope = _scope(request)
    organization = organization_get(scope=scope, code=filters.org) if filters.org else None
    report = selectors.quality_report(
        scope=scope, organization=organization, stale_years=filters.stale_years
    )
    return report.as_dict()


@router.get("/quality/duplicates", response=list[SuspectOut], summary="Nghi trùng lý lịch")
@paginate(LimitOffsetPagination)
def duplicate_suspects(request: HttpRequest, filters: Query[QualityFilter]):
    scope = _scope(request)
    organization = organization_get(scope=scope, code=filters.org) if filters.org else None
    suspects = selectors.duplicate_suspects(scope=scope, organization=organization)
    return [suspect.as_dict() for suspect in suspects]


@router.post("/people/{id}/merge", response=PersonOut, summary="Hợp nhất hai lý lịch")
def person_merge(
    request: HttpRequest,
    data: MergeIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    keep = person_get(scope=scope, pk=id)
    remove = person_get(scope=scope, pk=data.duplicate)
    kept = services.person_merge(scope=scope, keep=keep, remove=remove, reason=data.reason)
    return PersonOut.of(person_get(scope=scope, pk=kept.pk))
