"""Party badges (Huy hiệu Đảng): proposed and awarded for a milestone of party age."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.members import lifecycle, worklists
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import decision, establish

from .people import add_person

D = dt.date
AWARD_DAY = D(2027, 2, 3)


@pytest.fixture
def veteran(system, db):
    """Admitted by a decision of 03/02/1997: 30 years of party age on the award day 03/02/2027."""
    old = D(1980, 1, 1)
    province = establish(system, "QN", "Đảng bộ tỉnh Quảng Ngãi", T.PROVINCIAL_COMMITTEE, day=old)
    bloc = establish(system, "QN.DUK", "Đảng bộ Khối", T.UPPER_COMMITTEE, province, day=old)
    cell = establish(system, "QN.BT", "Chi bộ Bảo tàng tỉnh", T.GRASSROOTS_CELL, bloc, day=old)
    person = add_person(system, cell, "Hoàng Văn Thành", birth_year=1960)
    lifecycle.member_admit(
        scope=system, person=person, ceremony_date=D(1997, 2, 20), decision=decision(D(1997, 2, 3))
    )
    lifecycle.member_recognize(scope=system, person=person, decision=decision(D(1998, 3, 1)))
    return person


def propose(scope, person, day, milestone=30, **details):
    return lifecycle.member_badge_propose(
        scope=scope,
        person=person,
        effective_date=day,
        decision=decision(day, "15-TTr/ĐU", "Đảng ủy cơ sở"),
        details={"milestone": milestone, **details},
    )


def test_a_badge_is_due_on_the_award_day_the_milestone_is_reached_hd_01_muc_18(system, veteran):
    event = propose(system, veteran, AWARD_DAY)
    assert event.details["milestone"] == 30


def test_a_badge_the_day_before_the_milestone_is_refused(system, veteran):
    with pytest.raises(DomainError) as info:
        propose(system, veteran, AWARD_DAY - dt.timedelta(days=1))
    assert info.value.code == "members.BADGE_NOT_DUE"
    assert "03/02/2027" in info.value.message


def test_a_seriously_ill_member_may_have_it_up_to_twelve_months_early(system, veteran):
    event = propose(system, veteran, D(2026, 2, 3), seriously_ill=True)
    assert event.details["seriously_ill"] is True


def test_the_same_milestone_is_proposed_once(system, veteran):
    propose(system, veteran, AWARD_DAY)
    with pytest.raises(DomainError) as info:
        propose(system, veteran, D(2027, 5, 19))
    assert info.value.code == "members.BADGE_ALREADY"


def test_an_unknown_milestone_is_refused(system, veteran):
    with pytest.raises(DomainError) as info:
        propose(system, veteran, AWARD_DAY, milestone=35)
    assert info.value.code == "members.UNKNOWN_MILESTONE"


def test_a_proposed_member_leaves_the_badge_work_list(system, veteran):
    assert [p.pk for p in worklists.badge_candidates(scope=system, award_date=AWARD_DAY)[30]] == [
        veteran.pk
    ]
    propose(system, veteran, AWARD_DAY)
    assert list(worklists.badge_candidates(scope=system, award_date=AWARD_DAY)[30]) == []


def test_the_award_follows_the_proposal(system, veteran):
    propose(system, veteran, AWARD_DAY)
    award = lifecycle.member_badge_award(
        scope=system,
        person=veteran,
        effective_date=AWARD_DAY,
        decision=decision(AWARD_DAY, "120-QĐ/TU", "Ban Thường vụ Tỉnh ủy"),
        details={"milestone": 30},
    )
    assert award.kind == "badge_award"
