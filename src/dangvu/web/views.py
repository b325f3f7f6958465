"""The home page (dashboard for a logged-in user), its work lists and the password change.

Views only parse input and call selectors; scopes come from dangvu.web.scoping (the same
Scope the API builds).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import clock
from dangvu.members import rules as member_rules
from dangvu.members import worklists
from dangvu.members.parameters import load_parameters
from dangvu.members.selectors import transfers_incoming

from . import dashboard as dashboard_figures
from .scoping import ScopeRoot, request_roots, request_scope
from .selectors import list_lengths

WORKLIST_PAGE = 200


def chosen_root(request: HttpRequest) -> tuple[ScopeRoot | None, list[ScopeRoot]]:
    """The scope root the page is about: ?to-chuc=<code> among the user's roots, else the first."""
    roots = request_roots(request)
    code = request.GET.get("to-chuc", "").strip().upper()
    if code:
        for root in roots:
            if root.version.organization.code == code:
                return root, roots
        raise Http404(gettext("Tổ chức đảng không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."))
    return (roots[0] if roots else None), roots


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html")
    root, roots = chosen_root(request)
    context = {"roots": roots, "root": root, "today": clock.today()}
    context["grants_ended"] = root is None and bool(request_scope(request).grants)
    if root is not None:
        context["board"] = dashboard_figures.dashboard(root.version, clock.today())
    return render(request, "web/dashboard.html", context)


# work lists -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkList:
    slug: str
    title: str
    hint: str


WORKLISTS = (
    WorkList("du-bi-sap-het", _("Sắp hết thời kỳ dự bị"), _("trong 60 ngày tới")),
    WorkList("qua-han-cong-nhan", _("Quá hạn xét công nhận chính thức"), _("đã quá thời hạn")),
    WorkList("chuyen-den-cho-tiep-nhan", _("Chuyển đến chờ tiếp nhận"), _("chưa được tiếp nhận")),
    WorkList("chuyen-di-qua-han", _("Chuyển đi quá hạn chưa tiếp nhận"), _("quá 30 ngày làm việc")),
)


def _worklist_querysets(request: HttpRequest, root: ScopeRoot, today: dt.date):
    scope = request_scope(request)
    organization = root.version.organization
    lists = {
        "du-bi-sap-het": worklists.probation_ending(
            scope=scope, today=today, organization=organization
        ),
        "qua-han-cong-nhan": worklists.recognition_overdue(
            scope=scope, today=today, organization=organization
        ),
        "chuyen-den-cho-tiep-nhan": transfers_incoming(scope=scope),
        "chuyen-di-qua-han": worklists.transfers_past_deadline(scope=scope, today=today),
    }
    award_date = member_rules.next_award_date(today, load_parameters(today))
    badges = worklists.badge_candidates(
        scope=scope, award_date=award_date, organization=organization
    )
    return lists, award_date, badges


@login_required
def worklist_summary(request: HttpRequest) -> HttpResponse:
    """The week's work lists as counts (loaded into the dashboard by htmx, or as a page)."""
    root, _roots = chosen_root(request)
    today = clock.today()
    context = {"root": root, "today": today, "fragment": request.headers.get("HX-Request")}
    if root is not None:
        key = (
            f"dangvu:worklists:{request.user.pk}:{root.version.organization_id}:"
            f"{today.isoformat()}:{dashboard_figures.data_version()}"
        )
        summary = cache.get(key)
        if summary is None:
            lists, award_date, badges = _worklist_querysets(request, root, today)
            counts = list_lengths({**lists, **{f"badge-{m}": qs for m, qs in badges.items()}})
            summary = {
                "rows": [(w, counts[w.slug]) for w in WORKLISTS],
                "award_date": award_date,
                "badges": [
                    (m, counts[f"badge-{m}"], f"huy-hieu-{m}")
                    for m in badges
                    if counts[f"badge-{m}"]
                ],
            }
            cache.set(key, summary, dashboard_figures.CACHE_SECONDS)
        context.update(summary)
    template = "web/_worklists.html" if context["fragment"] else "web/worklists.html"
    return render(request, template, context)


@login_required
def worklist_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The people of one work list (the first 200)."""
    root, _roots = chosen_root(request)
    if root is None:
        raise Http404
    today = clock.today()
    lists, award_date, badges = _worklist_querysets(request, root, today)
    if slug.startswith("huy-hieu-") and slug[9:].isdigit() and int(slug[9:]) in badges:
        title = gettext("Đủ %(years)s năm tuổi Đảng, đề nghị tặng Huy hiệu đợt %(date)s") % {
            "years": slug[9:],
            "date": f"{award_date:%d/%m/%Y}",
        }
        people = badges[int(slug[9:])]
    elif slug in lists:
        title = next(w.title for w in WORKLISTS if w.slug == slug)
        people = lists[slug]
    else:
        raise Http404
    people = people.select_related("organization")[: WORKLIST_PAGE + 1]
    people = list(people)
    return render(
        request,
        "web/worklist.html",
        {
            "root": root,
            "title": title,
            "people": people[:WORKLIST_PAGE],
            "more": len(people) > WORKLIST_PAGE,
        },
    )


# password change ----------------------------------------------------------------------------
class PasswordChange(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:password_change_done")


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"
