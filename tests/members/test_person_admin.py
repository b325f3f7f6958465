"""The back-office screen of the personal files: scoped, searched without diacritics, written
through the services."""

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.members.models import Person

from .people import add_person

URL = "/admin/members/person/"


@pytest.fixture
def people(tree, system):
    return {
        "an": add_person(system, tree["justice"], "Nguyễn Văn An"),
        "binh": add_person(system, tree["office"], "Trần Văn Bình"),
    }


@pytest.fixture
def staff(tree, make_user, client_for):
    return client_for(make_user("canbo", tree["justice"], Role.EDITOR, is_staff=True))


def test_staff_sees_only_the_people_of_their_scope(people, staff):
    html = staff.get(URL).content.decode()
    assert "Nguyễn Văn An" in html
    assert "Trần Văn Bình" not in html
    assert staff.get(f"{URL}{people['binh'].pk}/change/").status_code in (302, 404)


def test_search_ignores_diacritics(people, tree, make_user, client_for):
    root = client_for(make_user("root", is_staff=True, is_superuser=True))
    html = root.get(URL, {"q": "tran VAN binh"}).content.decode()
    assert "Trần Văn Bình" in html
    assert "Nguyễn Văn An" not in html


def form(tree, **extra):
    return {
        "organization": tree["justice"].pk,
        "full_name": "đinh  thị HOA",
        "birth_year": 1990,
        "sex": "female",
        "ethnicity": "01",
        **extra,
    }


def test_adding_goes_through_the_service(tree, staff):
    response = staff.post(f"{URL}add/", form(tree))
    assert response.status_code == 302, response.content.decode()[-3000:]
    person = Person.objects.get()
    assert person.full_name == "Đinh Thị Hoa"
    assert person.search_text == "dinh thi hoa"
    assert AuditEntry.objects.filter(action="person.create", actor__username="canbo").exists()


def test_a_domain_error_is_shown_on_the_form(tree, staff):
    response = staff.post(f"{URL}add/", form(tree, birth_month=2, birth_day=30))
    assert response.status_code == 200
    assert "members.INVALID_BIRTH_DATE" in response.content.decode()
    assert not Person.objects.exists()


def test_a_cell_outside_the_scope_cannot_be_chosen(tree, staff):
    response = staff.post(f"{URL}add/", form(tree, organization=tree["office"].pk))
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_changing_goes_through_the_service(people, staff):
    person = people["an"]
    response = staff.post(
        f"{URL}{person.pk}/change/",
        {"full_name": "Nguyễn Văn Ân", "birth_year": 1985, "sex": "male", "ethnicity": "01"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Ân"
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.before == {"full_name": "Nguyễn Văn An"}
