"""Targets' rules: which indicators and years take a target, and the figures against it."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.errors import DomainError
from dangvu.planning import rules

TODAY = dt.date(2025, 3, 1)


# the figures against a target -----------------------------------------------------------------
def test_the_scenario_figures():
    assert rules.format_against_target(269, 805) == "269/805"
    assert rules.format_target_ratio(269, 805) == "33,42%"
    assert rules.target_ratio(269, 805) == Decimal("33.42")
    assert rules.target_line(269, 805) == ("269/805", "33,42%")


@pytest.mark.parametrize(
    ("achieved", "target", "text"),
    [
        (1, 8, "12,50%"),  # exact: 12.5
        (1, 800, "0,13%"),  # 0.125 rounds half up (half-even would give 0,12)
        (3, 800, "0,38%"),  # 0.375
        (1, 3, "33,33%"),
        (2, 3, "66,67%"),
        (0, 805, "0,00%"),
        (805, 805, "100,00%"),
        (1234, 1000, "123,40%"),  # over the target
    ],
)
def test_ratio_has_two_decimals_rounded_half_up(achieved, target, text):
    assert rules.format_target_ratio(achieved, target) == text


def test_large_figures_use_the_thousands_dot():
    assert rules.format_against_target(5016, 12000) == "5.016/12.000"
    assert rules.format_target_ratio(12000, 5000) == "240,00%"


@pytest.mark.parametrize("target", [0, None])
def test_no_target_gives_no_ratio(target):
    assert rules.target_ratio(39, target) is None
    assert rules.format_target_ratio(39, target) is None
    assert rules.format_against_target(39, target) is None
    assert rules.target_line(39, target) is None


@given(st.integers(0, 10**7), st.integers(1, 10**7))
def test_ratio_is_the_percentage_within_half_a_hundredth(achieved, target):
    ratio = rules.target_ratio(achieved, target)
    exact = Decimal(achieved) * 100 / Decimal(target)
    assert ratio == ratio.quantize(Decimal("0.01"))
    assert abs(ratio - exact) <= Decimal("0.005")


# which indicators --------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["admissions", "admissions.youth", "recognitions", "badges.30"])
def test_flow_indicators_take_a_target(code):
    assert rules.check_indicator(code) == code


@pytest.mark.parametrize("code", ["members.total", "orgs.grassroots", "admission", "", "badges.x"])
def test_stocks_and_unknown_codes_are_refused(code):
    with pytest.raises(DomainError) as error:
        rules.check_indicator(code)
    assert error.value.code == "planning.UNKNOWN_INDICATOR"
    assert "danh mục" in error.value.message


@pytest.mark.parametrize("value", [0, -5, rules.MAX_TARGET + 1])
def test_a_target_is_a_positive_whole_number(value):
    with pytest.raises(DomainError) as error:
        rules.check_target_value(value)
    assert error.value.code == "planning.INVALID_TARGET"


@pytest.mark.parametrize("value", [1, 805, rules.MAX_TARGET])
def test_valid_targets_pass(value):
    rules.check_target_value(value)


# which years -------------------------------------------------------------------------------
@pytest.mark.parametrize("year", [1929, 2031, 0, 10**6])
def test_years_out_of_range_are_refused(year):
    with pytest.raises(DomainError) as error:
        rules.check_target_year(year, today=TODAY)
    assert error.value.code == "planning.YEAR_OUT_OF_RANGE"


@pytest.mark.parametrize("year", [1930, 2020, 2025, 2030])
def test_years_from_the_founding_to_a_term_ahead_pass(year):
    rules.check_target_year(year, today=TODAY)


def test_a_target_is_judged_on_the_last_day_of_its_year():
    established = dt.date(2010, 1, 1)
    on = rules.target_reference_date
    assert on(2024, established_on=established, dissolved_on=None) == dt.date(2024, 12, 31)
    # established during the year: still the 31/12
    assert on(2024, established_on=dt.date(2024, 6, 1), dissolved_on=None) == dt.date(2024, 12, 31)
    # ended during the year: its last day
    assert on(2024, established_on=established, dissolved_on=dt.date(2024, 6, 1)) == dt.date(
        2024, 5, 31
    )
    # ended on 01/01 of the next year: the whole year
    assert on(2024, established_on=established, dissolved_on=dt.date(2025, 1, 1)) == dt.date(
        2024, 12, 31
    )


def test_no_reference_date_in_a_year_the_organisation_did_not_exist():
    on = rules.target_reference_date
    assert on(2009, established_on=dt.date(2010, 1, 1), dissolved_on=None) is None
    assert on(2025, established_on=dt.date(2010, 1, 1), dissolved_on=dt.date(2025, 1, 1)) is None
