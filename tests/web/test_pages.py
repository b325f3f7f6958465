"""The web pages: Vietnamese first, the tree of the user's scope on the chosen date."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.organizations import services
from tests.conftest import decision


@pytest.fixture
def editor(tree, make_user):
    return make_user("bientap", tree["health"], Role.EDITOR, first_name="Hoa", last_name="Lê")


def page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_home_for_anonymous_users_is_in_vietnamese(tree, client_for):
    html = page(client_for())
    assert '<html lang="vi">' in html
    assert "Quản lý công tác tổ chức đảng" in html
    assert "Đăng nhập để bắt đầu" in html
    assert "Đảng bộ Sở Y tế" not in html  # nothing of the tree without a login


def test_home_shows_the_tree_of_the_scope(editor, client_for):
    html = page(client_for(editor))
    assert "Hệ thống tổ chức đảng" in html
    for name in ("Đảng bộ Sở Y tế", "Chi bộ Văn phòng Sở", "Chi bộ Thanh tra Sở"):
        assert name in html
    for outside in ("Chi bộ Sở Tư pháp", "Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ tỉnh Bình Định"):
        assert outside not in html
    assert 'class="level-0">Đảng bộ Sở Y tế' in html
    assert 'class="level-1">Chi bộ Văn phòng Sở' in html
    assert "Chi bộ trực thuộc" in html  # the type label
    assert "Đăng xuất" in html


def test_home_on_a_chosen_date(tree, editor, client_for, system):
    services.organization_rename(
        scope=system,
        organization=tree["office"],
        name="Chi bộ Văn phòng Sở Y tế",
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2020, 1, 1)),
    )
    client = client_for(editor)
    before = page(client, "/?ngay=31/12/2019")
    assert "Chi bộ Văn phòng Sở</td>" in before
    assert 'value="31/12/2019"' in before
    after = page(client, "/?ngay=01/01/2020")
    assert "Chi bộ Văn phòng Sở Y tế" in after
    empty = page(client, "/?ngay=31/12/2009")
    assert "Không có tổ chức nào trong phạm vi của bạn vào ngày 31/12/2009" in empty


@pytest.mark.parametrize("bad", ["32/01/2020", "hôm qua", "2020-13-01", "1/2"])
def test_a_bad_date_shows_today_with_a_message(editor, client_for, bad):
    html = page(client_for(editor), f"/?ngay={bad}")
    assert "Ngày không hợp lệ; đang hiển thị ngày hôm nay." in html
    assert "Đảng bộ Sở Y tế" in html


def test_login_page_is_in_vietnamese_and_logs_in(editor, client_for):
    client = client_for()
    html = page(client, "/dang-nhap/")
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    response = client.post(
        "/dang-nhap/", {"username": "bientap", "password": "Mật-khẩu-2026", "next": "/"}
    )
    assert response.status_code == 302
    assert "Đảng bộ Sở Y tế" in page(client)


def test_a_wrong_password_is_refused_in_vietnamese(editor, client_for):
    response = client_for().post("/dang-nhap/", {"username": "bientap", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_logout(editor, client_for):
    client = client_for(editor)
    assert client.post("/dang-xuat/").status_code == 302
    assert "Đăng nhập để bắt đầu" in page(client)


def test_english_is_available(tree, client_for):
    client = client_for()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client, "/admin/login/")
    assert '<html lang="en"' in html
