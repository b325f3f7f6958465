"""Restructuring and committee services: what each writes, what each refuses, and that a refusal
writes nothing (events, versions, audit rows, organisations, decisions, committee rows)."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangvu.core.models import Decision
from dangvu.organizations import selectors, services
from dangvu.organizations.models import (
    OPEN_END,
    CommitteeSeat,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Position,
)
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.paths import segment
from dangvu.organizations.services import NewOrganization, SeatInput
from tests.conftest import decision, establish

from .support import convert, counts, dissolve, move, refused, rename, snapshot, version_on

D = dt.date


def names_on(scope, day, root=None):
    return [v.name for v in selectors.versions_on(scope=scope, at=day, root=root)]


def path_of(*organizations) -> str:
    return "".join(segment(o.pk) for o in organizations)


@pytest.fixture
def enterprises(system, tree):
    """A second bloc under the province: Đảng bộ Khối Doanh nghiệp tỉnh."""
    return establish(
        system, "BD.DN", "Đảng bộ Khối Doanh nghiệp tỉnh", T.UPPER_COMMITTEE, tree["province"]
    )


@pytest.fixture
def education(system, tree):
    """A second grassroots committee in the bloc, with one subordinate cell."""
    committee = establish(
        system, "BD.GD", "Đảng bộ Sở Giáo dục và Đào tạo", T.GRASSROOTS_COMMITTEE, tree["bloc"]
    )
    cell = establish(
        system, "BD.GD.VP", "Chi bộ Văn phòng Sở Giáo dục", T.SUBORDINATE_CELL, committee
    )
    return {"committee": committee, "cell": cell}


# establish ---------------------------------------------------------------------------------
def test_establish_places_the_organisation_in_the_tree_from_its_date(system, tree):
    assert "Chi bộ Sở Tư pháp" in names_on(system, D(2010, 1, 1))
    assert names_on(system, D(2009, 12, 31)) == []


def test_establish_writes_one_event_one_version_and_one_audit_row(system, tree):
    before = counts()
    cell = establish(
        system, "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"], D(2015, 3, 1)
    )
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    event = OrganizationEvent.objects.get(organization=cell)
    assert event.kind == EventKind.ESTABLISH
    assert event.effective_date == D(2015, 3, 1)
    assert event.decision.symbol == "01-QĐ/TU"
    audit = AuditEntry.objects.get(object_type="organizations.organization", object_id=str(cell.pk))
    assert audit.action == "organization.establish"
    assert audit.after["event_id"] == event.pk


def test_establish_path_is_the_parent_path_plus_its_own_segment(system, tree):
    version = version_on(tree["office"], D(2012, 1, 1))
    assert version.path == path_of(tree["province"], tree["bloc"], tree["health"], tree["office"])
    assert version.depth == 4
    assert version.valid_to == OPEN_END
    assert tree["office"].established_on == D(2010, 1, 1)
    assert tree["office"].dissolved_on is None


def test_establish_cleans_the_name_and_keeps_vietnamese_diacritics(system, tree):
    cell = establish(
        system, "BD.KH", "  Chi bộ   Sở Kế hoạch và Đầu tư ", T.GRASSROOTS_CELL, tree["bloc"]
    )
    assert cell.name == "Chi bộ Sở Kế hoạch và Đầu tư"


def test_establish_under_a_parent_of_the_wrong_type_is_refused_and_writes_nothing(system, tree):
    with refused("organizations.INVALID_PARENT_TYPE", "Chi bộ Phòng Hành chính"):
        establish(system, "BD.X", "Chi bộ Phòng Hành chính", T.SUBORDINATE_CELL, tree["bloc"])
    assert not Organization.objects.filter(code="BD.X").exists()


def test_establish_with_a_code_already_used_is_a_conflict(system, tree):
    with refused("organizations.CODE_TAKEN", "BD.TP") as info:
        establish(system, "BD.TP", "Chi bộ Sở Tư pháp (2)", T.GRASSROOTS_CELL, tree["bloc"])
    assert isinstance(info.value, Conflict)
    assert info.value.status == 409


@pytest.mark.parametrize("code", ["", "BD TP", "Đ.01", "-BD", "X" * 33])
def test_establish_with_a_malformed_code_is_refused(system, tree, code):
    with refused("organizations.INVALID_CODE"):
        establish(system, code, "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"])


def test_establish_with_a_blank_name_is_refused(system, tree):
    with refused("organizations.NAME_REQUIRED"):
        establish(system, "BD.NV", "   ", T.GRASSROOTS_CELL, tree["bloc"])


def test_establish_with_an_unknown_type_is_refused(system, tree):
    with refused("organizations.UNKNOWN_TYPE"):
        establish(system, "BD.NV", "Chi bộ Sở Nội vụ", "party_group", tree["bloc"])


def test_establish_with_an_unknown_province_is_refused(system, tree):
    with refused("organizations.UNKNOWN_PROVINCE", "999"):
        establish(
            system, "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"], province_code=999
        )


def test_establish_before_its_decision_is_signed_is_refused(system, tree):
    with refused("organizations.EFFECTIVE_BEFORE_DECISION"):
        services.organization_establish(
            scope=system,
            spec=NewOrganization(
                code="BD.NV", name="Chi bộ Sở Nội vụ", type=T.GRASSROOTS_CELL, parent=tree["bloc"]
            ),
            effective_date=D(2015, 1, 1),
            decision=decision(D(2015, 1, 2)),
        )


def test_establish_before_the_parent_exists_is_not_found(system, tree):
    with refused("core.NOT_FOUND") as info:
        establish(
            system, "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"], D(2009, 6, 1)
        )
    assert isinstance(info.value, NotFound)


def test_back_dated_establishment_under_a_parent_dissolved_later_is_refused_naming_the_date(
    system, tree
):
    dissolve(system, tree["justice"], D(2020, 1, 1))
    bloc2 = establish(system, "BD.K2", "Đảng bộ Khối 2", T.UPPER_COMMITTEE, tree["province"])
    dissolve(system, bloc2, D(2018, 1, 1))
    with refused("organizations.PARENT_NOT_ACTIVE", "Đảng bộ Khối 2", "01/01/2018"):
        establish(system, "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, bloc2, D(2015, 1, 1))


def test_top_level_establishment_needs_the_system_administrator(system, tree, make_user, scope_of):
    user = make_user("bithu", tree["province"], Role.ADMINISTRATOR)
    with refused("access.ROLE_REQUIRED") as info:
        establish(scope_of(user), "HN", "Đảng bộ thành phố Hà Nội", T.PROVINCIAL_COMMITTEE)
    assert isinstance(info.value, Forbidden)


def test_establish_outside_scope_is_not_found(system, tree, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    with refused("core.NOT_FOUND"):
        establish(scope_of(user), "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"])


def test_establish_inside_scope_records_the_actor(system, tree, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    cell = establish(
        scope_of(user), "BD.YT.KH", "Chi bộ Phòng Kế hoạch", T.SUBORDINATE_CELL, tree["health"]
    )
    assert OrganizationEvent.objects.get(organization=cell).recorded_by == user
    assert (
        AuditEntry.objects.get(object_id=str(cell.pk), action="organization.establish").actor
        == user
    )


def test_establish_with_children_moves_them_in_on_the_same_day(system, tree):
    committee = services.organization_establish(
        scope=system,
        spec=NewOrganization(
            code="BD.BV",
            name="Đảng bộ Bệnh viện Đa khoa tỉnh",
            type=T.GRASSROOTS_COMMITTEE,
            parent=tree["bloc"],
            children=[tree["office"]],
        ),
        effective_date=D(2016, 1, 1),
        decision=decision(D(2016, 1, 1)),
    )
    assert version_on(tree["office"], D(2015, 12, 31)).parent_id == tree["health"].pk
    assert version_on(tree["office"], D(2016, 1, 1)).parent_id == committee.pk


# rename ------------------------------------------------------------------------------------
def test_rename_keeps_the_old_name_before_the_date(system, tree):
    services.organization_rename(
        scope=system,
        organization=tree["justice"],
        name="Chi bộ Sở Tư pháp tỉnh",
        effective_date=D(2016, 5, 1),
        decision=decision(D(2016, 4, 20)),
    )
    assert "Chi bộ Sở Tư pháp" in names_on(system, D(2016, 4, 30))
    assert "Chi bộ Sở Tư pháp tỉnh" in names_on(system, D(2016, 5, 1))


def test_rename_updates_the_projection_and_records_the_old_name(system, tree):
    renamed = rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh Bình Định", D(2016, 5, 1))
    assert renamed.name == "Chi bộ Sở Tư pháp tỉnh Bình Định"
    event = OrganizationEvent.objects.get(organization=tree["justice"], kind=EventKind.RENAME)
    assert event.previous == {"name": "Chi bộ Sở Tư pháp"}
    assert event.changes == {"name": "Chi bộ Sở Tư pháp tỉnh Bình Định"}
    audit = AuditEntry.objects.get(action="organization.rename")
    assert audit.before == {"name": "Chi bộ Sở Tư pháp"}


def test_rename_to_the_same_name_is_refused(system, tree):
    with refused("organizations.NAME_UNCHANGED"):
        rename(system, tree["justice"], " Chi bộ  Sở Tư pháp ", D(2016, 5, 1))


def test_rename_before_establishment_is_not_found(system, tree):
    with refused("core.NOT_FOUND"):
        rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2009, 5, 1))


def test_rename_outside_scope_is_not_found(system, tree, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    with refused("core.NOT_FOUND"):
        rename(scope_of(user), tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2016, 5, 1))


def test_rename_with_a_viewer_role_is_forbidden(system, tree, make_user, scope_of):
    user = make_user("xem", tree["bloc"], Role.VIEWER)
    with refused("access.ROLE_REQUIRED") as info:
        rename(scope_of(user), tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2016, 5, 1))
    assert info.value.status == 403


# move --------------------------------------------------------------------------------------
def test_move_takes_the_whole_subtree_and_the_descendants_paths_follow(system, tree, enterprises):
    move(system, tree["health"], enterprises, D(2018, 7, 1))
    p, e, h, o = tree["province"], enterprises, tree["health"], tree["office"]
    assert version_on(o, D(2018, 7, 1)).path == path_of(p, e, h, o)
    assert version_on(o, D(2018, 6, 30)).path == path_of(p, tree["bloc"], h, o)
    assert version_on(tree["inspect"], D(2018, 7, 1)).depth == 4
    assert names_on(system, D(2019, 1, 1), root=enterprises) == [
        "Đảng bộ Khối Doanh nghiệp tỉnh",
        "Đảng bộ Sở Y tế",
        "Chi bộ Văn phòng Sở",
        "Chi bộ Thanh tra Sở",
    ]
    assert "Đảng bộ Sở Y tế" not in names_on(system, D(2019, 1, 1), root=tree["bloc"])
    assert Organization.objects.get(pk=h.pk).parent_id == e.pk


def test_move_leaves_the_tree_on_an_earlier_date_unchanged(system, tree, enterprises):
    def tree_on(day):
        return [
            (v.organization_id, v.name, v.type, v.parent_id, v.path)
            for v in selectors.versions_on(scope=system, at=day)
        ]

    before = tree_on(D(2015, 6, 1))
    move(system, tree["health"], enterprises, D(2018, 7, 1))
    assert tree_on(D(2015, 6, 1)) == before
    assert tree_on(D(2018, 7, 1)) != before


def test_move_records_the_previous_parent_and_one_event(system, tree, enterprises):
    before = OrganizationEvent.objects.count()
    move(system, tree["health"], enterprises, D(2018, 7, 1))
    assert OrganizationEvent.objects.count() == before + 1
    event = OrganizationEvent.objects.get(kind=EventKind.MOVE)
    assert event.previous == {"parent_id": tree["bloc"].pk}
    assert event.changes == {"parent_id": enterprises.pk}


def test_move_under_the_same_parent_is_refused(system, tree):
    with refused("organizations.MOVE_SAME_PARENT", "Đảng bộ Khối các cơ quan tỉnh"):
        move(system, tree["justice"], tree["bloc"], D(2018, 7, 1))


def test_move_under_its_own_descendant_is_refused_as_a_cycle(system, tree):
    inner = establish(system, "BD.DUK.2", "Đảng bộ Khối phụ", T.UPPER_COMMITTEE, tree["bloc"])
    with refused("organizations.MOVE_CREATES_CYCLE", "Đảng bộ Khối các cơ quan tỉnh"):
        move(system, tree["bloc"], inner, D(2018, 7, 1))


def test_move_under_itself_is_refused_as_a_cycle(system, tree):
    with refused("organizations.MOVE_CREATES_CYCLE"):
        move(system, tree["bloc"], tree["bloc"], D(2018, 7, 1))


def test_move_of_a_grassroots_cell_into_a_grassroots_committee_is_refused(system, tree):
    with refused("organizations.INVALID_PARENT_TYPE", "Chi bộ Sở Tư pháp"):
        move(system, tree["justice"], tree["health"], D(2018, 7, 1))


def test_move_of_a_subordinate_cell_out_of_its_committee_is_refused(system, tree):
    with refused("organizations.INVALID_PARENT_TYPE", "Chi bộ Văn phòng Sở"):
        move(system, tree["office"], tree["bloc"], D(2018, 7, 1))


def test_move_outside_scope_is_not_found(system, tree, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    with refused("core.NOT_FOUND"):
        move(scope_of(user), tree["justice"], tree["health"], D(2018, 7, 1))
    with refused("core.NOT_FOUND"):
        move(scope_of(user), tree["office"], tree["bloc"], D(2018, 7, 1))


def test_move_between_organisations_of_the_scope_is_allowed(system, tree, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    sub = establish(
        system, "BD.YT.BP", "Đảng bộ bộ phận Khối Bệnh viện", T.SUB_COMMITTEE, tree["health"]
    )
    move(scope_of(user), tree["office"], sub, D(2018, 7, 1))
    assert version_on(tree["office"], D(2018, 7, 1)).depth == 5


def test_move_before_either_side_exists_is_not_found(system, tree, enterprises):
    later = establish(
        system, "BD.K3", "Đảng bộ Khối 3", T.UPPER_COMMITTEE, tree["province"], D(2019, 1, 1)
    )
    with refused("core.NOT_FOUND"):
        move(system, tree["justice"], later, D(2018, 7, 1))


def test_back_dated_move_into_a_parent_dissolved_later_is_refused_naming_the_date(
    system, tree, enterprises
):
    dissolve(system, enterprises, D(2021, 1, 1))
    with refused("organizations.PARENT_NOT_ACTIVE", "Đảng bộ Khối Doanh nghiệp tỉnh", "01/01/2021"):
        move(system, tree["justice"], enterprises, D(2018, 7, 1))


# convert -----------------------------------------------------------------------------------
def test_convert_grassroots_cell_into_grassroots_committee_from_its_date(system, tree):
    converted = convert(system, tree["justice"], T.GRASSROOTS_COMMITTEE, D(2019, 1, 1))
    assert converted.type == T.GRASSROOTS_COMMITTEE
    assert version_on(tree["justice"], D(2018, 12, 31)).type == T.GRASSROOTS_CELL
    assert version_on(tree["justice"], D(2019, 1, 1)).type == T.GRASSROOTS_COMMITTEE
    event = OrganizationEvent.objects.get(kind=EventKind.CONVERT)
    assert event.previous == {"type": T.GRASSROOTS_CELL}


def test_converted_committee_may_then_take_subordinate_cells(system, tree):
    convert(system, tree["justice"], T.GRASSROOTS_COMMITTEE, D(2019, 1, 1))
    cell = establish(
        system,
        "BD.TP.1",
        "Chi bộ Phòng Bổ trợ tư pháp",
        T.SUBORDINATE_CELL,
        tree["justice"],
        D(2019, 1, 1),
    )
    assert version_on(cell, D(2019, 1, 1)).depth == 4


@pytest.mark.parametrize("target", [T.SUB_COMMITTEE, T.UPPER_COMMITTEE, T.CENTRAL])
def test_convert_to_a_type_the_charter_does_not_convert_to_is_refused(system, tree, target):
    with refused("organizations.CONVERSION_NOT_ALLOWED"):
        convert(system, tree["justice"], target, D(2019, 1, 1))


def test_convert_to_its_own_type_is_refused(system, tree):
    with refused("organizations.CONVERSION_SAME_TYPE"):
        convert(system, tree["justice"], T.GRASSROOTS_CELL, D(2019, 1, 1))


def test_convert_committee_with_subordinate_cells_into_a_cell_is_refused_and_writes_nothing(
    system, tree
):
    with refused("organizations.INVALID_PARENT_TYPE", "Chi bộ Văn phòng Sở"):
        convert(system, tree["health"], T.GRASSROOTS_CELL, D(2019, 1, 1))
    assert Organization.objects.get(pk=tree["health"].pk).type == T.GRASSROOTS_COMMITTEE


def test_convert_committee_into_a_cell_once_its_cells_have_ended(system, tree):
    dissolve(system, tree["office"], D(2019, 1, 1))
    dissolve(system, tree["inspect"], D(2019, 1, 1))
    convert(system, tree["health"], T.GRASSROOTS_CELL, D(2019, 1, 1))
    assert version_on(tree["health"], D(2019, 1, 1)).type == T.GRASSROOTS_CELL
    assert version_on(tree["health"], D(2018, 12, 31)).type == T.GRASSROOTS_COMMITTEE


def test_back_dated_conversion_that_breaks_a_later_child_is_refused(system, tree, education):
    late = establish(
        system,
        "BD.GD.TC",
        "Chi bộ Phòng Tổ chức cán bộ",
        T.SUBORDINATE_CELL,
        education["committee"],
        D(2016, 1, 1),
    )
    dissolve(system, education["cell"], D(2012, 1, 1))
    # On 2013 the committee has no cell, but the cell established in 2016 would sit under a cell.
    with refused("organizations.INVALID_PARENT_TYPE", late.name):
        convert(system, education["committee"], T.GRASSROOTS_CELL, D(2013, 1, 1))


def test_convert_a_subordinate_cell_into_a_sub_committee_keeps_its_place(system, tree):
    convert(system, tree["office"], T.SUB_COMMITTEE, D(2019, 1, 1))
    version = version_on(tree["office"], D(2019, 1, 1))
    assert version.type == T.SUB_COMMITTEE
    assert version.path == version_on(tree["office"], D(2018, 1, 1)).path


def test_convert_grassroots_cell_into_subordinate_cell_with_its_move_into_a_committee(system, tree):
    convert(system, tree["justice"], T.SUBORDINATE_CELL, D(2019, 1, 1), parent=tree["health"])
    before, after = (
        version_on(tree["justice"], D(2018, 12, 31)),
        version_on(tree["justice"], D(2019, 1, 1)),
    )
    assert (before.type, before.parent_id) == (T.GRASSROOTS_CELL, tree["bloc"].pk)
    assert (after.type, after.parent_id) == (T.SUBORDINATE_CELL, tree["health"].pk)
    assert after.path == path_of(tree["province"], tree["bloc"], tree["health"], tree["justice"])
    event = OrganizationEvent.objects.get(kind=EventKind.CONVERT)
    assert event.changes == {"type": T.SUBORDINATE_CELL, "parent_id": tree["health"].pk}
    assert event.previous == {"type": T.GRASSROOTS_CELL, "parent_id": tree["bloc"].pk}


def test_convert_subordinate_cell_into_grassroots_cell_with_its_move_out(system, tree):
    convert(system, tree["office"], T.GRASSROOTS_CELL, D(2019, 1, 1), parent=tree["bloc"])
    assert version_on(tree["office"], D(2019, 1, 1)).depth == 3
    assert version_on(tree["office"], D(2018, 1, 1)).depth == 4


def test_convert_with_a_move_into_a_committee_outside_scope_is_not_found(
    system, tree, make_user, scope_of
):
    user = make_user("tpuser", tree["justice"], Role.EDITOR)
    with refused("core.NOT_FOUND"):
        convert(
            scope_of(user),
            tree["justice"],
            T.SUBORDINATE_CELL,
            D(2019, 1, 1),
            parent=tree["health"],
        )


def test_convert_without_the_move_it_needs_is_refused(system, tree):
    with refused("organizations.INVALID_PARENT_TYPE"):
        convert(system, tree["justice"], T.SUBORDINATE_CELL, D(2019, 1, 1))


# update details ----------------------------------------------------------------------------
def test_update_details_holds_from_its_date(system, tree):
    services.organization_update_details(
        scope=system,
        organization=tree["justice"],
        effective_date=D(2021, 3, 1),
        sector="agency",
        address=" 01 Lê Lợi, phường Quy Nhơn ",
        province_code=52,
    )
    before, after = (
        version_on(tree["justice"], D(2021, 2, 28)),
        version_on(tree["justice"], D(2021, 3, 1)),
    )
    assert (before.sector, before.address, before.province_code) == ("", "", None)
    assert (after.sector, after.address, after.province_code) == (
        "agency",
        "01 Lê Lợi, phường Quy Nhơn",
        52,
    )
    event = OrganizationEvent.objects.get(kind=EventKind.UPDATE)
    assert event.decision is None
    assert event.previous == {"sector": "", "address": "", "province_code": None}


def test_update_details_with_nothing_new_is_refused(system, tree):
    with refused("organizations.NOTHING_CHANGED"):
        services.organization_update_details(
            scope=system, organization=tree["justice"], effective_date=D(2021, 3, 1), address=""
        )


def test_update_details_repeating_the_address_with_extra_spaces_is_refused(system, tree):
    services.organization_update_details(
        scope=system,
        organization=tree["justice"],
        effective_date=D(2021, 3, 1),
        address="01 Lê Lợi, phường Quy Nhơn",
    )
    with refused("organizations.NOTHING_CHANGED"):
        services.organization_update_details(
            scope=system,
            organization=tree["justice"],
            effective_date=D(2022, 3, 1),
            address="  01 Lê Lợi, phường Quy Nhơn ",
        )


def test_update_details_with_an_unknown_sector_is_refused(system, tree):
    with refused("organizations.UNKNOWN_SECTOR", "doanh_nghiep"):
        services.organization_update_details(
            scope=system,
            organization=tree["justice"],
            effective_date=D(2021, 3, 1),
            sector="doanh_nghiep",
        )


def test_establish_with_an_unknown_sector_is_refused(system, tree):
    with refused("organizations.UNKNOWN_SECTOR"):
        establish(
            system, "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"], sector="co_quan"
        )


def test_update_details_with_an_unknown_province_is_refused(system, tree):
    with refused("organizations.UNKNOWN_PROVINCE"):
        services.organization_update_details(
            scope=system,
            organization=tree["justice"],
            effective_date=D(2021, 3, 1),
            province_code=1000,
        )


# dissolve ----------------------------------------------------------------------------------
def test_dissolved_organisation_is_absent_on_the_effective_date_and_present_the_day_before(
    system, tree
):
    dissolved = dissolve(system, tree["justice"], D(2020, 1, 1))
    assert "Chi bộ Sở Tư pháp" in names_on(system, D(2019, 12, 31))
    assert "Chi bộ Sở Tư pháp" not in names_on(system, D(2020, 1, 1))
    assert dissolved.dissolved_on == D(2020, 1, 1)
    assert OrganizationVersion.objects.get(organization=tree["justice"]).valid_to == D(2020, 1, 1)


def test_dissolve_while_it_has_children_after_the_date_is_refused_naming_them(system, tree):
    with refused(
        "organizations.DISSOLVE_HAS_CHILDREN", "Chi bộ Văn phòng Sở", "Chi bộ Thanh tra Sở"
    ):
        dissolve(system, tree["health"], D(2020, 1, 1))


def test_dissolve_after_the_children_have_moved_out_on_the_same_day(system, tree, education):
    move(system, tree["office"], education["committee"], D(2020, 1, 1))
    move(system, tree["inspect"], education["committee"], D(2020, 1, 1))
    dissolve(system, tree["health"], D(2020, 1, 1))
    assert version_on(tree["health"], D(2019, 12, 31)) is not None
    assert version_on(tree["health"], D(2020, 1, 1)) is None


def test_dissolve_on_the_day_of_establishment_is_refused(system, tree):
    cell = establish(
        system, "BD.NV", "Chi bộ Sở Nội vụ", T.GRASSROOTS_CELL, tree["bloc"], D(2015, 1, 1)
    )
    with refused("core.NOT_FOUND"):
        dissolve(system, cell, D(2015, 1, 1))


def test_dissolve_twice_is_not_found(system, tree):
    dissolve(system, tree["justice"], D(2020, 1, 1))
    with refused("core.NOT_FOUND"):
        dissolve(system, tree["justice"], D(2021, 1, 1))


def test_event_after_dissolution_is_not_found(system, tree):
    dissolve(system, tree["justice"], D(2020, 1, 1))
    with refused("core.NOT_FOUND"):
        rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2020, 6, 1))


def test_back_dated_dissolution_before_a_later_rename_is_refused(system, tree):
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2020, 6, 1))
    with refused("organizations.EVENT_AFTER_DISSOLUTION", "Đổi tên", "01/06/2020"):
        dissolve(system, tree["justice"], D(2018, 1, 1))


def test_back_dated_dissolution_of_a_parent_before_a_child_moves_into_it_is_refused(
    system, tree, enterprises
):
    move(system, tree["justice"], enterprises, D(2020, 1, 1))
    move(system, tree["justice"], tree["bloc"], D(2022, 1, 1))
    # Between 2020 and 2022 the cell sits under the enterprises bloc, so the bloc cannot end in 2018.
    with refused("organizations.DISSOLVE_HAS_CHILDREN", "Chi bộ Sở Tư pháp", "01/01/2018"):
        dissolve(system, enterprises, D(2018, 1, 1))


# merge -------------------------------------------------------------------------------------
def test_merge_into_an_existing_organisation_moves_the_children_and_ends_the_sources(
    system, tree, education
):
    target = services.organization_merge(
        scope=system,
        sources=[education["committee"]],
        into=tree["health"],
        effective_date=D(2021, 7, 1),
        decision=decision(D(2021, 6, 20), "12-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối"),
    )
    assert target == tree["health"]
    assert version_on(education["cell"], D(2021, 7, 1)).parent_id == tree["health"].pk
    assert version_on(education["cell"], D(2021, 6, 30)).parent_id == education["committee"].pk
    assert Organization.objects.get(pk=education["committee"].pk).dissolved_on == D(2021, 7, 1)
    merge = OrganizationEvent.objects.get(kind=EventKind.MERGE)
    assert merge.organization == tree["health"]
    assert merge.changes == {"sources": [education["committee"].pk]}
    assert sorted(merge.effects.values_list("kind", flat=True)) == ["dissolve", "move"]
    assert Decision.objects.filter(symbol="12-QĐ/ĐUK").count() == 1


def test_merge_into_a_new_organisation_establishes_it_with_every_child(system, tree, education):
    merged = services.organization_merge(
        scope=system,
        sources=[tree["health"], education["committee"]],
        new=NewOrganization(
            code="BD.YTGD",
            name="Đảng bộ Sở Y tế – Giáo dục",
            type=T.GRASSROOTS_COMMITTEE,
            parent=tree["bloc"],
        ),
        effective_date=D(2021, 7, 1),
        decision=decision(D(2021, 7, 1), "13-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối"),
    )
    children = {
        v.organization_id
        for v in selectors.versions_on(scope=system, at=D(2021, 7, 1), root=merged)
        if v.organization_id != merged.pk
    }
    assert children == {tree["office"].pk, tree["inspect"].pk, education["cell"].pk}
    assert merged.established_on == D(2021, 7, 1)
    for source in (tree["health"], education["committee"]):
        assert Organization.objects.get(pk=source.pk).dissolved_on == D(2021, 7, 1)
    merge = OrganizationEvent.objects.get(kind=EventKind.MERGE)
    establish_event = OrganizationEvent.objects.get(organization=merged, kind=EventKind.ESTABLISH)
    assert establish_event.cause == merge
    assert merge.effects.filter(kind=EventKind.DISSOLVE).count() == 2


def test_merge_needs_a_target_and_only_one(system, tree, education):
    with refused("organizations.MERGE_TARGET"):
        services.organization_merge(
            scope=system,
            sources=[tree["health"], education["committee"]],
            effective_date=D(2021, 7, 1),
            decision=decision(D(2021, 7, 1)),
        )


def test_merge_of_an_organisation_into_itself_is_refused(system, tree):
    with refused("organizations.MERGE_NEEDS_TWO"):
        services.organization_merge(
            scope=system,
            sources=[tree["health"]],
            into=tree["health"],
            effective_date=D(2021, 7, 1),
            decision=decision(D(2021, 7, 1)),
        )


def test_merge_whose_children_do_not_fit_the_target_is_refused_and_writes_nothing(system, tree):
    with refused("organizations.INVALID_PARENT_TYPE", "Chi bộ Văn phòng Sở"):
        services.organization_merge(
            scope=system,
            sources=[tree["health"]],
            into=tree["justice"],
            effective_date=D(2021, 7, 1),
            decision=decision(D(2021, 7, 1)),
        )


def test_merge_outside_scope_is_not_found(system, tree, education, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    with refused("core.NOT_FOUND"):
        services.organization_merge(
            scope=scope_of(user),
            sources=[education["committee"]],
            into=tree["health"],
            effective_date=D(2021, 7, 1),
            decision=decision(D(2021, 7, 1)),
        )


# split -------------------------------------------------------------------------------------
def test_split_gives_each_part_its_listed_children_and_dissolves_the_source(system, tree):
    parts = services.organization_split(
        scope=system,
        organization=tree["health"],
        parts=[
            NewOrganization(
                code="BD.BV",
                name="Đảng bộ Bệnh viện Đa khoa tỉnh",
                type=T.GRASSROOTS_COMMITTEE,
                children=[tree["office"]],
            ),
            NewOrganization(
                code="BD.KSBT",
                name="Đảng bộ Trung tâm Kiểm soát bệnh tật",
                type=T.GRASSROOTS_COMMITTEE,
                children=[tree["inspect"]],
            ),
        ],
        effective_date=D(2022, 1, 1),
        decision=decision(D(2021, 12, 15)),
        dissolve_source=True,
    )
    hospital, cdc = parts
    assert version_on(tree["office"], D(2022, 1, 1)).parent_id == hospital.pk
    assert version_on(tree["inspect"], D(2022, 1, 1)).parent_id == cdc.pk
    assert version_on(hospital, D(2022, 1, 1)).parent_id == tree["bloc"].pk
    assert version_on(tree["health"], D(2022, 1, 1)) is None
    assert version_on(tree["health"], D(2021, 12, 31)) is not None
    split = OrganizationEvent.objects.get(kind=EventKind.SPLIT)
    assert split.changes == {"parts": ["BD.BV", "BD.KSBT"], "dissolve_source": True}
    # the parts' establishments, the moves of their children and the source's end
    assert sorted(split.effects.values_list("kind", flat=True)) == [
        "dissolve",
        "establish",
        "establish",
        "move",
        "move",
    ]


def test_split_keeping_the_source_leaves_it_the_other_children(system, tree):
    (cdc,) = services.organization_split(
        scope=system,
        organization=tree["health"],
        parts=[
            NewOrganization(
                code="BD.KSBT",
                name="Đảng bộ Trung tâm Kiểm soát bệnh tật",
                type=T.GRASSROOTS_COMMITTEE,
                children=[tree["inspect"]],
            )
        ],
        effective_date=D(2022, 1, 1),
        decision=decision(D(2022, 1, 1)),
        dissolve_source=False,
    )
    assert version_on(tree["health"], D(2022, 1, 1)) is not None
    assert version_on(tree["office"], D(2022, 1, 1)).parent_id == tree["health"].pk
    assert version_on(tree["inspect"], D(2022, 1, 1)).parent_id == cdc.pk


def test_split_into_a_single_part_that_ends_the_source_is_refused(system, tree):
    with refused("organizations.SPLIT_NEEDS_TWO"):
        services.organization_split(
            scope=system,
            organization=tree["health"],
            parts=[
                NewOrganization(code="BD.BV", name="Đảng bộ Bệnh viện", type=T.GRASSROOTS_COMMITTEE)
            ],
            effective_date=D(2022, 1, 1),
            decision=decision(D(2022, 1, 1)),
            dissolve_source=True,
        )


def test_split_listing_a_child_of_another_organisation_is_refused_and_writes_nothing(
    system, tree, education
):
    with refused("organizations.SPLIT_CHILD_ELSEWHERE", education["cell"].name):
        services.organization_split(
            scope=system,
            organization=tree["health"],
            parts=[
                NewOrganization(
                    code="BD.BV",
                    name="Đảng bộ Bệnh viện",
                    type=T.GRASSROOTS_COMMITTEE,
                    children=[education["cell"]],
                )
            ],
            effective_date=D(2022, 1, 1),
            decision=decision(D(2022, 1, 1)),
            dissolve_source=False,
        )


def test_split_that_leaves_children_behind_cannot_dissolve_the_source(system, tree):
    with refused("organizations.DISSOLVE_HAS_CHILDREN", "Chi bộ Văn phòng Sở"):
        services.organization_split(
            scope=system,
            organization=tree["health"],
            parts=[
                NewOrganization(
                    code="BD.KSBT",
                    name="Đảng bộ Trung tâm Kiểm soát bệnh tật",
                    type=T.GRASSROOTS_COMMITTEE,
                    children=[tree["inspect"]],
                ),
                NewOrganization(
                    code="BD.BV", name="Đảng bộ Bệnh viện", type=T.GRASSROOTS_COMMITTEE
                ),
            ],
            effective_date=D(2022, 1, 1),
            decision=decision(D(2022, 1, 1)),
            dissolve_source=True,
        )


# back-dated events -------------------------------------------------------------------------
def test_move_entered_after_a_later_rename_is_applied_under_the_right_name(
    system, tree, enterprises
):
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2020, 1, 1))
    move(system, tree["justice"], enterprises, D(2018, 1, 1))
    versions = list(
        OrganizationVersion.objects.filter(organization=tree["justice"]).order_by("valid_from")
    )
    assert [(v.valid_from, v.valid_to, v.name, v.parent_id) for v in versions] == [
        (D(2010, 1, 1), D(2018, 1, 1), "Chi bộ Sở Tư pháp", tree["bloc"].pk),
        (D(2018, 1, 1), D(2020, 1, 1), "Chi bộ Sở Tư pháp", enterprises.pk),
        (D(2020, 1, 1), OPEN_END, "Chi bộ Sở Tư pháp tỉnh", enterprises.pk),
    ]
    justice = Organization.objects.get(pk=tree["justice"].pk)
    assert (justice.name, justice.parent_id) == ("Chi bộ Sở Tư pháp tỉnh", enterprises.pk)


def test_rename_entered_before_a_later_rename_keeps_the_later_name(system, tree):
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2020, 1, 1))
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp Bình Định", D(2015, 1, 1))
    assert version_on(tree["justice"], D(2016, 1, 1)).name == "Chi bộ Sở Tư pháp Bình Định"
    assert version_on(tree["justice"], D(2021, 1, 1)).name == "Chi bộ Sở Tư pháp tỉnh"
    assert Organization.objects.get(pk=tree["justice"].pk).name == "Chi bộ Sở Tư pháp tỉnh"


def test_back_dated_move_of_a_parent_carries_the_children_it_had_then(
    system, tree, enterprises, education
):
    move(system, tree["office"], education["committee"], D(2020, 1, 1))
    move(system, tree["health"], enterprises, D(2015, 1, 1))
    p, e, h, o = tree["province"], enterprises, tree["health"], tree["office"]
    assert version_on(o, D(2016, 1, 1)).path == path_of(p, e, h, o)
    assert version_on(o, D(2020, 1, 1)).path == path_of(p, tree["bloc"], education["committee"], o)
    assert version_on(tree["inspect"], D(2021, 1, 1)).path == path_of(p, e, h, tree["inspect"])


def test_back_dated_move_that_creates_a_cycle_with_a_later_state_is_refused(system, tree):
    other = establish(system, "BD.K2", "Đảng bộ Khối 2", T.UPPER_COMMITTEE, tree["province"])
    move(system, other, tree["bloc"], D(2020, 1, 1))
    with refused("organizations.MOVE_CREATES_CYCLE"):
        move(system, tree["bloc"], other, D(2015, 1, 1))


def test_conversion_is_refused_while_a_child_moved_in_earlier_remains(system, tree, education):
    move(system, education["cell"], tree["health"], D(2012, 1, 1))
    dissolve(system, tree["office"], D(2019, 1, 1))
    dissolve(system, tree["inspect"], D(2019, 1, 1))
    with refused("organizations.INVALID_PARENT_TYPE", education["cell"].name):
        convert(system, tree["health"], T.GRASSROOTS_CELL, D(2019, 1, 1))


# committees --------------------------------------------------------------------------------
def open_term(scope, organization, day, seats, name="2020–2025"):
    return services.committee_term_open(
        scope=scope,
        organization=organization,
        name=name,
        start_date=day,
        decision=decision(day, "05-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối"),
        seats=seats,
    )


def consolidate(scope, organization, day, appoint=(), relieve=()):
    return services.committee_consolidate(
        scope=scope,
        organization=organization,
        effective_date=day,
        decision=decision(day, "20-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối"),
        appoint=list(appoint),
        relieve=list(relieve),
    )


HEALTH_COMMITTEE = [
    SeatInput("Nguyễn Thị Hồng", Position.SECRETARY),
    SeatInput("Trần Văn Bình", Position.DEPUTY_SECRETARY),
    SeatInput("Lê Quốc Dũng", Position.STANDING_MEMBER),
    SeatInput("Phạm Minh Đức", Position.COMMITTEE_MEMBER),
]


def test_term_opens_with_its_seats_and_the_secretary_listed_first(system, tree):
    term = open_term(system, tree["health"], D(2020, 8, 1), list(reversed(HEALTH_COMMITTEE)))
    found, seats = selectors.committee_on(
        scope=system, organization=tree["health"], at=D(2021, 1, 1)
    )
    assert found == term
    assert [s.full_name for s in seats] == [
        "Nguyễn Thị Hồng",
        "Trần Văn Bình",
        "Lê Quốc Dũng",
        "Phạm Minh Đức",
    ]
    assert selectors.committee_on(scope=system, organization=tree["health"], at=D(2020, 7, 31)) == (
        None,
        [],
    )
    assert AuditEntry.objects.filter(action="committee.term_open").count() == 1


def test_new_term_ends_the_previous_term_and_its_seats(system, tree):
    first = open_term(system, tree["health"], D(2015, 8, 1), HEALTH_COMMITTEE, "2015–2020")
    second = open_term(
        system, tree["health"], D(2020, 8, 1), [SeatInput("Võ Thanh Tùng", Position.SECRETARY)]
    )
    first.refresh_from_db()
    assert first.end_date == D(2020, 8, 1)
    assert set(CommitteeSeat.objects.filter(term=first).values_list("end_date", flat=True)) == {
        D(2020, 8, 1)
    }
    term, seats = selectors.committee_on(
        scope=system, organization=tree["health"], at=D(2020, 8, 1)
    )
    assert term == second
    assert [s.full_name for s in seats] == ["Võ Thanh Tùng"]


def test_term_with_two_secretaries_is_refused(system, tree):
    with refused("organizations.COMMITTEE_TWO_SECRETARIES"):
        open_term(
            system,
            tree["health"],
            D(2020, 8, 1),
            [
                SeatInput("Nguyễn Thị Hồng", Position.SECRETARY),
                SeatInput("Trần Văn Bình", Position.SECRETARY),
            ],
        )


def test_cell_committee_of_more_than_seven_is_refused(system, tree):
    names = ["Đặng Văn An", "Bùi Thị Ánh", "Hồ Văn Ba", "Ngô Thị Cúc", "Dương Văn Dũng",
             "Lý Thị Gấm", "Huỳnh Văn Hải", "Mai Thị Hương"]  # fmt: skip
    seats = [SeatInput(names[0], Position.SECRETARY)]
    seats += [SeatInput(n, Position.COMMITTEE_MEMBER) for n in names[1:]]
    with refused("organizations.CELL_COMMITTEE_TOO_LARGE", "7"):
        open_term(system, tree["justice"], D(2020, 8, 1), seats)
    open_term(system, tree["justice"], D(2020, 8, 1), seats[:7])


def test_cell_committee_with_a_standing_member_is_refused(system, tree):
    with refused("organizations.CELL_HAS_NO_STANDING_COMMITTEE"):
        open_term(
            system,
            tree["office"],
            D(2020, 8, 1),
            [SeatInput("Lê Quốc Dũng", Position.STANDING_MEMBER)],
        )


def test_term_starting_on_or_before_an_existing_term_is_refused(system, tree):
    open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)
    with refused("organizations.TERM_OVERLAPS"):
        open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE, "2020–2025 (2)")
    with refused("organizations.TERM_OVERLAPS"):
        open_term(system, tree["health"], D(2015, 8, 1), HEALTH_COMMITTEE, "2015–2020")


def test_term_with_a_blank_name_or_seat_name_is_refused(system, tree):
    with refused("organizations.TERM_NAME_REQUIRED"):
        open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE, "  ")
    with refused("organizations.SEAT_NAME_REQUIRED"):
        open_term(system, tree["health"], D(2020, 8, 1), [SeatInput("  ", Position.SECRETARY)])
    with refused("organizations.UNKNOWN_POSITION"):
        open_term(system, tree["health"], D(2020, 8, 1), [SeatInput("Trần Văn Bình", "chairman")])


def test_term_outside_scope_is_not_found(system, tree, make_user, scope_of):
    user = make_user("ytuser", tree["health"], Role.EDITOR)
    with refused("core.NOT_FOUND"):
        open_term(scope_of(user), tree["justice"], D(2020, 8, 1), HEALTH_COMMITTEE)


def test_consolidation_relieves_and_appoints_a_secretary_under_one_decision(system, tree):
    open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)
    secretary = CommitteeSeat.objects.get(position=Position.SECRETARY)
    consolidation = consolidate(
        system,
        tree["health"],
        D(2022, 3, 1),
        appoint=[SeatInput("Võ Thanh Tùng", Position.SECRETARY)],
        relieve=[secretary.pk],
    )
    _, before = selectors.committee_on(scope=system, organization=tree["health"], at=D(2022, 2, 28))
    _, after = selectors.committee_on(scope=system, organization=tree["health"], at=D(2022, 3, 1))
    assert before[0].full_name == "Nguyễn Thị Hồng"
    assert after[0].full_name == "Võ Thanh Tùng"
    assert len(after) == 4
    secretary.refresh_from_db()
    assert secretary.end_date == D(2022, 3, 1)
    assert secretary.end_decision == consolidation.decision
    assert CommitteeSeat.objects.get(full_name="Võ Thanh Tùng").consolidation == consolidation
    assert AuditEntry.objects.filter(action="committee.consolidate").count() == 1


def test_consolidation_adding_a_second_secretary_is_refused_and_writes_nothing(system, tree):
    open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)
    with refused("organizations.COMMITTEE_TWO_SECRETARIES"):
        consolidate(
            system,
            tree["health"],
            D(2022, 3, 1),
            appoint=[SeatInput("Võ Thanh Tùng", Position.SECRETARY)],
        )


def test_consolidation_past_seven_in_a_cell_committee_is_refused(system, tree):
    names = ["Đặng Văn An", "Bùi Thị Ánh", "Hồ Văn Ba", "Ngô Thị Cúc", "Dương Văn Dũng",
             "Lý Thị Gấm", "Huỳnh Văn Hải"]  # fmt: skip
    open_term(
        system,
        tree["justice"],
        D(2020, 8, 1),
        [SeatInput(n, Position.COMMITTEE_MEMBER) for n in names],
    )
    with refused("organizations.CELL_COMMITTEE_TOO_LARGE"):
        consolidate(
            system,
            tree["justice"],
            D(2022, 3, 1),
            appoint=[SeatInput("Mai Thị Hương", Position.SECRETARY)],
        )


def test_consolidation_without_a_term_is_refused(system, tree):
    with refused("organizations.NO_TERM"):
        consolidate(
            system,
            tree["health"],
            D(2022, 3, 1),
            appoint=[SeatInput("Võ Thanh Tùng", Position.SECRETARY)],
        )


def test_consolidation_that_changes_nothing_is_refused(system, tree):
    open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)
    with refused("organizations.NOTHING_CHANGED"):
        consolidate(system, tree["health"], D(2022, 3, 1))


def test_consolidation_relieving_a_seat_not_held_then_is_refused(system, tree):
    open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)
    seat = CommitteeSeat.objects.get(position=Position.COMMITTEE_MEMBER)
    consolidate(system, tree["health"], D(2021, 3, 1), relieve=[seat.pk])
    with refused("organizations.SEAT_NOT_ACTIVE"):
        consolidate(system, tree["health"], D(2022, 3, 1), relieve=[seat.pk])


def test_consolidation_relieving_a_seat_on_its_first_day_is_refused(system, tree):
    open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)
    seat = CommitteeSeat.objects.get(position=Position.COMMITTEE_MEMBER)
    with refused("organizations.SEAT_NOT_ACTIVE", "Phạm Minh Đức"):
        consolidate(system, tree["health"], D(2020, 8, 1), relieve=[seat.pk])


def test_term_opened_before_a_later_consolidation_of_the_previous_term_is_refused(system, tree):
    open_term(system, tree["health"], D(2015, 8, 1), HEALTH_COMMITTEE, "2015–2020")
    seat = CommitteeSeat.objects.get(position=Position.COMMITTEE_MEMBER)
    consolidate(
        system,
        tree["health"],
        D(2021, 3, 1),
        appoint=[SeatInput("Hoàng Thị Lan", Position.COMMITTEE_MEMBER)],
        relieve=[seat.pk],
    )
    with refused("organizations.TERM_OVERLAPS", "01/03/2021"):
        open_term(system, tree["health"], D(2020, 8, 1), HEALTH_COMMITTEE)


# audit and decisions -----------------------------------------------------------------------
def test_every_restructuring_writes_one_audit_row_per_event(system, tree, enterprises):
    before_events, before_audit = OrganizationEvent.objects.count(), AuditEntry.objects.count()
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2016, 1, 1))
    move(system, tree["justice"], enterprises, D(2017, 1, 1))
    convert(system, tree["justice"], T.GRASSROOTS_COMMITTEE, D(2018, 1, 1))
    dissolve(system, tree["justice"], D(2019, 1, 1))
    assert OrganizationEvent.objects.count() - before_events == 4
    assert AuditEntry.objects.count() - before_audit == 4
    assert list(
        AuditEntry.objects.filter(object_id=str(tree["justice"].pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "organization.establish",
        "organization.rename",
        "organization.move",
        "organization.convert",
        "organization.dissolve",
    ]


def test_one_decision_backing_several_events_is_stored_once(system, tree):
    day = D(2019, 1, 1)
    symbol_variants = ["35-QĐ/ĐUK", "35/QĐ-ĐUK", "số 35-qđ/đuk"]
    for organization, symbol in zip(
        (tree["office"], tree["inspect"], tree["justice"]), symbol_variants, strict=True
    ):
        services.organization_dissolve(
            scope=system,
            organization=organization,
            effective_date=day,
            decision=decision(day, symbol, "Ban Thường vụ  Đảng ủy Khối"),
        )
    assert Decision.objects.filter(symbol="35-QĐ/ĐUK").count() == 1
    assert (
        OrganizationEvent.objects.filter(
            decision__symbol="35-QĐ/ĐUK", kind=EventKind.DISSOLVE
        ).count()
        == 3
    )


def test_snapshot_sees_every_kind_of_write(system, tree):
    """The helper behind every 'writes nothing' assertion notices each kind of row."""
    before = snapshot()
    rename(system, tree["justice"], "Chi bộ Sở Tư pháp tỉnh", D(2016, 1, 1))
    after = snapshot()
    for key in ("events", "versions", "audit", "organizations", "decisions"):
        assert after[key] != before[key], key


def test_domain_error_carries_a_vietnamese_message(system, tree):
    with pytest.raises(DomainError) as info:
        dissolve(system, tree["health"], D(2020, 1, 1))
    assert "còn tổ chức trực thuộc sau ngày 01/01/2020" in info.value.message
