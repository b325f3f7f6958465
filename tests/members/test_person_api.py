"""The people endpoints: happy paths, errors in the API's shape, scope."""

import base64

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.access.scopes import Scope
from dangvu.members.api import birth_date_display
from dangvu.members.models import Person
from tests.api.common import PNG, assert_error

from .people import add_person

ALL = ["Lê Thị An", "Nguyễn Thị An", "Nguyễn Văn An", "Trần Văn Bình"]


@pytest.fixture
def people(tree, system):
    return {
        "binh": add_person(system, tree["office"], "Trần Văn Bình", card_number="52000123"),
        "an": add_person(
            system,
            tree["justice"],
            "Nguyễn Văn An",
            birth_month=9,
            birth_day=2,
            citizen_id="052085001234",
        ),
        "an_thi": add_person(system, tree["justice"], "Nguyễn Thị An", sex="female", birth_month=3),
        "an_le": add_person(system, tree["inspect"], "Lê Thị An", sex="female", ethnicity="03"),
    }


@pytest.fixture
def post_json():
    def post(client, url, body):
        return client.post(url, data=body, content_type="application/json")

    return post


@pytest.fixture
def bloc(tree, make_user, client_for):
    return client_for(make_user("khoi", tree["bloc"], Role.EDITOR))


@pytest.fixture
def justice(tree, make_user, client_for):
    return client_for(make_user("tuphap", tree["justice"], Role.EDITOR))


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["full_name"] for item in response.json()["items"]]


def test_birth_date_display():
    assert birth_date_display(1985, 9, 2) == "02/09/1985"
    assert birth_date_display(1985, 9, None) == "09/1985"
    assert birth_date_display(1985, None, None) == "1985"


def test_list_in_vietnamese_order_and_paginated(people, bloc):
    assert names(bloc.get("/api/people")) == ALL
    page = bloc.get("/api/people?limit=2&offset=1").json()
    assert page["count"] == 4
    assert [item["full_name"] for item in page["items"]] == ALL[1:3]


def test_list_filters(people, bloc):
    assert names(bloc.get("/api/people?org=BD.YT")) == ["Lê Thị An", "Trần Văn Bình"]
    assert names(bloc.get("/api/people?org=BD.YT.VP")) == ["Trần Văn Bình"]
    assert names(bloc.get("/api/people?sex=female")) == ["Lê Thị An", "Nguyễn Thị An"]
    assert names(bloc.get("/api/people?status=full")) == []
    assert names(bloc.get("/api/people?q=nguyen%20van%20an")) == ["Nguyễn Văn An"]
    assert names(bloc.get("/api/people?q=Tr%E1%BA%A6N")) == ["Trần Văn Bình"]  # "TrẦN"
    assert names(bloc.get("/api/people?q=52000")) == ["Trần Văn Bình"]
    assert_error(bloc.get("/api/people?sex=other"), 422, "core.INVALID_INPUT")
    assert_error(bloc.get("/api/people?org=KHONG.CO"), 404, "core.NOT_FOUND")


def test_detail_shapes_the_file(people, bloc):
    body = bloc.get(f"/api/people/{people['an'].pk}").json()
    assert body["full_name"] == "Nguyễn Văn An"
    assert (body["family_name"], body["middle_name"], body["given_name"]) == (
        "Nguyễn",
        "Văn",
        "An",
    )
    assert body["birth_date_display"] == "02/09/1985"
    assert body["organization"] == "BD.TP"
    assert body["organization_name"] == "Chi bộ Sở Tư pháp"
    assert (body["status"], body["status_label"]) == ("", "Chưa là đảng viên")
    assert (body["sex_label"], body["ethnicity_label"]) == ("Nam", "Kinh")
    assert body["citizen_id"] == "052085001234"
    assert "name_sort_key" not in body and "search_text" not in body
    assert bloc.get(f"/api/people/{people['an_thi'].pk}").json()["birth_date_display"] == "03/1985"
    assert bloc.get(f"/api/people/{people['binh'].pk}").json()["birth_date_display"] == "1985"


def test_create(tree, justice, post_json):
    body = {
        "org": "BD.TP",
        "full_name": "võ  thị SÁU",
        "birth_year": 1992,
        "birth_month": 2,
        "birth_day": 29,
        "sex": "female",
        "ethnicity": "02",
        "citizen_id": "052192000111",
        "permanent_province_code": 1,
    }
    response = post_json(justice, "/api/people", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["full_name"] == "Võ Thị Sáu"
    assert created["birth_date_display"] == "29/02/1992"
    assert created["ethnicity_label"] == "Tày"
    assert created["organization"] == "BD.TP"
    assert justice.get(f"/api/people/{created['id']}").status_code == 200
    assert AuditEntry.objects.filter(
        action="person.create", object_id=str(created["id"]), actor__username="tuphap"
    ).exists()


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ({"birth_month": 2, "birth_day": 30}, 400, "members.INVALID_BIRTH_DATE"),
        ({"citizen_id": "052185001234"}, 400, "members.CITIZEN_ID_MISMATCH"),
        ({"citizen_id": "52085001234"}, 400, "members.INVALID_CITIZEN_ID"),
        ({"citizen_id": "052085001234"}, 409, "members.CITIZEN_ID_TAKEN"),
        ({"card_number": "52000123"}, 409, "members.CARD_NUMBER_TAKEN"),
        ({"org": "BD.YT"}, 400, "members.NOT_A_CELL"),
        ({"org": "BD.YT.VP"}, 404, "core.NOT_FOUND"),
        ({"sex": "unknown"}, 422, "core.INVALID_INPUT"),
        ({"full_name": None}, 422, "core.INVALID_INPUT"),
    ],
)
def test_create_errors(people, tree, make_user, client_for, post_json, extra, status, code):
    client = client_for(make_user("yte-tuphap", tree["justice"], Role.EDITOR))
    body = {"org": "BD.TP", "full_name": "Ngô Văn Tâm", "birth_year": 1985, "sex": "male", **extra}
    if extra.get("org") == "BD.YT":  # a committee inside the scope
        client = client_for(make_user("yte", tree["health"], Role.EDITOR))
    before = Person.objects.count()
    error = assert_error(post_json(client, "/api/people", body), status, code)
    assert "Trần" not in error["message"] and "Nguyễn" not in error["message"]
    assert Person.objects.count() == before


def test_update(people, justice, post_json):
    url = f"/api/people/{people['an'].pk}/update"
    response = post_json(justice, url, {"full_name": "Nguyễn Văn Ân", "birth_day": None})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["full_name"] == "Nguyễn Văn Ân"
    assert body["birth_date_display"] == "09/1985"
    assert body["citizen_id"] == "052085001234"  # not sent: unchanged
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.before == {"full_name": "Nguyễn Văn An", "birth_day": 2}
    assert_error(post_json(justice, url, {}), 400, "members.NOTHING_CHANGED")


def test_a_cell_user_cannot_see_or_update_another_cell(people, justice, post_json):
    outside = people["binh"].pk
    assert names(justice.get("/api/people")) == ["Nguyễn Thị An", "Nguyễn Văn An"]
    assert_error(justice.get(f"/api/people/{outside}"), 404, "core.NOT_FOUND")
    response = post_json(justice, f"/api/people/{outside}/update", {"phone": "0912345678"})
    assert_error(response, 404, "core.NOT_FOUND")
    assert justice.get(f"/api/people/{outside}").json() == justice.get("/api/people/999999").json()
    people["binh"].refresh_from_db()
    assert people["binh"].phone == ""


def test_a_viewer_reads_but_cannot_write(people, tree, make_user, client_for, post_json):
    client = client_for(make_user("xem", tree["justice"], Role.VIEWER))
    assert client.get(f"/api/people/{people['an'].pk}").status_code == 200
    response = post_json(client, f"/api/people/{people['an'].pk}/update", {"phone": "0912345678"})
    assert_error(response, 403, "access.ROLE_REQUIRED")


@pytest.mark.parametrize("pk", ["0", "-1", str(2**63), "abc"])
def test_bad_ids_are_invalid_input(people, bloc, pk):
    assert_error(bloc.get(f"/api/people/{pk}"), 422, "core.INVALID_INPUT")


def test_a_photo_is_stored_read_back_replaced_and_removed(tree, make_user, client_for):
    person = add_person(Scope.system(), tree["office"], "Đinh Thị Ngọc", sex="female")
    client = client_for(make_user("bithu", tree["health"], Role.EDITOR))
    url = f"/api/people/{person.pk}/photo"
    assert client.get(url).status_code == 404
    body = {"data": base64.b64encode(PNG).decode()}
    response = client.post(url, data=body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/png"
    assert base64.b64decode(client.get(url).json()["data"]) == PNG
    # not an image: refused, the old photo stays
    text = {"data": base64.b64encode(b"<html>not a photo</html>").decode()}
    refused = client.post(url, data=text, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (400, "members.PHOTO_TYPE")
    assert base64.b64decode(client.get(url).json()["data"]) == PNG
    removed = client.post(f"{url}/remove", data={}, content_type="application/json")
    assert removed.status_code == 200
    assert client.get(url).status_code == 404
    actions = AuditEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    assert {"person.photo_set", "person.photo_remove"} <= set(actions)
