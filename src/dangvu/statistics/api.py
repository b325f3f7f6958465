"""JSON API of the statistics: the catalogue, the figures of a subtree at a date or over a
period, and the rows behind each figure. Scoped: the organisation must be in the caller's
scope on the date concerned."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from dangvu.access.scopes import Scope, scope_for
from dangvu.core.errors import DomainError
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.organizations import selectors as organization_selectors

from . import catalogue, drilldown, engine
from .periods import Period, parse_period

router = Router(tags=["Thống kê"])
FIRST_DAY, LAST_DAY = dt.date(1930, 2, 3), dt.date(2199, 12, 31)


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


def _when(at: dt.date | None, period: str | None) -> tuple[dt.date | None, Period | None]:
    period = (period or "").strip() or None
    if (at is None) == (period is None):
        raise DomainError(
            "statistics.AT_OR_PERIOD",
            "Cần đúng một trong hai: ngày tính (at) cho số liệu tại một thời điểm, hoặc kỳ báo "
            "cáo (period) cho số liệu trong kỳ.",
        )
    return at, parse_period(period, settings.DANGVU_PERIOD_CUTOFF_DAY) if period else None


class IndicatorOut(Schema):
    code: str
    label: str
    kind: str = Field(description="stock: tại một ngày; flow: trong một kỳ")
    definition: str


class FiguresOut(Schema):
    organization: str
    at: dt.date | None = None
    period: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    indicators: dict[str, int]
    balance: dict | None = Field(None, description="Cân đối số lượng đảng viên của kỳ")


class ItemOut(Schema):
    kind: str = Field(description="member_period, organization_version, candidate, ...")
    id: int
    person: int | None = None
    full_name: str | None = None
    organization: str
    date: dt.date | None = None
    label: str = ""


@router.get("/indicators/catalogue", response=list[IndicatorOut], summary="Danh mục chỉ tiêu")
def indicator_catalogue(request: HttpRequest):
    return [IndicatorOut(**indicator.__dict__) for indicator in catalogue.INDICATORS]


@router.get("/indicators", response=FiguresOut, summary="Số liệu thống kê của một tổ chức")
def indicators(
    request: HttpRequest,
    org: str = Query(..., max_length=32),  # noqa: B008
    at: dt.date | None = Query(None, ge=FIRST_DAY, le=LAST_DAY),  # noqa: B008
    period: str | None = Query(None, max_length=32),  # noqa: B008
):
    day, chosen = _when(at, period)
    root = organization_selectors.organization_get(
        scope=_scope(request), code=org, at=day or chosen.end
    )
    if day is not None:
        return FiguresOut(organization=root.code, at=day, indicators=engine.stocks(root, day))
    opening = engine.stocks(root, chosen.day_before)
    figures = engine.figures(root, chosen)
    balance = engine.balance(opening["members.total"], figures["members.total"], figures)
    return FiguresOut(
        organization=root.code,
        period=chosen.code,
        start=chosen.start,
        end=chosen.end,
        indicators={k: v for k, v in figures.items() if k not in ("starts.all", "ends.all")},
        balance={
            "start": balance.start,
            "end": balance.end,
            "inflows": balance.inflows,
            "outflows": balance.outflows,
            "expected_end": balance.expected_end,
            "holds": balance.holds,
        },
    )


def _item(kind: str, row) -> ItemOut:
    if kind == "member_periods":
        return ItemOut(
            kind="member_period",
            id=row.pk,
            person=row.person_id,
            full_name=row.person.full_name,
            organization=row.organization.code,
            date=row.valid_from,
            label=row.get_status_display(),
        )
    if kind == "candidates":
        return ItemOut(
            kind="candidate",
            id=row.pk,
            person=row.person_id,
            full_name=row.person.full_name,
            organization=row.organization.code,
            date=row.registered_on,
        )
    if kind == "member_events":
        return ItemOut(
            kind="member_event",
            id=row.pk,
            person=row.person_id,
            full_name=row.person.full_name,
            organization=row.organization.code,
            date=row.effective_date,
            label=row.get_kind_display(),
        )
    if kind == "organization_versions":
        return ItemOut(
            kind="organization_version",
            id=row.organization_id,
            organization=row.organization.code,
            date=row.valid_from,
            label=row.name,
        )
    if kind == "organization_events":
        return ItemOut(
            kind="organization_event",
            id=row.pk,
            organization=row.organization.code,
            date=row.effective_date,
            label=row.get_kind_display(),
        )
    return ItemOut(
        kind="consolidation",
        id=row.pk,
        organization=row.organization.code,
        date=row.effective_date,
        label="Kiện toàn cấp ủy",
    )


@router.get(
    "/indicators/{code}/items",
    response=list[ItemOut],
    summary="Danh sách chi tiết sau một số liệu",
)
@paginate(LimitOffsetPagination)
def indicator_items(
    request: HttpRequest,
    code: str = Path(..., max_length=64),  # noqa: B008
    org: str = Query(..., max_length=32),  # noqa: B008
    at: dt.date | None = Query(None, ge=FIRST_DAY, le=LAST_DAY),  # noqa: B008
    period: str | None = Query(None, max_length=32),  # noqa: B008
):
    day, chosen = _when(at, period)
    root = organization_selectors.organization_get(
        scope=_scope(request), code=org, at=day or chosen.end
    )
    listed = drilldown.items(root, code, at=day, period=chosen)
    rows = listed.rows.order_by("pk")
    return _ItemList(listed.kind, rows)


class _ItemList:
    """A lazily shaped page: the paginator slices the query, then each row is shaped."""

    def __init__(self, kind: str, rows) -> None:
        self.kind, self.rows = kind, rows

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_item(self.kind, row) for row in self.rows[index]]
        return _item(self.kind, self.rows[index])
