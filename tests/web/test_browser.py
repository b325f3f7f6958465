"""Journeys in a real browser: Debian's Chromium driven by Playwright against the live server
(fixtures in conftest.py). The demo journey builds the demo data (slow) and saves the
screenshots of the README."""

import datetime as dt
import io
import re

import pytest

from dangvu.access.models import Role
from dangvu.organizations import services
from tests.conftest import decision

PASSWORD = "Mật-khẩu-2026"


@pytest.fixture
def editor(tree, make_user):
    return make_user("bientap", tree["health"], Role.EDITOR, first_name="Hoa", last_name="Lê")


def test_log_in_and_out(editor, browser_page, login):
    page = browser_page
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bientap")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    login(page, "bientap", PASSWORD)
    assert page.locator("h1").inner_text() == "Đảng bộ Sở Y tế"
    assert "Đảng bộ Sở Y tế (Cập nhật)" in page.locator(".scope").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    assert page.get_by_role("link", name="Đăng nhập để bắt đầu").is_visible()


def test_the_tree_on_a_past_date(tree, system, editor, browser_page, login):
    services.organization_rename(
        scope=system,
        organization=tree["office"],
        name="Chi bộ Văn phòng Sở Y tế",
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2020, 1, 1)),
    )
    page = browser_page
    login(page, "bientap", PASSWORD)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tổ chức"
    ).click()
    table = page.locator("table.tree")
    assert "Chi bộ Văn phòng Sở Y tế" in table.inner_text()
    page.get_by_label("Cây tổ chức vào ngày").fill("31/12/2019")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r"ngay=31%2F12%2F2019"))
    assert "Như đã có vào ngày 31/12/2019" in page.content()
    names = table.locator("td:first-child").all_inner_texts()
    assert "Chi bộ Văn phòng Sở" in names and "Chi bộ Văn phòng Sở Y tế" not in names
    page.get_by_role("link", name="Chi bộ Văn phòng Sở", exact=True).click()
    assert page.locator("h1").inner_text() == "Chi bộ Văn phòng Sở"  # its page, that day


def test_the_dashboard_loads_its_work_lists(editor, browser_page, login):
    page = browser_page
    login(page, "bientap", PASSWORD)
    page.locator("#worklists .worklist").first.wait_for()  # swapped in by htmx
    assert "Sắp hết thời kỳ dự bị" in page.locator("#worklists").inner_text()


@pytest.mark.slow
def test_the_demo_blocs_report_of_2021_q1(browser_page, login, screenshot, monkeypatch):
    """The scenario's figures (scenarios/bloc-2021-q1.md) on screen and in the downloaded file;
    the day is the report's (09/04/2021), when the demo bloc still existed."""
    from docx import Document

    from dangvu.demo import build

    monkeypatch.setattr("dangvu.core.clock.today", lambda: dt.date(2021, 4, 9))
    demo = build(io.StringIO())
    bloc = demo.tree.bloc
    page = browser_page
    login(page, "khoi", "dangvu-demo-2026")
    page.locator("#worklists .worklist").first.wait_for()
    screenshot(page, "dashboard")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Báo cáo"
    ).click()
    page.get_by_label("Mã tổ chức", exact=True).fill(bloc.code)
    page.get_by_label("Năm", exact=True).fill("2021")
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("quarter")
    page.get_by_label("Quý", exact=True).select_option("1")
    page.get_by_role("button", name="Xem báo cáo").click()
    preview = page.locator("#preview")
    preview.get_by_text("Số liệu cân đối.").wait_for(timeout=120_000)
    text = preview.inner_text()
    assert f"{bloc.name} – quý I năm 2021" in text
    for phrase in ("kết nạp 39 quần chúng ưu tú", "công nhận 51 đảng viên dự bị thành đảng viên",
                   "Huy hiệu 30 năm tuổi Đảng cho 03 đồng chí", "76 tổ chức cơ sở đảng "
                   "(44 đảng bộ cơ sở, 32 chi bộ cơ sở) với 5.016 đảng viên"):  # fmt: skip
        assert phrase in text, phrase
    figures = preview.locator("#figures")
    assert figures.locator("tr", has_text="Tổng số đảng viên").locator("td").nth(
        1
    ).inner_text() == ("5.016")
    assert (
        figures.locator("tr", has_text="Kết nạp đảng viên").first.locator("td").nth(1).inner_text()
        == "39"
    )
    assert "Cuối kỳ (31/03/2021)\t5.016" in preview.locator("#balance").inner_text()
    assert "year=2021&kind=quarter&quarter=1" in page.url  # the preview can be shared
    screenshot(page, "reports")

    with page.expect_download(timeout=180_000) as download:
        preview.get_by_role("link", name="Tải DOCX").click()
    assert download.value.suggested_filename == f"bao-cao-{bloc.code}-2021-Q1.docx"
    document = Document(download.value.path())
    words = "\n".join(p.text for p in document.paragraphs)
    assert "với 5.016 đảng viên" in words and "kết nạp 39 quần chúng ưu tú" in words
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "5.016" in cells and "39" in cells
