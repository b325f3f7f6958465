"""The weekly work lists: probation ending soon, overdue recognitions, badge candidates."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.members import lifecycle, worklists
from dangvu.members.models import MemberEvent
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import decision, establish

from .people import add_person

D = dt.date
TODAY = D(2026, 11, 23)


def admitted(scope, cell, name, ceremony, *, decided=None, birth_year=1990):
    person = add_person(scope, cell, name, birth_year=birth_year)
    lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=ceremony,
        decision=decision(decided or ceremony - dt.timedelta(days=10)),
    )
    return person


def names(queryset):
    return [p.full_name for p in queryset]


def test_last_date_finds_the_boundary_of_a_rising_deadline():
    assert worklists.last_date(lambda d: d <= D(2021, 3, 14), D(2020, 1, 1), D(2022, 1, 1)) == D(
        2021, 3, 14
    )
    assert worklists.last_date(lambda d: False, D(2020, 1, 1), D(2022, 1, 1)) is None


def test_probation_ending_lists_the_next_sixty_days_only(system, tree):
    admitted(system, tree["office"], "Nguyễn Văn Đúng Hạn", D(2025, 11, 23))  # ends today
    admitted(system, tree["office"], "Trần Thị Cuối Kỳ", D(2026, 1, 22))  # ends in 60 days
    admitted(system, tree["office"], "Lê Văn Quá Hạn", D(2025, 11, 22))  # ended yesterday
    admitted(system, tree["office"], "Phạm Thị Còn Xa", D(2026, 1, 23))  # ends in 61 days
    listed = names(worklists.probation_ending(scope=system, today=TODAY))
    assert listed == ["Nguyễn Văn Đúng Hạn", "Trần Thị Cuối Kỳ"]


def test_recognition_overdue_after_sixty_working_days_past_probation(system, tree):
    # probation ended 15/03/2026; 60 working days later is 05/06/2026
    admitted(system, tree["office"], "Võ Văn Chậm", D(2025, 3, 15))
    admitted(system, tree["office"], "Đặng Thị Kịp", D(2025, 10, 1))
    assert names(worklists.recognition_overdue(scope=system, today=TODAY)) == ["Võ Văn Chậm"]
    assert names(worklists.recognition_overdue(scope=system, today=D(2026, 6, 5))) == []
    assert names(worklists.recognition_overdue(scope=system, today=D(2026, 6, 8))) == [
        "Võ Văn Chậm"
    ]


def test_a_recognised_member_is_no_longer_overdue(system, tree):
    late = admitted(system, tree["office"], "Võ Văn Chậm", D(2025, 3, 15))
    lifecycle.member_recognize(scope=system, person=late, decision=decision(D(2026, 7, 1)))
    assert names(worklists.recognition_overdue(scope=system, today=TODAY)) == []


@pytest.fixture
def veterans(system, db):
    """Full members admitted (decision dates) 30 and 40 years before the award day 03/02/2027,
    in a cell old enough to have admitted them."""
    old = D(1980, 1, 1)
    province = establish(system, "QN", "Đảng bộ tỉnh Quảng Ngãi", T.PROVINCIAL_COMMITTEE, day=old)
    bloc = establish(system, "QN.DUK", "Đảng bộ Khối", T.UPPER_COMMITTEE, province, day=old)
    cell = establish(system, "QN.BT", "Chi bộ Bảo tàng tỉnh", T.GRASSROOTS_CELL, bloc, day=old)
    people = {}
    for name, decided in (
        ("Hoàng Văn Ba Mươi", D(1997, 2, 3)),  # 30 years exactly on the award day
        ("Bùi Thị Chưa Đủ", D(1997, 2, 4)),  # one day short
        ("Đỗ Văn Bốn Mươi", D(1987, 1, 10)),
    ):
        person = admitted(
            system, cell, name, decided + dt.timedelta(days=20), decided=decided, birth_year=1955
        )
        lifecycle.member_recognize(
            scope=system, person=person, decision=decision(decided + dt.timedelta(days=400))
        )
        people[name] = person
    return people


def test_badge_candidates_by_milestone_on_an_award_day(system, veterans):
    lists = worklists.badge_candidates(scope=system, award_date=D(2027, 2, 3))
    assert names(lists[30]) == ["Hoàng Văn Ba Mươi"]
    assert names(lists[40]) == ["Đỗ Văn Bốn Mươi"]
    assert names(lists[45]) == []


def test_a_proposed_badge_leaves_the_list(system, veterans):
    MemberEvent.objects.create(
        person=veterans["Hoàng Văn Ba Mươi"],
        kind="badge_proposal",
        effective_date=D(2026, 12, 1),
        organization=veterans["Hoàng Văn Ba Mươi"].organization,
        details={"milestone": 30},
    )
    lists = worklists.badge_candidates(scope=system, award_date=D(2027, 2, 3))
    assert names(lists[30]) == []


def test_work_lists_stay_inside_the_scope(system, tree, make_user, scope_of):
    admitted(system, tree["office"], "Nguyễn Văn Đúng Hạn", D(2025, 11, 23))
    admitted(system, tree["justice"], "Trần Văn Tư Pháp", D(2025, 11, 30))
    cell = scope_of(make_user("vanphong", tree["office"], Role.VIEWER))
    assert names(worklists.probation_ending(scope=cell, today=TODAY)) == ["Nguyễn Văn Đúng Hạn"]
