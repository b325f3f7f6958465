"""What the member pages share: the request's scope, the person or "not found", the role a
user holds over a cell, and the action page's pattern (form, dry-run check, save)."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core.errors import NotFound
from dangvu.members import selectors
from dangvu.members.models import Person

from .scoping import request_scope

MAX_ID = 2**63 - 1


def scope_of(request: HttpRequest) -> Scope:
    return request_scope(request)  # the one Scope of the request, shared with the top bar


def person_or_404(scope: Scope, pk: int) -> Person:
    if pk > MAX_ID:
        raise Http404(_("Lý lịch không tồn tại."))
    try:
        return selectors.person_get(scope=scope, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from None


def role_over(scope: Scope, organization, today: dt.date) -> str | None:
    """The user's role over `organization` today, None when it is outside the scope."""
    if organization is None:
        return None
    try:
        version = scope.require(organization, at=today)
    except NotFound:
        return None
    return scope.role_for(version.path, today)


def writes(role: str | None) -> bool:
    return role is not None and Role.rank(role) >= Role.rank(Role.EDITOR)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_page(
    request: HttpRequest,
    *,
    form,
    perform,
    context: dict,
    done_url: str,
    done_message,
    template: str = "web/members/action.html",
) -> HttpResponse:
    """The pattern of every action page. GET: the form. POST with step=check: the rule checks
    of a dry run (an htmx fragment, or the page again without JavaScript). POST: the save
    (checked again by the service), then `done_url` with `done_message(outcome)`."""
    outcome, step = None, request.POST.get("step", "save")
    if request.method == "POST" and form.is_valid():
        outcome = perform(dry_run=step == "check")
        if step != "check" and outcome.ok:
            messages.success(request, done_message(outcome))
            if is_htmx(request):
                return HttpResponse(status=204, headers={"HX-Redirect": done_url})
            return redirect(done_url)
    context = {
        **context,
        "form": form,
        "outcome": outcome,
        "step": step,
        "show_override": form.overridable
        and (bool(outcome and outcome.warning) or form.override_given),
    }
    if is_htmx(request) and step == "check":
        return render(request, "web/members/_check.html", context)
    failed = request.method == "POST" and (not form.is_valid() or (outcome and not outcome.ok))
    return render(request, template, context, status=400 if failed else 200)
