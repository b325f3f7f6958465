"""Reporting periods: the codes of DESIGN.md, the cut-off convention, last year's period."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.statistics.periods import parse_period

D = dt.date


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2021-Q1", D(2021, 1, 1), D(2021, 3, 31), "quý I năm 2021"),
        ("2021-q4", D(2021, 10, 1), D(2021, 12, 31), "quý IV năm 2021"),
        ("2024-H1", D(2024, 1, 1), D(2024, 6, 30), "6 tháng đầu năm 2024"),
        ("2023-9M", D(2023, 1, 1), D(2023, 9, 30), "9 tháng đầu năm 2023"),
        ("2023", D(2023, 1, 1), D(2023, 12, 31), "năm 2023"),
        (
            "2021-01-15..2021-02-14",
            D(2021, 1, 15),
            D(2021, 2, 14),
            "từ ngày 15/01/2021 đến ngày 14/02/2021",
        ),
    ],
)
def test_period_codes_on_the_calendar(code, start, end, label):
    period = parse_period(code)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_a_cut_off_day_moves_named_periods_only():
    q1 = parse_period("2021-Q1", cutoff_day=15)
    assert (q1.start, q1.end) == (D(2020, 12, 15), D(2021, 3, 14))
    year = parse_period("2023", cutoff_day=15)
    assert (year.start, year.end) == (D(2022, 12, 15), D(2023, 12, 14))
    custom = parse_period("2021-01-01..2021-03-31", cutoff_day=15)
    assert (custom.start, custom.end) == (D(2021, 1, 1), D(2021, 3, 31))


def test_leap_february_ends_the_first_quarter_of_2024_on_the_31st_of_march():
    assert parse_period("2024-Q1").end == D(2024, 3, 31)
    assert parse_period("2024-02-01..2024-02-29").end == D(2024, 2, 29)


def test_same_period_last_year():
    assert parse_period("2021-Q1").same_period_last_year().code == "2020-Q1"
    assert parse_period("2024-H1").same_period_last_year().start == D(2023, 1, 1)
    custom = parse_period("2024-02-01..2024-02-29").same_period_last_year()
    assert (custom.start, custom.end) == (D(2023, 2, 1), D(2023, 2, 28))
    assert parse_period("2021-Q1", 15).same_period_last_year(15).start == D(2019, 12, 15)


@pytest.mark.parametrize(
    "code", ["", "2021-Q5", "2021-H2", "21-Q1", "1899", "2021-02-30..2021-03-01", "Q1-2021"]
)
def test_bad_codes_are_refused_in_vietnamese(code):
    with pytest.raises(DomainError) as info:
        parse_period(code)
    assert info.value.code == "statistics.INVALID_PERIOD"
    assert "Kỳ báo cáo" in info.value.message


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(DomainError) as info:
        parse_period("2021-03-31..2021-01-01")
    assert info.value.code == "statistics.PERIOD_END_BEFORE_START"
