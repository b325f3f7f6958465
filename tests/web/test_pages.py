"""The pages every user meets: Vietnamese first, the layout with the scope, the tree of the
user's scope on the chosen date, logging in and out, the password."""

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


def test_the_top_bar_shows_the_user_the_scope_and_the_navigation(editor, client_for):
    html = page(client_for(editor))
    assert "Hoa Lê" in html
    assert 'class="scope-org">Đảng bộ Sở Y tế <small>(Cập nhật)</small>' in html
    for label in ("Tổng quan", "Tổ chức", "Đảng viên", "Quần chúng ưu tú", "Báo cáo"):
        assert f">{label}</a>" in html
    assert ">Quản trị</a>" not in html  # not staff
    assert ">Nhật ký</a>" not in html  # not an administrator
    assert '<script src="/static/vendor/htmx.min.js"' in html  # served by the app itself


def test_a_user_without_a_grant_is_told_so(tree, make_user, client_for):
    html = page(client_for(make_user("moi")))
    assert "chưa được phân quyền tổ chức nào" in html


def test_the_tree_of_the_scope(editor, client_for):
    html = page(client_for(editor), "/to-chuc/")
    assert "Hệ thống tổ chức đảng" in html
    for name in ("Đảng bộ Sở Y tế", "Chi bộ Văn phòng Sở", "Chi bộ Thanh tra Sở"):
        assert name in html
    for outside in ("Chi bộ Sở Tư pháp", "Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ tỉnh Bình Định"):
        assert outside not in html
    assert 'class="level-0"><a href="/to-chuc/BD.YT/">Đảng bộ Sở Y tế' in html
    assert 'class="level-1"><a href="/to-chuc/BD.YT.VP/">Chi bộ Văn phòng Sở' in html
    assert "Chi bộ trực thuộc" in html  # the type label
    assert "Đăng xuất" in html


def test_the_tree_on_a_chosen_date(tree, editor, client_for, system):
    services.organization_rename(
        scope=system,
        organization=tree["office"],
        name="Chi bộ Văn phòng Sở Y tế",
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2020, 1, 1)),
    )
    client = client_for(editor)
    before = page(client, "/to-chuc/?ngay=31/12/2019")
    assert "Chi bộ Văn phòng Sở</a></td>" in before
    assert "Như đã có vào ngày 31/12/2019" in before
    assert 'value="31/12/2019"' in before
    after = page(client, "/to-chuc/?ngay=01/01/2020")
    assert "Chi bộ Văn phòng Sở Y tế" in after
    empty = page(client, "/to-chuc/?ngay=31/12/2009")
    assert "Không có tổ chức nào trong phạm vi của bạn vào ngày 31/12/2009" in empty


@pytest.mark.parametrize("bad", ["32/01/2020", "hôm qua", "2020-13-01", "1/2"])
def test_a_bad_date_shows_today_with_a_message(editor, client_for, bad):
    html = page(client_for(editor), f"/to-chuc/?ngay={bad}")
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
    assert "<h1>Đảng bộ Sở Y tế</h1>" in page(client)  # the dashboard of the scope


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


def test_the_tree_is_searched_without_diacritics(editor, client_for):
    html = page(client_for(editor), "/to-chuc/?q=van+phong")
    assert "Chi bộ Văn phòng Sở" in html
    assert "Chi bộ Thanh tra Sở" not in html
    assert "Không tìm thấy tổ chức nào khớp «tu phap»" in page(
        client_for(editor), "/to-chuc/?q=tu+phap"
    )  # outside the scope: not found either


def test_the_password_is_changed(editor, client_for):
    client = client_for(editor)
    html = page(client, "/doi-mat-khau/")
    assert "Đổi mật khẩu" in html and "Mật khẩu cũ" in html
    wrong = client.post(
        "/doi-mat-khau/",
        {"old_password": "sai", "new_password1": "Mới-2026-dài", "new_password2": "Mới-2026-dài"},
    )
    assert "Mật khẩu cũ không chính xác" in wrong.content.decode()
    done = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "Mật-khẩu-2026",
            "new_password1": "Mới-2026-dài",
            "new_password2": "Mới-2026-dài",
        },
        follow=True,
    )
    assert "Mật khẩu của bạn đã được đổi." in done.content.decode()
    editor.refresh_from_db()
    assert editor.check_password("Mới-2026-dài")


def test_pages_need_a_login(tree, client_for):
    for url in (
        "/to-chuc/",
        "/bao-cao/",
        "/nhat-ky/",
        "/doi-mat-khau/",
        "/tong-quan/viec-can-lam/",
    ):
        response = client_for().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_htmx_is_a_static_file_of_the_app(client_for, db):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/htmx.min.js"), "run ./scripts/install: it copies htmx from npm"


def test_the_layout_in_english(editor, client_for):
    client = client_for(editor)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client)
    assert '<html lang="en">' in html
    for label in ("Dashboard", "Organisations", "Members", "Reports", "Log out", "Scope"):
        assert label in html
    assert '<option value="en" selected>English</option>' in html
