"""Small reads the pages need beyond the apps' selectors (the views hold no queries)."""

from django.db.models import Count, Q, QuerySet

from dangvu.members.models import Person
from dangvu.organizations.models import Organization


def organization_names(ids) -> dict[int, str]:
    """Names of organisations named in events the user may already see (history lines)."""
    return dict(Organization.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))


def organization_by_id(pk: int | None) -> Organization | None:
    return Organization.objects.filter(pk=pk).first() if pk else None


def list_lengths(querysets: dict[str, QuerySet[Person]]) -> dict[str, int]:
    """The length of every list of people in one aggregate (each list a subquery)."""
    if not querysets:
        return {}
    aggregates = {
        f"c{n}": Count("pk", filter=Q(pk__in=qs.values("pk")))
        for n, qs in enumerate(querysets.values())
    }
    row = Person.objects.aggregate(**aggregates)
    return {key: row[f"c{n}"] for n, key in enumerate(querysets)}
