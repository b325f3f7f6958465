"""Vietnamese formats: dd/mm/yyyy, a dot for thousands, a comma for decimals."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.formatting import format_date, format_number, parse_date


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (5016, 0, "5.016"),
        (33.4234, 2, "33,42"),
        (94.565, 2, "94,57"),
        (0, 0, "0"),
        (7, 0, "7"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (5_600_000, 0, "5.600.000"),
        (-1234.5, 1, "-1.234,5"),
        (100, 2, "100,00"),
        (999.995, 2, "1.000,00"),
        (2.675, 2, "2,68"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (Decimal("0.125"), 2, "0,13"),
    ],
)
def test_numbers_use_a_dot_for_thousands_and_a_comma_for_decimals(value, decimals, text):
    assert format_number(value, decimals) == text


def test_a_negative_number_that_rounds_to_zero_has_no_sign():
    assert format_number(-0.004, 2) == "0,00"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_formatted_integers_read_back_without_the_dots(value):
    text = format_number(value)
    assert int(text.replace(".", "")) == value
    groups = text.lstrip("-").split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


def test_dates_are_written_day_month_year():
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01/07/2025", dt.date(2025, 7, 1)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        (" 31/12/2024 ", dt.date(2024, 12, 31)),
        ("2025-07-01", dt.date(2025, 7, 1)),
    ],
)
def test_dates_are_read_as_users_and_machines_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-01", "07/2025", "hôm nay"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_formatted_dates_parse_back(day):
    assert parse_date(format_date(day)) == day
