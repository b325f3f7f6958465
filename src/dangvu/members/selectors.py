"""Reads of the personal files (lý lịch), each through the actor's scope as the tree stands today."""

from django.db.models import QuerySet

from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import NotFound
from dangvu.core.names import fold
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.paths import subtree_end

from .models import Person


def person_get(*, scope: Scope, pk: int) -> Person:
    """The person if their organisation is inside the scope today; else "not found"."""
    person = Person.objects.select_related("organization").filter(pk=pk).first()
    if person is None:
        raise NotFound("Lý lịch")
    try:
        scope.require(person.organization, at=clock.today())
    except NotFound:
        raise NotFound("Lý lịch") from None
    return person


def person_list(
    *,
    scope: Scope,
    organization: Organization | None = None,
    q: str | None = None,
    status: str | None = None,
    sex: str | None = None,
) -> QuerySet[Person]:
    """The people of the organisations in the scope today (in `organization`'s subtree), in the
    Vietnamese order of names; `q` matches every word, without diacritics, against the name,
    other names, card number and citizen ID."""
    at = clock.today()
    versions = OrganizationVersion.objects.filter(
        scope.path_filter(at), valid_from__lte=at, valid_to__gt=at
    )
    if organization is not None:
        root_path = scope.require(organization, at=at).path
        versions = versions.filter(path__gte=root_path, path__lt=subtree_end(root_path))
    queryset = Person.objects.filter(organization_id__in=versions.values("organization_id"))
    if status is not None:
        queryset = queryset.filter(status=status)
    if sex is not None:
        queryset = queryset.filter(sex=sex)
    for word in fold(q or "").split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset.select_related("organization").order_by("name_sort_key", "id")


def person_events(person: Person):
    """The person's lifecycle events in the order they took effect (read after person_get
    has checked the scope)."""
    return person.events.select_related("organization", "decision", "recorded_by").order_by(
        "effective_date", "id"
    )
