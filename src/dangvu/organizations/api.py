"""JSON API of the organisation tree and committees: parse, call a selector or service, shape."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from dangvu.access.scopes import Scope, reference_date, scope_for
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput
from dangvu.core.pagination import LimitOffsetPagination

from . import selectors, services
from .models import Organization, OrganizationEvent, OrganizationType, OrganizationVersion, Sector

router = Router(tags=["Tổ chức đảng"])


def _scope(request: HttpRequest) -> Scope:
    """One Scope per request, so its cache of tree positions serves every look-up of it."""
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


def _get(request: HttpRequest, code: str, at: dt.date | None = None) -> Organization:
    return selectors.organization_get(scope=_scope(request), code=code, at=at)


# schemas ------------------------------------------------------------------------------------
class OrganizationOut(Schema):
    """An organisation as it stood in one version (resolved from OrganizationVersion rows, so
    paginated lists slice the query instead of building every row)."""

    code: str
    name: str
    type: str
    type_label: str
    parent_code: str | None
    sector: str
    province_code: int | None
    address: str
    depth: int
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Ngày kết thúc (không tính); null: còn hiệu lực")

    @model_validator(mode="wrap")
    @classmethod
    def _keep_built(cls, value, handler):
        # An OrganizationOut built by `of` is already resolved; only versions go through the
        # resolvers below (which would fail on it).
        return value if isinstance(value, cls) else handler(value)

    @staticmethod
    def resolve_code(version: OrganizationVersion) -> str:
        return version.code  # annotated by selectors.with_codes

    @staticmethod
    def resolve_type_label(version: OrganizationVersion) -> str:
        return version.get_type_display()

    @staticmethod
    def resolve_parent_code(version: OrganizationVersion) -> str | None:
        return version.parent_code

    @staticmethod
    def resolve_valid_to(version: OrganizationVersion) -> dt.date | None:
        return None if version.valid_to == services.OPEN_END else version.valid_to

    @staticmethod
    def of(version: OrganizationVersion) -> "OrganizationOut":
        return OrganizationOut.from_orm(version)


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    organization_code: str
    organization_name: str
    effective_date: dt.date
    decision: str | None
    changes: dict
    previous: dict
    cause_id: int | None
    note: str

    @staticmethod
    def of(event: OrganizationEvent) -> "EventOut":
        return EventOut(
            id=event.pk,
            kind=event.kind,
            kind_label=event.get_kind_display(),
            organization_code=event.organization.code,
            organization_name=event.organization.name,
            effective_date=event.effective_date,
            decision=str(event.decision) if event.decision_id else None,
            changes=event.changes,
            previous=event.previous,
            cause_id=event.cause_id,
            note=event.note,
        )


class HistoryOut(Schema):
    organization: str
    versions: list[OrganizationOut]
    events: list[EventOut]


class ChangeOut(Schema):
    code: str
    before: OrganizationOut | None
    after: OrganizationOut | None


class ChangesOut(Schema):
    start: dt.date
    end: dt.date
    events: list[EventOut]
    established: list[OrganizationOut]
    ended: list[OrganizationOut]
    renamed: list[ChangeOut]
    moved: list[ChangeOut]
    converted: list[ChangeOut]


class CountOut(Schema):
    at: dt.date
    root: str | None
    types: list[str] | None
    count: int


class Restructuring(Schema):
    effective_date: dt.date
    decision: DecisionInput
    note: str = ""


class EstablishIn(Restructuring):
    code: str = Field(max_length=32, examples=["DUK.BVTT"])
    name: str = Field(max_length=255)
    type: OrganizationType
    parent_code: str | None = None
    sector: Sector | None = None
    province_code: int | None = None
    address: str = ""


class RenameIn(Restructuring):
    name: str = Field(max_length=255)


class MoveIn(Restructuring):
    parent_code: str


class ConvertIn(Restructuring):
    type: OrganizationType


class UpdateIn(Schema):
    effective_date: dt.date
    sector: Sector | None = None
    province_code: int | None = None
    address: str | None = None
    decision: DecisionInput | None = None
    note: str = ""


class NewOrganizationIn(Schema):
    code: str = Field(max_length=32)
    name: str = Field(max_length=255)
    type: OrganizationType
    parent_code: str | None = None
    sector: Sector | None = None
    province_code: int | None = None
    address: str = ""
    children: list[str] = Field(default_factory=list, description="Mã các tổ chức chuyển về")


class MergeIn(Restructuring):
    sources: list[str] = Field(min_length=1)
    into: str | None = None
    new: NewOrganizationIn | None = None


class SplitIn(Restructuring):
    parts: list[NewOrganizationIn] = Field(min_length=1)
    dissolve_source: bool = True


class SeatIn(Schema):
    full_name: str = Field(max_length=128)
    position: str


class SeatOut(Schema):
    id: int
    full_name: str
    position: str
    position_label: str
    start_date: dt.date
    end_date: dt.date | None


class TermIn(Schema):
    name: str = Field(max_length=32, examples=["2020–2025"])
    start_date: dt.date
    decision: DecisionInput
    seats: list[SeatIn] = Field(default_factory=list)


class TermOut(Schema):
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date | None
    decision: str


class CommitteeOut(Schema):
    organization: str
    at: dt.date
    term: TermOut | None
    seats: list[SeatOut]


class ConsolidationIn(Schema):
    effective_date: dt.date
    decision: DecisionInput
    appoint: list[SeatIn] = Field(default_factory=list)
    relieve: list[int] = Field(default_factory=list, description="Mã (id) các ghế thôi giữ")
    note: str = ""


class ConsolidationOut(Schema):
    id: int
    organization: str
    effective_date: dt.date
    decision: str
    committee: CommitteeOut


def _seat_out(seat) -> SeatOut:
    return SeatOut(
        id=seat.pk,
        full_name=seat.full_name,
        position=seat.position,
        position_label=seat.get_position_display(),
        start_date=seat.start_date,
        end_date=seat.end_date,
    )


def _committee_out(scope: Scope, organization: Organization, at: dt.date) -> CommitteeOut:
    term, seats = selectors.committee_on(scope=scope, organization=organization, at=at)
    return CommitteeOut(
        organization=organization.code,
        at=at,
        term=TermOut(
            id=term.pk,
            name=term.name,
            start_date=term.start_date,
            end_date=term.end_date,
            decision=str(term.decision),
        )
        if term
        else None,
        seats=[_seat_out(s) for s in seats],
    )


def _version_out(scope: Scope, organization: Organization, at: dt.date) -> OrganizationOut:
    return OrganizationOut.of(selectors.version_on(scope=scope, organization=organization, at=at))


def _spec(request: HttpRequest, data: NewOrganizationIn | EstablishIn, at: dt.date):
    scope = _scope(request)
    return services.NewOrganization(
        code=data.code,
        name=data.name,
        type=data.type,
        parent=selectors.organization_get(scope=scope, code=data.parent_code, at=at)
        if data.parent_code
        else None,
        sector=data.sector or "",
        province_code=data.province_code,
        address=data.address,
        children=[
            selectors.organization_get(scope=scope, code=c, at=at)
            for c in getattr(data, "children", [])
        ],
    )


# reads --------------------------------------------------------------------------------------
@router.get("/organizations", response=list[OrganizationOut], summary="Các tổ chức vào một ngày")
@paginate(LimitOffsetPagination)
def organization_list(
    request: HttpRequest,
    at: dt.date | None = None,
    root: str | None = None,
    type: list[OrganizationType] | None = Query(None),  # noqa: A002, B008
):
    scope = _scope(request)
    at = at or clock.today()
    root_org = selectors.organization_get(scope=scope, code=root, at=at) if root else None
    return selectors.versions_on(scope=scope, at=at, root=root_org, types=type)


@router.get("/organizations/count", response=CountOut, summary="Đếm tổ chức vào một ngày")
def organization_count(
    request: HttpRequest,
    at: dt.date | None = None,
    root: str | None = None,
    type: list[OrganizationType] | None = Query(None),  # noqa: A002, B008
):
    scope = _scope(request)
    at = at or clock.today()
    root_org = selectors.organization_get(scope=scope, code=root, at=at) if root else None
    count = selectors.organization_count(scope=scope, at=at, root=root_org, types=type)
    return CountOut(at=at, root=root, types=type, count=count)


@router.get("/organizations/changes", response=ChangesOut, summary="Thay đổi giữa hai ngày")
def organization_changes(
    request: HttpRequest, start: dt.date, end: dt.date, root: str | None = None
):
    scope = _scope(request)
    root_org = selectors.organization_get(scope=scope, code=root, at=end) if root else None
    events = selectors.organization_events_between(scope=scope, start=start, end=end, root=root_org)
    diff = selectors.tree_diff(scope=scope, start=start, end=end, root=root_org)

    def pairs(items):
        return [
            ChangeOut(code=a.code, before=OrganizationOut.of(b), after=OrganizationOut.of(a))
            for b, a in items
        ]

    return ChangesOut(
        start=start,
        end=end,
        events=[EventOut.of(e) for e in events],
        established=[OrganizationOut.of(v) for v in diff.established],
        ended=[OrganizationOut.of(v) for v in diff.ended],
        renamed=pairs(diff.renamed),
        moved=pairs(diff.moved),
        converted=pairs(diff.converted),
    )


# Declared before the /organizations/{code} routes: the first path that matches wins, and
# "merge" would otherwise be read as an organisation code (405 on POST).
@router.post("/organizations/merge", response=OrganizationOut, summary="Hợp nhất, sáp nhập")
def organization_merge(request: HttpRequest, data: MergeIn):
    scope = _scope(request)
    at = data.effective_date
    organization = services.organization_merge(
        scope=scope,
        sources=[_get(request, c, at) for c in data.sources],
        into=_get(request, data.into, at) if data.into else None,
        new=_spec(request, data.new, at) if data.new else None,
        effective_date=at,
        decision=data.decision,
        note=data.note,
    )
    return _version_out(scope, organization, at)


@router.get("/organizations/{code}", response=OrganizationOut, summary="Một tổ chức vào một ngày")
def organization_detail(request: HttpRequest, code: str, at: dt.date | None = None):
    scope = _scope(request)
    organization = _get(request, code, at)
    return _version_out(scope, organization, at or reference_date(organization))


@router.get(
    "/organizations/{code}/subtree", response=list[OrganizationOut], summary="Cây con vào một ngày"
)
@paginate(LimitOffsetPagination)
def organization_subtree(request: HttpRequest, code: str, at: dt.date | None = None):
    scope = _scope(request)
    at = at or clock.today()
    organization = _get(request, code, at)
    return selectors.organization_subtree(scope=scope, organization=organization, at=at)


@router.get(
    "/organizations/{code}/path", response=list[OrganizationOut], summary="Đường dẫn từ gốc"
)
def organization_path(request: HttpRequest, code: str, at: dt.date | None = None):
    scope = _scope(request)
    at = at or clock.today()
    organization = _get(request, code, at)
    path = selectors.organization_path(scope=scope, organization=organization, at=at)
    return [OrganizationOut.of(v) for v in path]


@router.get("/organizations/{code}/history", response=HistoryOut, summary="Lịch sử tổ chức")
def organization_history(request: HttpRequest, code: str):
    scope = _scope(request)
    organization = _get(request, code)
    versions, events = selectors.organization_history(scope=scope, organization=organization)
    return HistoryOut(
        organization=organization.code,
        versions=[OrganizationOut.of(v) for v in versions],
        events=[EventOut.of(e) for e in events],
    )


@router.get("/organizations/{code}/committee", response=CommitteeOut, summary="Cấp ủy vào một ngày")
def committee_detail(request: HttpRequest, code: str, at: dt.date | None = None):
    scope = _scope(request)
    organization = _get(request, code, at)
    return _committee_out(scope, organization, at or reference_date(organization))


# writes -------------------------------------------------------------------------------------
@router.post("/organizations", response={201: OrganizationOut}, summary="Thành lập tổ chức")
def organization_establish(request: HttpRequest, data: EstablishIn):
    scope = _scope(request)
    organization = services.organization_establish(
        scope=scope,
        spec=_spec(request, data, data.effective_date),
        effective_date=data.effective_date,
        decision=data.decision,
        note=data.note,
    )
    return Status(201, _version_out(scope, organization, data.effective_date))


@router.post("/organizations/{code}/rename", response=OrganizationOut, summary="Đổi tên")
def organization_rename(request: HttpRequest, code: str, data: RenameIn):
    scope = _scope(request)
    organization = services.organization_rename(
        scope=scope,
        organization=_get(request, code, data.effective_date),
        name=data.name,
        effective_date=data.effective_date,
        decision=data.decision,
        note=data.note,
    )
    return _version_out(scope, organization, data.effective_date)


@router.post("/organizations/{code}/move", response=OrganizationOut, summary="Chuyển trực thuộc")
def organization_move(request: HttpRequest, code: str, data: MoveIn):
    scope = _scope(request)
    organization = services.organization_move(
        scope=scope,
        organization=_get(request, code, data.effective_date),
        parent=_get(request, data.parent_code, data.effective_date),
        effective_date=data.effective_date,
        decision=data.decision,
        note=data.note,
    )
    return _version_out(scope, organization, data.effective_date)


@router.post("/organizations/{code}/convert", response=OrganizationOut, summary="Chuyển đổi loại")
def organization_convert(request: HttpRequest, code: str, data: ConvertIn):
    scope = _scope(request)
    organization = services.organization_convert(
        scope=scope,
        organization=_get(request, code, data.effective_date),
        type=data.type,
        effective_date=data.effective_date,
        decision=data.decision,
        note=data.note,
    )
    return _version_out(scope, organization, data.effective_date)


@router.post("/organizations/{code}/update", response=OrganizationOut, summary="Cập nhật thông tin")
def organization_update(request: HttpRequest, code: str, data: UpdateIn):
    scope = _scope(request)
    organization = services.organization_update_details(
        scope=scope,
        organization=_get(request, code, data.effective_date),
        effective_date=data.effective_date,
        sector=data.sector,
        province_code=data.province_code,
        address=data.address,
        decision=data.decision,
        note=data.note,
    )
    return _version_out(scope, organization, data.effective_date)


@router.post("/organizations/{code}/dissolve", response=HistoryOut, summary="Giải thể")
def organization_dissolve(request: HttpRequest, code: str, data: Restructuring):
    scope = _scope(request)
    organization = services.organization_dissolve(
        scope=scope,
        organization=_get(request, code, data.effective_date - dt.timedelta(days=1)),
        effective_date=data.effective_date,
        decision=data.decision,
        note=data.note,
    )
    versions, events = selectors.organization_history(scope=scope, organization=organization)
    return HistoryOut(
        organization=organization.code,
        versions=[OrganizationOut.of(v) for v in versions],
        events=[EventOut.of(e) for e in events],
    )


@router.post("/organizations/{code}/split", response=list[OrganizationOut], summary="Chia tách")
def organization_split(request: HttpRequest, code: str, data: SplitIn):
    scope = _scope(request)
    at = data.effective_date
    created = services.organization_split(
        scope=scope,
        organization=_get(request, code, at),
        parts=[_spec(request, part, at) for part in data.parts],
        effective_date=at,
        decision=data.decision,
        dissolve_source=data.dissolve_source,
        note=data.note,
    )
    return [_version_out(scope, o, at) for o in created]


@router.post(
    "/organizations/{code}/committee/terms",
    response={201: CommitteeOut},
    summary="Nhiệm kỳ cấp ủy mới",
)
def committee_term_open(request: HttpRequest, code: str, data: TermIn):
    scope = _scope(request)
    organization = _get(request, code, data.start_date)
    services.committee_term_open(
        scope=scope,
        organization=organization,
        name=data.name,
        start_date=data.start_date,
        decision=data.decision,
        seats=[services.SeatInput(s.full_name, s.position) for s in data.seats],
    )
    return Status(201, _committee_out(scope, organization, data.start_date))


@router.post(
    "/organizations/{code}/committee/consolidations",
    response={201: ConsolidationOut},
    summary="Kiện toàn cấp ủy",
)
def committee_consolidate(request: HttpRequest, code: str, data: ConsolidationIn):
    scope = _scope(request)
    organization = _get(request, code, data.effective_date)
    consolidation = services.committee_consolidate(
        scope=scope,
        organization=organization,
        effective_date=data.effective_date,
        decision=data.decision,
        appoint=[services.SeatInput(s.full_name, s.position) for s in data.appoint],
        relieve=data.relieve,
        note=data.note,
    )
    return Status(
        201,
        ConsolidationOut(
            id=consolidation.pk,
            organization=organization.code,
            effective_date=consolidation.effective_date,
            decision=str(consolidation.decision),
            committee=_committee_out(scope, organization, data.effective_date),
        ),
    )
