"""The member journeys in a real browser (Chromium through Playwright, the harness of
tests/web/conftest.py): find, admit, recognise, transfer and receive, and the scope."""

import datetime as dt
import io
import re

import pytest

from dangvu.core import clock
from dangvu.members import services
from dangvu.members.rules import add_months
from tests.members.people import add_person
from tests.members.pipeline import candidate_at

from .test_members_data import admit, people

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures

PASSWORD = "Mật-khẩu-2026"


def portrait() -> bytes:
    """A small PNG portrait placeholder (a silhouette on a light background)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 320), (233, 236, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 50, 165, 150), fill=(120, 130, 145))
    draw.ellipse((30, 170, 210, 380), fill=(120, 130, 145))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def hoa(system, tree):
    """Trần Thị Hoa, admitted thirteen months ago: probationary, probation just ended."""
    person = add_person(
        system, tree["office"], "Trần Thị Hoa", birth_year=1994, birth_month=8, birth_day=26,
        sex="female", hometown="xã Cát Tiến, huyện Phù Cát, tỉnh Bình Định",
        current_residence="số 12 Lê Lợi, phường Quy Nhơn", current_province_code=52,
        phone="0905 123 456", general_education="12/12", qualification="Thạc sĩ Y tế công cộng",
        political_theory="intermediate", foreign_language="Tiếng Anh B1",
        occupation="Viên chức", work_unit="Văn phòng Sở Y tế", job_position="Chuyên viên chính",
    )  # fmt: skip
    return admit(system, person, add_months(clock.today(), -13), recognise=False)


def test_find_a_member_by_typing_a_name_without_diacritics(
    an, system, tree, office_user, browser_page, login
):
    people(system, tree["office"], 12)
    page = browser_page
    login(page, "vanphong", PASSWORD)
    page.goto("/dang-vien/")
    page.get_by_label("Tìm theo tên, số thẻ, số CCCD").fill("nguyen van an")
    page.get_by_label("Tìm theo tên, số thẻ, số CCCD").press("Enter")
    result = page.get_by_role("link", name="Nguyễn Văn An")
    result.wait_for()
    assert "Tìm thấy" in page.locator("#results").inner_text()
    result.click()
    page.wait_for_url(f"**/dang-vien/{an.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nguyễn Văn An"
    assert "Tuổi đảng" in page.content()


def test_admit_a_candidate_from_the_board(tree, office_user, browser_page, login):
    candidate = candidate_at("voted", tree["office"], "Võ Thị Thu Hà")
    page = browser_page
    login(page, "vanphong", PASSWORD)
    page.goto("/quan-chung/")
    card = page.locator(f'[data-candidate="{candidate.pk}"]')
    assert "Đủ hồ sơ" in card.inner_text()
    card.get_by_role("link", name="Kết nạp").click()
    page.wait_for_url(f"**/dang-vien/{candidate.person_id}/thao-tac/ket-nap/")
    page.get_by_label("Ngày lễ kết nạp").fill("01/06/2024")
    page.get_by_label("Số và ký hiệu quyết định").fill("50-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill("20/05/2024")
    page.get_by_label("Cơ quan ban hành").fill("Ban Thường vụ Đảng ủy Sở Y tế")
    page.get_by_role("button", name="Kiểm tra quy định").click()
    page.locator(".m-check-ok").wait_for()
    assert "Đạt các quy định" in page.locator("#check-result").inner_text()
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url(f"**/dang-vien/{candidate.person_id}/")
    assert "Đã ghi nhận «Kết nạp» cho Võ Thị Thu Hà" in page.content()
    assert "Đảng viên dự bị" in page.locator(".m-status").inner_text()


def test_recognition_before_twelve_months_is_refused_then_recognised_after(
    system, hoa, office_user, browser_page, login, screenshot
):
    end = add_months(hoa.ceremony_date, 12)
    page = browser_page
    login(page, "vanphong", PASSWORD)
    page.goto(f"/dang-vien/{hoa.pk}/")
    page.get_by_role("link", name="Công nhận đảng viên chính thức", exact=True).click()
    page.get_by_label("Số và ký hiệu quyết định").fill("61-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill(dmy(end - dt.timedelta(days=20)))
    page.get_by_label("Cơ quan ban hành").fill("Đảng ủy Sở Y tế")
    assert page.evaluate("typeof window.htmx") == "object"  # served by the app itself
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Kiểm tra quy định").click()
    error = page.locator(".m-check-error")
    error.wait_for()
    text = error.inner_text()
    assert "Chưa hết thời kỳ dự bị 12 tháng" in text
    assert f"chỉ được công nhận chính thức từ ngày {dmy(end)}" in text
    assert "members.RECOGNITION_BEFORE_PROBATION_END" in text
    assert page.evaluate("window.notReloaded") is True  # the check came as an htmx fragment
    page.get_by_role("button", name="Ghi nhận").click()  # saving is refused the same way
    assert "Chưa hết thời kỳ dự bị 12 tháng" in page.locator(".m-check-error").inner_text()
    hoa.refresh_from_db()
    assert hoa.status == "probationary"

    page.get_by_label("Ngày quyết định").fill(dmy(end + dt.timedelta(days=6)))
    page.get_by_role("button", name="Kiểm tra quy định").click()
    page.locator(".m-check-ok").wait_for()
    assert f"có hiệu lực từ ngày {dmy(end)}" in page.locator("#check-result").inner_text()
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url(f"**/dang-vien/{hoa.pk}/")
    assert "Đảng viên chính thức" in page.locator(".m-status").inner_text()
    assert f"Ngày chính thức\n{dmy(end)}" in page.locator(".m-facts").first.inner_text()

    services.person_photo_set(scope=system, person=hoa, content=portrait())
    page.reload()
    screenshot(page, "member-file")


def test_transfer_to_another_cell_and_accept_it_there(
    an, office_user, justice_user, browser_page, login
):
    page = browser_page
    login(page, "vanphong", PASSWORD)
    page.goto(f"/dang-vien/{an.pk}/")
    page.get_by_role("link", name="Chuyển sinh hoạt đảng chính thức").click()
    page.get_by_label("Mã chi bộ nhận").fill("BD.TP")
    left = clock.today() - dt.timedelta(days=10)
    page.get_by_label("Ngày chuyển đi").fill(dmy(left))
    page.get_by_role("button", name="Kiểm tra quy định").click()
    page.locator(".m-check-ok").wait_for()
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url(f"**/dang-vien/{an.pk}/")
    assert "Đang chuyển đến" in page.content()
    page.get_by_role("button", name="Đăng xuất").click()

    login(page, "tuphap", PASSWORD)
    page.goto("/dang-vien/chuyen-sinh-hoat/")
    row = page.get_by_role("row").filter(has_text="Nguyễn Văn An")
    assert "Chi bộ Văn phòng Sở" in row.inner_text()
    row.get_by_role("link", name="Tiếp nhận").click()
    page.get_by_label("Ngày tiếp nhận").fill(dmy(left + dt.timedelta(days=3)))
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url(f"**/dang-vien/{an.pk}/")
    assert "Đã ghi nhận «Tiếp nhận sinh hoạt đảng chính thức»" in page.content()
    facts = page.locator(".m-facts").first.inner_text()
    assert "Chi bộ Sở Tư pháp" in facts and "Đang chuyển đến" not in facts
    an.refresh_from_db()
    assert an.organization.code == "BD.TP"


def test_a_cell_user_cannot_open_another_cells_member(an, justice_user, browser_page, login):
    page = browser_page
    login(page, "tuphap", PASSWORD)
    response = page.goto(f"/dang-vien/{an.pk}/")
    assert response.status == 404
    assert "Nguyễn Văn An" not in page.content()
    response = page.goto(f"/dang-vien/{an.pk}/thao-tac/chuyen-di/")
    assert response.status == 404
    page.goto("/dang-vien/?q=nguyen van an")
    assert not re.search("Nguyễn Văn An", page.locator("#results").inner_text())
