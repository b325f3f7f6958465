"""The Party's rules on organisations (rules.py): pure functions, no database."""

import datetime as dt
import itertools

import pytest

from dangvu.core.errors import DomainError
from dangvu.organizations import rules
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.models import Position as P

ALL_TYPES = list(T.values)

# Written out by hand from Điều lệ Đảng Điều 21 and 294-QĐ/TW, not read from rules.py, so a
# change to ALLOWED_PARENTS has to be made here on purpose too.
PLACEMENTS_ALLOWED = {
    (T.CENTRAL, None),
    (T.PROVINCIAL_COMMITTEE, None),
    (T.PROVINCIAL_COMMITTEE, T.CENTRAL),
    (T.UPPER_COMMITTEE, None),
    (T.UPPER_COMMITTEE, T.CENTRAL),
    (T.UPPER_COMMITTEE, T.PROVINCIAL_COMMITTEE),
    (T.UPPER_COMMITTEE, T.UPPER_COMMITTEE),
    (T.GRASSROOTS_COMMITTEE, None),
    (T.GRASSROOTS_COMMITTEE, T.PROVINCIAL_COMMITTEE),
    (T.GRASSROOTS_COMMITTEE, T.UPPER_COMMITTEE),
    (T.GRASSROOTS_CELL, None),
    (T.GRASSROOTS_CELL, T.PROVINCIAL_COMMITTEE),
    (T.GRASSROOTS_CELL, T.UPPER_COMMITTEE),
    (T.SUB_COMMITTEE, T.GRASSROOTS_COMMITTEE),
    (T.SUBORDINATE_CELL, T.GRASSROOTS_COMMITTEE),
    (T.SUBORDINATE_CELL, T.SUB_COMMITTEE),
}
PLACEMENT_PAIRS = list(itertools.product(ALL_TYPES, [None, *ALL_TYPES]))

CONVERSIONS_ALLOWED = {
    (T.GRASSROOTS_CELL, T.GRASSROOTS_COMMITTEE),
    (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL),
    (T.SUBORDINATE_CELL, T.SUB_COMMITTEE),
    (T.SUB_COMMITTEE, T.SUBORDINATE_CELL),
    (T.SUBORDINATE_CELL, T.GRASSROOTS_CELL),
    (T.GRASSROOTS_CELL, T.SUBORDINATE_CELL),
    (T.GRASSROOTS_COMMITTEE, T.UPPER_COMMITTEE),
    (T.UPPER_COMMITTEE, T.GRASSROOTS_COMMITTEE),
}
CONVERSION_PAIRS = [(a, b) for a, b in itertools.product(ALL_TYPES, ALL_TYPES) if a != b]


def _placement_ok(child, parent) -> bool:
    try:
        rules.check_placement(child, parent)
    except DomainError as error:
        assert error.code == "organizations.INVALID_PARENT_TYPE"
        return False
    return True


# placement (Điều lệ Đảng, Điều 21; 294-QĐ/TW) ---------------------------------------------
@pytest.mark.parametrize(("child", "parent"), PLACEMENT_PAIRS, ids=lambda t: str(t or "root"))
def test_dieu_le_dieu_21_allows_exactly_the_listed_placements(child, parent):
    assert _placement_ok(child, parent) == ((child, parent) in PLACEMENTS_ALLOWED)


def test_dieu_le_dieu_21_every_type_pair_is_judged_and_sixteen_pass():
    passing = {(c, p) for c, p in PLACEMENT_PAIRS if _placement_ok(c, p)}
    assert len(PLACEMENT_PAIRS) == 7 * 8
    assert passing == PLACEMENTS_ALLOWED


@pytest.mark.parametrize("parent", [None, T.CENTRAL, T.PROVINCIAL_COMMITTEE, T.UPPER_COMMITTEE])
def test_dieu_le_dieu_21_sub_committee_exists_only_inside_a_grassroots_committee(parent):
    with pytest.raises(DomainError) as info:
        rules.check_placement(T.SUB_COMMITTEE, parent)
    assert info.value.code == "organizations.INVALID_PARENT_TYPE"
    assert info.value.details == {"child_type": T.SUB_COMMITTEE, "parent_type": parent}


@pytest.mark.parametrize("parent", [T.GRASSROOTS_CELL, T.SUBORDINATE_CELL, T.UPPER_COMMITTEE])
def test_dieu_le_dieu_21_subordinate_cell_cannot_sit_outside_a_grassroots_committee(parent):
    assert not _placement_ok(T.SUBORDINATE_CELL, parent)


@pytest.mark.parametrize("parent", [T.GRASSROOTS_CELL, T.SUBORDINATE_CELL])
def test_dieu_le_dieu_21_nothing_sits_under_a_cell(parent):
    assert not any(_placement_ok(child, parent) for child in ALL_TYPES)


def test_dieu_le_dieu_21_grassroots_cannot_sit_inside_another_grassroots_organisation():
    for child in (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL):
        for parent in (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL, T.SUB_COMMITTEE):
            assert not _placement_ok(child, parent)


def test_294_qd_tw_upper_committee_may_sit_under_another_upper_committee():
    rules.check_placement(T.UPPER_COMMITTEE, T.UPPER_COMMITTEE)


def test_placement_refusal_names_the_organisation_and_the_parent_type_in_vietnamese():
    with pytest.raises(DomainError) as info:
        rules.check_placement(
            T.SUBORDINATE_CELL, T.UPPER_COMMITTEE, child_name="Chi bộ Phòng Kế hoạch"
        )
    assert info.value.message == (
        "«Chi bộ Phòng Kế hoạch» (Chi bộ trực thuộc) không thể trực thuộc "
        "đảng bộ cấp trên trực tiếp cơ sở."
    )


def test_placement_refusal_at_the_top_says_so():
    with pytest.raises(DomainError) as info:
        rules.check_placement(T.SUB_COMMITTEE, None)
    assert info.value.message == "Đảng bộ bộ phận không thể là tổ chức cấp cao nhất."


# conversions (Điều lệ Đảng, Điều 21; 294-QĐ/TW) ------------------------------------------
@pytest.mark.parametrize(("old", "new"), CONVERSION_PAIRS, ids=str)
def test_dieu_le_dieu_21_allows_exactly_the_listed_conversions(old, new):
    if (old, new) in CONVERSIONS_ALLOWED:
        rules.check_conversion(old, new)
    else:
        with pytest.raises(DomainError) as info:
            rules.check_conversion(old, new)
        assert info.value.code == "organizations.CONVERSION_NOT_ALLOWED"
        assert info.value.details == {"old_type": old, "new_type": new}


@pytest.mark.parametrize("org_type", ALL_TYPES)
def test_conversion_to_the_same_type_is_refused(org_type):
    with pytest.raises(DomainError) as info:
        rules.check_conversion(org_type, org_type)
    assert info.value.code == "organizations.CONVERSION_SAME_TYPE"


def test_conversion_refusal_names_both_types_in_vietnamese():
    with pytest.raises(DomainError) as info:
        rules.check_conversion(T.CENTRAL, T.GRASSROOTS_CELL)
    assert info.value.message == "Không thể chuyển trung ương thành chi bộ cơ sở."


def test_every_allowed_conversion_can_be_undone_by_the_reverse_conversion():
    for old, new in CONVERSIONS_ALLOWED:
        rules.check_conversion(new, old)


# decisions, merges, splits ----------------------------------------------------------------
def test_restructuring_may_take_effect_on_the_day_its_decision_is_signed():
    rules.check_effective_after_decision(dt.date(2020, 3, 1), dt.date(2020, 3, 1))
    rules.check_effective_after_decision(dt.date(2020, 3, 2), dt.date(2020, 3, 1))


def test_restructuring_cannot_take_effect_before_its_decision():
    with pytest.raises(DomainError) as info:
        rules.check_effective_after_decision(dt.date(2020, 2, 29), dt.date(2020, 3, 1))
    assert info.value.code == "organizations.EFFECTIVE_BEFORE_DECISION"
    assert "29/02/2020" in info.value.message
    assert "01/03/2020" in info.value.message


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, False), (2, True), (5, True)])
def test_merge_joins_at_least_two_organisations(count, ok):
    if ok:
        rules.check_merge_size(count)
    else:
        with pytest.raises(DomainError) as info:
            rules.check_merge_size(count)
        assert info.value.code == "organizations.MERGE_NEEDS_TWO"


@pytest.mark.parametrize(
    ("parts", "keeps_source", "ok"),
    [(1, False, False), (0, True, False), (1, True, True), (2, False, True), (0, False, False)],
)
def test_split_yields_at_least_two_organisations_counting_a_kept_source(parts, keeps_source, ok):
    if ok:
        rules.check_split_parts(parts, keeps_source)
    else:
        with pytest.raises(DomainError) as info:
            rules.check_split_parts(parts, keeps_source)
        assert info.value.code == "organizations.SPLIT_NEEDS_TWO"


def test_only_grassroots_committees_and_cells_are_grassroots():
    assert {t for t in ALL_TYPES if rules.is_grassroots(t)} == {
        T.GRASSROOTS_COMMITTEE,
        T.GRASSROOTS_CELL,
    }


# committees (294-QĐ/TW) -------------------------------------------------------------------
def _committee_code(org_type, positions):
    try:
        rules.check_committee(org_type, positions)
    except DomainError as error:
        return error.code
    return None


@pytest.mark.parametrize("org_type", ALL_TYPES)
def test_294_qd_tw_a_committee_has_one_secretary_at_a_time(org_type):
    assert _committee_code(org_type, [P.SECRETARY]) is None
    assert (
        _committee_code(org_type, [P.SECRETARY, P.SECRETARY])
        == "organizations.COMMITTEE_TWO_SECRETARIES"
    )


@pytest.mark.parametrize("org_type", [T.GRASSROOTS_CELL, T.SUBORDINATE_CELL])
def test_294_qd_tw_cell_committee_has_at_most_seven_members(org_type):
    seven = [P.SECRETARY, P.DEPUTY_SECRETARY, *[P.COMMITTEE_MEMBER] * 5]
    assert _committee_code(org_type, seven) is None
    assert (
        _committee_code(org_type, [*seven, P.COMMITTEE_MEMBER])
        == "organizations.CELL_COMMITTEE_TOO_LARGE"
    )


@pytest.mark.parametrize("org_type", [T.GRASSROOTS_COMMITTEE, T.SUB_COMMITTEE, T.UPPER_COMMITTEE])
def test_committees_of_larger_organisations_are_not_capped_at_seven(org_type):
    fifteen = [P.SECRETARY, P.DEPUTY_SECRETARY, P.DEPUTY_SECRETARY, *[P.STANDING_MEMBER] * 4]
    fifteen += [P.COMMITTEE_MEMBER] * 8
    assert _committee_code(org_type, fifteen) is None


@pytest.mark.parametrize("org_type", [T.GRASSROOTS_CELL, T.SUBORDINATE_CELL])
def test_294_qd_tw_cell_elects_one_deputy_secretary(org_type):
    assert _committee_code(org_type, [P.DEPUTY_SECRETARY]) is None
    assert (
        _committee_code(org_type, [P.DEPUTY_SECRETARY, P.DEPUTY_SECRETARY])
        == "organizations.CELL_TWO_DEPUTIES"
    )


@pytest.mark.parametrize("org_type", [T.GRASSROOTS_CELL, T.SUBORDINATE_CELL])
def test_294_qd_tw_cell_has_no_standing_committee(org_type):
    assert (
        _committee_code(org_type, [P.SECRETARY, P.STANDING_MEMBER])
        == "organizations.CELL_HAS_NO_STANDING_COMMITTEE"
    )


def test_empty_committee_passes_the_rules():
    assert _committee_code(T.GRASSROOTS_CELL, []) is None
