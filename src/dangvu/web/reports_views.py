"""The reports page: pick an organisation and a period, see the figures, the narrative and the
balance check, download DOCX / XLSX / PDF. The same services as the API and the CLI
(dangvu.reports.services), through the user's scope."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from dangvu.core import clock
from dangvu.core.errors import DomainError
from dangvu.organizations import selectors as organization_selectors
from dangvu.reports import assembly, services
from dangvu.statistics.catalogue import indicator
from dangvu.statistics.periods import parse_period

from .forms import ReportForm
from .scoping import request_roots, request_scope

ORG_CODES_LIMIT = 1000
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _build(request: HttpRequest, org: str, period_code: str):
    """(root, report) for a code and a period the user typed; DomainError when either is wrong
    or the organisation lies outside the scope on the period's last day."""
    period = parse_period(period_code, settings.DANGVU_PERIOD_CUTOFF_DAY)
    root = organization_selectors.organization_get(
        scope=request_scope(request), code=org.strip().upper(), at=period.end
    )
    return root, services.report_build(root=root, period=period)


def _label(code: str) -> str:
    try:
        return indicator(code).label
    except KeyError:
        return code


def _preview(report) -> dict:
    balance = report.balance
    return {
        "report": report,
        "figures": assembly.figures_table(report),
        "inflows": [(_label(c), v) for c, v in balance.inflows.items()],
        "outflows": [(_label(c), v) for c, v in balance.outflows.items()],
        "within": balance.changes_within,
        "targets": [
            (_label(code), *line)
            for code in sorted(report.targets)
            if (line := report.target_line(code))
        ],
    }


def _initial(request: HttpRequest) -> dict:
    today = clock.today()
    roots = request_roots(request)
    quarter = (today.month - 1) // 3 or 4  # the last quarter that has ended
    year = today.year if today.month > 3 else today.year - 1
    return {
        "org": roots[0].version.organization.code if roots else "",
        "year": year,
        "kind": "quarter",
        "quarter": quarter,
    }


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET if "org" in request.GET else None, initial=_initial(request))
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        context["org"], context["period"] = form.cleaned_data["org"].upper(), form.period_code()
        try:
            _root, report = _build(request, context["org"], context["period"])
        except DomainError as error:
            context["error"] = error
        else:
            context |= _preview(report)
    if request.headers.get("HX-Request"):
        return render(request, "web/reports/_preview.html", context)
    context["codes"] = organization_selectors.versions_on(
        scope=request_scope(request), at=clock.today()
    ).values_list("organization__code", "name")[:ORG_CODES_LIMIT]
    return render(request, "web/reports/page.html", context)


@login_required
def report_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in MEDIA_TYPES:
        raise Http404
    try:
        root, report = _build(request, request.GET.get("org", ""), request.GET.get("period", ""))
    except DomainError as error:
        return render(
            request, "web/reports/page.html", {"form": ReportForm(), "error": error}, status=404
        )
    content = services.report_render(report, fmt, root=root, place=settings.DANGVU_REPORT_PLACE)
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{root.code}-{report.period.code}.{fmt}"'
    )
    return response


urlpatterns = [
    path("bao-cao/", reports, name="reports"),
    path("bao-cao/tai/<str:fmt>/", report_file, name="report_file"),
]
