"""The figures of the dashboard, read with the statistics engine's own querysets and filters.

A dashboard asks for less than a report (no breakdowns), so its figures are one statement of
the engine (engine.overview): a few stocks of today, this year's flows by quarter (this
quarter's, the year's sums, the admissions chart) and the members at each quarter's end. The
number of queries does not depend on the data.

The result is cached under the latest audit entry: every write of a service appends one, so a
new write makes a new key and the figures are never stale.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language, gettext

from dangvu.access.models import AuditEntry
from dangvu.organizations.models import OrganizationVersion
from dangvu.planning.rules import format_target_ratio, target_line
from dangvu.planning.selectors import targets_for
from dangvu.reports import charts
from dangvu.statistics import engine
from dangvu.statistics.catalogue import INDICATORS
from dangvu.statistics.periods import Period, parse_period

LABELS = {indicator.code: indicator.label for indicator in INDICATORS}
STOCKS = ("members.total", "members.full", "members.probationary", "members.female",
          "orgs.grassroots", "candidates.active")  # fmt: skip
INFLOWS = ("admissions", "readmissions", "recognitions", "transfers.in", "moved_in_with_org")
OUTFLOWS = ("transfers.out", "moved_out_with_org", "deaths", "struck_off", "expelled", "withdrawn")
OTHERS = ("badges.total",)  # counted in the period, neither in nor out
FLOWS = (*INFLOWS, *OUTFLOWS, *OTHERS)
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
            for codes, kind in ((INFLOWS, "in"), (OUTFLOWS, "out"), (OTHERS, "other"))
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


def _quarters(year: Period, today: dt.date) -> list[Period]:
    """The quarters of the year begun by today (the last one holds today)."""
    cutoff = settings.DANGVU_PERIOD_CUTOFF_DAY
    quarters = [parse_period(f"{year.year}-Q{n}", cutoff) for n in (1, 2, 3, 4)]
    return [quarter for quarter in quarters if quarter.start <= today]


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
    # the language too: the charts' titles are in the page's language
    key = (
        f"dangvu:dashboard:{root.organization_id}:{today.isoformat()}:{data_version()}:"
        f"{get_language()}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    quarter, year = current_periods(today)
    quarters = _quarters(year, today)
    # the year so far, split at the quarters' first days: one part per quarter begun
    so_far = Period(f"{year.start}..{today}", year.start, min(year.end, today), "range")
    figures = engine.overview(
        root.organization,
        today,
        so_far,
        [q.start for q in quarters[1:]],
        FLOWS,
        quarter_ends(today, CHART_QUARTERS),
    )
    stocks, points = figures.stocks, figures.members
    quarter_flows = figures.flows[-1]
    year_flows = {code: sum(part[code] for part in figures.flows) for code in FLOWS}
    admissions = [
        (f"Q{q.quarter}/{year.year}", part["admissions"])
        for q, part in zip(quarters, figures.flows, strict=True)
    ]
    targets = targets_for(root.organization_id, year.year)
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
        members_chart=_svg(
            charts.members_over_time_svg, points, gettext("Số đảng viên cuối mỗi quý")
        ),
        admissions_chart=_svg(
            charts.admissions_against_target_svg,
            admissions,
            targets.get("admissions"),
            gettext("Kết nạp đảng viên theo quý năm %(year)s") % {"year": year.year},
        ),
    )
    cache.set(key, result, CACHE_SECONDS)
    return result
