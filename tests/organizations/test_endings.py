"""How organisations end: their committee ends with them, nothing else changes on their last
day, merges link every effect to the merge, and diffs across a root's birth."""

import datetime as dt

from dangvu.organizations import selectors, services
from dangvu.organizations.models import CommitteeSeat, EventKind, OrganizationEvent
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.models import Position as P
from dangvu.organizations.services import NewOrganization, SeatInput
from tests.conftest import decision, establish

from .support import dissolve, move, refused, rename

D = dt.date


def open_term(scope, organization, day, *seats):
    return services.committee_term_open(
        scope=scope,
        organization=organization,
        name="2020–2025",
        start_date=day,
        decision=decision(day),
        seats=[SeatInput(name, position) for name, position in seats],
    )


def test_dissolution_ends_the_open_term_and_its_seats_on_the_same_day(system, tree):
    term = open_term(system, tree["justice"], D(2020, 6, 1), ("Trần Thị Hoa", P.SECRETARY))
    dissolve(system, tree["justice"], D(2022, 1, 1))
    term.refresh_from_db()
    assert term.end_date == D(2022, 1, 1)
    seat = CommitteeSeat.objects.get(term=term)
    assert seat.end_date == D(2022, 1, 1)
    assert seat.end_decision.date == D(2022, 1, 1)
    assert selectors.committee_on(scope=system, organization=tree["justice"], at=D(2021, 12, 31))[1]


def test_dissolution_before_a_term_that_starts_later_is_refused(system, tree):
    open_term(system, tree["justice"], D(2020, 6, 1), ("Trần Thị Hoa", P.SECRETARY))
    with refused("organizations.TERM_AFTER_END", "2020–2025"):
        dissolve(system, tree["justice"], D(2019, 1, 1))


def test_no_other_change_may_take_effect_on_the_day_an_organisation_ends(system, tree):
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2022, 1, 1))
    with refused("organizations.EVENT_ON_END_DAY", "01/01/2022"):
        dissolve(system, tree["justice"], D(2022, 1, 1))


def test_merge_into_a_new_organisation_links_every_effect_to_the_merge(system, tree):
    other = establish(system, "BD.TC", "Chi bộ Sở Tài chính", T.GRASSROOTS_CELL, tree["bloc"])
    planning = establish(
        system, "BD.KH", "Đảng bộ Sở Kế hoạch và Đầu tư", T.GRASSROOTS_COMMITTEE, tree["bloc"]
    )
    cell = establish(system, "BD.KH.VP", "Chi bộ Văn phòng", T.SUBORDINATE_CELL, planning)
    day = D(2025, 3, 1)
    merged = services.organization_merge(
        scope=system,
        sources=[planning, other],
        new=NewOrganization(
            code="BD.TCKH",
            name="Đảng bộ Sở Tài chính",
            type=T.GRASSROOTS_COMMITTEE,
            parent=tree["bloc"],
        ),
        effective_date=day,
        decision=decision(day),
    )
    merge = OrganizationEvent.objects.get(kind=EventKind.MERGE)
    effects = OrganizationEvent.objects.filter(cause=merge)
    assert {(e.kind, e.organization.code) for e in effects} == {
        (EventKind.ESTABLISH, "BD.TCKH"),
        (EventKind.MOVE, "BD.KH.VP"),
        (EventKind.DISSOLVE, "BD.KH"),
        (EventKind.DISSOLVE, "BD.TC"),
    }
    cell.refresh_from_db()
    assert cell.parent == merged


def test_tree_diff_from_before_a_root_existed_lists_its_whole_subtree_as_established(system, tree):
    diff = selectors.tree_diff(
        scope=system, start=D(2009, 1, 1), end=D(2012, 1, 1), root=tree["bloc"]
    )
    assert {v.code for v in diff.established} == {
        "BD.DUK", "BD.YT", "BD.YT.VP", "BD.YT.TTR", "BD.TP",
    }  # fmt: skip
    assert diff.ended == [] and diff.moved == []


def test_children_moved_away_on_the_last_day_let_the_parent_end_that_day(system, tree):
    other = establish(
        system, "BD.CT", "Đảng bộ Sở Công Thương", T.GRASSROOTS_COMMITTEE, tree["bloc"]
    )
    move(system, tree["office"], other, D(2022, 1, 1))
    move(system, tree["inspect"], other, D(2022, 1, 1))
    dissolve(system, tree["health"], D(2022, 1, 1))
    tree["health"].refresh_from_db()
    assert tree["health"].dissolved_on == D(2022, 1, 1)
    names = [
        v.name
        for v in selectors.organization_subtree(scope=system, organization=other, at=D(2022, 1, 1))
    ]
    assert names == ["Đảng bộ Sở Công Thương", "Chi bộ Văn phòng Sở", "Chi bộ Thanh tra Sở"]
