"""The members list: scoped, filtered, searched without diacritics, in the Vietnamese order,
paginated, exported to XLSX, in a fixed number of queries."""

import io
import re

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangvu.core.names import fold
from dangvu.members import lifecycle
from dangvu.web import members_views
from dangvu.web.members_forms import ListSelect
from tests.members.people import add_person

from .test_members_data import D, admit, people

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures

MAX_QUERIES = 15


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def names_in(page: str) -> list[str]:
    """The names of the table's rows, in order."""
    return re.findall(r'<td><a href="/dang-vien/\d+/">([^<]+)</a>', page)


def ids_in(page: str) -> list[str]:
    return re.findall(r'<td><a href="/dang-vien/(\d+)/">', page)


def test_the_list_needs_a_login(tree, client_for):
    response = client_for().get("/dang-vien/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_a_cell_user_sees_only_their_cell(crowd, office_user, client_for, tree):
    page = html(client_for(office_user), "/dang-vien/")
    assert "Danh sách đảng viên" in page
    assert "Tìm thấy <strong>14</strong> người." in page
    assert "Chi bộ Văn phòng Sở" in page
    assert "Chi bộ Sở Tư pháp" not in page
    assert "Chi bộ Thanh tra Sở" not in page


def test_the_bloc_sees_every_cell_and_filters_by_a_subtree(crowd, bloc_approver, client_for):
    client = client_for(bloc_approver)
    assert "Tìm thấy <strong>36</strong> người." in html(client, "/dang-vien/")
    health = html(client, "/dang-vien/?org=BD.YT")
    assert "Tìm thấy <strong>24</strong> người." in health
    assert "Chi bộ Sở Tư pháp</td>" not in health
    assert "Tìm thấy <strong>12</strong> người." in html(client, "/dang-vien/?org=BD.TP")


def test_an_organisation_outside_the_scope_is_refused_in_vietnamese(crowd, office_user, client_for):
    page = html(client_for(office_user), "/dang-vien/?org=BD.TP")
    assert "Bộ lọc chưa hợp lệ" in page
    assert "core.INVALID_INPUT" in page
    assert "Sở Tư pháp" not in page


def test_search_ignores_diacritics_and_case(an, crowd, office_user, client_for):
    client = client_for(office_user)
    for typed in ("nguyen van an", "NGUYỄN văn AN", "nguyen an"):
        found = names_in(html(client, f"/dang-vien/?q={typed}"))
        assert found[0] == "Nguyễn Văn An", typed  # An sorts before any other given name
        assert all(all(word in fold(name) for word in fold(typed).split()) for name in found)
    assert names_in(html(client, "/dang-vien/?q=chanh van phong")) == []  # not a name
    found = names_in(html(client, "/dang-vien/?q=dang"))  # đ folds to d
    assert any(name.startswith("Đặng") for name in found)
    assert all(fold(name).count("dang") for name in found)


def test_names_are_sorted_the_vietnamese_way(system, tree, bloc_approver, client_for):
    for name in ("Trần Văn Đạt", "Lê Thị Ân", "Phạm Văn Dũng", "Nguyễn Văn An", "Võ Văn Bình",
                 "Hồ Thị Ánh", "Đỗ Văn An"):  # fmt: skip
        admit(system, add_person(system, tree["justice"], name, birth_year=1985, sex="male"),
              D(2015, 4, 1))  # fmt: skip
    page = html(client_for(bloc_approver), "/dang-vien/?org=BD.TP")
    # given name first (a, á, â, b, d, đ), then middle, then family name
    assert names_in(page) == [
        "Đỗ Văn An", "Nguyễn Văn An", "Hồ Thị Ánh", "Lê Thị Ân", "Võ Văn Bình", "Phạm Văn Dũng",
        "Trần Văn Đạt",
    ]  # fmt: skip


def test_a_row_shows_the_member_with_dates_dd_mm_yyyy_and_a_transfer_under_way(
    system, tree, bloc_approver, client_for
):
    dat = admit(system, add_person(system, tree["justice"], "Trần Văn Đạt", birth_year=1985,
                                   sex="male"), D(2015, 4, 1))  # fmt: skip
    lifecycle.member_transfer_out(
        scope=system, person=dat, to=tree["inspect"], effective_date=D(2024, 3, 1)
    )
    page = html(client_for(bloc_approver), "/dang-vien/?org=BD.TP")
    row = re.search(rf'<tr>\s*<td class="num">1</td>.*?/dang-vien/{dat.pk}/.*?</tr>', page, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells[0] == "1"
    link = f'<a href="/dang-vien/{dat.pk}/">Trần Văn Đạt</a>'
    assert cells[1] == f'{link} <span class="tag">đang chuyển đi</span>'
    assert cells[2:] == ["1985", "Nam", "Chi bộ Sở Tư pháp", "Đảng viên chính thức", "01/04/2015",
                         f"{dat.full_member_date:%d/%m/%Y}"]  # fmt: skip


def test_filters_by_status_sex_age_and_theory(system, tree, bloc_approver, client_for):
    cell = tree["justice"]
    young = add_person(system, cell, "Lê Thị Hồng", birth_year=2000, birth_month=1, sex="female")
    admit(system, young, D(2024, 3, 1), recognise=False)
    old = add_person(
        system, cell, "Trần Văn Thọ", birth_year=1952, sex="male", political_theory="advanced"
    )
    admit(system, old, D(2011, 5, 1))
    gone = add_person(system, cell, "Phạm Văn Tùng", birth_year=1970, sex="male")
    admit(system, gone, D(2011, 5, 1))
    lifecycle.member_death(scope=system, person=gone, effective_date=D(2023, 1, 5), decision=None)
    add_person(system, cell, "Võ Thị Quyên", birth_year=1998, sex="female")  # not a member
    client = client_for(bloc_approver)
    base = "/dang-vien/?org=BD.TP"
    assert names_in(html(client, base)) == ["Lê Thị Hồng", "Trần Văn Thọ"]
    assert names_in(html(client, f"{base}&status=all")) == [
        "Lê Thị Hồng", "Võ Thị Quyên", "Trần Văn Thọ", "Phạm Văn Tùng",
    ]  # fmt: skip
    assert names_in(html(client, f"{base}&status=probationary")) == ["Lê Thị Hồng"]
    assert names_in(html(client, f"{base}&status=deceased")) == ["Phạm Văn Tùng"]
    assert names_in(html(client, f"{base}&status=none")) == ["Võ Thị Quyên"]
    assert names_in(html(client, f"{base}&sex=male")) == ["Trần Văn Thọ"]
    assert names_in(html(client, f"{base}&age=le30")) == ["Lê Thị Hồng"]
    assert names_in(html(client, f"{base}&age=gt70")) == ["Trần Văn Thọ"]
    assert names_in(html(client, f"{base}&age=41_50")) == []
    assert names_in(html(client, f"{base}&theory=advanced")) == ["Trần Văn Thọ"]
    assert names_in(html(client, f"{base}&theory=none")) == ["Lê Thị Hồng"]


def test_an_age_band_counts_full_years_on_today(
    system, tree, bloc_approver, client_for, monkeypatch
):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2026, 6, 15))
    cell = tree["justice"]
    for name, month, day in (("Lê Văn Tròn", 6, 15), ("Lê Văn Thiếu", 6, 16)):
        person = add_person(system, cell, name, birth_year=1995, birth_month=month,
                            birth_day=day, sex="male")  # fmt: skip
        admit(system, person, D(2020, 1, 10))
    client = client_for(bloc_approver)
    assert names_in(html(client, "/dang-vien/?org=BD.TP&age=le30")) == ["Lê Văn Thiếu"]
    assert names_in(html(client, "/dang-vien/?org=BD.TP&age=31_40")) == ["Lê Văn Tròn"]


@pytest.mark.parametrize(
    "bad", ["status=ghost", "age=99", "sex=x", "trang=abc", "trang=-2", f"trang={10**30}"]
)
def test_bad_filters_get_a_vietnamese_message_or_the_first_page(
    crowd, office_user, client_for, bad
):
    page = html(client_for(office_user), f"/dang-vien/?{bad}")
    if bad.startswith("trang"):
        assert "Tìm thấy <strong>14</strong> người." in page
    else:
        assert "Bộ lọc chưa hợp lệ" in page
        assert "lựa chọn không có trong danh mục" in page


def test_the_list_is_paginated(system, tree, bloc_approver, client_for):
    people(system, tree["justice"], 55)
    client = client_for(bloc_approver)
    first = html(client, "/dang-vien/?org=BD.TP")
    assert "Tìm thấy <strong>55</strong> người." in first
    assert len(names_in(first)) == 50
    assert "Trang 1 / 2" in first
    second = html(client, "/dang-vien/?org=BD.TP&trang=2")
    assert len(names_in(second)) == 5
    assert "org=BD.TP&amp;trang=1" in second
    assert not set(ids_in(first)) & set(ids_in(second))


def test_a_long_list_counts_up_to_a_bound_and_exactly_on_its_last_page(
    system, tree, bloc_approver, client_for, monkeypatch
):
    monkeypatch.setattr(members_views, "COUNT_BOUND", 30)  # 10.000 in use
    people(system, tree["justice"], 55)
    client = client_for(bloc_approver)
    first = html(client, "/dang-vien/?org=BD.TP")
    assert "Tìm thấy <strong>hơn 30</strong> người." in first
    assert "Danh sách chỉ đếm đến 30 người" in first
    assert len(names_in(first)) == 50
    assert "<span>Trang 1</span>" in first
    assert 'trang=2" rel="next"' in first
    last = html(client, "/dang-vien/?org=BD.TP&trang=2")
    assert "Tìm thấy <strong>55</strong> người." in last
    assert "Trang 2 / 2" in last
    assert 'rel="next"' not in last
    assert len(ids_in(last)) == 5
    past_the_end = html(client, "/dang-vien/?org=BD.TP&trang=9")  # gives the last page
    assert ids_in(past_the_end) == ids_in(last)
    assert "Tìm thấy <strong>55</strong> người." in past_the_end
    assert "Trang 2 / 2" in past_the_end
    for url in ("/dang-vien/?org=BD.TP", "/dang-vien/?org=BD.TP&trang=9"):
        assert _queries(client, url) < MAX_QUERIES
    everyone = ids_in(first) + ids_in(last)
    monkeypatch.setattr(members_views, "COUNT_BOUND", 10_000)
    exact = html(client, "/dang-vien/?org=BD.TP")
    assert "Tìm thấy <strong>55</strong> người." in exact
    assert "Danh sách chỉ đếm" not in exact
    assert everyone == ids_in(exact) + ids_in(html(client, "/dang-vien/?org=BD.TP&trang=2"))


@pytest.mark.parametrize("value", [None, "", "BD.TP", "x&<y>\"'"])
def test_the_filters_selects_are_written_as_django_writes_them(value):
    choices = [("", "Toàn bộ phạm vi"), ("BD.TP", "\u00a0\u00a0Chi bộ <Sở> Tư pháp"),
               ("x&<y>\"'", "Dân tộc \"Ê-đê\" & 'Xơ-đăng'")]  # fmt: skip
    attrs = {"id": "id_org", "required": True, "aria-invalid": "true", "disabled": False}
    ours = ListSelect(choices=choices).render("org", value, attrs=attrs)
    django = forms.Select(choices=choices).render("org", value, attrs=attrs)
    assert parse_html(ours) == parse_html(django)


def test_export_to_xlsx_with_vietnamese_headers(an, crowd, office_user, client_for):
    response = client_for(office_user).get("/dang-vien/xuat-excel/?q=nguyen")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("STT", "Họ và tên", "Năm sinh", "Ngày sinh", "Giới tính", "Dân tộc")
    assert "Ngày lễ kết nạp" in rows[0]
    names = [row[1] for row in rows[1:]]
    assert "Nguyễn Văn An" in names
    assert all(name.startswith("Nguyễn") or "Nguyên" in name for name in names)
    an_row = rows[1 + names.index("Nguyễn Văn An")]
    header = rows[0]
    assert an_row[header.index("Ngày sinh")] == "19/05/1980"
    assert an_row[header.index("Chi bộ")] == "Chi bộ Văn phòng Sở"
    assert an_row[header.index("Tình trạng")] == "Đảng viên chính thức"
    assert an_row[header.index("Ngày lễ kết nạp")].date() == D(2012, 2, 3)
    assert an_row[header.index("Lý luận chính trị")] == "Trung cấp"


def test_export_is_scoped(crowd, office_user, client_for):
    response = client_for(office_user).get("/dang-vien/xuat-excel/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 14
    assert {row[6] for row in rows[1:]} == {"Chi bộ Văn phòng Sở"}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_and_export_take_a_fixed_number_of_queries(
    system, tree, crowd, bloc_approver, client_for, django_assert_max_num_queries
):
    client = client_for(bloc_approver)
    urls = ("/dang-vien/", "/dang-vien/?org=BD.YT&sex=female&age=51_60&q=thi",
            "/dang-vien/xuat-excel/", "/dang-vien/?trang=1&status=all")  # fmt: skip
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES - 1):
            assert client.get(url).status_code == 200
    before = {url: _queries(client, url) for url in urls}
    people(system, tree["justice"], 40, start=100)
    people(system, tree["inspect"], 20, start=200)
    assert {url: _queries(client, url) for url in urls} == before
