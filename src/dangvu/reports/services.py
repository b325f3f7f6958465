"""Report reads for the CLI and the API: which organisation, the report, its files.

Issuing (freezing a version with its number and date) comes with the report models; until
then every report is a draft computed from the data as it stands.
"""

import datetime as dt
import json

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError, NotFound
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.statistics import engine
from dangvu.statistics.periods import Period, parse_period

from . import assembly, charts
from .document import Chart
from .docx import render_docx
from .pdf import render_pdf
from .xlsx import render_xlsx

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def report_root(*, code: str | None, at: dt.date, scope: Scope | None = None) -> Organization:
    """The organisation named by `code` (through the scope), or the installation's top
    organisation on `at` when there is exactly one."""
    scope = scope or Scope.system()
    if code:
        organization = Organization.objects.filter(code=code.strip().upper()).first()
        if organization is None:
            raise NotFound("Tổ chức đảng")
        scope.require(organization, at=at)
        return organization
    tops = list(
        OrganizationVersion.objects.filter(parent__isnull=True, valid_from__lte=at, valid_to__gt=at)
        .select_related("organization")
        .order_by("path")
    )
    if len(tops) != 1:
        names = ", ".join(f"{v.organization.code} ({v.name})" for v in tops) or "không có"
        raise DomainError(
            "reports.ROOT_AMBIGUOUS",
            f"Cần chọn tổ chức đảng (--org): ngày {at:%d/%m/%Y} có các tổ chức cao nhất: {names}.",
        )
    return tops[0].organization


def report_build(*, root: Organization, period: Period) -> assembly.Report:
    return assembly.build_report(root, period)


def _quarter_ends(end: dt.date, n: int) -> list[dt.date]:
    ends = []
    year = end.year
    while len(ends) < n:
        for month, day in reversed(QUARTER_ENDS):
            candidate = dt.date(year, month, day)
            if candidate <= end and len(ends) < n:
                ends.append(candidate)
        year -= 1
    return sorted(ends)


def report_charts(report: assembly.Report, root: Organization) -> tuple[Chart, ...]:
    """Members at the end of the last eight quarters; admissions per quarter of the year
    against the year's target."""
    points = [
        (day, engine.stocks(root, day)["members.total"])
        for day in _quarter_ends(report.period.end, 8)
    ]
    year = report.period.end.year
    quarters = []
    for quarter in range(1, 5):
        period = parse_period(f"{year}-Q{quarter}")
        if period.start > report.period.end:
            break
        quarters.append((f"Q{quarter}/{year}", engine.flows(root, period)["admissions"]))
    return (
        Chart("Số đảng viên cuối mỗi quý", charts.members_over_time(points, "Số đảng viên")),
        Chart(
            f"Kết nạp đảng viên theo quý năm {year}",
            charts.admissions_against_target(
                quarters, report.targets.get("admissions"), "Kết nạp đảng viên"
            ),
        ),
    )


def report_render(
    report: assembly.Report,
    fmt: str,
    *,
    root: Organization | None = None,
    number_symbol: str = "-BC/",
    place: str = "",
    date: dt.date | None = None,
    signer: str = "",
) -> bytes:
    if fmt == "json":
        return (json.dumps(assembly.to_json(report), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "text":
        return assembly.to_text(report).encode()
    if fmt == "xlsx":
        return render_xlsx(assembly.to_sheets(report))
    root = root or Organization.objects.get(code=report.organization_code)
    document = assembly.to_document(
        report,
        number_symbol=number_symbol,
        place=place,
        date=date,
        signer=signer,
        charts=report_charts(report, root),
    )
    if fmt == "docx":
        return render_docx(document)
    if fmt == "pdf":
        return render_pdf(document)
    raise ValueError(f"unknown format {fmt!r}")
