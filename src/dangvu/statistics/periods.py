"""Reporting periods: a quarter, the first 6 or 9 months, a year, or a custom range.

Codes (DESIGN.md): `2021-Q1` … `2021-Q4`, `2024-H1` (first six months), `2023-9M` (first nine
months), `2023` (the year), `2021-01-01..2021-03-31`. A period is inclusive at both ends.

Installations differ on where a period's figures stop (ngày chốt số liệu). With the calendar
convention (cut-off day None) Q1 is 01/01-31/03. With a cut-off day N, a period that ends in
month m runs from day N of the month before its first month to day N-1 of month m: with N = 15,
Q1/2021 is 15/12/2020-14/03/2021, as the state statistical reporting regime counts it. The
cut-off applies to named periods only; a custom range is taken as written.
"""

import datetime as dt
import re
from dataclasses import dataclass

from dangvu.core.errors import DomainError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
FIRST_YEAR, LAST_YEAR = 1930, 2199  # from the Party's founding
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H1$")
_NINE = re.compile(r"^(\d{4})-9M$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date
    kind: str  # quarter, half, nine_months, year, range
    year: int | None = None
    quarter: int | None = None

    @property
    def label(self) -> str:
        """The period as reports name it: "quý I năm 2021", "6 tháng đầu năm 2024"."""
        if self.kind == "quarter":
            return f"quý {ROMAN[self.quarter]} năm {self.year}"
        if self.kind == "half":
            return f"6 tháng đầu năm {self.year}"
        if self.kind == "nine_months":
            return f"9 tháng đầu năm {self.year}"
        if self.kind == "year":
            return f"năm {self.year}"
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    @property
    def day_before(self) -> dt.date:
        """The day whose end the opening figures are taken at."""
        return self.start - dt.timedelta(days=1)

    def same_period_last_year(self, cutoff_day: int | None = None) -> "Period":
        if self.kind == "range":
            return Period(
                f"{_shift_year(self.start)}..{_shift_year(self.end)}",
                _shift_year(self.start),
                _shift_year(self.end),
                "range",
            )
        return parse_period(self.code.replace(str(self.year), str(self.year - 1), 1), cutoff_day)


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02
        return day.replace(year=day.year - 1, day=28)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _bounds(year: int, first_month: int, last_month: int, cutoff_day: int | None):
    if cutoff_day is None:
        return dt.date(year, first_month, 1), _month_end(year, last_month)
    before = dt.date(year, first_month, 1) - dt.timedelta(days=1)
    return (
        dt.date(before.year, before.month, cutoff_day),
        dt.date(year, last_month, cutoff_day) - dt.timedelta(days=1),
    )


def _invalid(code: str) -> DomainError:
    return DomainError(
        "statistics.INVALID_PERIOD",
        f"Kỳ báo cáo «{code}» không hợp lệ. Dùng dạng 2021-Q1 (quý), 2024-H1 (6 tháng), "
        "2023-9M (9 tháng), 2023 (năm) hoặc 2021-01-01..2021-03-31.",
    )


def parse_period(code: str, cutoff_day: int | None = None) -> Period:
    """The period a code names, with the installation's cut-off day (None: calendar)."""
    if cutoff_day is not None and not 2 <= cutoff_day <= 28:
        raise ValueError("the cut-off day must be between 2 and 28")
    text = (code or "").strip().upper()
    year_text = text[:4]
    if (
        year_text.isascii()
        and year_text.isdigit()
        and not FIRST_YEAR <= int(year_text) <= LAST_YEAR
    ):
        raise _invalid(code)
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        start, end = _bounds(year, 3 * quarter - 2, 3 * quarter, cutoff_day)
        return Period(text, start, end, "quarter", year, quarter)
    for pattern, kind, months in (
        (_HALF, "half", 6),
        (_NINE, "nine_months", 9),
        (_YEAR, "year", 12),
    ):
        if match := pattern.match(text):
            year = int(match[1])
            start, end = _bounds(year, 1, months, cutoff_day)
            return Period(text, start, end, kind, year)
    if match := _RANGE.match(text):
        try:
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        except ValueError:
            raise _invalid(code) from None
        if end.year > LAST_YEAR:
            raise _invalid(code)
        if end < start:
            raise DomainError(
                "statistics.PERIOD_END_BEFORE_START",
                f"Ngày kết thúc kỳ báo cáo ({end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y}).",
            )
        return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, "range")
    raise _invalid(code)
