"""The figures of the dashboard, read with the statistics engine's own querysets and filters.

A dashboard asks for less than a report (no breakdowns, no badges, no organisations moving with
their members), so it runs a handful of aggregates: the stocks of today (engine.stocks), the starts and ends of this year with this quarter's as extra
filtered counts of the same aggregate, and the members at each quarter's end as one aggregate
over the engine's `organizations_on`. The number of queries does not depend on the data.

The result is cached under the latest audit entry: every write of a service appends one, so a
new write makes a new key and the figures are never stale.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q

from dangvu.access.models import AuditEntry
from dangvu.members.models import MembershipPeriod
from dangvu.organizations.models import OrganizationVersion
from dangvu.organizations.paths import subtree_end
from dangvu.planning.rules import format_target_ratio, target_line
from dangvu.planning.selectors import targets_for
from dangvu.reports import charts
from dangvu.statistics import engine
from dangvu.statistics.catalogue import INDICATORS
from dangvu.statistics.periods import Period, parse_period

ONE_DAY = dt.timedelta(days=1)
LABELS = {indicator.code: indicator.label for indicator in INDICATORS}
STOCKS = ("members.total", "members.full", "members.probationary", "members.female",
          "orgs.grassroots", "candidates.active")  # fmt: skip
INFLOWS = ("admissions", "readmissions", "recognitions", "transfers.in")
OUTFLOWS = ("transfers.out", "deaths", "struck_off", "expelled", "withdrawn")
CHART_QUARTERS = 8
CACHE_SECONDS = 600
CHART_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Progress:
    code: str
    label: str
    achieved: int
    target: int
    against: str  # "39/805"
    ratio: str  # "4,84%"
    percent: float  # width of the bar, 0-100


@dataclass
class Dashboard:
    organization_id: int
    name: str
    today: dt.date
    quarter: Period
    year: Period
    stocks: dict[str, int]
    quarter_flows: dict[str, int]
    year_flows: dict[str, int]
    progress: list[Progress]
    members_chart: str  # inline SVG
    admissions_chart: str
    labels: dict[str, str] = field(default_factory=lambda: LABELS)

    def stock_rows(self) -> list[tuple[str, int]]:
        return [(LABELS[code], self.stocks.get(code, 0)) for code in STOCKS]

    def flow_rows(self) -> list[tuple[str, int, int, str]]:
        """(label, this quarter, this year, in or out)."""
        return [
            (LABELS[code], self.quarter_flows[code], self.year_flows[code], kind)
            for codes, kind in ((INFLOWS, "in"), (OUTFLOWS, "out"))
            for code in codes
        ]


def current_periods(today: dt.date) -> tuple[Period, Period]:
    """The quarter and the year that hold `today`, with the installation's cut-off day."""
    cutoff = settings.DANGVU_PERIOD_CUTOFF_DAY
    for year in (today.year, today.year + 1):
        for quarter in range(1, 5):
            period = parse_period(f"{year}-Q{quarter}", cutoff)
            if period.start <= today <= period.end:
                return period, parse_period(str(year), cutoff)
    raise AssertionError("every day lies in a quarter")  # pragma: no cover


def quarter_ends(today: dt.date, n: int) -> list[dt.date]:
    """The last `n` calendar quarter ends before today (today's figures are in the tiles)."""
    ends, year, quarter = [], today.year, (today.month - 1) // 3  # quarters already ended
    while len(ends) < n:
        if quarter == 0:
            year, quarter = year - 1, 4
        ends.append(parse_period(f"{year}-Q{quarter}").end)
        quarter -= 1
    return sorted(ends)


def _segments(versions: list[OrganizationVersion], first: dt.date, last: dt.date):
    """engine.root_segments over versions already read (one query serves every range)."""
    return [
        engine.Segment(max(first, v.valid_from), min(last, v.valid_to - ONE_DAY), v.path)
        for v in versions
        if v.valid_from <= last and v.valid_to > first
    ]


def _add(total: dict[str, int], part: dict[str, int | None]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + (value or 0)


def _flows(versions, quarter: Period, year: Period, today: dt.date):
    """This year's and this quarter's starts and ends, and the admissions of each quarter:
    the engine's START_FLOWS / END_FLOWS filters over its started / ended periods, one
    aggregate per segment of the root."""
    last = min(year.end, today)
    in_quarter = Q(valid_from__gte=quarter.start, valid_from__lte=quarter.end)
    starts = {}
    for code in INFLOWS:
        starts[f"y:{code}"] = Count("id", filter=engine.START_FLOWS[code])
        starts[f"q:{code}"] = Count("id", filter=engine.START_FLOWS[code] & in_quarter)
    quarters = [
        parse_period(f"{year.year}-Q{n}", settings.DANGVU_PERIOD_CUTOFF_DAY) for n in (1, 2, 3, 4)
    ]
    for n, period in enumerate(quarters, start=1):
        within = Q(valid_from__gte=period.start, valid_from__lte=period.end)
        starts[f"a:{n}"] = Count("id", filter=engine.START_FLOWS["admissions"] & within)
    total: dict[str, int] = {}
    for segment in _segments(versions, year.start, last):
        _add(total, engine.started_periods(segment).aggregate(**starts))
    # an end on day T is judged on T-1, where the member was last counted (engine.end_segments)
    ended_in_quarter = Q(valid_to__gte=quarter.start, valid_to__lte=quarter.end)
    ends = {}
    for code in OUTFLOWS:
        ends[f"y:{code}"] = Count("id", filter=engine.END_FLOWS[code])
        ends[f"q:{code}"] = Count("id", filter=engine.END_FLOWS[code] & ended_in_quarter)
    for segment in _segments(versions, year.day_before, last - ONE_DAY):
        _add(total, engine.ended_periods(segment).aggregate(**ends))
    pick = lambda prefix: {c: total.get(f"{prefix}:{c}", 0) for c in (*INFLOWS, *OUTFLOWS)}  # noqa: E731
    admissions = [
        (f"Q{n}/{year.year}", total.get(f"a:{n}", 0))
        for n, period in enumerate(quarters, start=1)
        if period.start <= today
    ]
    return pick("q"), pick("y"), admissions


def _members_over_time(versions, days: list[dt.date]) -> list[tuple[dt.date, int]]:
    """members.total at the end of each day, as member_stocks counts it (the periods alive that
    day in the organisations of the root's subtree that day), as one aggregate."""
    counts, ever = {}, Q(pk__in=[])
    for n, day in enumerate(days):
        path = next((v.path for v in versions if v.valid_from <= day < v.valid_to), None)
        if path is not None:
            inside = engine.organizations_on(path, day).values("organization_id")
            alive = Q(valid_from__lte=day, valid_to__gt=day, organization_id__in=inside)
            counts[f"d{n}"] = Count("id", filter=alive)
            ever |= Q(path__gte=path, path__lt=subtree_end(path))
    if not counts:
        return [(day, 0) for day in days]
    # the organisations ever in the subtree then, so the count starts from the subtree's rows
    # (as engine._during does) instead of every period of the country
    subtree = OrganizationVersion.objects.filter(
        ever, valid_from__lte=max(days), valid_to__gt=min(days)
    ).values("organization_id")
    row = MembershipPeriod.objects.filter(
        valid_from__lte=max(days), valid_to__gt=min(days), organization_id__in=subtree
    ).aggregate(**counts)
    return [(day, row.get(f"d{n}") or 0) for n, day in enumerate(days)]


def _progress(targets: dict[str, int], year_flows: dict[str, int]) -> list[Progress]:
    rows = []
    for code, target in sorted(targets.items()):
        if code not in year_flows:
            continue  # a target on a figure the dashboard does not count: see the report
        achieved = year_flows[code]
        against, _ratio = target_line(achieved, target) or ("", "")
        percent = min(100.0, 100.0 * achieved / target) if target else 100.0
        rows.append(
            Progress(
                code, LABELS[code], achieved, target, against,
                format_target_ratio(achieved, target) or "", percent,
            )
        )  # fmt: skip
    return rows


def _svg(draw, *args) -> str:
    """A chart drawn once for its data: matplotlib takes far longer than the queries (half a
    second for two charts), and a write elsewhere seldom changes a chart's points."""
    digest = hashlib.sha256(repr((draw.__name__, args)).encode()).hexdigest()
    key = f"dangvu:chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = draw(*args)
        cache.set(key, svg, CHART_SECONDS)
    return svg


def data_version() -> int:
    """The latest audit entry: it changes with every write a service makes."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def dashboard(root: OrganizationVersion, today: dt.date) -> Dashboard:
    """The dashboard of the organisation `root` (its version of today, inside the scope, with
    its organisation selected)."""
    key = f"dangvu:dashboard:{root.organization_id}:{today.isoformat()}:{data_version()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    quarter, year = current_periods(today)
    days = quarter_ends(today, CHART_QUARTERS)
    first = min(days[0], year.day_before)  # the chart's first day, or the year's eve
    versions = list(
        OrganizationVersion.objects.filter(
            organization_id=root.organization_id, valid_from__lte=today, valid_to__gt=first
        )
        .order_by("valid_from")
        .only("valid_from", "valid_to", "path")
    )
    stocks = engine.stocks(root.organization, today)
    quarter_flows, year_flows, admissions = _flows(versions, quarter, year, today)
    targets = targets_for(root.organization_id, year.year)
    points = _members_over_time(versions, days)
    result = Dashboard(
        organization_id=root.organization_id,
        name=root.name,
        today=today,
        quarter=quarter,
        year=year,
        stocks=stocks,
        quarter_flows=quarter_flows,
        year_flows=year_flows,
        progress=_progress(targets, year_flows),
        members_chart=_svg(charts.members_over_time_svg, points, "Số đảng viên cuối mỗi quý"),
        admissions_chart=_svg(
            charts.admissions_against_target_svg,
            admissions,
            targets.get("admissions"),
            f"Kết nạp đảng viên theo quý năm {year.year}",
        ),
    )
    cache.set(key, result, CACHE_SECONDS)
    return result
