"""The user's scope in the pages: the same Scope the API uses, built once per request, and the
organisations it covers (shown in the top bar, the roots of the dashboard and the tree)."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404, HttpRequest

from dangvu.access.models import Role
from dangvu.access.scopes import Scope, scope_for
from dangvu.core import clock
from dangvu.core.errors import NotFound
from dangvu.organizations.models import OrganizationVersion


def request_scope(request: HttpRequest) -> Scope:
    """One Scope per request, so its cache of tree positions serves every look-up."""
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.user)
    return request.dangvu_scope


@dataclass(frozen=True)
class ScopeRoot:
    version: OrganizationVersion  # as it stands on the day asked
    role_label: str


def scope_roots(scope: Scope, at: dt.date) -> list[ScopeRoot]:
    """The top organisations of the scope on `at` (one query): the granted organisations that
    exist that day, those inside another granted one left out; for the unrestricted scope, the
    tops of the tree."""
    versions = OrganizationVersion.objects.filter(valid_from__lte=at, valid_to__gt=at)
    if scope.unrestricted:
        versions = versions.filter(parent__isnull=True)
    else:
        versions = versions.filter(organization_id__in=[org for org, _ in scope.grants])
    roles = dict(scope.grants)
    roots: list[ScopeRoot] = []
    for version in versions.select_related("organization").order_by("path"):
        if any(version.path.startswith(r.version.path) for r in roots):
            continue
        role = Role.ADMINISTRATOR if scope.unrestricted else roles[version.organization_id]
        roots.append(ScopeRoot(version, Role(role).label))
    return roots


def request_roots(request: HttpRequest) -> list[ScopeRoot]:
    """scope_roots of today, once per request (the top bar and the page both ask)."""
    if not hasattr(request, "dangvu_roots"):
        request.dangvu_roots = scope_roots(request_scope(request), clock.today())
    return request.dangvu_roots


def not_found(error: NotFound) -> Http404:
    """Outside the scope looks exactly like missing (DESIGN.md, principle 6)."""
    return Http404(error.message)
