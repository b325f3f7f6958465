"""Reads of targets. A target is seen by whoever sees its organisation on the day it is judged
by (31/12 of its year, or the organisation's last day when it ended during the year), so a cell
that moved blocs shows each bloc the targets of its own years."""

import datetime as dt

from django.db.models import F, Q, QuerySet

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.paths import subtree_end

from . import rules
from .models import Target


def _root_path(scope: Scope, root: Organization, year: int) -> str | None:
    """The path of `root` on the day its targets of `year` are judged by, if the scope sees it."""
    at = rules.target_reference_date(
        year, established_on=root.established_on, dissolved_on=root.dissolved_on
    )
    if at is None:
        return None
    try:
        return scope.require(root, at=at).path
    except DomainError:  # not in the scope that year
        return None


def _visible_in(scope: Scope, year: int, root: Organization | None) -> Q:
    """A Q on Target keeping the targets of `year` whose organisation the scope sees (inside
    the subtree of `root`) on the day they are judged by."""
    end = dt.date(year, 12, 31)
    judged = OrganizationVersion.objects.filter(
        # standing on 31/12, or the last version of an organisation that ended in the year
        Q(valid_from__lte=end, valid_to__gt=end)
        | Q(
            valid_to__gt=dt.date(year, 1, 1),
            valid_to__lte=end,
            valid_to=F("organization__dissolved_on"),
        ),
    )
    if root is not None:
        path = _root_path(scope, root, year)
        if path is None:
            return Q(pk__in=[])
        judged = judged.filter(path__gte=path, path__lt=subtree_end(path))
    if scope.unrestricted:
        return Q(year=year, organization_id__in=judged.values("organization_id"))
    on_end = judged.filter(scope.path_filter(end), valid_to__gt=end)
    # The few that ended during the year: each judged by the scope on its own last day.
    ended = [
        organization_id
        for organization_id, path, last in judged.filter(valid_to__lte=end).values_list(
            "organization_id", "path", "valid_to"
        )
        if scope.role_for(path, last - dt.timedelta(days=1))
    ]
    return Q(year=year) & (
        Q(organization_id__in=on_end.values("organization_id")) | Q(organization_id__in=ended)
    )


def target_list(
    *, scope: Scope, organization: Organization | None = None, year: int | None = None
) -> QuerySet[Target]:
    """The targets the scope sees (of `organization`'s subtree; of `year`), the latest year
    first, then by organisation code and indicator."""
    if organization is not None:  # outside the scope (that year): not found
        at = year and rules.target_reference_date(
            year,
            established_on=organization.established_on,
            dissolved_on=organization.dissolved_on,
        )
        scope.require(organization, at=at or None)
    if year is not None:
        years = [year]
    else:
        years = list(Target.objects.order_by("year").values_list("year", flat=True).distinct())
    condition = Q(pk__in=[])
    for each in years:
        condition |= _visible_in(scope, each, organization)
    return (
        Target.objects.filter(condition)
        .select_related("organization", "decision")
        .order_by("-year", "organization__code", "indicator")
    )


def targets_for(organization: Organization, year: int) -> dict[str, int]:
    """{indicator code: target} of one organisation for one year, for the report assembly
    (which has checked the scope)."""
    return dict(
        Target.objects.filter(organization=organization, year=year).values_list(
            "indicator", "value"
        )
    )
