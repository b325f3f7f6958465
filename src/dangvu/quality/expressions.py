"""Calendar arithmetic as SQL expressions that both databases run the same way.

A day is compared as the integer key year * 10000 + month * 100 + day; adding months keeps
the day, clamped to the last day of the month (as members.rules.add_months does), leap years
included. Built from Extract, Cast, Mod and Least, which Django renders for SQLite and
PostgreSQL alike; no backend-specific date function is used.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Least,
    Mod,
    NullIf,
    Substr,
)
from django.db.models.lookups import Exact, GreaterThanOrEqual, In, LessThan

INT = IntegerField()


def _int(expression: Any) -> Any:
    return Cast(expression, INT)


Parts = tuple[Any, Any, Any]


def date_parts(field_name: str) -> Parts:
    """Year, month and day of a date column, as integers."""
    return (
        _int(ExtractYear(field_name)),
        _int(ExtractMonth(field_name)),
        _int(ExtractDay(field_name)),
    )


def iso_text_parts(text: Any) -> Parts:
    """Year, month and day of an ISO date held as text (a JSON value: "2020-03-15")."""
    return (_int(Substr(text, 1, 4)), _int(Substr(text, 6, 2)), _int(Substr(text, 9, 2)))


def json_date(field_name: str, *keys: str) -> Any:
    """The first of `keys` set (not blank) in a JSON column, as text."""
    values = [NullIf(KeyTextTransform(key, field_name), Value("")) for key in keys]
    return Coalesce(*values) if len(values) > 1 else values[0]


def key(parts: Parts) -> Any:
    year, month, day = parts
    return ExpressionWrapper(year * 10000 + month * 100 + day, output_field=INT)


def is_leap(year: Any) -> Q:
    return Q(Exact(Mod(year, 4), 0)) & (~Q(Exact(Mod(year, 100), 0)) | Q(Exact(Mod(year, 400), 0)))


def month_length(year: Any, month: Any) -> Any:
    return Case(
        When(Q(Exact(month, 2)) & is_leap(year), then=Value(29)),
        When(Exact(month, 2), then=Value(28)),
        When(In(month, [4, 6, 9, 11]), then=Value(30)),
        default=Value(31),
        output_field=INT,
    )


def add_months(parts: Parts, months: int) -> Parts:
    """The parts `months` later, the day clamped to the month's length."""
    year, month, day = parts
    index = ExpressionWrapper(year * 12 + month - 1 + months, output_field=INT)
    new_year = ExpressionWrapper(index / 12, output_field=INT)
    new_month = ExpressionWrapper(Mod(index, 12) + 1, output_field=INT)
    return new_year, new_month, Least(day, month_length(new_year, new_month))


def birth_latest(prefix: str = "") -> Parts:
    """The latest birth date a file allows (31/12 when only the year is known); `prefix`
    reaches the person through a relation ("person__")."""
    year = F(f"{prefix}birth_year")
    month = Coalesce(f"{prefix}birth_month", Value(12))
    return year, month, Coalesce(f"{prefix}birth_day", month_length(year, month))


def birth_earliest(prefix: str = "") -> Parts:
    return (
        F(f"{prefix}birth_year"),
        Coalesce(f"{prefix}birth_month", Value(1)),
        Coalesce(f"{prefix}birth_day", Value(1)),
    )


def segments(values: Iterable[tuple[dt.date, Any]]) -> list[tuple[dt.date | None, Any]]:
    """(start, value) for each stretch a parameter kept one value, the first open below."""
    result: list[tuple[dt.date | None, Any]] = []
    for start, value in values:
        if result and result[-1][1] == value:
            continue
        result.append((None if not result else start, value))
    return result


def by_segment(
    day_key: Any, stretches: list[tuple[dt.date | None, Any]], condition: Callable[[Any], Q]
) -> Q:
    """`condition(value)` with the value in force on the row's day (`day_key`): an OR of one
    test per stretch of the parameter."""
    combined = Q(pk__in=[])
    for index, (start, value) in enumerate(stretches):
        test = condition(value)
        if start is not None:
            test &= Q(GreaterThanOrEqual(day_key, _day_key(start)))
        if index + 1 < len(stretches):
            test &= Q(LessThan(day_key, _day_key(stretches[index + 1][0])))
        combined |= test
    return combined


def _day_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day
