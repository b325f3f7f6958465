"""A member's file: the personal file, membership, party age, card, badges, the timeline of
events, the photo; scoped (another cell's member is not found) in a fixed number of queries."""

import base64

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.members import lifecycle, services
from tests.conftest import decision

from .test_members_data import D, admit, people

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures

MAX_QUERIES = 15
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_the_file_shows_the_personal_history_and_membership(
    an, office_user, client_for, monkeypatch
):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2026, 3, 1))
    page = html(client_for(office_user), f"/dang-vien/{an.pk}/")
    assert "<h1>Nguyễn Văn An</h1>" in page
    for text in ("Sơ yếu lý lịch", "19/05/1980", "Nam", "Kinh", "xã Phước Sơn, huyện Tuy Phước",
                 "Cử nhân Luật", "Trung cấp", "Chánh Văn phòng", "Đảng tịch",
                 "Đảng viên chính thức", "Chi bộ Văn phòng Sở", "20/01/2012", "03/02/2012",
                 "03/02/2013"):  # fmt: skip
        assert text in page, text
    # party age from the admission decision (20/01/2012) to 01/03/2026
    assert "Tuổi đảng 14 năm 1 tháng" in page
    assert "Quá trình sinh hoạt đảng" in page
    assert "Kết nạp</strong> – Chi bộ Văn phòng Sở" in page
    assert "Công nhận đảng viên chính thức</strong>" in page
    assert "12-QĐ/ĐU" in page


def test_the_timeline_shows_card_badge_discipline_and_transfers(
    system, tree, office_user, client_for
):
    veteran = admit(system, services.person_create(
        scope=system, organization=tree["office"],
        data=services.PersonInput(full_name="Hoàng Văn Thái", birth_year=1950, sex="male"),
    ), D(2010, 1, 5))  # fmt: skip
    lifecycle.member_card_issue(
        scope=system, person=veteran, effective_date=D(2012, 5, 19), decision=None,
        details={"card_number": "52012345"},
    )  # fmt: skip
    lifecycle.member_discipline(
        scope=system, person=veteran, effective_date=D(2015, 7, 1),
        decision=decision(D(2015, 6, 25), "03-QĐ/UBKT", "Ủy ban Kiểm tra Đảng ủy Khối"),
        details={"form": "reprimand"},
    )  # fmt: skip
    lifecycle.member_transfer_out(
        scope=system, person=veteran, to=tree["inspect"], effective_date=D(2016, 3, 1),
        note="Chuyển công tác",
    )  # fmt: skip
    lifecycle.member_transfer_in(scope=system, person=veteran, effective_date=D(2016, 3, 10))
    page = html(client_for(make_health_viewer(tree)), f"/dang-vien/{veteran.pk}/")
    for text in ("Phát thẻ đảng viên", "Số thẻ 52012345", "Số thẻ đảng viên</dt><dd>52012345",
                 "Kỷ luật", "Hình thức: Khiển trách", "03-QĐ/UBKT",
                 "Chuyển sinh hoạt đảng chính thức đi", "Đến: Chi bộ Thanh tra Sở",
                 "Chuyển công tác", "Tiếp nhận sinh hoạt đảng chính thức"):  # fmt: skip
        assert text in page, text
    assert page.index("Phát thẻ đảng viên") < page.index("Hình thức: Khiển trách")


def make_health_viewer(tree):
    from django.contrib.auth import get_user_model

    from dangvu.access.models import Grant, Role

    user = get_user_model().objects.create_user(username="yte", password="Mật-khẩu-2026")
    Grant.objects.create(user=user, organization=tree["health"], role=Role.VIEWER)
    return user


def test_a_viewer_gets_no_actions(an, tree, client_for):
    page = html(client_for(make_health_viewer(tree)), f"/dang-vien/{an.pk}/")
    assert "Nguyễn Văn An" in page
    assert "/thao-tac/" not in page


def test_an_editor_gets_the_actions_the_status_allows(an, office_user, client_for):
    page = html(client_for(office_user), f"/dang-vien/{an.pk}/")
    for slug in ("chuyen-di", "chuyen-tam-thoi", "de-nghi-huy-hieu", "ky-luat", "phat-the",
                 "mien-sinh-hoat", "xoa-ten", "tu-tran", "khai-tru"):  # fmt: skip
        assert f"/dang-vien/{an.pk}/thao-tac/{slug}/" in page, slug
    for slug in ("cong-nhan-chinh-thuc", "ket-nap", "tiep-nhan", "ket-nap-lai", "het-mien"):
        assert f"/thao-tac/{slug}/" not in page, slug


def test_another_cells_member_is_not_found(an, justice_user, client_for):
    client = client_for(justice_user)
    page = html(client, f"/dang-vien/{an.pk}/", status=404)
    assert "Nguyễn Văn An" not in page
    for url in (f"/dang-vien/{an.pk}/anh/", f"/dang-vien/{an.pk}/thao-tac/xoa-ten/"):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/dang-vien/{an.pk}/thao-tac/tu-tran/", {"effective_date": "01/02/2026", "step": "save"}
    )
    assert response.status_code == 404
    an.refresh_from_db()
    assert an.status == "full"
    assert client.get("/dang-vien/999999/").status_code == 404
    assert client.get(f"/dang-vien/{2**64}/").status_code == 404


def test_the_photo_is_shown_when_there_is_one(system, an, office_user, client_for):
    client = client_for(office_user)
    assert "m-photo-none" in html(client, f"/dang-vien/{an.pk}/")
    assert client.get(f"/dang-vien/{an.pk}/anh/").status_code == 404
    services.person_photo_set(scope=system, person=an, content=PNG)
    page = html(client, f"/dang-vien/{an.pk}/")
    assert f'src="/dang-vien/{an.pk}/anh/"' in page
    response = client.get(f"/dang-vien/{an.pk}/anh/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == PNG


def test_the_receiving_cell_sees_a_member_on_the_way(system, an, tree, justice_user, client_for):
    client = client_for(justice_user)
    assert client.get(f"/dang-vien/{an.pk}/").status_code == 404
    lifecycle.member_transfer_out(
        scope=system, person=an, to=tree["justice"], effective_date=D(2026, 1, 5)
    )
    page = html(client, f"/dang-vien/{an.pk}/")
    assert "Đang chuyển đến" in page and "chờ tiếp nhận" in page
    assert f"/dang-vien/{an.pk}/thao-tac/tiep-nhan/" in page
    assert "/thao-tac/xoa-ten/" not in page  # the sending cell's to record
    transfers = html(client, "/dang-vien/chuyen-sinh-hoat/")
    assert "Nguyễn Văn An" in transfers and "05/01/2026" in transfers


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_file_takes_a_fixed_number_of_queries(
    system, an, crowd, tree, office_user, bloc_approver, client_for, django_assert_max_num_queries
):
    services.person_photo_set(scope=system, person=an, content=PNG)
    for user in (office_user, bloc_approver):
        client = client_for(user)
        with django_assert_max_num_queries(MAX_QUERIES - 1):
            html(client, f"/dang-vien/{an.pk}/")
    client = client_for(office_user)
    before = _queries(client, f"/dang-vien/{an.pk}/")
    for day in (D(2014, 3, 1), D(2016, 3, 1), D(2018, 3, 1)):
        lifecycle.member_transfer_out(
            scope=system, person=an, to=tree["inspect"], effective_date=day
        )
        lifecycle.member_transfer_in(scope=system, person=an, effective_date=day.replace(day=9))
        lifecycle.member_transfer_out(scope=system, person=an, to=tree["office"],
                                      effective_date=day.replace(month=9))  # fmt: skip
        lifecycle.member_transfer_in(scope=system, person=an,
                                     effective_date=day.replace(month=9, day=9))  # fmt: skip
    people(system, tree["office"], 20, start=300)
    assert _queries(client, f"/dang-vien/{an.pk}/") == before


def test_places_read_with_their_province(system, tree, office_user, client_for):
    from tests.members.people import add_person

    person = add_person(
        system, tree["office"], "Phan Thị Mỹ Linh", birth_year=1990, sex="female",
        current_residence="số 5 Trần Phú, phường Quy Nhơn", current_province_code=52,
        permanent_province_code=52,
    )  # fmt: skip
    page = html(client_for(office_user), f"/dang-vien/{person.pk}/")
    assert "<dd>số 5 Trần Phú, phường Quy Nhơn, Gia Lai</dd>" in page
    assert "Nơi thường trú</dt><dd>Gia Lai</dd>" in page
    assert "Chưa là đảng viên" in page
