"""Reads of the tree as it stood on a date, always through the actor's scope."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.core.errors import NotFound
from dangvu.organizations import selectors, services
from dangvu.organizations.models import EventKind, Position
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.services import NewOrganization, SeatInput
from tests.conftest import decision, establish

from .support import convert, dissolve, move, rename

D = dt.date


def codes(versions) -> list[str]:
    return [v.organization.code for v in versions]


@pytest.fixture
def history(system, tree):
    """The small province of `tree` through a decade of restructuring."""
    enterprises = establish(
        system, "BD.DN", "Đảng bộ Khối Doanh nghiệp tỉnh", T.UPPER_COMMITTEE, tree["province"],
        D(2012, 1, 1),
    )  # fmt: skip
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh Bình Định", D(2015, 3, 1))
    move(system, tree["justice"], enterprises, D(2016, 1, 1))
    convert(system, tree["justice"], T.GRASSROOTS_COMMITTEE, D(2017, 1, 1))
    dissolve(system, tree["inspect"], D(2018, 1, 1))
    bank = establish(
        system, "BD.DN.NH", "Chi bộ Ngân hàng Phát triển", T.GRASSROOTS_CELL, enterprises,
        D(2019, 6, 1),
    )  # fmt: skip
    return {**tree, "enterprises": enterprises, "bank": bank}


# versions_on, subtree, count ---------------------------------------------------------------
def test_versions_on_lists_the_tree_of_that_date_in_path_order(system, history):
    assert codes(selectors.versions_on(scope=system, at=D(2011, 1, 1))) == [
        "BD",
        "BD.DUK",
        "BD.YT",
        "BD.YT.VP",
        "BD.YT.TTR",
        "BD.TP",
    ]
    assert codes(selectors.versions_on(scope=system, at=D(2020, 1, 1))) == [
        "BD",
        "BD.DUK",
        "BD.YT",
        "BD.YT.VP",
        "BD.DN",
        "BD.TP",
        "BD.DN.NH",
    ]


def test_versions_on_a_date_before_anything_existed_is_empty(system, history):
    assert list(selectors.versions_on(scope=system, at=D(2009, 12, 31))) == []


def test_versions_on_filters_by_type(system, history):
    grassroots = [T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL]
    on_2016 = selectors.versions_on(scope=system, at=D(2016, 6, 1), types=grassroots)
    assert [(v.organization.code, v.type) for v in on_2016] == [
        ("BD.YT", T.GRASSROOTS_COMMITTEE),
        ("BD.TP", T.GRASSROOTS_CELL),
    ]
    on_2017 = selectors.versions_on(scope=system, at=D(2017, 6, 1), types=[T.GRASSROOTS_CELL])
    assert codes(on_2017) == []


def test_subtree_holds_the_organisation_and_what_was_below_it_on_the_date(system, history):
    bloc = history["bloc"]
    assert codes(
        selectors.organization_subtree(scope=system, organization=bloc, at=D(2015, 6, 1))
    ) == [
        "BD.DUK",
        "BD.YT",
        "BD.YT.VP",
        "BD.YT.TTR",
        "BD.TP",
    ]
    assert codes(
        selectors.organization_subtree(scope=system, organization=bloc, at=D(2018, 1, 1))
    ) == [
        "BD.DUK",
        "BD.YT",
        "BD.YT.VP",
    ]


def test_subtree_leaves_out_what_was_established_after_the_date(system, history):
    enterprises = history["enterprises"]
    before = selectors.organization_subtree(
        scope=system, organization=enterprises, at=D(2019, 5, 31)
    )
    after = selectors.organization_subtree(scope=system, organization=enterprises, at=D(2019, 6, 1))
    assert codes(before) == ["BD.DN", "BD.TP"]
    assert codes(after) == ["BD.DN", "BD.TP", "BD.DN.NH"]


def test_subtree_of_an_organisation_that_did_not_exist_then_is_not_found(system, history):
    with pytest.raises(NotFound):
        selectors.organization_subtree(
            scope=system, organization=history["enterprises"], at=D(2011, 1, 1)
        )


def test_versions_carry_the_name_and_type_of_the_date(system, history):
    def justice_on(day):
        (version,) = [
            v
            for v in selectors.versions_on(scope=system, at=day)
            if v.organization_id == history["justice"].pk
        ]
        return version.name, version.type, version.parent.code

    assert justice_on(D(2015, 2, 28)) == ("Chi bộ Sở Tư pháp", T.GRASSROOTS_CELL, "BD.DUK")
    assert justice_on(D(2015, 3, 1)) == (
        "Chi bộ Sở Tư pháp tỉnh Bình Định",
        T.GRASSROOTS_CELL,
        "BD.DUK",
    )
    assert justice_on(D(2016, 1, 1))[2] == "BD.DN"
    assert justice_on(D(2017, 1, 1))[1] == T.GRASSROOTS_COMMITTEE


def test_count_on_a_date_by_type_and_root(system, history):
    grassroots = [T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL]
    assert selectors.organization_count(scope=system, at=D(2011, 1, 1)) == 6
    assert selectors.organization_count(scope=system, at=D(2020, 1, 1)) == 7
    assert selectors.organization_count(scope=system, at=D(2020, 1, 1), types=grassroots) == 3
    assert (
        selectors.organization_count(
            scope=system, at=D(2020, 1, 1), root=history["enterprises"], types=grassroots
        )
        == 2
    )
    assert (
        selectors.organization_count(
            scope=system, at=D(2020, 1, 1), types=[T.SUBORDINATE_CELL], root=history["bloc"]
        )
        == 1
    )


# path -------------------------------------------------------------------------------------
def test_path_runs_from_the_top_down_to_the_organisation_on_the_date(system, history):
    def path(org, day):
        return codes(selectors.organization_path(scope=system, organization=org, at=day))

    assert path(history["office"], D(2020, 1, 1)) == ["BD", "BD.DUK", "BD.YT", "BD.YT.VP"]
    assert path(history["justice"], D(2015, 12, 31)) == ["BD", "BD.DUK", "BD.TP"]
    assert path(history["justice"], D(2016, 1, 1)) == ["BD", "BD.DN", "BD.TP"]


def test_path_starts_at_the_top_of_the_actor_scope(system, history, make_user, scope_of):
    scope = scope_of(make_user("ytuser", history["health"], Role.VIEWER))
    path = selectors.organization_path(
        scope=scope, organization=history["office"], at=D(2020, 1, 1)
    )
    assert codes(path) == ["BD.YT", "BD.YT.VP"]
    assert [v.depth for v in path] == [3, 4]


# scope ------------------------------------------------------------------------------------
def test_versions_on_shows_only_the_actor_scope(system, history, make_user, scope_of):
    scope = scope_of(make_user("ytuser", history["health"], Role.VIEWER))
    assert codes(selectors.versions_on(scope=scope, at=D(2011, 1, 1))) == [
        "BD.YT",
        "BD.YT.VP",
        "BD.YT.TTR",
    ]
    assert selectors.organization_count(scope=scope, at=D(2020, 1, 1)) == 2


def test_scope_follows_the_tree_of_the_date(system, history, make_user, scope_of):
    scope = scope_of(make_user("dnuser", history["enterprises"], Role.VIEWER))
    assert "BD.TP" not in codes(selectors.versions_on(scope=scope, at=D(2015, 12, 31)))
    assert "BD.TP" in codes(selectors.versions_on(scope=scope, at=D(2016, 1, 1)))


def test_subtree_outside_scope_is_not_found(system, history, make_user, scope_of):
    scope = scope_of(make_user("ytuser", history["health"], Role.VIEWER))
    with pytest.raises(NotFound):
        selectors.organization_subtree(scope=scope, organization=history["bloc"], at=D(2012, 1, 1))
    with pytest.raises(NotFound):
        selectors.organization_get(scope=scope, code="BD.TP", at=D(2012, 1, 1))


def test_anonymous_scope_sees_nothing(history, scope_of):
    scope = scope_of(None)
    assert selectors.organization_count(scope=scope, at=D(2020, 1, 1)) == 0
    with pytest.raises(NotFound):
        selectors.organization_get(scope=scope, code="BD", at=D(2020, 1, 1))


def test_get_by_code_inside_scope(system, history, make_user, scope_of):
    scope = scope_of(make_user("ytuser", history["health"], Role.VIEWER))
    found = selectors.organization_get(scope=scope, code="BD.YT.VP", at=D(2020, 1, 1))
    assert found == history["office"]
    with pytest.raises(NotFound):
        selectors.organization_get(scope=system, code="KHONG-CO")


# events between two dates ------------------------------------------------------------------
def test_events_between_two_dates_include_both_ends(system, history):
    events = selectors.organization_events_between(
        scope=system, start=D(2015, 3, 1), end=D(2017, 1, 1)
    )
    assert [(e.kind, e.organization.code) for e in events] == [
        (EventKind.RENAME, "BD.TP"),
        (EventKind.MOVE, "BD.TP"),
        (EventKind.CONVERT, "BD.TP"),
    ]


def test_events_between_filter_by_kind(system, history):
    events = selectors.organization_events_between(
        scope=system, start=D(2010, 1, 1), end=D(2025, 1, 1), kinds=[EventKind.DISSOLVE]
    )
    assert [(e.organization.code, e.effective_date) for e in events] == [
        ("BD.YT.TTR", D(2018, 1, 1))
    ]


def test_events_between_under_a_root_follow_the_tree_of_each_event(system, history):
    def seen(root, start, end):
        events = selectors.organization_events_between(
            scope=system, start=start, end=end, root=root
        )
        return [(e.kind, e.organization.code) for e in events]

    # The move out of the bloc is an event of the bloc's subtree and of the enterprises' one.
    assert (EventKind.MOVE, "BD.TP") in seen(history["bloc"], D(2016, 1, 1), D(2016, 12, 31))
    assert (EventKind.MOVE, "BD.TP") in seen(history["enterprises"], D(2016, 1, 1), D(2016, 12, 31))
    # The dissolution on its last day is counted under the bloc.
    assert seen(history["bloc"], D(2018, 1, 1), D(2018, 12, 31)) == [
        (EventKind.DISSOLVE, "BD.YT.TTR")
    ]
    # Later events of the cell after it left the bloc are not the bloc's.
    assert (EventKind.CONVERT, "BD.TP") not in seen(history["bloc"], D(2017, 1, 1), D(2017, 12, 31))
    assert seen(history["enterprises"], D(2019, 1, 1), D(2019, 12, 31)) == [
        (EventKind.ESTABLISH, "BD.DN.NH")
    ]


def test_events_between_leave_out_organisations_outside_scope(system, history, make_user, scope_of):
    scope = scope_of(make_user("ytuser", history["health"], Role.VIEWER))
    events = selectors.organization_events_between(
        scope=scope, start=D(2010, 1, 1), end=D(2025, 1, 1)
    )
    assert {e.organization.code for e in events} == {"BD.YT", "BD.YT.VP", "BD.YT.TTR"}


# tree_diff ---------------------------------------------------------------------------------
def test_tree_diff_names_what_was_established_ended_renamed_moved_and_converted(system, history):
    diff = selectors.tree_diff(scope=system, start=D(2014, 1, 1), end=D(2020, 1, 1))
    assert codes(diff.established) == ["BD.DN.NH"]
    assert codes(diff.ended) == ["BD.YT.TTR"]
    assert [(a.name, b.name) for a, b in diff.renamed] == [
        ("Chi bộ Sở Tư pháp", "Chi bộ Sở Tư pháp tỉnh Bình Định")
    ]
    assert [(a.parent.code, b.parent.code) for a, b in diff.moved] == [("BD.DUK", "BD.DN")]
    assert [(a.type, b.type) for a, b in diff.converted] == [
        (T.GRASSROOTS_CELL, T.GRASSROOTS_COMMITTEE)
    ]


def test_tree_diff_between_a_date_and_itself_is_empty(system, history):
    diff = selectors.tree_diff(scope=system, start=D(2016, 1, 1), end=D(2016, 1, 1))
    assert (diff.established, diff.ended, diff.renamed, diff.moved, diff.converted) == (
        [],
        [],
        [],
        [],
        [],
    )


def test_tree_diff_under_a_root_counts_a_move_out_as_an_end(system, history):
    diff = selectors.tree_diff(
        scope=system, start=D(2015, 1, 1), end=D(2016, 1, 1), root=history["bloc"]
    )
    assert codes(diff.ended) == ["BD.TP"]
    assert diff.moved == []


def test_tree_diff_does_not_count_a_move_of_an_ancestor_as_a_move(system, history):
    move(system, history["health"], history["enterprises"], D(2021, 1, 1))
    diff = selectors.tree_diff(scope=system, start=D(2020, 1, 1), end=D(2021, 1, 1))
    assert codes(b for _, b in diff.moved) == ["BD.YT"]


# committees --------------------------------------------------------------------------------
def test_committee_terms_and_consolidations_between_dates(system, history):
    term = services.committee_term_open(
        scope=system,
        organization=history["health"],
        name="2020–2025",
        start_date=D(2020, 8, 1),
        decision=decision(D(2020, 8, 1), "05-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối"),
        seats=[SeatInput("Nguyễn Thị Hồng", Position.SECRETARY)],
    )
    consolidation = services.committee_consolidate(
        scope=system,
        organization=history["health"],
        effective_date=D(2022, 3, 1),
        decision=decision(D(2022, 3, 1), "20-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối"),
        appoint=[SeatInput("Trần Văn Bình", Position.DEPUTY_SECRETARY)],
    )
    assert selectors.committee_terms(scope=system, organization=history["health"]) == [term]
    between = selectors.consolidations_between(
        scope=system, start=D(2022, 1, 1), end=D(2022, 12, 31), root=history["bloc"]
    )
    assert list(between) == [consolidation]
    assert (
        list(
            selectors.consolidations_between(
                scope=system, start=D(2022, 1, 1), end=D(2022, 12, 31), root=history["enterprises"]
            )
        )
        == []
    )


def test_history_lists_the_versions_and_events_of_one_organisation(system, history):
    versions, events = selectors.organization_history(scope=system, organization=history["justice"])
    assert [v.valid_from for v in versions] == [
        D(2010, 1, 1),
        D(2015, 3, 1),
        D(2016, 1, 1),
        D(2017, 1, 1),
    ]
    assert [e.kind for e in events] == [
        EventKind.ESTABLISH,
        EventKind.RENAME,
        EventKind.MOVE,
        EventKind.CONVERT,
    ]


def test_merged_organisation_subtree_on_the_merge_date(system, history):
    merged = services.organization_merge(
        scope=system,
        sources=[history["justice"], history["bank"]],
        new=NewOrganization(
            code="BD.DN.TH",
            name="Đảng bộ Tổng hợp",
            type=T.GRASSROOTS_COMMITTEE,
            parent=history["enterprises"],
        ),
        effective_date=D(2021, 1, 1),
        decision=decision(D(2021, 1, 1)),
    )
    assert codes(
        selectors.organization_subtree(
            scope=system, organization=history["enterprises"], at=D(2021, 1, 1)
        )
    ) == ["BD.DN", "BD.DN.TH"]
    assert selectors.organization_count(scope=system, at=D(2021, 1, 1), root=merged) == 1


def test_get_without_a_date_judges_a_dissolved_organisation_on_its_last_day(system, history):
    found = selectors.organization_get(scope=system, code="BD.YT.TTR")
    assert found == history["inspect"]
    version = selectors.version_on(scope=system, organization=found, at=D(2017, 12, 31))
    assert version.name == "Chi bộ Thanh tra Sở"


def test_get_without_a_date_sees_a_dissolved_organisation_only_within_the_scope_it_had(
    system, history, make_user, scope_of
):
    scope = scope_of(make_user("dnuser", history["enterprises"], Role.VIEWER))
    with pytest.raises(NotFound):
        selectors.organization_get(scope=scope, code="BD.YT.TTR")
