"""The member pages: the list, a member's file, the lifecycle actions, the transfers waiting
and the candidates board. Thin: parse with a form, read through a selector, write through a
service, all in the user's scope; anything outside it is "not found"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import NotFound
from dangvu.core.formatting import format_number
from dangvu.members import candidates, rules, selectors
from dangvu.members.models import CandidateStatus, MemberStatus, Person
from dangvu.members.parameters import load_parameters
from dangvu.members.services import CELL_TYPES
from dangvu.organizations import selectors as organization_selectors

from . import members_display as display
from . import members_files, members_pipeline
from .members_actions import ACTIONS, BY_SLUG, active_candidacy, build_form, run_action
from .members_export import members_xlsx
from .members_forms import MemberFilterForm
from .members_pages import form_page, person_or_404, role_over, scope_of, writes
from .members_pipeline import steps_for
from .paging import COUNT_BOUND, bounded_page

PER_PAGE = 50
LISTED_ORGANIZATIONS = 400  # a bigger scope types the organisation's code instead
CELLS_SUGGESTED = 300
BOARD_LIMIT = 300
# what a row of the list shows (list.html): the rest of the file stays in the database
LIST_COLUMNS = ("full_name", "birth_year", "sex", "status", "exempt", "transfer_to_id",
                "ceremony_date", "full_member_date", "organization__name")  # fmt: skip


# --- the list -----------------------------------------------------------------------------------
def _filtered(request: HttpRequest, scope: Scope):
    """The filter form and the people it selects (None when the filters are invalid)."""
    today = clock.today()
    organizations = list(
        organization_selectors.versions_on(scope=scope, at=today).values_list(
            "code", "name", "depth"
        )[: LISTED_ORGANIZATIONS + 1]
    )
    top = min((depth for *_, depth in organizations), default=0)
    listable = None
    if len(organizations) <= LISTED_ORGANIZATIONS:
        listable = [(code, name, depth - top) for code, name, depth in organizations]
    form = MemberFilterForm(request.GET, organizations=listable)
    if not form.is_valid():
        return form, None
    organization = None
    if form.cleaned_data.get("org"):
        try:
            organization = organization_selectors.organization_get(
                scope=scope, code=form.cleaned_data["org"].strip()
            )
        except NotFound as error:
            form.add_error("org", error.message)
            return form, None
    people = selectors.person_list(
        scope=scope, organization=organization, **form.selector_arguments()
    )
    return form, people


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form, people = _filtered(request, scope)
    page, rows = None, []
    if people is not None:
        shown = people.select_related(None).select_related("organization").only(*LIST_COLUMNS)
        page = bounded_page(shown, request.GET.get("trang"), per_page=PER_PAGE, bound=COUNT_BOUND)
        rows = [
            display.list_row(
                person,
                number=page.start_index + i,
                url=reverse("web:member_detail", args=[person.pk]),
            )
            for i, person in enumerate(page.object_list)
        ]
    query = {k: v for k, v in request.GET.items() if k != "trang" and v}
    return render(
        request,
        "web/members/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "total": format_number(page.total) if page else "0",
            "count_bound": format_number(COUNT_BOUND),
            "query": urlencode(query),
            "today": clock.today(),
            "can_create": members_files.may_create(scope),
            "create_query": urlencode({"to_chuc": request.GET["org"]})
            if request.GET.get("org")
            else "",
        },
    )


@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form, people = _filtered(request, scope)
    if people is None:
        messages.error(request, _("Bộ lọc chưa hợp lệ: chưa thể xuất danh sách."))
        return redirect(f"{reverse('web:member_list')}?{request.GET.urlencode()}")
    response = HttpResponse(
        members_xlsx(people),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"danh-sach-dang-vien-{clock.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- a member's file ------------------------------------------------------------------------------
@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    today = clock.today()
    person = person_or_404(scope, pk)
    events = list(selectors.person_events(person))
    home = writes(role_over(scope, person.organization, today))
    receiving = person.transfer_to_id is not None and writes(
        role_over(scope, person.transfer_to, today)
    )
    offered = [
        action
        for action in ACTIONS
        if action.allowed_for(person) and (receiving if action.slug == "tiep-nhan" else home)
    ]
    candidacy = None
    if person.status == MemberStatus.NONE:  # a candidate, or someone who might become one
        candidacy = active_candidacy(scope, person) or False
    return render(
        request,
        "web/members/detail.html",
        {
            "person": person,
            "file": display.file_sections(person),
            "membership": display.membership(person, events, today),
            "timeline": [display.timeline_row(event) for event in events],
            "badges": display.badges(events),
            "has_photo": selectors.person_has_photo(person),
            "candidacy": candidacy,
            "can_register": home and candidacy is False,
            "can_edit": home,  # the home cell's writers (a receiving cell only sees the file)
            "actions": [a for a in offered if not a.danger],
            "exits": [a for a in offered if a.danger],
            "today": today,
        },
    )


@login_required
def member_photo(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_or_404(scope_of(request), pk)
    try:
        photo = selectors.person_photo(person)
    except NotFound as error:
        raise Http404(error.message) from None
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- lifecycle actions ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def member_action(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One lifecycle action on a member's file (members_actions.ACTIONS)."""
    action = BY_SLUG.get(slug)
    if action is None:
        raise Http404(_("Không có thao tác này."))
    scope = scope_of(request)
    person = person_or_404(scope, pk)
    form = build_form(action, scope, person, request.POST if request.method == "POST" else None)

    def done(outcome) -> str:
        values = {"event": outcome.event_label, "name": person.full_name}
        if outcome.effective_date:
            values["date"] = f"{outcome.effective_date:%d/%m/%Y}"
            return _("Đã ghi nhận «%(event)s» cho %(name)s, có hiệu lực từ ngày %(date)s.") % values
        return _("Đã ghi nhận «%(event)s» cho %(name)s.") % values

    return form_page(
        request,
        form=form,
        perform=lambda dry_run: run_action(action, scope, person, form, dry_run=dry_run),
        context={
            "action": action,
            "person": person,
            "summary": _summary(person, candidate=getattr(form, "candidate", None)),
            "cells": _cells(scope) if "to" in form.fields else [],
        },
        done_url=reverse("web:member_detail", args=[person.pk]),
        done_message=done,
    )


def _summary(person: Person, *, candidate=None) -> list[tuple[str, str]]:
    """What the user needs to see beside an action's form."""
    rows = [
        (_("Tình trạng"), person.get_status_display()),
        (_("Chi bộ"), person.organization.name),
    ]
    if candidate is not None and candidate.vote_date:
        rows.append(
            (
                _("Chi bộ xét kết nạp"),
                _("%(date)s, %(votes)s/%(members)s đảng viên chính thức tán thành")
                % {
                    "date": f"{candidate.vote_date:%d/%m/%Y}",
                    "votes": candidate.votes_in_favour,
                    "members": candidate.full_members_count,
                },
            )
        )
    if person.ceremony_date:
        rows.append((_("Ngày lễ kết nạp"), f"{person.ceremony_date:%d/%m/%Y}"))
        if person.full_member_date is None and person.status:
            end = rules.probation_end(person.ceremony_date, load_parameters(person.ceremony_date))
            rows.append((_("Hết thời kỳ dự bị"), f"{end:%d/%m/%Y}"))
    if person.transfer_to_id:
        rows.append((_("Đang chuyển đến"), person.transfer_to.name))
    if person.temporary_at_id:
        rows.append((_("Sinh hoạt tạm thời tại"), person.temporary_at.name))
    return rows


def _cells(scope: Scope):
    """Cells of the user's own scope, suggested for a transfer (any cell's code is accepted)."""
    versions = organization_selectors.versions_on(scope=scope, at=clock.today(), types=CELL_TYPES)
    return list(versions[:CELLS_SUGGESTED])


# --- transfers and candidates ---------------------------------------------------------------------
@login_required
def transfers(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "web/members/transfers.html",
        {
            "incoming": list(selectors.transfers_incoming(scope=scope)[:200]),
            "temporary": list(selectors.temporary_members(scope=scope)[:200]),
        },
    )


@login_required
def candidate_board(request: HttpRequest) -> HttpResponse:
    """Each active candidate of the scope (or of one organisation) in the column of the first
    step they still lack, with everything they lack."""
    scope = scope_of(request)
    today = clock.today()
    cells = list(
        organization_selectors.versions_on(scope=scope, at=today, types=CELL_TYPES)[
            :LISTED_ORGANIZATIONS
        ]
    )
    code = (request.GET.get("to_chuc") or "").strip()
    organization = None
    if code:
        try:
            organization = organization_selectors.organization_get(scope=scope, code=code)
        except NotFound as error:
            raise Http404(error.message) from None
    rows = list(
        candidates.candidate_list(
            scope=scope, organization=organization, status=CandidateStatus.ACTIVE
        )[: BOARD_LIMIT + 1]
    )
    truncated = len(rows) > BOARD_LIMIT
    rows = candidates.with_missing(rows[:BOARD_LIMIT], today=today)
    # the user's role over each candidate's cell, from the cells' paths read at once
    versions = organization_selectors.versions_on(scope=scope, at=today).filter(
        organization_id__in={c.organization_id for c in rows}
    )
    writable = {v.organization_id: writes(scope.role_for(v.path, today)) for v in versions}
    for candidate in rows:  # the forms that make good what each lacks, for those who may write
        candidate.writable = writable.get(candidate.organization_id, False)
        candidate.steps = steps_for(candidate) if candidate.writable else []
    return render(
        request,
        "web/members/candidates.html",
        {
            "columns": display.board_columns(rows),
            "count": format_number(len(rows)),
            "truncated": truncated,
            "cells": cells,
            "code": code,
            "organization": organization,
        },
    )


urlpatterns = [
    path("dang-vien/", member_list, name="member_list"),
    path("dang-vien/xuat-excel/", member_export, name="member_export"),
    path("dang-vien/chuyen-sinh-hoat/", transfers, name="member_transfers"),
    path("dang-vien/<int:pk>/", member_detail, name="member_detail"),
    path("dang-vien/<int:pk>/anh/", member_photo, name="member_photo"),
    path("dang-vien/<int:pk>/thao-tac/<slug:slug>/", member_action, name="member_action"),
    path("quan-chung/", candidate_board, name="candidate_board"),
    *members_pipeline.urlpatterns,
    *members_files.urlpatterns,
]
