"""The import page: editors upload a file, choose a dry run or a real import, follow the progress
and read the report row by row; viewers are refused; a job is seen by its owner only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.access.models import Role
from dangvu.members.models import Person
from dangvu.web import imports_views
from tests.exchange.workbooks import simple

PEOPLE = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chi bộ"]
GOOD = [PEOPLE, ["Lý Văn Phúc", "02/01/1980", "Nam", "052080000321", "BD.TP"]]
BAD = [*GOOD, ["Đinh Thị Hoa", "1982", "Nữ", "052082000001", "BD.TP"]]  # CCCD of a man


@pytest.fixture(autouse=True)
def at_once(monkeypatch):
    """The import runs in the request's thread (the test database is not shared)."""
    monkeypatch.setattr(imports_views, "run_in_background", lambda work: work())


@pytest.fixture
def editor(tree, make_user, client_for):
    return client_for(make_user("bientap", tree["bloc"], Role.EDITOR))


def _upload(client, rows, how="thu", name="danh-sach.xlsx"):
    return client.post(
        "/nhap-du-lieu/",
        {"tep": SimpleUploadedFile(name, simple({"Đảng viên": rows})), "cach": how},
    )


def test_the_page_offers_the_form_and_the_template(editor):
    page = editor.get("/nhap-du-lieu/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chạy thử" in text and 'name="tep"' in text
    assert 'href="/nhap-du-lieu/"' in text  # the menu link, for an editor
    template = editor.get("/nhap-du-lieu/tep-mau.xlsx")
    assert template.status_code == 200
    assert template["Content-Disposition"].endswith('"mau-nhap-du-lieu.xlsx"')
    assert template.content.startswith(b"PK")


def test_a_dry_run_reports_and_writes_nothing(editor):
    response = _upload(editor, GOOD)
    assert response.status_code == 302
    job = response.url
    page = editor.get(job).content.decode()
    assert "Chạy thử: tệp không có lỗi, có thể nhập." in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert not Person.objects.exists()


def test_a_real_import_writes_the_file(editor):
    page = editor.get(_upload(editor, GOOD, how="nhap").url).content.decode()
    assert "Đã nhập toàn bộ tệp." in page
    assert Person.objects.get().full_name == "Lý Văn Phúc"


def test_a_file_with_a_bad_row_shows_the_row_and_writes_nothing(editor):
    job = _upload(editor, BAD, how="nhap").url
    fragment = editor.get(job + "tien-do/").content.decode()
    assert "Tệp có 1 lỗi: không có dữ liệu nào được ghi." in fragment
    assert "<td>3</td>" in fragment and "Số CCCD" in fragment
    assert "members.CITIZEN_ID_MISMATCH" in fragment
    assert not Person.objects.exists()


def test_a_probable_duplicate_is_shown_as_a_warning(editor):
    # the same man twice: typed again without diacritics, without a citizen ID, in another cell
    twice = [*GOOD, ["LY VAN PHUC", "02/01/1980", "Nam", "", "BD.YT.VP"]]
    fragment = editor.get(_upload(editor, twice, how="nhap").url + "tien-do/").content.decode()
    assert "Đã nhập toàn bộ tệp. Có 1 cảnh báo nghi trùng lý lịch" in fragment
    assert "Cảnh báo nghi trùng lý lịch (1)" in fragment
    assert "Có thể cùng một người với dòng 2 («Lý Văn Phúc», sinh 02/01/1980)" in fragment
    assert "exchange.DUPLICATE_SUSPECT_IN_FILE" in fragment
    assert Person.objects.count() == 2  # a warning does not stop the import


def test_the_progress_is_polled_while_the_import_runs(editor, monkeypatch):
    started = []
    monkeypatch.setattr(imports_views, "run_in_background", started.append)
    job = _upload(editor, GOOD).url
    page = editor.get(job).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Đang chuẩn bị" in page
    started[0]()  # the thread's work
    assert "có thể nhập" in editor.get(job + "tien-do/").content.decode()


def test_a_viewer_may_not_import(tree, make_user, client_for):
    viewer = client_for(make_user("xem", tree["bloc"], Role.VIEWER))
    assert viewer.get("/nhap-du-lieu/").status_code == 403
    assert _upload(viewer, GOOD).status_code == 403
    assert 'href="/nhap-du-lieu/"' not in viewer.get("/").content.decode()


def test_a_job_is_seen_by_its_owner_only(tree, editor, make_user, client_for):
    job = _upload(editor, GOOD).url
    other = client_for(make_user("khac", tree["bloc"], Role.EDITOR))
    assert other.get(job).status_code == 404
    assert other.get(job + "tien-do/").status_code == 404


def test_rows_outside_the_scope_are_unknown(tree, make_user, client_for):
    health = client_for(make_user("yte", tree["health"], Role.EDITOR))
    page = health.get(_upload(health, GOOD).url).content.decode()
    assert "exchange.UNKNOWN_ORGANIZATION" in page


def test_no_file_is_an_error_on_the_form(editor):
    response = editor.post("/nhap-du-lieu/", {"cach": "thu"})
    assert response.status_code == 400
    assert "Hãy chọn tệp" in response.content.decode()


def test_a_journey_upload_a_file_and_read_its_report(tree, make_user, browser_page, login):
    """In the browser, with the import in its thread and the page polling it."""
    from dangvu.web import imports_views as views

    make_user("nhaplieu", tree["bloc"], Role.EDITOR, first_name="Hoa")
    views.run_in_background = ORIGINAL_RUN  # the real thread (the live server commits)
    page = browser_page
    login(page, "nhaplieu", "Mật-khẩu-2026")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Nhập dữ liệu"
    ).click()
    page.set_input_files(
        'input[name="tep"]',
        files=[{"name": "ds.xlsx", "mimeType": "application/octet-stream",
                "buffer": simple({"Đảng viên": BAD})}],
    )  # fmt: skip
    page.get_by_label("Nhập: ghi toàn bộ tệp nếu không có lỗi").check()
    page.get_by_role("button", name="Tải lên và bắt đầu").click()
    page.get_by_text("Tệp có 1 lỗi: không có dữ liệu nào được ghi.").wait_for()
    assert "members.CITIZEN_ID_MISMATCH" in page.locator("#import-progress").inner_text()


ORIGINAL_RUN = imports_views.run_in_background
