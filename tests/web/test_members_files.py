"""The personal file's pages: "Thêm hồ sơ" from the member list and "Sửa hồ sơ" from the
member's file, through the services the API calls (scope, rules, audit row), with the service's
Vietnamese errors and codes next to the fields and nothing written when it refuses."""

import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from dangvu.access.models import AuditEntry, Role
from dangvu.members import lifecycle
from dangvu.members.models import Person
from tests.members.people import add_person

from .test_members_data import D, people

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures

PASSWORD = "Mật-khẩu-2026"
NEW = "/dang-vien/them-ho-so/"
EDIT_QUERIES = 8  # session, user, grants, person, the cell's versions; the top bar


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2026, 4, 20))


@pytest.fixture
def health_viewer(tree, make_user):
    return make_user("yte", tree["health"], Role.VIEWER)


@pytest.fixture
def others(system, tree):
    """Two files of another cell holding citizen IDs (a woman born 1992, a man born 1980)."""
    return [
        add_person(system, tree["justice"], "Phạm Thị Đào", birth_year=1992, sex="female",
                   citizen_id="052192007788"),
        add_person(system, tree["justice"], "Phạm Văn Đức", birth_year=1980, sex="male",
                   citizen_id="052080007788"),
    ]  # fmt: skip


def edit_url(person) -> str:
    return f"/dang-vien/{person.pk}/sua-ho-so/"


def huong(**extra) -> dict[str, str]:
    """What a clerk types for Trần Thị Thu Hương, born 26/08/1992 in Bình Định."""
    return {
        "organization": "BD.YT.VP",
        "full_name": "  trần   thị thu hương ",
        "other_names": "Hương Trần",
        "birth_date": "26/08/1992",
        "sex": "female",
        "ethnicity": "01",
        "religion": "buddhism",
        "citizen_id": "052192004517",
        "phone": "0905 123 456",
        "hometown": "xã Cát Tiến, huyện Phù Cát, tỉnh Bình Định",
        "birthplace": "Bệnh viện Đa khoa tỉnh Bình Định",
        "permanent_residence": "số 12 Lê Lợi, phường Quy Nhơn",
        "permanent_province_code": "52",
        "current_residence": "",
        "current_province_code": "",
        "general_education": "12/12",
        "qualification": "Thạc sĩ Y tế công cộng",
        "political_theory": "intermediate",
        "state_management": "",
        "foreign_language": "Tiếng Anh B1",
        "occupation": "Viên chức",
        "work_unit": "Văn phòng Sở Y tế",
        "job_position": "Chuyên viên chính",
        "card_number": "",
        **extra,
    }


def written() -> tuple[int, int]:
    return Person.objects.count(), AuditEntry.objects.count()


def field_block(page: str, name: str) -> str:
    """The HTML of one field's block (its label, input, help and errors)."""
    start = page.index(f'name="{name}"')
    start = page.rindex('<div class="field', 0, start)
    return page[start : page.index("</div>", start)]


# --- Thêm hồ sơ ---------------------------------------------------------------------------------
def test_the_list_offers_a_new_file_to_writers_only(tree, office_user, health_viewer, client_for):
    page = client_for(office_user).get("/dang-vien/?org=BD.YT.VP").content.decode()
    assert 'href="/dang-vien/them-ho-so/?to_chuc=BD.YT.VP"' in page
    assert "Thêm hồ sơ" in page
    viewer = client_for(health_viewer)
    assert "/dang-vien/them-ho-so/" not in viewer.get("/dang-vien/").content.decode()
    refused = viewer.get(NEW)
    assert refused.status_code == 403
    assert "access.ROLE_REQUIRED" in refused.content.decode()
    assert 'name="full_name"' not in refused.content.decode()
    before = written()
    assert viewer.post(NEW, huong(organization="BD.YT.VP")).status_code == 403
    assert written() == before


def test_the_cells_offered_are_the_users_own(tree, office_user, bloc_approver, client_for):
    page = client_for(office_user).get(NEW).content.decode()
    cell = field_block(page, "organization")
    assert '<option value="BD.YT.VP" selected>Chi bộ Văn phòng Sở (BD.YT.VP)</option>' in cell
    assert "BD.TP" not in cell and "BD.YT.TTR" not in cell
    cells = field_block(client_for(bloc_approver).get(NEW).content.decode(), "organization")
    for code in ("BD.YT.VP", "BD.YT.TTR", "BD.TP"):
        assert f'value="{code}"' in cells, code
    # committees keep no personal files
    assert 'value="BD.YT"' not in cells and 'value="BD.DUK"' not in cells


def test_the_cell_of_the_filtered_list_is_preselected(tree, bloc_approver, client_for):
    page = client_for(bloc_approver).get(f"{NEW}?to_chuc=BD.TP").content.decode()
    assert '<option value="BD.TP" selected>' in field_block(page, "organization")


def test_a_new_file_is_saved_audited_and_shown_with_a_flash(tree, office_user, client_for):
    client = client_for(office_user)
    response = client.post(NEW, huong())
    assert response.status_code == 302
    person = Person.objects.get(citizen_id="052192004517")
    assert response["Location"] == f"/dang-vien/{person.pk}/"
    assert (person.full_name, person.family_name, person.given_name) == (
        "Trần Thị Thu Hương", "Trần", "Hương",
    )  # fmt: skip
    assert (person.birth_year, person.birth_month, person.birth_day) == (1992, 8, 26)
    assert (person.sex, person.religion, person.political_theory) == (
        "female", "buddhism", "intermediate",
    )  # fmt: skip
    assert person.organization_id == tree["office"].pk
    assert person.status == "" and person.card_number is None
    assert person.permanent_province_code == 52 and person.current_province_code is None
    audit = AuditEntry.objects.get(action="person.create", object_id=str(person.pk))
    assert audit.actor == office_user
    assert audit.after["citizen_id"] == "052192004517"
    assert audit.after["full_name"] == "Trần Thị Thu Hương"
    page = client.get(response["Location"]).content.decode()
    assert "Đã lập hồ sơ của Trần Thị Thu Hương tại Chi bộ Văn phòng Sở." in page
    for text in ("<h1>Trần Thị Thu Hương</h1>", "26/08/1992", "Nữ", "Phật giáo", "052192004517",
                 "số 12 Lê Lợi, phường Quy Nhơn, Gia Lai", "Thạc sĩ Y tế công cộng",
                 "Chưa là đảng viên"):  # fmt: skip
        assert text in page, text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1985", (1985, None, None)), ("09/1985", (1985, 9, None)), ("5/9/1985", (1985, 9, 5))],
)
def test_the_birth_date_is_as_precise_as_the_paper_file(
    tree, office_user, client_for, typed, expected
):
    response = client_for(office_user).post(
        NEW, huong(birth_date=typed, citizen_id="", full_name="Lê Văn Tám", sex="male")
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name="Lê Văn Tám")
    assert (person.birth_year, person.birth_month, person.birth_day) == expected


@pytest.mark.parametrize(
    ("extra", "field", "message", "code"),
    [
        ({"citizen_id": "52192004517"}, "citizen_id", "phải gồm đúng 12 chữ số",
         "members.INVALID_CITIZEN_ID"),
        ({"citizen_id": "052092004517"}, "citizen_id", "Chữ số thứ tư của số CCCD (0) phải là 1",
         "members.CITIZEN_ID_MISMATCH"),
        ({"citizen_id": "052192007788"}, "citizen_id", "Số CCCD 052192007788 đã có trong một lý lịch khác",
         "members.CITIZEN_ID_TAKEN"),
        ({"birth_date": "31/02/1992"}, "birth_date", "Ngày sinh không hợp lệ",
         "members.INVALID_BIRTH_DATE"),
        ({"birth_date": "ngày 26"}, "birth_date", "Ghi ngày sinh theo dạng dd/mm/yyyy",
         "core.INVALID_INPUT"),
        ({"full_name": " "}, "full_name", "Cần ghi họ và tên.", "core.INVALID_INPUT"),
        ({"card_number": "52-0123"}, "card_number", "Số thẻ đảng viên chỉ gồm các chữ số",
         "members.INVALID_CARD_NUMBER"),
        ({"organization": "BD.TP"}, "organization", "Lựa chọn không có trong danh mục",
         "core.INVALID_INPUT"),
    ],
)  # fmt: skip
def test_a_refused_new_file_shows_the_error_by_its_field_and_writes_nothing(
    others, office_user, client_for, extra, field, message, code
):
    before = written()
    response = client_for(office_user).post(NEW, huong(**extra))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hồ sơ chưa được lưu: thông tin chưa hợp lệ" in page
    block = field_block(page, field)
    assert message in block and f"<code>{code}</code>" in block
    assert 'aria-invalid="true"' in block
    assert written() == before
    assert 'value="Thạc sĩ Y tế công cộng"' in page  # what was typed stays


def test_a_typed_cell_goes_through_the_services_scope_check(
    tree, bloc_approver, office_user, client_for, monkeypatch
):
    monkeypatch.setattr("dangvu.web.members_files.CELLS_LISTED", 0)  # too many to list
    page = client_for(office_user).get(NEW).content.decode()
    assert '<input type="text" name="organization"' in page
    before = written()
    for user, code, expected in (
        (office_user, "BD.TP", "core.NOT_FOUND"),  # another cell: not found
        (bloc_approver, "BD.YT", "members.NOT_A_CELL"),  # a committee keeps no files
    ):
        response = client_for(user).post(NEW, huong(organization=code))
        assert response.status_code == 400
        assert f"<code>{expected}</code>" in field_block(response.content.decode(), "organization")
    assert written() == before
    assert client_for(office_user).post(NEW, huong(organization=" BD.YT.VP")).status_code == 302


# --- Sửa hồ sơ ----------------------------------------------------------------------------------
def test_the_file_offers_the_edit_to_its_cells_writers(an, office_user, health_viewer, client_for):
    assert edit_url(an) in client_for(office_user).get(f"/dang-vien/{an.pk}/").content.decode()
    viewer = client_for(health_viewer)
    assert edit_url(an) not in viewer.get(f"/dang-vien/{an.pk}/").content.decode()
    refused = viewer.get(edit_url(an))
    assert refused.status_code == 403
    assert "Bạn chỉ được xem hồ sơ này" in refused.content.decode()
    assert 'name="full_name"' not in refused.content.decode()


def test_the_edit_form_is_prefilled(an, office_user, client_for):
    response = client_for(office_user).get(edit_url(an))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Sửa hồ sơ: Nguyễn Văn An</h1>" in page
    assert 'value="Nguyễn Văn An"' in field_block(page, "full_name")
    assert 'value="19/05/1980"' in field_block(page, "birth_date")
    assert '<option value="male" selected>' in field_block(page, "sex")
    assert '<option value="intermediate" selected>' in field_block(page, "political_theory")
    assert 'value="xã Phước Sơn, huyện Tuy Phước, tỉnh Bình Định"' in page
    assert 'name="organization"' not in page  # the cell changes by a transfer only
    assert "Chi bộ quản lý hồ sơ: Chi bộ Văn phòng Sở" in page


def edited(person, **changes) -> dict:
    """The edit form as prefilled, with `changes` typed over it."""
    values = {
        key: "" if value is None else str(value)
        for key, value in model_to_dict(person).items()
        if key in huong()
    }
    values["birth_date"] = "19/05/1980"
    return {**values, **changes}


def test_an_edit_is_saved_audited_and_shown_with_a_flash(an, office_user, client_for):
    client = client_for(office_user)
    response = client.post(
        edit_url(an),
        edited(an, qualification="Thạc sĩ Luật", citizen_id="052080001234", religion="catholicism"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dang-vien/{an.pk}/"
    an.refresh_from_db()
    assert (an.qualification, an.citizen_id, an.religion) == (
        "Thạc sĩ Luật", "052080001234", "catholicism",
    )  # fmt: skip
    assert (an.status, an.birth_day) == ("full", 19)  # the membership is untouched
    audit = AuditEntry.objects.get(action="person.update", object_id=str(an.pk))
    assert audit.actor == office_user
    assert audit.before == {"religion": "", "citizen_id": None, "qualification": "Cử nhân Luật"}
    assert audit.after == {
        "religion": "catholicism",
        "citizen_id": "052080001234",
        "qualification": "Thạc sĩ Luật",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Đã cập nhật hồ sơ của Nguyễn Văn An." in page
    assert "Thạc sĩ Luật" in page and "Công giáo" in page


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"citizen_id": "052080007788"}, "citizen_id", "members.CITIZEN_ID_TAKEN"),
        ({"sex": "female", "citizen_id": "052080001234"}, "citizen_id",
         "members.CITIZEN_ID_MISMATCH"),
        ({"birth_date": "19/05/2030"}, "birth_date", "members.INVALID_BIRTH_DATE"),
        ({"card_number": "52012999"}, "card_number", "members.CARD_NUMBER_BY_EVENT"),
    ],
)  # fmt: skip
def test_a_refused_edit_leaves_the_file_as_it_was(
    system, others, an, office_user, client_for, changes, field, code
):
    lifecycle.member_card_issue(scope=system, person=an, effective_date=D(2013, 5, 19),
                                decision=None, details={"card_number": "52012345"})  # fmt: skip
    an.refresh_from_db()
    saved, before = model_to_dict(an), written()
    response = client_for(office_user).post(
        edit_url(an), edited(an, qualification="Thạc sĩ Luật", **changes)
    )
    assert response.status_code == 400
    assert f"<code>{code}</code>" in field_block(response.content.decode(), field)
    an.refresh_from_db()
    assert model_to_dict(an) == saved  # the valid change beside it is not saved either
    assert written() == before


def test_saving_an_unchanged_file_says_so(an, office_user, client_for):
    response = client_for(office_user).post(edit_url(an), edited(an))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Không có thông tin nào thay đổi." in page and "members.NOTHING_CHANGED" in page
    assert not AuditEntry.objects.filter(action="person.update").exists()


def test_another_cells_member_cannot_be_edited_by_url(an, justice_user, client_for):
    client = client_for(justice_user)
    saved = model_to_dict(an)
    response = client.get(edit_url(an))
    assert response.status_code == 404
    assert "Nguyễn Văn An" not in response.content.decode()
    assert client.post(edit_url(an), edited(an, full_name="Nguyễn Văn Ân")).status_code == 404
    an.refresh_from_db()
    assert model_to_dict(an) == saved
    assert not AuditEntry.objects.filter(action="person.update").exists()
    assert client.get("/dang-vien/999999/sua-ho-so/").status_code == 404
    assert client.get(f"/dang-vien/{2**64}/sua-ho-so/").status_code == 404


def test_the_receiving_cell_sees_but_does_not_edit(system, an, tree, justice_user, client_for):
    lifecycle.member_transfer_out(
        scope=system, person=an, to=tree["justice"], effective_date=D(2026, 4, 5)
    )
    client = client_for(justice_user)
    assert edit_url(an) not in client.get(f"/dang-vien/{an.pk}/").content.decode()
    assert client.get(edit_url(an)).status_code == 403
    assert client.post(edit_url(an), edited(an, phone="0912 000 111")).status_code == 403
    an.refresh_from_db()
    assert an.phone == ""


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_edit_page_takes_a_fixed_number_of_queries(
    system, an, tree, office_user, bloc_approver, client_for, django_assert_max_num_queries
):
    for user in (office_user, bloc_approver):
        client = client_for(user)
        with django_assert_max_num_queries(EDIT_QUERIES):
            assert client.get(edit_url(an)).status_code == 200
    client = client_for(office_user)
    before = _queries(client, edit_url(an))
    people(system, tree["office"], 15, start=400)
    for day in (D(2016, 3, 1), D(2018, 3, 1)):  # more events and periods: the same page
        lifecycle.member_transfer_out(
            scope=system, person=an, to=tree["inspect"], effective_date=day
        )
        lifecycle.member_transfer_in(scope=system, person=an, effective_date=day.replace(day=9))
        lifecycle.member_transfer_out(scope=system, person=an, to=tree["office"],
                                      effective_date=day.replace(month=9))  # fmt: skip
        lifecycle.member_transfer_in(scope=system, person=an,
                                     effective_date=day.replace(month=9, day=9))  # fmt: skip
    assert _queries(client, edit_url(an)) == before


# --- in a browser -------------------------------------------------------------------------------
def labelled(page, label: str):
    """The field labelled exactly `label` (Django adds the colon), not one that contains it."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def test_a_clerk_types_a_new_file_and_sees_it(tree, office_user, browser_page, login):
    page = browser_page
    login(page, "vanphong", PASSWORD)
    page.goto("/dang-vien/")
    page.get_by_role("link", name="Thêm hồ sơ").click()
    page.wait_for_url("**/dang-vien/them-ho-so/")
    assert labelled(page, "Chi bộ").input_value() == "BD.YT.VP"  # the clerk's only cell
    labelled(page, "Họ và tên").fill("Đặng Thị Ngọc Ánh")
    labelled(page, "Ngày sinh").fill("03/11/1996")
    labelled(page, "Giới tính").select_option(label="Nữ")
    labelled(page, "Dân tộc").select_option(label="Chăm")
    labelled(page, "Số CCCD").fill("052096001234")  # the 4th digit of a man
    labelled(page, "Quê quán").fill("xã Phước Hòa, huyện Tuy Phước, tỉnh Bình Định")
    labelled(page, "Chuyên môn, nghiệp vụ").fill("Bác sĩ đa khoa")
    labelled(page, "Lý luận chính trị").select_option(label="Sơ cấp")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    error = page.locator(".m-field-error").filter(has=page.locator('[name="citizen_id"]'))
    assert "members.CITIZEN_ID_MISMATCH" in error.inner_text()
    assert labelled(page, "Họ và tên").input_value() == "Đặng Thị Ngọc Ánh"
    assert not Person.objects.filter(full_name="Đặng Thị Ngọc Ánh").exists()

    labelled(page, "Số CCCD").fill("052196001234")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    page.wait_for_url(lambda url: "them-ho-so" not in url)
    person = Person.objects.get(full_name="Đặng Thị Ngọc Ánh")
    assert page.url.endswith(f"/dang-vien/{person.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Đặng Thị Ngọc Ánh"
    assert "Đã lập hồ sơ của Đặng Thị Ngọc Ánh" in page.locator(".flash").inner_text()
    facts = page.locator(".m-file").inner_text()
    for text in ("03/11/1996", "Chăm", "052196001234", "Bác sĩ đa khoa", "Sơ cấp",
                 "Chưa là đảng viên"):  # fmt: skip
        assert text in facts, text
