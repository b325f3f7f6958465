"""The duplicate search of the database: candidates by SQL blocks, scored in Python per block."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.access.models import Role
from dangvu.members.models import Person
from dangvu.members.services import PersonUpdate, person_update
from dangvu.quality import selectors
from dangvu.quality.models import PersonKey
from dangvu.quality.rules import MatchKind
from tests.members.people import add_person

HOMETOWN = "xã Phước Hòa, huyện Tuy Phước, tỉnh Bình Định"
BORN = {"birth_year": 1980, "birth_month": 5, "birth_day": 3}


def pairs(suspects):
    return [(s.first.full_name, s.second.full_name, s.match.kind) for s in suspects]


@pytest.fixture
def duc(system, tree):
    """The same man entered in two cells, once without diacritics."""
    first = add_person(system, tree["office"], "Nguyễn Văn Đức", hometown=HOMETOWN, **BORN)
    second = add_person(
        system,
        tree["justice"],
        "NGUYEN VAN DUC",
        hometown="Phước Hòa, Tuy Phước, Bình Định",
        **BORN,
    )
    return first, second


def test_the_same_person_in_two_cells_is_found_across_cells(system, tree, duc):
    add_person(system, tree["inspect"], "Nguyễn Văn Đức", birth_year=1992, hometown=HOMETOWN)
    add_person(system, tree["inspect"], "Trần Thị Mai", sex="female", hometown=HOMETOWN, **BORN)
    suspects = selectors.duplicate_suspects(scope=system)
    assert pairs(suspects) == [("Nguyễn Văn Đức", "Nguyen Van Duc", MatchKind.IDENTICAL)]
    assert {suspects[0].first.organization_code, suspects[0].second.organization_code} == {
        "BD.YT.VP", "BD.TP",
    }  # fmt: skip


def test_a_renamed_file_is_folded_again_before_the_next_search(system, duc):
    assert len(selectors.duplicate_suspects(scope=system)) == 1
    person_update(scope=system, person=duc[1], data=PersonUpdate(full_name="Lê Văn Tám"))
    assert selectors.duplicate_suspects(scope=system) == []
    assert PersonKey.objects.get(person=duc[1]).name_key == "le van tam"


def test_a_missing_middle_name_with_the_same_birth_date_is_suspect(system, tree):
    add_person(system, tree["office"], "Phạm Thị Hồng Nhung", sex="female", **BORN)
    add_person(system, tree["justice"], "Phạm Nhung", sex="female", **BORN)
    [suspect] = selectors.duplicate_suspects(scope=system)
    assert suspect.match.kind == MatchKind.SIMILAR


def test_a_cell_user_sees_only_pairs_inside_their_scope(system, tree, duc, make_user, scope_of):
    add_person(system, tree["office"], "Nguyễn Văn Đức", hometown="Tuy Phước", **BORN)
    office = scope_of(make_user("vp", tree["office"], Role.VIEWER))
    seen = selectors.duplicate_suspects(scope=office)
    assert [(s.first.organization_code, s.second.organization_code) for s in seen] == [
        ("BD.YT.VP", "BD.YT.VP")
    ]
    everything = selectors.duplicate_suspects(scope=system)
    assert len(everything) == 3


def test_the_subtree_keeps_the_pairs_with_one_file_inside(system, tree, duc):
    assert len(selectors.duplicate_suspects(scope=system, organization=tree["health"])) == 1
    add_person(system, tree["justice"], "Hoàng Văn Nam", **BORN)
    add_person(system, tree["justice"], "Hoang Van Nam", **BORN)
    assert len(selectors.duplicate_suspects(scope=system, organization=tree["health"])) == 1
    assert len(selectors.duplicate_suspects(scope=system)) == 2


def test_the_queries_do_not_grow_with_the_number_of_files(system, tree, duc):
    selectors.duplicate_suspects(scope=system)
    with CaptureQueriesContext(connection) as few:
        selectors.duplicate_suspects(scope=system)
    for i in range(30):
        add_person(
            system, tree["inspect"], f"Đỗ Văn Người {chr(ord('A') + i)}", birth_year=1950 + i
        )
    selectors.duplicate_suspects(scope=system)  # folds the new files
    with CaptureQueriesContext(connection) as many:
        selectors.duplicate_suspects(scope=system)
    assert len(many) == len(few)
    assert Person.objects.count() == PersonKey.objects.count()
