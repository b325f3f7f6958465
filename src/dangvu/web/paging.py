"""Pages of a long list with a bounded count: a province's member list has 100,000+ rows, and an
exact COUNT(*) over them on every page view costs more than the page itself. The count stops
at `bound` ("hơn 10.000 người"); any page's rows are still read (offset, and one row more to
know whether a next page exists), and the last page makes the total exact again."""

from dataclasses import dataclass
from math import ceil

from django.db.models import QuerySet

from dangvu.core.pagination import MAX_OFFSET

COUNT_BOUND = 10_000


@dataclass(frozen=True)
class BoundedPage:
    """One page of rows; `total` is exact when `exact`, else the list has more than `total`
    rows. The names follow django.core.paginator.Page where they mean the same."""

    object_list: list
    number: int
    per_page: int
    total: int
    exact: bool
    has_next: bool

    @property
    def num_pages(self) -> int | None:
        """None while the total is not known."""
        return max(1, ceil(self.total / self.per_page)) if self.exact else None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        """The 1-based position of the page's first row (0 on an empty list)."""
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0


def _page_number(value: object) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def _rows(queryset: QuerySet, offset: int, limit: int) -> list:
    """The rows at `offset`: their keys first (an index can give them without the table, see
    members.Person's person_list_order_idx), then only those rows with their columns."""
    keys = queryset.values("pk")[offset : offset + limit]
    return list(queryset.filter(pk__in=keys))


def bounded_page(
    queryset: QuerySet, number: object, *, per_page: int, bound: int = COUNT_BOUND
) -> BoundedPage:
    """Page `number` of `queryset` (its ordering kept) in two queries: a count that stops
    after `bound` rows, and the rows. Like Paginator.get_page, a number that is not one gives
    the first page and one past the end the last page (then counted exactly)."""
    number = min(_page_number(number), MAX_OFFSET // per_page + 1)
    # no ORDER BY: the database stops at the bound along whatever index suits the filters
    total = queryset.order_by()[: bound + 1].count()
    exact = total <= bound
    total = min(total, bound)
    if exact:
        number = min(number, max(1, ceil(total / per_page)))
    offset = (number - 1) * per_page
    rows = _rows(queryset, offset, per_page + 1)
    if not rows and number > 1:  # a page typed past the end of a long list
        total, exact = queryset.count(), True
        number = max(1, ceil(total / per_page))
        offset = (number - 1) * per_page
        rows = _rows(queryset, offset, per_page + 1)
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    if not exact and not has_next:  # the last page: now the total is known
        total, exact = offset + len(rows), True
    return BoundedPage(rows, number, per_page, total, exact, has_next)
