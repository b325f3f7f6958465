"""Reports for the CLI and the API: which organisation, the report, its files, and issuing
(freezing a version with its number and date). A report not issued is a draft computed from
the data as it stands."""

import dataclasses
import datetime as dt
import json

from django.db import transaction
from django.db.models import QuerySet

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError, NotFound
from dangvu.core.symbols import parse_document_symbol
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.statistics import engine
from dangvu.statistics.periods import Period, parse_period

from . import assembly, charts
from .document import Chart
from .docx import render_docx
from .models import IssuedReport
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


# --- issued reports ----------------------------------------------------------------------------


@transaction.atomic
def report_issue(
    *,
    scope: Scope,
    root: Organization,
    period: Period,
    number_symbol: str,
    issued_on: dt.date,
    place: str = "",
    signer: str = "",
) -> IssuedReport:
    """Ban hành: freeze the report's figures, narrative and files as a new version (the first,
    or an amendment of the last one). A report whose figures do not balance is not issued."""
    scope.require(root, at=period.end, role=Role.EDITOR)
    symbol = parse_document_symbol(number_symbol)
    if symbol is None or not symbol.number:
        raise DomainError(
            "reports.NUMBER_REQUIRED",
            "Cần số và ký hiệu của báo cáo khi ban hành, ví dụ 45-BC/ĐUK.",
        )
    report = report_build(root=root, period=period)
    if not report.published:
        raise DomainError(
            "reports.NOT_BALANCED",
            "Số liệu không cân đối (đầu kỳ + tăng − giảm ≠ cuối kỳ): báo cáo không được ban "
            "hành. Xem mục cân đối số lượng để tìm chỗ sai.",
            balance=assembly.to_json(report)["balance"],
        )
    previous = (
        IssuedReport.objects.select_for_update()
        .filter(organization=root, period_code=period.code)
        .order_by("-version")
        .first()
    )
    document = assembly.to_document(
        report,
        number_symbol=str(symbol),
        place=place,
        date=issued_on,
        signer=signer,
        charts=report_charts(report, root),
    )
    issued = IssuedReport.objects.create(
        organization=root,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        version=previous.version + 1 if previous else 1,
        amends=previous,
        number_symbol=str(symbol),
        issued_on=issued_on,
        place=place,
        signer=signer,
        content=assembly.to_json(report),
        docx=render_docx(document),
        xlsx=render_xlsx(assembly.to_sheets(report)),
        pdf=render_pdf(document),
        issued_by=scope.user if scope.user_id else None,
    )
    audit_record(
        actor=scope.user,
        action="report.issue",
        obj=issued,
        after={
            "organization": root.code,
            "period": period.code,
            "version": issued.version,
            "number_symbol": issued.number_symbol,
            "issued_on": issued_on,
        },
    )
    return issued


def issued_list(*, scope: Scope, root: Organization | None = None) -> QuerySet[IssuedReport]:
    """Issued reports of organisations the scope sees as of each report's period end."""
    reports = IssuedReport.objects.select_related("organization").defer("docx", "xlsx", "pdf")
    reports = reports.order_by("-period_end", "organization__code", "-version")
    if root is not None:
        reports = reports.filter(organization=root)
    visible = []
    for issued in reports:  # a few reports a period: the scope is checked on each one's day
        try:
            scope.require(issued.organization, at=issued.period_end)
        except NotFound:
            continue
        visible.append(issued.pk)
    return reports.filter(pk__in=visible)


def issued_get(*, scope: Scope, pk: int) -> IssuedReport:
    issued = IssuedReport.objects.select_related("organization").filter(pk=pk).first()
    if issued is None:
        raise NotFound("Báo cáo")
    scope.require(issued.organization, at=issued.period_end)
    return issued


def issued_differences(issued: IssuedReport) -> dict[str, dict[str, int | None]]:
    """What the data says now against what was issued: {code: {"issued": …, "now": …}} for the
    figures that differ (a later correction entered with a past date, say)."""
    # the days as issued, whatever the cut-off setting says today
    period = dataclasses.replace(
        parse_period(issued.period_code), start=issued.period_start, end=issued.period_end
    )
    now = assembly.public_indicators(report_build(root=issued.organization, period=period))
    then = issued.content["indicators"]
    return {
        code: {"issued": then.get(code), "now": now.get(code)}
        for code in sorted(set(then) | set(now))
        if then.get(code) != now.get(code) and not code.startswith("admissions.target")
    }
