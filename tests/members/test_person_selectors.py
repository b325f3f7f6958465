"""Reading the personal files: the Vietnamese order, search without diacritics, scope."""

import pytest

from dangvu.access.models import Role
from dangvu.core.errors import NotFound
from dangvu.members.selectors import person_get, person_list

from .people import add_person


@pytest.fixture
def people(tree, system):
    """People of Chi bộ Sở Tư pháp (grassroots cell) and of the Sở Y tế's two cells."""
    justice, office, inspect = tree["justice"], tree["office"], tree["inspect"]
    return {
        "an_tran": add_person(system, office, "Trần Văn Bình", card_number="52000123"),
        "an_nguyen_van": add_person(system, justice, "Nguyễn Văn An", citizen_id="052085001234"),
        "an_nguyen_thi": add_person(system, justice, "Nguyễn Thị An", sex="female"),
        "an_le": add_person(system, inspect, "Lê Thị An", sex="female", birth_year=1990),
        "duc": add_person(system, office, "Phạm Minh Đức"),
        "dung": add_person(system, justice, "Hoàng Thị Dung", sex="female"),
        "dang": add_person(system, inspect, "Đặng Thị Ánh", sex="female", other_names="Út Ánh"),
    }


def names(queryset) -> list[str]:
    return [person.full_name for person in queryset]


def test_the_list_is_in_vietnamese_order(people, system):
    assert names(person_list(scope=system)) == [
        "Lê Thị An",
        "Nguyễn Thị An",
        "Nguyễn Văn An",
        "Đặng Thị Ánh",
        "Trần Văn Bình",
        "Hoàng Thị Dung",
        "Phạm Minh Đức",
    ]


def test_dung_comes_before_duc(people, system):
    order = names(person_list(scope=system))
    assert order.index("Hoàng Thị Dung") < order.index("Phạm Minh Đức")


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("nguyen van an", ["Nguyễn Văn An"]),
        ("NGUYỄN an", ["Nguyễn Thị An", "Nguyễn Văn An"]),
        ("dang", ["Đặng Thị Ánh"]),
        ("đặng", ["Đặng Thị Ánh"]),
        ("ut anh", ["Đặng Thị Ánh"]),  # other names
        ("duc", ["Phạm Minh Đức"]),
        ("52000", ["Trần Văn Bình"]),  # a card number fragment
        ("085001", ["Nguyễn Văn An"]),  # a citizen ID fragment
        # every word, anywhere: "an" is also in "hoang"
        ("an  thi", ["Lê Thị An", "Nguyễn Thị An", "Đặng Thị Ánh", "Hoàng Thị Dung"]),
        ("xyz", []),
        ("", None),
        ("100%_", []),
    ],
)
def test_search_ignores_diacritics_and_case(people, system, q, found):
    result = names(person_list(scope=system, q=q))
    assert result == (found if found is not None else names(person_list(scope=system)))


def test_filters_by_sex_and_status(people, system):
    assert names(person_list(scope=system, sex="male")) == [
        "Nguyễn Văn An",
        "Trần Văn Bình",
        "Phạm Minh Đức",
    ]
    assert len(person_list(scope=system, status="")) == 7
    assert names(person_list(scope=system, status="full")) == []


def test_the_list_of_an_organisation_covers_its_subtree(people, system, tree):
    assert names(person_list(scope=system, organization=tree["health"])) == [
        "Lê Thị An",
        "Đặng Thị Ánh",
        "Trần Văn Bình",
        "Phạm Minh Đức",
    ]
    assert names(person_list(scope=system, organization=tree["office"])) == [
        "Trần Văn Bình",
        "Phạm Minh Đức",
    ]


def test_a_cell_user_sees_only_its_cell(people, tree, make_user, scope_of):
    scope = scope_of(make_user("tuphap", tree["justice"], Role.VIEWER))
    assert names(person_list(scope=scope)) == ["Nguyễn Thị An", "Nguyễn Văn An", "Hoàng Thị Dung"]
    assert names(person_list(scope=scope, q="binh")) == []
    with pytest.raises(NotFound):
        person_list(scope=scope, organization=tree["office"])
    assert person_get(scope=scope, pk=people["an_nguyen_van"].pk) == people["an_nguyen_van"]
    with pytest.raises(NotFound) as error:
        person_get(scope=scope, pk=people["an_tran"].pk)
    assert "Trần" not in error.value.message


def test_unknown_and_outside_look_the_same(people, tree, make_user, scope_of):
    scope = scope_of(make_user("tuphap", tree["justice"], Role.VIEWER))
    with pytest.raises(NotFound) as outside:
        person_get(scope=scope, pk=people["duc"].pk)
    with pytest.raises(NotFound) as unknown:
        person_get(scope=scope, pk=10**9)
    assert outside.value.as_dict() == unknown.value.as_dict()


def test_a_user_without_grants_sees_nobody(people, make_user, scope_of):
    scope = scope_of(make_user("khongquyen"))
    assert names(person_list(scope=scope)) == []
