"""Reads of the organisation tree, each through the actor's scope and as the tree stood on a date."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from dangvu.access.scopes import Scope
from dangvu.core.errors import NotFound

from .models import (
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from .paths import path_ids, subtree_end


def with_codes(queryset: QuerySet[OrganizationVersion]) -> QuerySet[OrganizationVersion]:
    """Versions with the codes of their organisation and parent as `code` and `parent_code`.

    Correlated look-ups by primary key instead of select_related: joining the organisation
    table made PostgreSQL hash-join all of it for a province's subtree (bench/tree.py).
    """
    codes = Organization.objects.order_by().values("code")
    return queryset.annotate(
        code=Subquery(codes.filter(pk=OuterRef("organization_id"))[:1]),
        parent_code=Subquery(codes.filter(pk=OuterRef("parent_id"))[:1]),
    )


def organization_get(*, scope: Scope, code: str, at: dt.date | None = None) -> Organization:
    """The organisation with `code` if the scope sees it (on `at`, or its reference date)."""
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise NotFound("Tổ chức đảng")
    scope.require(organization, at=at)
    return organization


def organization_by_code(*, code: str) -> Organization:
    """An organisation named by its code, outside any scope: for a destination the actor
    names but need not see (the receiving cell of a transfer). Reveals nothing but existence."""
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        raise NotFound("Tổ chức đảng")
    return organization


def version_on(*, scope: Scope, organization: Organization, at: dt.date) -> OrganizationVersion:
    """The organisation as it stood on `at`, with its parent."""
    version = scope.require(organization, at=at)
    return with_codes(OrganizationVersion.objects.filter(pk=version.pk)).get()


def versions_on(
    *,
    scope: Scope,
    at: dt.date,
    root: Organization | None = None,
    types: Iterable[str] | None = None,
) -> QuerySet[OrganizationVersion]:
    """The organisations as they stood on `at` (in the subtree of `root`), ordered by path."""
    queryset = OrganizationVersion.objects.filter(
        scope.path_filter(at), valid_from__lte=at, valid_to__gt=at
    )
    if root is not None:
        root_path = scope.require(root, at=at).path
        queryset = queryset.filter(path__gte=root_path, path__lt=subtree_end(root_path))
    if types is not None:
        queryset = queryset.filter(type__in=list(types))
    return with_codes(queryset).order_by("path")


def organization_subtree(
    *, scope: Scope, organization: Organization, at: dt.date
) -> QuerySet[OrganizationVersion]:
    return versions_on(scope=scope, at=at, root=organization)


def organization_count(
    *,
    scope: Scope,
    at: dt.date,
    root: Organization | None = None,
    types: Iterable[str] | None = None,
) -> int:
    return versions_on(scope=scope, at=at, root=root, types=types).count()


def organization_path(
    *, scope: Scope, organization: Organization, at: dt.date
) -> list[OrganizationVersion]:
    """The line from the top of the scope down to the organisation, as it stood on `at`."""
    version = scope.require(organization, at=at)
    ancestors = OrganizationVersion.objects.filter(
        scope.path_filter(at),
        organization_id__in=path_ids(version.path),
        valid_from__lte=at,
        valid_to__gt=at,
    )
    return sorted(with_codes(ancestors), key=lambda v: v.depth)


def organization_history(
    *, scope: Scope, organization: Organization
) -> tuple[list[OrganizationVersion], list[OrganizationEvent]]:
    scope.require(organization)
    versions = list(with_codes(organization.versions.order_by("valid_from")))
    events = list(
        organization.events.select_related("decision", "cause").order_by("effective_date", "id")
    )
    return versions, events


def organization_events_between(
    *,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    root: Organization | None = None,
    kinds: Iterable[str] | None = None,
) -> QuerySet[OrganizationEvent]:
    """Events that took effect in [start, end] on organisations inside the scope (and `root`'s
    subtree) as the tree stood on the day before each event, or on its day for establishments."""
    placed = OrganizationVersion.objects.filter(
        organization_id=OuterRef("organization_id"),
        valid_from__lte=OuterRef("effective_date"),
        valid_to__gte=OuterRef("effective_date"),
    )
    area = _area(scope, root, start) | _area(scope, root, end)
    queryset = OrganizationEvent.objects.filter(
        Exists(placed.filter(area)), effective_date__gte=start, effective_date__lte=end
    )
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    return queryset.select_related("organization", "decision").order_by("effective_date", "id")


def _area(scope: Scope, root: Organization | None, at: dt.date) -> Q:
    """Paths inside the scope and under `root`, as the tree stood on `at`."""
    area = scope.path_filter(at)
    if root is not None:
        path = (
            OrganizationVersion.objects.filter(
                organization=root, valid_from__lte=at, valid_to__gt=at
            )
            .values_list("path", flat=True)
            .first()
        )
        area &= Q(path__gte=path, path__lt=subtree_end(path)) if path else Q(pk__in=[])
    return area


@dataclass
class TreeDiff:
    established: list[OrganizationVersion]
    ended: list[OrganizationVersion]
    renamed: list[tuple[OrganizationVersion, OrganizationVersion]]
    moved: list[tuple[OrganizationVersion, OrganizationVersion]]
    converted: list[tuple[OrganizationVersion, OrganizationVersion]]


def tree_diff(
    *, scope: Scope, start: dt.date, end: dt.date, root: Organization | None = None
) -> TreeDiff:
    """What differs between the tree on `start` and the tree on `end`."""
    try:
        earlier = versions_on(scope=scope, at=start, root=root)
        before = {v.organization_id: v for v in earlier}
    except NotFound:  # the root did not exist yet: everything under it is new
        if root is None:
            raise
        before = {}
    after = {v.organization_id: v for v in versions_on(scope=scope, at=end, root=root)}
    both = before.keys() & after.keys()
    return TreeDiff(
        established=[after[k] for k in sorted(after.keys() - before.keys())],
        ended=[before[k] for k in sorted(before.keys() - after.keys())],
        renamed=[(before[k], after[k]) for k in sorted(both) if before[k].name != after[k].name],
        moved=[
            (before[k], after[k]) for k in sorted(both) if before[k].parent_id != after[k].parent_id
        ],
        converted=[(before[k], after[k]) for k in sorted(both) if before[k].type != after[k].type],
    )


# committees ---------------------------------------------------------------------------------
def term_on(organization: Organization, at: dt.date) -> CommitteeTerm | None:
    return (
        CommitteeTerm.objects.filter(organization=organization, start_date__lte=at)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=at))
        .order_by("-start_date")
        .first()
    )


def committee_on(
    *, scope: Scope, organization: Organization, at: dt.date
) -> tuple[CommitteeTerm | None, list[CommitteeSeat]]:
    """The committee (cấp ủy) of the organisation on `at`: its term and the seats then held."""
    scope.require(organization, at=at)
    term = term_on(organization, at)
    if term is None:
        return None, []
    seats = (
        term.seats.filter(start_date__lte=at)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=at))
        .order_by("position", "start_date", "id")
    )
    order = ["secretary", "deputy_secretary", "standing_member", "committee_member"]
    return term, sorted(seats, key=lambda s: (order.index(s.position), s.start_date, s.pk))


def committee_terms(*, scope: Scope, organization: Organization) -> list[CommitteeTerm]:
    scope.require(organization)
    return list(
        CommitteeTerm.objects.filter(organization=organization)
        .prefetch_related("seats")
        .order_by("start_date")
    )


def consolidations_between(
    *, scope: Scope, start: dt.date, end: dt.date, root: Organization | None = None
) -> QuerySet[CommitteeConsolidation]:
    ids = versions_on(scope=scope, at=end, root=root).values("organization_id")
    return (
        CommitteeConsolidation.objects.filter(
            organization_id__in=ids, effective_date__gte=start, effective_date__lte=end
        )
        .select_related("organization", "decision")
        .order_by("effective_date", "id")
    )
