"""Versioned rule parameters (parameters.py) and their defaults from the migrations."""

import datetime as dt

import pytest

from dangvu.members.models import RuleParameter
from dangvu.members.parameter_rows import migration_rows
from dangvu.members.parameters import ParameterRow, Parameters, load_parameters, parameters_on

DEFAULTS = migration_rows()
MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


def row(key, day, value):
    return ParameterRow(f"members.{key}", day, value)


def test_no_rows_gives_the_charter_defaults():
    params = parameters_on(dt.date(2021, 1, 1), [])
    assert params.probation_months == 12
    assert params.admission_min_age_years == 18
    assert params.badge_milestones == MILESTONES


def test_a_later_row_overrides_from_its_effective_date_only():
    rows = [
        row("probation_months", dt.date(2011, 1, 19), 12),
        row("probation_months", dt.date(2030, 1, 1), 18),
    ]
    assert parameters_on(dt.date(2029, 12, 31), rows).probation_months == 12
    assert parameters_on(dt.date(2030, 1, 1), rows).probation_months == 18
    assert parameters_on(dt.date(2031, 6, 1), rows).probation_months == 18


def test_row_order_does_not_matter():
    rows = [
        row("readmission_min_months_out", dt.date(2030, 1, 1), 48),
        row("readmission_min_months_out", dt.date(2016, 7, 25), 36),
    ]
    assert parameters_on(dt.date(2030, 2, 1), rows).readmission_min_months_out == 48
    assert parameters_on(dt.date(2020, 2, 1), rows).readmission_min_months_out == 36


def test_a_row_not_yet_in_force_is_ignored():
    rows = [row("admission_min_age_years", dt.date(2030, 1, 1), 20)]
    assert parameters_on(dt.date(2026, 1, 1), rows).admission_min_age_years == 18


def test_award_days_are_parsed_from_month_day_text():
    rows = [row("badge_award_days", dt.date(2021, 1, 1), ["11-07", "02-03"])]
    assert parameters_on(dt.date(2022, 1, 1), rows).badge_award_days == ((2, 3), (11, 7))


def test_rows_of_other_apps_are_ignored_and_unknown_member_keys_refused():
    other = ParameterRow("dues.rate_percent", dt.date(2026, 2, 3), 1)
    assert parameters_on(dt.date(2026, 3, 1), [other]) == Parameters()
    with pytest.raises(ValueError, match="probaton_months"):
        parameters_on(dt.date(2026, 3, 1), [row("probaton_months", dt.date(2020, 1, 1), 12)])


@pytest.mark.parametrize(
    ("key", "value"),
    [("probation_months", "12"), ("probation_months", True), ("party_age_from", "vote")],
)
def test_bad_values_are_refused(key, value):
    with pytest.raises(ValueError):
        parameters_on(dt.date(2026, 3, 1), [row(key, dt.date(2020, 1, 1), value)])


def test_migration_defaults_cover_every_parameter_with_a_source():
    keys = {key for key, *_ in DEFAULTS}
    assert keys == {f.name for f in Parameters.__dataclass_fields__.values()}
    for key, _, _, source, _note in DEFAULTS:
        assert source and len(source) <= 255, key
        assert len(f"members.{key}") <= 64
    notes = {key: note for key, *_, note in DEFAULTS}
    assert "Chưa chắc chắn" in notes["limitation_reprimand_years"]


def test_migration_defaults_equal_the_dataclass_defaults():
    rows = [ParameterRow(f"members.{k}", d, v) for k, d, v, *_ in DEFAULTS]
    assert parameters_on(dt.date(2026, 11, 1), rows) == Parameters()


@pytest.mark.django_db
def test_migration_defaults_load_from_the_database():
    assert RuleParameter.objects.filter(key="members.probation_months").exists()
    probation = RuleParameter.objects.get(key="members.probation_months")
    assert "Điều lệ Đảng 2011, Điều 5" in probation.source
    params = load_parameters(dt.date(2021, 3, 31))
    assert params.probation_months == 12
    assert params.badge_milestones == MILESTONES
    assert params.badge_award_days == ((2, 3), (5, 19), (9, 2), (11, 7))


@pytest.mark.django_db
def test_load_parameters_honours_a_later_row_from_its_date():
    RuleParameter.objects.create(
        key="members.probation_months",
        effective_from=dt.date(2030, 1, 1),
        value=18,
        source="thử nghiệm",
    )
    assert load_parameters(dt.date(2029, 12, 31)).probation_months == 12
    assert load_parameters(dt.date(2030, 1, 1)).probation_months == 18
