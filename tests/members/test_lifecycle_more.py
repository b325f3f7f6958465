"""Temporary transfers, party age with its gaps, party cards, exemption grounds, discipline
cleared, late receptions: each through the lifecycle services, with the regulation named."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.core.errors import DomainError, NotFound
from dangvu.members import lifecycle, rules, selectors, worklists
from dangvu.members.models import MemberEvent, Person
from dangvu.members.parameters import Parameters
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import decision, establish

from .people import add_person

D = dt.date


CEREMONY, DECIDED = D(1994, 5, 19), D(1994, 5, 10)
START, UNTIL = D(2024, 3, 1), D(2024, 9, 1)


def admitted(system, cell, name, *, ceremony=CEREMONY, decided=DECIDED, **extra):
    person = add_person(system, cell, name, **extra)
    lifecycle.member_admit(
        scope=system, person=person, ceremony_date=ceremony, decision=decision(decided)
    )
    lifecycle.member_recognize(
        scope=system, person=person, decision=decision(rules.add_months(ceremony, 13))
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def tree(db, system):
    """Cells old enough for members admitted in the 1990s."""
    old = D(1980, 1, 1)
    province = establish(system, "QN", "Đảng bộ tỉnh Quảng Ngãi", T.PROVINCIAL_COMMITTEE, day=old)
    bloc = establish(system, "QN.DUK", "Đảng bộ Khối", T.UPPER_COMMITTEE, province, day=old)
    health = establish(system, "QN.YT", "Đảng bộ Sở Y tế", T.GRASSROOTS_COMMITTEE, bloc, day=old)
    return {
        "office": establish(
            system, "QN.YT.VP", "Chi bộ Văn phòng Sở", T.SUBORDINATE_CELL, health, day=old
        ),
        "inspect": establish(
            system, "QN.YT.TTR", "Chi bộ Thanh tra Sở", T.SUBORDINATE_CELL, health, day=old
        ),
        "justice": establish(
            system, "QN.TP", "Chi bộ Sở Tư pháp", T.GRASSROOTS_CELL, bloc, day=old
        ),
    }


@pytest.fixture
def cuong(system, tree):
    return admitted(system, tree["office"], "Lê Quốc Cường", birth_year=1965)


@pytest.fixture
def actors(tree, make_user, scope_of):
    return {
        "home": scope_of(make_user("vanphong", tree["office"], Role.EDITOR)),
        "host": scope_of(make_user("tuphap", tree["justice"], Role.EDITOR)),
        "other": scope_of(make_user("thanhtra", tree["inspect"], Role.EDITOR)),
    }


def temporary(scope, person, to, start=START, until=UNTIL, **extra):
    return lifecycle.member_temporary_transfer_out(
        scope=scope, person=person, to=to, effective_date=start, until=until, **extra
    )


def counts():
    return MemberEvent.objects.count(), list(Person.objects.order_by("pk").values())


# --- temporary transfer (Quy định 29-QĐ/TW 2016) ----------------------------------------------


def test_a_temporary_member_stays_in_the_home_cell_and_is_seen_by_the_host(tree, cuong, actors):
    temporary(actors["home"], cuong, tree["justice"])
    cuong.refresh_from_db()
    assert (cuong.organization, cuong.temporary_at, cuong.temporary_until) == (
        tree["office"],
        tree["justice"],
        D(2024, 9, 1),
    )
    # counted at home, not at the host
    assert [p.pk for p in selectors.person_list(scope=actors["home"])] == [cuong.pk]
    assert list(selectors.person_list(scope=actors["host"])) == []
    assert [p.pk for p in selectors.temporary_members(scope=actors["host"])] == [cuong.pk]
    assert selectors.person_get(scope=actors["host"], pk=cuong.pk) == cuong
    with pytest.raises(NotFound):
        selectors.person_get(scope=actors["other"], pk=cuong.pk)

    lifecycle.member_temporary_return(
        scope=actors["home"], person=cuong, effective_date=D(2024, 8, 20), decision=None
    )
    cuong.refresh_from_db()
    assert (cuong.temporary_at, cuong.temporary_until) == (None, None)
    assert list(selectors.temporary_members(scope=actors["host"])) == []


@pytest.mark.parametrize(
    ("until", "for_study", "code"),
    [
        (D(2024, 5, 31), False, "members.TEMPORARY_TRANSFER_TOO_SHORT"),  # under 3 months
        (D(2025, 3, 1), False, "members.TEMPORARY_TRANSFER_TOO_LONG"),  # a full year
        (D(2026, 3, 2), True, "members.TEMPORARY_TRANSFER_TOO_LONG"),  # study: over 2 years
    ],
)
def test_temporary_transfer_length_qd_29(tree, cuong, actors, until, for_study, code):
    before = counts()
    with pytest.raises(DomainError) as info:
        temporary(actors["home"], cuong, tree["justice"], until=until, for_study=for_study)
    assert info.value.code == code
    assert counts() == before


def test_temporary_transfer_boundaries_qd_29(tree, cuong, system, actors):
    temporary(actors["home"], cuong, tree["justice"], until=D(2024, 6, 1))  # exactly 3 months
    lifecycle.member_temporary_return(
        scope=system, person=cuong, effective_date=D(2024, 6, 1), decision=None
    )
    # just under a year; for study, exactly two years
    temporary(actors["home"], cuong, tree["justice"], start=D(2024, 7, 1), until=D(2025, 6, 30))
    lifecycle.member_temporary_return(
        scope=system, person=cuong, effective_date=D(2025, 6, 30), decision=None
    )
    temporary(
        actors["home"],
        cuong,
        tree["justice"],
        start=D(2025, 9, 1),
        until=D(2027, 9, 1),
        for_study=True,
    )
    cuong.refresh_from_db()
    assert cuong.temporary_until == D(2027, 9, 1)


def test_no_official_transfer_while_temporarily_away(tree, cuong, actors):
    temporary(actors["home"], cuong, tree["justice"])
    with pytest.raises(DomainError) as info:
        lifecycle.member_transfer_out(
            scope=actors["home"], person=cuong, to=tree["inspect"], effective_date=D(2024, 5, 1)
        )
    assert info.value.code == "members.TEMPORARY_TRANSFER_OPEN"


def test_a_return_needs_a_temporary_transfer(cuong, system):
    with pytest.raises(DomainError) as info:
        lifecycle.member_temporary_return(
            scope=system, person=cuong, effective_date=D(2024, 5, 1), decision=None
        )
    assert info.value.code == "members.NO_TEMPORARY_TRANSFER"


def test_temporary_transfers_past_their_end_are_listed_for_both_cells(tree, cuong, actors):
    temporary(actors["home"], cuong, tree["justice"])
    for actor in ("home", "host"):
        assert [
            p.pk
            for p in worklists.temporary_transfers_ended(scope=actors[actor], today=D(2024, 9, 2))
        ] == [cuong.pk]
        assert (
            list(worklists.temporary_transfers_ended(scope=actors[actor], today=D(2024, 9, 1)))
            == []
        )
    assert (
        list(worklists.temporary_transfers_ended(scope=actors["other"], today=D(2025, 1, 1))) == []
    )


def test_death_ends_a_temporary_transfer(tree, cuong, actors, system):
    temporary(actors["home"], cuong, tree["justice"])
    lifecycle.member_death(scope=system, person=cuong, effective_date=D(2024, 5, 1), decision=None)
    cuong.refresh_from_db()
    assert (cuong.temporary_at, cuong.left_on) == (None, D(2024, 5, 1))


# --- party age and its gaps (Hướng dẫn 01-HD/TW 2021, 06-HD/TW 2025) -----------------------


def test_party_age_counts_from_the_admission_decision(cuong):
    assert cuong.party_age_from == D(1994, 5, 10)
    assert rules.party_age(cuong.party_age_from, D(2024, 5, 10)) == rules.PartyAge(30, 0)


def test_days_between_two_cells_do_not_count_in_party_age(tree, cuong, system):
    lifecycle.member_transfer_out(
        scope=system, person=cuong, to=tree["justice"], effective_date=D(2020, 3, 2)
    )
    cuong.refresh_from_db()
    assert cuong.party_age_from == D(1994, 5, 10)  # the gap is open until received
    lifecycle.member_transfer_in(scope=system, person=cuong, effective_date=D(2020, 3, 12))
    cuong.refresh_from_db()
    assert cuong.party_age_from == D(1994, 5, 20)  # ten days later


def test_time_out_of_the_party_does_not_count_after_readmission(tree, system):
    hoa = admitted(
        system,
        tree["office"],
        "Phạm Thị Hoa",
        birth_year=1970,
        sex="female",
        ceremony=D(1995, 2, 3),
        decided=D(1995, 1, 20),
    )
    lifecycle.member_strike_off(
        scope=system,
        person=hoa,
        effective_date=D(2005, 1, 1),
        decision=decision(D(2005, 1, 1)),
        details={"exit_reason": "other"},
    )
    lifecycle.member_readmit(
        scope=system,
        person=hoa,
        effective_date=D(2010, 1, 15),
        decision=decision(D(2010, 1, 1)),
        details={"exit_reason": "other"},
    )
    hoa.refresh_from_db()
    out = (D(2010, 1, 1) - D(2005, 1, 1)).days  # left until the readmission decision
    assert hoa.party_age_from == D(1995, 1, 20) + dt.timedelta(days=out)
    assert hoa.admission_decision_date == D(2010, 1, 1)


def test_badge_checks_party_age_net_of_the_gaps(tree, cuong, system):
    lifecycle.member_transfer_out(
        scope=system, person=cuong, to=tree["justice"], effective_date=D(2010, 3, 1)
    )
    lifecycle.member_transfer_in(scope=system, person=cuong, effective_date=D(2010, 3, 11))
    # 30 years from 10/05/1994 plus 10 days: reached on 20/05/2024, not on 19/05/2024
    with pytest.raises(DomainError) as info:
        lifecycle.member_badge_propose(
            scope=system,
            person=cuong,
            effective_date=D(2024, 5, 19),
            decision=None,
            details={"milestone": 30},
        )
    assert info.value.code == "members.BADGE_NOT_DUE"
    assert "20/05/2024" in info.value.message
    lists = worklists.badge_candidates(scope=system, award_date=D(2024, 9, 2))
    assert [p.pk for p in lists[30]] == [cuong.pk]
    assert list(worklists.badge_candidates(scope=system, award_date=D(2024, 5, 19))[30]) == []


# --- late reception (Quy định 294-QĐ/TW) ------------------------------------------------------


def test_a_reception_past_30_working_days_needs_an_approvers_reason(tree, cuong, system):
    lifecycle.member_transfer_out(
        scope=system, person=cuong, to=tree["justice"], effective_date=D(2024, 3, 1)
    )
    # 30 working days after Friday 01/03/2024 is Friday 12/04/2024
    with pytest.raises(DomainError) as info:
        lifecycle.member_transfer_in(scope=system, person=cuong, effective_date=D(2024, 4, 15))
    assert info.value.code == "members.TRANSFER_PRESENTED_LATE"
    assert info.value.details == {"overridable": True}
    assert "12/04/2024" in info.value.message
    lifecycle.member_transfer_in(
        scope=system,
        person=cuong,
        effective_date=D(2024, 4, 15),
        override_reason="Đảng ủy cơ sở đã xem xét: đảng viên điều trị bệnh dài ngày.",
    )
    cuong.refresh_from_db()
    assert cuong.organization == tree["justice"]


def test_the_reception_on_the_last_working_day_is_on_time(tree, cuong, system):
    lifecycle.member_transfer_out(
        scope=system, person=cuong, to=tree["justice"], effective_date=D(2024, 3, 1)
    )
    lifecycle.member_transfer_in(scope=system, person=cuong, effective_date=D(2024, 4, 12))
    cuong.refresh_from_db()
    assert cuong.organization == tree["justice"]


# --- party card --------------------------------------------------------------------------------


def test_card_issue_sets_the_number_and_the_search_finds_it(cuong, system):
    lifecycle.member_card_issue(
        scope=system,
        person=cuong,
        effective_date=D(1995, 7, 1),
        decision=None,
        details={"card_number": "52012345"},
    )
    cuong.refresh_from_db()
    assert cuong.card_number == "52012345"
    assert [p.pk for p in selectors.person_list(scope=system, q="52012345")] == [cuong.pk]
    with pytest.raises(DomainError) as info:
        lifecycle.member_card_issue(
            scope=system,
            person=cuong,
            effective_date=D(2000, 7, 1),
            decision=None,
            details={"card_number": "52099999"},
        )
    assert info.value.code == "members.CARD_ALREADY_ISSUED"
    lifecycle.member_card_replace(
        scope=system,
        person=cuong,
        effective_date=D(2015, 7, 1),
        decision=None,
        details={"card_number": "52099999"},
    )
    cuong.refresh_from_db()
    assert cuong.card_number == "52099999"


def test_a_card_number_of_another_file_is_a_conflict(tree, cuong, system):
    other = admitted(system, tree["justice"], "Vũ Thị Thu", birth_year=1975, sex="female")
    lifecycle.member_card_issue(
        scope=system,
        person=other,
        effective_date=D(1996, 1, 1),
        decision=None,
        details={"card_number": "52000001"},
    )
    before = counts()
    with pytest.raises(DomainError) as info:
        lifecycle.member_card_issue(
            scope=system,
            person=cuong,
            effective_date=D(1996, 1, 1),
            decision=None,
            details={"card_number": "52000001"},
        )
    assert (info.value.code, info.value.status) == ("members.CARD_NUMBER_TAKEN", 409)
    assert counts() == before


def test_a_probationary_member_gets_no_card(tree, system):
    lan = add_person(system, tree["office"], "Ngô Thị Lan", birth_year=1995, sex="female")
    lifecycle.member_admit(
        scope=system, person=lan, ceremony_date=D(2024, 1, 5), decision=decision(D(2024, 1, 2))
    )
    with pytest.raises(DomainError) as info:
        lifecycle.member_card_issue(
            scope=system,
            person=lan,
            effective_date=D(2024, 6, 1),
            decision=None,
            details={"card_number": "52000002"},
        )
    assert info.value.code == "members.EVENT_NOT_ALLOWED"


# --- exemption (Hướng dẫn 27-HD/BTCTW 2009) ----------------------------------------------------


def exempt(system, person, day, **details):
    return lifecycle.member_exempt(
        scope=system, person=person, effective_date=day, decision=None, details=details
    )


def test_exemption_for_old_age_needs_the_working_age_passed_hd_27(cuong, system):
    # born 1965 (taken as 31/12/1965): a man past 60 from 01/01/2026
    with pytest.raises(DomainError) as info:
        exempt(system, cuong, D(2025, 12, 31), requested_on="2025-12-01", grounds=["old_age"])
    assert info.value.code == "members.EXEMPTION_NOT_OLD"
    exempt(system, cuong, D(2026, 1, 1), requested_on="2025-12-01", grounds=["old_age"])
    cuong.refresh_from_db()
    assert cuong.exempt


def test_exemption_needs_the_members_request_hd_27(cuong, system):
    with pytest.raises(DomainError) as info:
        exempt(system, cuong, D(2024, 1, 1), grounds=["weak_health"])
    assert info.value.code == "members.EXEMPTION_NOT_REQUESTED"
    with pytest.raises(DomainError) as info:
        exempt(system, cuong, D(2024, 1, 1), requested_on="2023-12-01", grounds=[])
    assert info.value.code == "members.EXEMPTION_NO_GROUND"


def test_women_pass_the_working_age_at_55_hd_27():
    params = Parameters()
    birth = rules.PartialDate(1970, 6, 15)
    assert not rules.is_past_working_age(birth, "female", D(2025, 6, 15), params)
    assert rules.is_past_working_age(birth, "female", D(2025, 6, 16), params)
    assert not rules.is_past_working_age(birth, "male", D(2025, 6, 16), params)


# --- discipline cleared (Quy định 69-QĐ/TW) ----------------------------------------------------


def test_discipline_records_its_cleared_date_after_it_took_effect(cuong, system):
    with pytest.raises(DomainError) as info:
        lifecycle.member_discipline(
            scope=system,
            person=cuong,
            effective_date=D(2022, 6, 1),
            decision=decision(D(2022, 6, 1)),
            details={"form": "warning", "cleared_on": "2022-06-01"},
        )
    assert info.value.code == "members.DISCIPLINE_CLEARED_BEFORE"
    event = lifecycle.member_discipline(
        scope=system,
        person=cuong,
        effective_date=D(2022, 6, 1),
        decision=decision(D(2022, 6, 1)),
        details={"form": "warning", "cleared_on": "2023-06-01"},
    )
    assert event.details["cleared_on"] == "2023-06-01"


# --- events entered late count where the member was on their day ------------------------------


def test_a_late_event_belongs_to_the_cell_of_its_day(tree, cuong, system, actors):
    lifecycle.member_transfer_out(
        scope=system, person=cuong, to=tree["justice"], effective_date=D(2020, 3, 2)
    )
    lifecycle.member_transfer_in(scope=system, person=cuong, effective_date=D(2020, 3, 12))
    event = lifecycle.member_discipline(
        scope=system,
        person=cuong,
        effective_date=D(2018, 6, 1),
        decision=decision(D(2018, 6, 1)),
        details={"form": "reprimand"},
    )
    assert event.organization == tree["office"]
    # the new cell may not write into the old cell's past
    with pytest.raises(NotFound):
        lifecycle.member_discipline(
            scope=actors["host"],
            person=cuong,
            effective_date=D(2019, 6, 1),
            decision=decision(D(2019, 6, 1)),
            details={"form": "reprimand"},
        )


def test_a_reception_entered_after_the_death_is_checked_on_its_day(tree, cuong, system):
    lifecycle.member_death(scope=system, person=cuong, effective_date=D(2023, 2, 1), decision=None)
    lifecycle.member_transfer_out(
        scope=system, person=cuong, to=tree["justice"], effective_date=D(2021, 3, 1)
    )
    lifecycle.member_transfer_in(scope=system, person=cuong, effective_date=D(2021, 3, 11))
    cuong.refresh_from_db()
    assert (cuong.organization, cuong.status) == (tree["justice"], "deceased")
