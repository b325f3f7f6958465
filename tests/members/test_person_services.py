"""Writing the personal file: validation with codes, nothing half-written, scope, audit."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core import clock
from dangvu.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangvu.core.names import fold
from dangvu.members.models import Person
from dangvu.members.services import PersonUpdate, person_create, person_update

from .people import add_person, person_input


@pytest.fixture
def editor(tree, make_user, scope_of):
    """An editor of Chi bộ Sở Tư pháp (a grassroots cell)."""
    return scope_of(make_user("tuphap", tree["justice"], Role.EDITOR))


def assert_refused(code, call, error=DomainError):
    people, audit = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(error) as raised:
        call()
    assert raised.value.code == code
    assert raised.value.message and not raised.value.message.isascii()
    assert Person.objects.count() == people
    assert AuditEntry.objects.count() == audit
    return raised.value


# creation -----------------------------------------------------------------------------------
def test_create_derives_the_name_parts_sort_key_and_search_text(tree, editor):
    person = person_create(
        scope=editor,
        organization=tree["justice"],
        data=person_input(
            "  nguyễn   đức  THẮNG ",
            other_names="Ba Thắng",
            birth_month=9,
            birth_day=2,
            citizen_id="052085001234",
            card_number="52012345",
            hometown="  Phù Cát,   Bình Định ",
        ),
    )
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Đức Thắng"
    assert (person.family_name, person.middle_name, person.given_name) == (
        "Nguyễn",
        "Đức",
        "Thắng",
    )
    assert person.name_sort_key.isdigit()
    assert person.search_text == "nguyen duc thang ba thang 52012345 052085001234"
    assert person.hometown == "Phù Cát, Bình Định"
    assert person.ethnicity == "01"
    assert person.status == ""
    assert person.organization == tree["justice"]


def test_create_writes_an_audit_row(tree, editor):
    person = add_person(editor, tree["justice"], "Trần Thị Bình", sex="female")
    entry = AuditEntry.objects.get(action="person.create")
    assert entry.object_type == "members.person"
    assert entry.object_id == str(person.pk)
    assert entry.actor.username == "tuphap"
    assert entry.before is None
    assert entry.after["full_name"] == "Trần Thị Bình"
    assert entry.after["organization_id"] == tree["justice"].pk


def test_a_subordinate_cell_keeps_files_too(tree, system):
    assert add_person(system, tree["office"], "Lê Văn Cường").organization == tree["office"]


@pytest.mark.parametrize("where", ["health", "bloc", "province"])
def test_only_a_cell_keeps_files(tree, system, where):
    error = assert_refused(
        "members.NOT_A_CELL", lambda: add_person(system, tree[where], "Phạm Văn Dũng")
    )
    assert tree[where].name in error.message


def test_an_organisation_dissolved_is_not_found(tree, system):
    from dangvu.organizations.services import organization_dissolve
    from tests.conftest import decision

    organization_dissolve(
        scope=system,
        organization=tree["inspect"],
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2020, 1, 1)),
    )
    assert_refused(
        "core.NOT_FOUND", lambda: add_person(system, tree["inspect"], "Võ Văn Em"), NotFound
    )


def test_outside_the_scope_is_not_found(tree, editor):
    assert_refused(
        "core.NOT_FOUND", lambda: add_person(editor, tree["office"], "Phạm Văn Dũng"), NotFound
    )


def test_a_viewer_cannot_create(tree, make_user, scope_of):
    viewer = scope_of(make_user("xem", tree["justice"], Role.VIEWER))
    assert_refused(
        "access.ROLE_REQUIRED",
        lambda: add_person(viewer, tree["justice"], "Phạm Văn Dũng"),
        Forbidden,
    )


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"full_name": "   "}, "members.NAME_REQUIRED"),
        ({"birth_month": 2, "birth_day": 30}, "members.INVALID_BIRTH_DATE"),
        ({"birth_year": 1985, "birth_day": 3}, "members.INVALID_BIRTH_DATE"),
        ({"birth_month": 13}, "members.INVALID_BIRTH_DATE"),
        ({"birth_month": 0}, "members.INVALID_BIRTH_DATE"),
        ({"birth_year": 1800}, "members.INVALID_BIRTH_DATE"),
        ({"birth_year": 3000}, "members.INVALID_BIRTH_DATE"),
        ({"ethnicity": "55"}, "members.UNKNOWN_ETHNICITY"),
        ({"religion": "pastafarian"}, "members.UNKNOWN_RELIGION"),
        ({"political_theory": "phd"}, "members.UNKNOWN_LEVEL"),
        ({"permanent_province_code": 99}, "members.UNKNOWN_PROVINCE"),
        ({"current_province_code": 35}, "members.UNKNOWN_PROVINCE"),  # Hà Nam, merged in 2025
        ({"citizen_id": "05208500123"}, "members.INVALID_CITIZEN_ID"),
        ({"citizen_id": "097085001234"}, "members.INVALID_CITIZEN_ID"),
        ({"citizen_id": "052185001234"}, "members.CITIZEN_ID_MISMATCH"),
        ({"citizen_id": "052086001234"}, "members.CITIZEN_ID_MISMATCH"),
        ({"card_number": "52-01234"}, "members.INVALID_CARD_NUMBER"),
    ],
)
def test_invalid_input_is_refused_with_its_code(tree, editor, extra, code):
    values = {"full_name": "Nguyễn Văn An", **extra}
    name = values.pop("full_name")
    assert_refused(code, lambda: add_person(editor, tree["justice"], name, **values))


def test_a_birth_date_in_the_future_is_refused(tree, editor):
    tomorrow = clock.today() + dt.timedelta(days=1)
    assert_refused(
        "members.INVALID_BIRTH_DATE",
        lambda: add_person(
            editor,
            tree["justice"],
            "Nguyễn Văn An",
            birth_year=tomorrow.year,
            birth_month=tomorrow.month,
            birth_day=tomorrow.day,
        ),
    )


def test_a_leap_day_is_a_real_date(tree, editor):
    person = add_person(
        editor,
        tree["justice"],
        "Hồ Thị Gấm",
        sex="female",
        birth_month=2,
        birth_day=29,
        birth_year=1988,
    )
    assert (person.birth_year, person.birth_month, person.birth_day) == (1988, 2, 29)


def test_the_citizen_id_is_unique_without_naming_the_other_person(tree, system, editor):
    add_person(system, tree["office"], "Đặng Văn Hùng", citizen_id="052085001234")
    error = assert_refused(
        "members.CITIZEN_ID_TAKEN",
        lambda: add_person(editor, tree["justice"], "Nguyễn Văn An", citizen_id="052085001234"),
        Conflict,
    )
    assert "Hùng" not in error.message
    assert error.status == 409


def test_the_card_number_is_unique(tree, system, editor):
    add_person(system, tree["office"], "Đặng Văn Hùng", card_number="52000001")
    assert_refused(
        "members.CARD_NUMBER_TAKEN",
        lambda: add_person(editor, tree["justice"], "Nguyễn Văn An", card_number="52000001"),
        Conflict,
    )


def test_several_files_without_citizen_id_or_card(tree, editor):
    add_person(editor, tree["justice"], "Nguyễn Văn An", citizen_id="", card_number=" ")
    add_person(editor, tree["justice"], "Nguyễn Văn Ba")
    assert Person.objects.filter(citizen_id__isnull=True, card_number__isnull=True).count() == 2


# update -------------------------------------------------------------------------------------
@pytest.fixture
def person(tree, system):
    return add_person(system, tree["justice"], "Nguyễn Văn An", citizen_id="052085001234")


def test_update_changes_only_what_is_given_and_rederives(person, editor):
    updated = person_update(
        scope=editor,
        person=person,
        data=PersonUpdate(full_name="Nguyễn Văn Ân", birth_month=5, job_position="Chánh Văn phòng"),
    )
    updated.refresh_from_db()
    assert updated.full_name == "Nguyễn Văn Ân"
    assert updated.given_name == "Ân"
    assert updated.birth_month == 5
    assert updated.citizen_id == "052085001234"
    assert updated.search_text == "nguyen van an 052085001234"
    assert updated.name_sort_key != person.name_sort_key
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.before == {"full_name": "Nguyễn Văn An", "birth_month": None, "job_position": ""}
    assert entry.after == {
        "full_name": "Nguyễn Văn Ân",
        "birth_month": 5,
        "job_position": "Chánh Văn phòng",
    }


def test_update_keeps_its_own_citizen_id_and_can_clear_it(person, editor):
    person_update(
        scope=editor,
        person=person,
        data=PersonUpdate(citizen_id="052085001234", phone="0912345678"),
    )
    person_update(scope=editor, person=person, data=PersonUpdate(citizen_id=None))
    person.refresh_from_db()
    assert person.citizen_id is None
    assert person.search_text == fold("Nguyễn Văn An")


def test_update_checks_the_citizen_id_against_the_new_sex(person, editor):
    with pytest.raises(DomainError) as error:
        person_update(scope=editor, person=person, data=PersonUpdate(sex="female"))
    assert error.value.code == "members.CITIZEN_ID_MISMATCH"
    person.refresh_from_db()
    assert person.sex == "male"
    assert not AuditEntry.objects.filter(action="person.update").exists()


def test_update_refuses_a_required_field_set_to_nothing(person, editor):
    assert_refused(
        "members.NAME_REQUIRED",
        lambda: person_update(scope=editor, person=person, data=PersonUpdate(full_name=" ")),
    )


def test_update_with_nothing_new_is_refused(person, editor):
    assert_refused(
        "members.NOTHING_CHANGED",
        lambda: person_update(
            scope=editor, person=person, data=PersonUpdate(full_name="nguyễn văn an")
        ),
    )


def test_update_outside_the_scope_is_not_found(tree, system, make_user, scope_of):
    other = add_person(system, tree["office"], "Trần Văn Bình")
    scope = scope_of(make_user("tuphap", tree["justice"], Role.EDITOR))
    with pytest.raises(NotFound):
        person_update(scope=scope, person=other, data=PersonUpdate(phone="0900000000"))
    other.refresh_from_db()
    assert other.phone == ""


def test_a_viewer_cannot_update(person, make_user, scope_of, tree):
    viewer = scope_of(make_user("xem", tree["justice"], Role.VIEWER))
    with pytest.raises(Forbidden):
        person_update(scope=viewer, person=person, data=PersonUpdate(phone="0900000000"))


def test_a_citizen_id_saved_by_two_writers_at_once_is_a_conflict_not_a_crash(
    system, tree, monkeypatch
):
    """The check before the write can miss a number saved a moment earlier by another writer;
    the database's unique constraint then decides, and the loser gets the same conflict."""
    from django.db.models import QuerySet

    from dangvu.core.errors import Conflict
    from dangvu.members.models import Person

    add_person(system, tree["justice"], "Trần Thị Hoa", citizen_id="052185001234", sex="female")
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)  # the other writer was faster
    with pytest.raises(Conflict) as info:
        add_person(system, tree["justice"], "Lê Thị Hoa", citizen_id="052185001234", sex="female")
    assert info.value.code == "members.CITIZEN_ID_TAKEN"
    monkeypatch.undo()
    assert Person.objects.filter(citizen_id="052185001234").count() == 1
