"""Reads of the personal files (lý lịch), each through the actor's scope as the tree stands today."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import NotFound
from dangvu.core.names import fold
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.paths import subtree_end

from .models import Person, PersonPhoto


def person_get(*, scope: Scope, pk: int) -> Person:
    """The person if their organisation is inside the scope today; else "not found"."""
    person = (
        Person.objects.select_related("organization", "transfer_to", "temporary_at")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise NotFound("Lý lịch")
    # a member on the way to a cell is seen by the sending and the receiving cell; one on a
    # temporary transfer by the home cell and the host
    for organization in (person.organization, person.transfer_to, person.temporary_at):
        if organization is None:
            continue
        try:
            scope.require(organization, at=clock.today())
        except NotFound:
            continue
        return person
    raise NotFound("Lý lịch")


def person_list(
    *,
    scope: Scope,
    organization: Organization | None = None,
    q: str | None = None,
    status: str | None = None,
    sex: str | None = None,
    statuses: Iterable[str] | None = None,
    political_theory: str | None = None,
    ethnicity: str | None = None,
    age: tuple[int | None, int | None] | None = None,
) -> QuerySet[Person]:
    """The people of the organisations in the scope today (in `organization`'s subtree), in the
    Vietnamese order of names; `q` matches every word, without diacritics, against the name,
    other names, card number and citizen ID. `age`: (youngest, oldest) in full years today,
    either end open (None), as the statistics count it (age_filter)."""
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
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    if political_theory is not None:
        queryset = queryset.filter(political_theory=political_theory)
    if ethnicity is not None:
        queryset = queryset.filter(ethnicity=ethnicity)
    if age is not None:
        queryset = queryset.alias(
            born_md=Coalesce("birth_month", 12) * 100 + Coalesce("birth_day", 31)
        ).filter(age_filter(*age, today=at))
    for word in fold(q or "").split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset.select_related("organization", "transfer_to", "temporary_at").order_by(
        "name_sort_key", "id"
    )


def age_filter(youngest: int | None, oldest: int | None, *, today: dt.date) -> Q:
    """People aged `youngest` to `oldest` full years on `today`, taking the latest birth date
    the file allows when the day or the month is missing (as statistics.engine counts age);
    needs the `born_md` alias (month * 100 + day of birth, 12 and 31 when missing)."""
    today_md = today.month * 100 + today.day
    condition = Q()
    if youngest is not None:  # born on or before today's day `youngest` years ago
        year = today.year - youngest
        condition &= Q(birth_year__lt=year) | Q(birth_year=year, born_md__lte=today_md)
    if oldest is not None:  # not yet `oldest + 1` today
        year = today.year - oldest - 1
        condition &= Q(birth_year__gt=year) | Q(birth_year=year, born_md__gt=today_md)
    return condition


def person_has_photo(person: Person) -> bool:
    """Whether a file read through person_get has a photo, without loading it."""
    return PersonPhoto.objects.filter(person=person).exists()


def person_events(person: Person):
    """The person's lifecycle events in the order they took effect (read after person_get
    has checked the scope)."""
    return person.events.select_related("organization", "decision", "recorded_by").order_by(
        "effective_date", "id"
    )


def _cells_in_scope(scope: Scope):
    at = clock.today()
    return OrganizationVersion.objects.filter(
        scope.path_filter(at), valid_from__lte=at, valid_to__gt=at
    ).values("organization_id")


def transfers_incoming(*, scope: Scope) -> QuerySet[Person]:
    """Members transferred to a cell in the scope and not yet received there."""
    return (
        Person.objects.filter(transfer_to_id__in=_cells_in_scope(scope))
        .select_related("organization", "transfer_to", "temporary_at")
        .order_by("transfer_left_on", "name_sort_key")
    )


def temporary_members(*, scope: Scope) -> QuerySet[Person]:
    """Members of other cells attending a cell in the scope on a temporary transfer: they
    attend its meetings but are counted in their home cell (Quy định 29-QĐ/TW)."""
    return (
        Person.objects.filter(temporary_at_id__in=_cells_in_scope(scope))
        .select_related("organization", "transfer_to", "temporary_at")
        .order_by("temporary_until", "name_sort_key")
    )


def person_photo(person: Person) -> PersonPhoto:
    """The photo of a file read through person_get; "not found" when there is none."""
    photo = PersonPhoto.objects.filter(person=person).first()
    if photo is None:
        raise NotFound("Ảnh lý lịch")
    return photo
