"""The Party's rules on members (rules.py): pure functions, no database."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.errors import DomainError
from dangvu.members import rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberStatus as S
from dangvu.members.parameters import Parameters
from dangvu.members.rules import DisciplineForm as D
from dangvu.members.rules import ExitReason as X
from dangvu.members.rules import PartialDate, PartyAge

P = Parameters()
NO_HOLIDAYS: frozenset[dt.date] = frozenset()
d = dt.date

dates = st.dates(min_value=d(1930, 1, 1), max_value=d(2100, 12, 31))


def code_of(excinfo) -> str:
    return excinfo.value.code


# --- working days ------------------------------------------------------------------------------


def test_working_days_skip_the_weekend_quy_dinh_294():
    assert rules.add_working_days(d(2025, 4, 25), 1, NO_HOLIDAYS) == d(2025, 4, 28)  # Fri → Mon
    assert rules.add_working_days(d(2025, 4, 25), 0, NO_HOLIDAYS) == d(2025, 4, 25)


def test_working_days_skip_holidays_quy_dinh_294():
    holidays = frozenset({d(2025, 4, 30), d(2025, 5, 1)})
    assert rules.add_working_days(d(2025, 4, 28), 3, holidays) == d(2025, 5, 5)
    assert rules.add_working_days(d(2025, 4, 28), 3, NO_HOLIDAYS) == d(2025, 5, 1)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        rules.add_working_days(d(2025, 4, 28), -1, NO_HOLIDAYS)


@given(dates, st.integers(min_value=1, max_value=200), st.sets(dates, max_size=20))
def test_working_day_deadline_is_a_working_day_with_n_working_days_before(start, n, holidays):
    holidays = frozenset(holidays)
    end = rules.add_working_days(start, n, holidays)
    assert end.weekday() < 5 and end not in holidays
    span = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(1 for day in span if day.weekday() < 5 and day not in holidays) == n


# --- admission age -----------------------------------------------------------------------------


def test_admission_refused_the_day_before_the_18th_birthday_dieu_le_dieu_1():
    with pytest.raises(DomainError) as excinfo:
        rules.check_admission_age(PartialDate(2008, 6, 15), d(2026, 6, 14), P)
    assert code_of(excinfo) == "members.ADMISSION_UNDER_AGE"
    assert "đủ 18 tuổi" in excinfo.value.message


def test_admission_allowed_on_the_18th_birthday_dieu_le_dieu_1():
    assert rules.check_admission_age(PartialDate(2008, 6, 15), d(2026, 6, 15), P) is None


def test_admission_on_29_february_birthday_counts_from_28_february_dieu_le_dieu_1():
    assert rules.check_admission_age(PartialDate(2008, 2, 29), d(2026, 2, 28), P) is None
    with pytest.raises(DomainError):
        rules.check_admission_age(PartialDate(2008, 2, 29), d(2026, 2, 27), P)


@pytest.mark.parametrize(
    ("birth", "refused", "accepted"),
    [
        (PartialDate(2008), d(2026, 12, 30), d(2026, 12, 31)),
        (PartialDate(2008, 6), d(2026, 6, 29), d(2026, 6, 30)),
        (PartialDate(2007, 2), d(2025, 2, 27), d(2025, 2, 28)),
    ],
)
def test_incomplete_birth_date_assumes_the_latest_possible_day_for_the_minimum_age(
    birth, refused, accepted
):
    with pytest.raises(DomainError):
        rules.check_admission_age(birth, refused, P)
    assert rules.check_admission_age(birth, accepted, P) is None


def test_age_in_months_counts_full_months():
    assert rules.age_in_months(PartialDate(2000, 1, 31), d(2000, 2, 28)) == 0
    assert rules.age_in_months(PartialDate(2000, 1, 31), d(2000, 2, 29)) == 1
    assert rules.age_in_months(PartialDate(2000), d(2001, 1, 1)) == 0
    assert rules.age_in_months(PartialDate(2000), d(2001, 1, 1), assume_earliest=True) == 12


def test_admission_at_exactly_sixty_full_years_is_no_warning_quy_dinh_294():
    assert rules.check_admission_age(PartialDate(1966, 3, 10), d(2026, 3, 10), P) is None


def test_admission_one_day_past_sixty_full_years_warns_quy_dinh_294():
    warning = rules.check_admission_age(PartialDate(1966, 3, 10), d(2026, 3, 11), P)
    assert warning == rules.RuleWarning("members.ADMISSION_OVER_AGE", warning.message)
    assert "tỉnh ủy" in warning.message


def test_over_age_warning_assumes_the_earliest_possible_birth_date():
    assert rules.check_admission_age(PartialDate(1966), d(2026, 1, 2), P) is not None
    assert rules.check_admission_age(PartialDate(1966), d(2026, 1, 1), P) is None


def test_admission_age_limits_come_from_the_parameters():
    params = dataclasses.replace(P, admission_min_age_years=20)
    with pytest.raises(DomainError):
        rules.check_admission_age(PartialDate(2006, 6, 15), d(2026, 6, 14), params)
    assert rules.check_admission_age(PartialDate(2006, 6, 15), d(2026, 6, 15), params) is None


def test_partial_date_needs_a_month_for_a_day():
    with pytest.raises(ValueError):
        PartialDate(2000, None, 5)
    with pytest.raises(ValueError):
        PartialDate(2001, 2, 29)


# --- admission deadlines -----------------------------------------------------------------------


def test_admission_decision_within_60_working_days_extendable_by_30_dieu_le_dieu_4():
    assert rules.admission_decision_deadline(d(2025, 9, 1), P, NO_HOLIDAYS) == d(2025, 11, 24)
    extended = rules.admission_decision_deadline(d(2025, 9, 1), P, NO_HOLIDAYS, extended=True)
    assert extended == d(2026, 1, 5)


def test_ceremony_within_30_working_days_of_the_decision_quy_dinh_294():
    received = d(2026, 3, 16)  # Monday: six working weeks later, the day itself not counted
    deadline = rules.ceremony_deadline(received, P, NO_HOLIDAYS)
    assert deadline == d(2026, 4, 27)
    assert rules.check_ceremony_date(received, deadline, P, NO_HOLIDAYS) is None
    late = rules.check_ceremony_date(received, d(2026, 4, 28), P, NO_HOLIDAYS)
    assert late is not None and late.code == "members.CEREMONY_LATE"
    with pytest.raises(DomainError) as excinfo:
        rules.check_ceremony_date(received, d(2026, 3, 15), P, NO_HOLIDAYS)
    assert code_of(excinfo) == "members.CEREMONY_BEFORE_DECISION"


# --- probation and recognition -----------------------------------------------------------------


def test_probation_is_twelve_months_from_the_ceremony_dieu_le_dieu_5():
    assert rules.probation_end(d(2025, 3, 15), P) == d(2026, 3, 15)
    assert rules.probation_end(d(2024, 2, 29), P) == d(2025, 2, 28)


def test_recognition_the_day_before_the_twelve_month_mark_is_refused_dieu_le_dieu_5():
    with pytest.raises(DomainError) as excinfo:
        rules.check_recognition(d(2025, 3, 15), d(2026, 3, 14), P)
    assert code_of(excinfo) == "members.RECOGNITION_BEFORE_PROBATION_END"
    assert "15/03/2026" in excinfo.value.message


def test_recognition_on_the_twelve_month_mark_is_accepted_dieu_le_dieu_5():
    assert rules.check_recognition(d(2025, 3, 15), d(2026, 3, 15), P) is None


def test_recognition_dated_after_the_mark_warns_full_from_the_mark_quy_dinh_294():
    warning = rules.check_recognition(d(2025, 3, 15), d(2026, 5, 1), P)
    assert warning is not None and warning.code == "members.RECOGNITION_AFTER_PROBATION_END"


def test_recognition_deadlines_thirty_plus_thirty_working_days_quy_dinh_294():
    deadlines = rules.recognition_deadline(d(2025, 3, 15), P, NO_HOLIDAYS)
    # probation ends Sunday 15/03/2026; six working weeks later
    assert deadlines.cell == d(2026, 4, 24)
    assert deadlines.committee == d(2026, 6, 5)
    assert deadlines.committee_extended == d(2026, 7, 17)
    with_holiday = rules.recognition_deadline(d(2025, 3, 15), P, frozenset({d(2026, 4, 1)}))
    assert with_holiday.cell == d(2026, 4, 27)


def test_recognition_overdue_only_after_the_committee_deadline_quy_dinh_294():
    ceremony = d(2025, 3, 15)
    assert not rules.is_recognition_overdue(ceremony, d(2026, 6, 5), P, NO_HOLIDAYS)
    assert rules.is_recognition_overdue(ceremony, d(2026, 6, 6), P, NO_HOLIDAYS)
    assert not rules.is_recognition_overdue(ceremony, d(2026, 6, 6), P, NO_HOLIDAYS, extended=True)


@given(dates, st.integers(min_value=1, max_value=36))
def test_probation_end_is_always_after_the_ceremony(ceremony, months):
    params = dataclasses.replace(P, probation_months=months)
    end = rules.probation_end(ceremony, params)
    assert end > ceremony
    assert rules.full_months(ceremony, end) == months


# --- party age ---------------------------------------------------------------------------------


def test_party_age_counts_full_years_and_months_huong_dan_06():
    assert rules.party_age(d(2015, 7, 26), d(2026, 11, 25)) == PartyAge(11, 3)
    assert rules.party_age(d(2015, 7, 26), d(2026, 11, 26)) == PartyAge(11, 4)
    assert str(PartyAge(11, 4)) == "11 năm 4 tháng"


def test_party_age_minus_a_transfer_gap_huong_dan_06():
    gap = (d(2005, 3, 1), d(2005, 6, 1))  # 92 days between two cells
    assert rules.party_age(d(2000, 1, 10), d(2010, 1, 10)) == PartyAge(10, 0)
    assert rules.party_age(d(2000, 1, 10), d(2010, 1, 10), [gap]) == PartyAge(9, 8)


def test_party_age_counts_overlapping_gaps_once_and_ignores_gaps_outside():
    gaps = [
        (d(2005, 3, 1), d(2005, 6, 1)),
        (d(2005, 5, 1), d(2005, 7, 1)),
        (d(1990, 1, 1), d(1995, 1, 1)),
        (d(2020, 1, 1), d(2021, 1, 1)),
    ]
    assert rules.gap_days(d(2000, 1, 10), d(2010, 1, 10), gaps) == 122


def test_party_age_of_a_readmitted_member_counts_from_the_first_admission_minus_time_out():
    first = d(1990, 5, 19)
    out = (d(2000, 5, 19), d(2004, 5, 19))  # struck off, readmitted four years later
    assert rules.party_age(first, d(2026, 5, 19), [out]) == PartyAge(32, 0)


def test_party_age_start_is_the_decision_unless_the_installation_chooses_the_ceremony():
    assert rules.party_age_start(d(2015, 7, 1), d(2015, 7, 26), P) == d(2015, 7, 1)
    ceremony = dataclasses.replace(P, party_age_from="ceremony")
    assert rules.party_age_start(d(2015, 7, 1), d(2015, 7, 26), ceremony) == d(2015, 7, 26)


gaps_strategy = st.lists(
    st.tuples(dates, st.integers(min_value=0, max_value=4000)).map(
        lambda t: (t[0], t[0] + dt.timedelta(days=t[1]))
    ),
    max_size=5,
)


@given(dates, dates, gaps_strategy)
def test_party_age_is_never_negative_nor_more_than_the_calendar_span(admission, today, gaps):
    age = rules.party_age(admission, today, gaps)
    assert age.years >= 0 and 0 <= age.months < 12
    span = max(0, rules.full_months(admission, today))
    assert age.total_months <= span
    assert age.total_months == span or gaps


# --- badges ------------------------------------------------------------------------------------


def test_award_days_are_3_2_19_5_2_9_7_11_huong_dan_01_muc_18():
    assert rules.next_award_date(d(2026, 1, 1), P) == d(2026, 2, 3)
    assert rules.next_award_date(d(2026, 5, 19), P) == d(2026, 5, 19)
    assert rules.next_award_date(d(2026, 5, 19), P, inclusive=False) == d(2026, 9, 2)
    assert rules.next_award_date(d(2026, 11, 8), P) == d(2027, 2, 3)


def test_milestone_reached_exactly_on_an_award_day_counts_that_day_huong_dan_01_muc_18():
    assert rules.badge_due(d(1996, 5, 19), [], d(2026, 5, 19), P) == 30
    assert rules.badge_due(d(1996, 5, 20), [], d(2026, 5, 19), P) is None
    assert rules.next_award_date(rules.milestone_date(d(1996, 5, 19), [], 30), P) == d(2026, 5, 19)


def test_badge_milestone_reached_uses_the_milestone_list_huong_dan_01_muc_18():
    assert rules.badge_milestone_reached(d(1980, 1, 1), [], d(2024, 12, 31), P) == 40
    assert rules.badge_milestone_reached(d(1980, 1, 1), [], d(2025, 1, 1), P) == 45
    assert rules.badge_milestone_reached(d(2000, 1, 1), [], d(2026, 1, 1), P) is None


def test_badge_milestone_is_delayed_by_gaps_huong_dan_01_muc_18():
    gap = (d(2000, 1, 1), d(2000, 1, 11))  # ten days between cells
    assert rules.milestone_date(d(1996, 5, 19), [gap], 30) == d(2026, 5, 29)
    assert rules.badge_due(d(1996, 5, 19), [gap], d(2026, 5, 19), P) is None
    assert rules.badge_due(d(1996, 5, 19), [gap], d(2026, 9, 2), P) == 30


def test_badge_due_skips_milestones_already_awarded():
    assert rules.badge_due(d(1980, 1, 1), [], d(2026, 2, 3), P, already_awarded=40) == 45
    assert rules.badge_due(d(1980, 1, 1), [], d(2026, 2, 3), P, already_awarded=45) is None


def test_seriously_ill_member_may_get_30_to_65_year_badges_12_months_early_huong_dan_01():
    start = d(1996, 6, 1)  # 30 years on 01/06/2026
    assert rules.badge_due(start, [], d(2025, 9, 2), P) is None
    assert rules.badge_due(start, [], d(2025, 9, 2), P, seriously_ill=True) == 30
    assert rules.badge_due(start, [], d(2025, 5, 19), P, seriously_ill=True) is None


def test_seriously_ill_member_may_get_70_to_90_year_badges_24_months_early_huong_dan_01():
    start = d(1957, 1, 1)  # 65 years on 01/01/2022, 70 on 01/01/2027
    assert rules.badge_due(start, [], d(2025, 2, 3), P) == 65
    assert rules.badge_due(start, [], d(2025, 2, 3), P, seriously_ill=True) == 70
    assert rules.badge_due(start, [], d(2024, 11, 7), P, seriously_ill=True) == 65


def test_posthumous_award_may_be_12_months_early_huong_dan_01():
    start = d(1957, 1, 1)
    assert rules.badge_due(start, [], d(2026, 2, 3), P, posthumous=True) == 70
    assert rules.badge_due(start, [], d(2025, 11, 7), P, posthumous=True) == 65


# --- readmission -------------------------------------------------------------------------------


def test_readmission_needs_36_months_out_quy_dinh_294():
    with pytest.raises(DomainError) as excinfo:
        rules.check_readmission(d(2020, 1, 10), X.OTHER, 0, d(2023, 1, 9), P)
    assert code_of(excinfo) == "members.READMISSION_TOO_SOON"
    assert "10/01/2023" in excinfo.value.message
    rules.check_readmission(d(2020, 1, 10), X.OTHER, 0, d(2023, 1, 10), P)


def test_readmission_is_once_only_quy_dinh_294():
    with pytest.raises(DomainError) as excinfo:
        rules.check_readmission(d(2010, 1, 10), X.OTHER, 1, d(2023, 1, 10), P)
    assert code_of(excinfo) == "members.READMISSION_ONCE_ONLY"


@pytest.mark.parametrize(
    "reason",
    [X.ABANDONED_ACTIVITY, X.RESIGNED, X.SERIOUS_DISUNITY, X.CORRUPTION, X.SERIOUS_CRIME],
)
def test_readmission_barred_for_these_exit_reasons_quy_dinh_294(reason):
    with pytest.raises(DomainError) as excinfo:
        rules.check_readmission(d(2000, 1, 10), reason, 0, d(2023, 1, 10), P)
    assert code_of(excinfo) == "members.READMISSION_BARRED"


def test_readmission_allowed_after_resigning_for_family_hardship_quy_dinh_294():
    assert (
        rules.check_readmission(d(2000, 1, 10), X.RESIGNED_FAMILY_HARDSHIP, 0, d(2023, 1, 10), P)
        is None
    )


def test_readmission_after_a_minor_conviction_waits_60_months_after_the_record_is_cleared():
    with pytest.raises(DomainError) as excinfo:
        rules.check_readmission(d(2010, 1, 10), X.MINOR_CRIME, 0, d(2023, 1, 10), P)
    assert code_of(excinfo) == "members.READMISSION_RECORD_NOT_CLEARED"
    cleared = d(2021, 1, 1)
    with pytest.raises(DomainError) as excinfo:
        rules.check_readmission(
            d(2010, 1, 10), X.MINOR_CRIME, 0, d(2025, 12, 31), P, record_cleared_on=cleared
        )
    assert code_of(excinfo) == "members.READMISSION_TOO_SOON"
    rules.check_readmission(
        d(2010, 1, 10), X.MINOR_CRIME, 0, d(2026, 1, 1), P, record_cleared_on=cleared
    )


# --- transfers ---------------------------------------------------------------------------------


def test_transfer_starts_within_60_and_letter_within_30_working_days_quy_dinh_294():
    deadlines = rules.transfer_deadlines(d(2025, 9, 1), P, NO_HOLIDAYS)
    assert deadlines.start_by == d(2025, 11, 24)
    assert deadlines.present_by == d(2026, 1, 5)
    holiday = rules.transfer_deadlines(d(2025, 9, 1), P, frozenset({d(2025, 9, 2)}))
    assert holiday.start_by == d(2025, 11, 25)
    introduced = rules.transfer_deadlines(
        d(2025, 9, 1), P, NO_HOLIDAYS, introduced_on=d(2025, 9, 15)
    )
    assert introduced.present_by == d(2025, 10, 27)


def test_late_transfer_is_flagged_not_struck_off_quy_dinh_294():
    args = (P, NO_HOLIDAYS)
    on_time = rules.check_transfer_on_time(
        d(2025, 9, 1), d(2025, 11, 24), d(2025, 10, 27), d(2025, 9, 15), *args
    )
    assert on_time == []
    late = rules.check_transfer_on_time(
        d(2025, 9, 1), d(2025, 11, 25), d(2025, 10, 28), d(2025, 9, 15), *args
    )
    assert [w.code for w in late] == [
        "members.TRANSFER_STARTED_LATE",
        "members.TRANSFER_PRESENTED_LATE",
    ]


@pytest.mark.parametrize(
    ("end", "for_study", "error"),
    [
        (d(2026, 4, 14), False, "members.TEMPORARY_TRANSFER_TOO_SHORT"),
        (d(2026, 4, 15), False, None),
        (d(2027, 1, 14), False, None),
        (d(2027, 1, 15), False, "members.TEMPORARY_TRANSFER_TOO_LONG"),
        (d(2028, 1, 15), True, None),
        (d(2028, 1, 16), True, "members.TEMPORARY_TRANSFER_TOO_LONG"),
        (d(2026, 1, 15), False, "members.TEMPORARY_TRANSFER_END_BEFORE_START"),
    ],
)
def test_temporary_transfer_three_months_to_under_a_year_study_two_years_qd_29(
    end, for_study, error
):
    start = d(2026, 1, 15)
    if error is None:
        rules.check_temporary_transfer(start, end, for_study, P)
    else:
        with pytest.raises(DomainError) as excinfo:
            rules.check_temporary_transfer(start, end, for_study, P)
        assert code_of(excinfo) == error


# --- exemption ---------------------------------------------------------------------------------


def test_exemption_needs_a_request_and_old_age_or_weak_health_hd_27_btctw():
    rules.check_exemption(requested=True, old_age=True, weak_health=False)
    rules.check_exemption(requested=True, old_age=False, weak_health=True)
    with pytest.raises(DomainError) as excinfo:
        rules.check_exemption(requested=False, old_age=True, weak_health=True)
    assert code_of(excinfo) == "members.EXEMPTION_NOT_REQUESTED"
    with pytest.raises(DomainError) as excinfo:
        rules.check_exemption(requested=True, old_age=False, weak_health=False)
    assert code_of(excinfo) == "members.EXEMPTION_NO_GROUND"


# --- discipline --------------------------------------------------------------------------------

FORMS_ALLOWED = {
    S.PROBATIONARY: {D.REPRIMAND, D.WARNING},
    S.FULL: {D.REPRIMAND, D.WARNING, D.REMOVAL_FROM_POST, D.EXPULSION},
    rules.ORGANIZATION: {D.REPRIMAND, D.WARNING, D.DISSOLUTION},
}


@pytest.mark.parametrize("subject", list(FORMS_ALLOWED))
@pytest.mark.parametrize("form", list(D.values))
def test_discipline_forms_dieu_le_dieu_35_quy_dinh_69(subject, form):
    if form in FORMS_ALLOWED[subject]:
        rules.check_discipline_form(subject, form)
    else:
        with pytest.raises(DomainError) as excinfo:
            rules.check_discipline_form(subject, form)
        assert code_of(excinfo) == "members.DISCIPLINE_FORM_NOT_ALLOWED"


def test_probationary_member_cannot_be_expelled_message_names_both():
    with pytest.raises(DomainError) as excinfo:
        rules.check_discipline_form(S.PROBATIONARY, D.EXPULSION)
    assert "khai trừ" in excinfo.value.message
    assert "đảng viên dự bị" in excinfo.value.message


@pytest.mark.parametrize("status", [S.NONE, S.STRUCK_OFF, S.EXPELLED, S.DECEASED])
def test_only_members_and_organisations_are_disciplined(status):
    with pytest.raises(DomainError) as excinfo:
        rules.check_discipline_form(status, D.REPRIMAND)
    assert code_of(excinfo) == "members.DISCIPLINE_NOT_A_MEMBER"


def test_limitation_five_years_reprimand_ten_years_warning_none_expulsion_qd_102():
    assert rules.limitation_expires(d(2020, 3, 1), D.REPRIMAND, P) == d(2025, 2, 28)
    assert rules.limitation_expires(d(2020, 3, 1), D.WARNING, P) == d(2030, 2, 28)
    assert rules.limitation_expires(d(2020, 3, 1), D.REMOVAL_FROM_POST, P) == d(2030, 2, 28)
    assert rules.limitation_expires(d(2020, 3, 1), D.EXPULSION, P) is None
    rules.check_within_limitation(d(2020, 3, 1), D.REPRIMAND, d(2025, 2, 28), P)
    rules.check_within_limitation(d(2020, 3, 1), D.EXPULSION, d(2060, 1, 1), P)
    with pytest.raises(DomainError) as excinfo:
        rules.check_within_limitation(d(2020, 3, 1), D.REPRIMAND, d(2025, 3, 1), P)
    assert code_of(excinfo) == "members.DISCIPLINE_TIME_BARRED"


# --- lifecycle state machine -------------------------------------------------------------------


def test_every_status_has_its_allowed_events_and_every_event_is_possible_somewhere():
    assert set(rules.ALLOWED_EVENTS) == set(S.values)
    assert set().union(*rules.ALLOWED_EVENTS.values()) == set(E.values)


@pytest.mark.parametrize(
    ("status", "event", "after"),
    [
        (S.NONE, E.ADMISSION, S.PROBATIONARY),
        (S.PROBATIONARY, E.RECOGNITION, S.FULL),
        (S.PROBATIONARY, E.RECOGNITION_REFUSED, S.STRUCK_OFF),
        (S.PROBATIONARY, E.DISCIPLINE, S.PROBATIONARY),
        (S.FULL, E.TRANSFER_OUT, S.FULL),
        (S.FULL, E.BADGE_AWARD, S.FULL),
        (S.FULL, E.EXPULSION, S.EXPELLED),
        (S.FULL, E.WITHDRAWAL, S.WITHDRAWN),
        (S.FULL, E.DEATH, S.DECEASED),
        (S.STRUCK_OFF, E.READMISSION, S.PROBATIONARY),
        (S.EXPELLED, E.READMISSION, S.PROBATIONARY),
    ],
)
def test_allowed_transitions_dieu_le(status, event, after):
    assert rules.check_transition(status, event) == after


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (S.NONE, E.RECOGNITION),
        (S.PROBATIONARY, E.EXPULSION),  # only reprimand or warning: struck off instead
        (S.PROBATIONARY, E.BADGE_AWARD),
        (S.PROBATIONARY, E.CARD_ISSUE),
        (S.FULL, E.ADMISSION),
        (S.FULL, E.RECOGNITION),
        (S.STRUCK_OFF, E.TRANSFER_OUT),
        (S.DECEASED, E.READMISSION),
    ],
)
def test_forbidden_transitions_name_status_and_event(status, event):
    with pytest.raises(DomainError) as excinfo:
        rules.check_transition(status, event)
    assert code_of(excinfo) == "members.EVENT_NOT_ALLOWED"
    assert str(S(status).label) in excinfo.value.message
    assert str(E(event).label) in excinfo.value.message


@given(st.lists(st.sampled_from(list(E.values)), max_size=40))
def test_state_machine_never_allows_an_event_after_death(events):
    status = S.NONE
    dead = False
    for event in events:
        if event in rules.ALLOWED_EVENTS[status]:
            assert not dead
            status = rules.check_transition(status, event)
            dead = status == S.DECEASED
        else:
            with pytest.raises(DomainError):
                rules.check_transition(status, event)
    assert dead == (status == S.DECEASED)


@given(dates, gaps_strategy, st.sampled_from(P.badge_milestones))
def test_milestone_date_is_the_first_day_the_party_age_reaches_the_milestone(start, gaps, years):
    reached = rules.milestone_date(start, gaps, years)
    assert rules.party_age(start, reached, gaps).total_months >= years * 12
    before = reached - dt.timedelta(days=1)
    assert rules.party_age(start, before, gaps).total_months < years * 12
