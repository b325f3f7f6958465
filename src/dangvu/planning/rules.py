"""Targets (chỉ tiêu): which figures may carry one, for which years, and how a result is shown
against it. Pure functions over plain values.

Sources: the congress resolution of each organisation sets its targets for the term and the
annual resolution (nghị quyết năm) those of the year (Điều lệ Đảng 2011, Điều 10 and Điều 24 on
the tasks of committees); DESIGN.md, "Against plans: admissions.target,
admissions.target_ratio"; the reports show a result against its target as "269/805" and the
ratio with a comma decimal as "33,42%" (DESIGN.md, "Formats users expect").
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from dangvu.core.errors import DomainError
from dangvu.core.formatting import format_number
from dangvu.statistics.catalogue import FLOW, indicator

from .models import FIRST_YEAR

# A congress sets targets for its five-year term: a target may be set up to five years ahead.
YEARS_AHEAD = 5
# More than the country's membership (about 5.6 million): anything larger is a typing error.
MAX_TARGET = 10_000_000
PERCENT = Decimal("0.01")


def check_indicator(code: str) -> str:
    """The code of a flow indicator of the catalogue (a count over a period: admissions,
    recognitions, badges ...). Stocks are counted on a date and take no yearly target."""
    try:
        found = indicator(code)
    except KeyError:
        found = None
    if found is None or found.kind != FLOW:
        raise DomainError(
            "planning.UNKNOWN_INDICATOR",
            f"«{code}» không phải chỉ tiêu trong danh mục: chỉ tiêu được giao cho các số liệu "
            "tính theo kỳ (kết nạp đảng viên, công nhận đảng viên chính thức, ...).",
            indicator=code,
        )
    return found.code


def check_target_value(value: int) -> None:
    """A target is a positive whole number (0 is "no target", which is removed instead)."""
    if not 1 <= value <= MAX_TARGET:
        raise DomainError(
            "planning.INVALID_TARGET",
            f"Chỉ tiêu phải là số nguyên dương, không quá {format_number(MAX_TARGET)}.",
            value=value,
        )


def check_target_year(year: int, *, today: dt.date) -> None:
    """From the founding of the Party (1930) to the end of a congress term ahead."""
    last = today.year + YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise DomainError(
            "planning.YEAR_OUT_OF_RANGE",
            f"Năm giao chỉ tiêu phải từ {FIRST_YEAR} đến {last}.",
            year=year,
        )


def target_reference_date(
    year: int, *, established_on: dt.date, dissolved_on: dt.date | None
) -> dt.date | None:
    """The day a target of `year` is judged by (whose scope, which place in the tree):
    31/12 of the year, or the organisation's last day when it ended during the year;
    None when the organisation did not exist at any time in the year."""
    end = dt.date(year, 12, 31)
    if established_on > end:
        return None
    if dissolved_on is None:
        return end
    last_day = dissolved_on - dt.timedelta(days=1)
    if last_day < dt.date(year, 1, 1):
        return None
    return min(end, last_day)


def target_ratio(achieved: int, target: int | None) -> Decimal | None:
    """The result as a percentage of the target, two decimals rounded half up (269 of 805:
    33.42); None without a target (missing or 0): there is nothing to divide by."""
    if not target:
        return None
    return (Decimal(achieved) * 100 / Decimal(target)).quantize(PERCENT, rounding=ROUND_HALF_UP)


def format_against_target(achieved: int, target: int | None) -> str | None:
    """ "269/805": the result over the target, in the Vietnamese number format."""
    if not target:
        return None
    return f"{format_number(achieved)}/{format_number(target)}"


def format_target_ratio(achieved: int, target: int | None) -> str | None:
    """ "33,42%": the ratio with two decimals and a comma decimal."""
    ratio = target_ratio(achieved, target)
    return None if ratio is None else f"{format_number(ratio, 2)}%"


def target_line(achieved: int, target: int | None) -> tuple[str, str] | None:
    """("269/805", "33,42%"), or None without a target."""
    against, ratio = format_against_target(achieved, target), format_target_ratio(achieved, target)
    return None if against is None or ratio is None else (against, ratio)
