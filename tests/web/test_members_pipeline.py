"""The steps of the candidates pipeline as forms: registration from the file, certificate,
sponsors, background check, application, vote, withdrawal; each checked before saving and
saying what is still missing; scoped."""

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.members.models import Candidate, Sponsor
from tests.members.people import add_person
from tests.members.pipeline import candidate_at, full_member

from .test_members_data import D

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2026, 4, 20))


def written() -> tuple[int, int, int]:
    return Candidate.objects.count(), Sponsor.objects.count(), AuditEntry.objects.count()


def post(client, url, data, *, htmx=False):
    return client.post(url, data, **(HTMX if htmx else {}))


def test_a_person_is_registered_from_their_file(system, tree, office_user, client_for):
    person = add_person(system, tree["office"], "Đinh Thị Kim Oanh", birth_year=1999, sex="female")
    client = client_for(office_user)
    page = client.get(f"/dang-vien/{person.pk}/").content.decode()
    assert f"/dang-vien/{person.pk}/dua-vao-danh-sach/" in page
    url = f"/dang-vien/{person.pk}/dua-vao-danh-sach/"
    before = written()
    fragment = post(client, url, {"registered_on": "01/04/2026", "step": "check"}, htmx=True)
    text = fragment.content.decode()
    assert "Đạt các quy định" in text
    assert "Sau bước này còn thiếu: chưa có giấy chứng nhận lớp bồi dưỡng nhận thức" in text
    assert written() == before
    response = post(client, url, {"registered_on": "01/04/2026", "step": "save"})
    assert response.status_code == 302
    assert response["Location"] == "/quan-chung/?to_chuc=BD.YT.VP"
    board = client.get(response["Location"]).content.decode()
    assert "Đã đưa Đinh Thị Kim Oanh vào danh sách quần chúng ưu tú." in board
    assert "Ghi giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng" in board
    page = client.get(f"/dang-vien/{person.pk}/").content.decode()
    assert "Đang trong danh sách quần chúng ưu tú từ ngày 01/04/2026" in page
    again = post(client, url, {"registered_on": "02/04/2026", "step": "check"}, htmx=True)
    assert "members.CANDIDATE_ALREADY_REGISTERED" in again.content.decode()


def test_a_member_cannot_be_registered(an, office_user, client_for):
    client = client_for(office_user)
    assert "dua-vao-danh-sach" not in client.get(f"/dang-vien/{an.pk}/").content.decode()
    response = post(
        client, f"/dang-vien/{an.pk}/dua-vao-danh-sach/", {"registered_on": "01/04/2026"}
    )
    assert response.status_code == 400
    assert "members.CANDIDATE_ALREADY_MEMBER" in response.content.decode()


def test_the_certificate_step(tree, office_user, client_for):
    candidate = candidate_at("registered", tree["office"], "Mai Thị Thanh Tâm")
    client = client_for(office_user)
    url = f"/quan-chung/{candidate.pk}/giay-chung-nhan/"
    data = {
        "number": "88/GCN-TTCT",
        "issued_on": "10/04/2026",
        "issuing_body": "Trung tâm Chính trị",
    }
    bad = post(client, url, {**data, "issued_on": "10/05/2026", "step": "check"}, htmx=True)
    assert "members.CANDIDATE_DATE_IN_FUTURE" in bad.content.decode()
    assert post(client, url, {**data, "step": "save"}).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.certificate_number, candidate.certificate_date) == (
        "88/GCN-TTCT",
        D(2026, 4, 10),
    )


def test_the_sponsor_step_lists_the_cells_full_members_and_checks_the_twelve_months(
    system, tree, office_user, client_for
):
    candidate = candidate_at("certified", tree["office"], "Mai Thị Thanh Tâm")
    hung = full_member(system, tree["office"], "Trần Văn Hùng")
    client = client_for(office_user)
    url = f"/quan-chung/{candidate.pk}/nguoi-gioi-thieu/"
    page = client.get(url).content.decode()
    assert f'<option value="{hung.pk}">Trần Văn Hùng</option>' in page
    assert "Mai Thị Thanh Tâm</option>" not in page
    data = {"kind": "member", "sponsor": str(hung.pk), "sponsored_on": "01/04/2026"}
    short = post(
        client, url, {**data, "worked_with_since": "01/10/2025", "step": "check"}, htmx=True
    )
    text = short.content.decode()
    assert "members.CANDIDATE_SPONSOR_TOO_SHORT" in text and "(mới được 6 tháng)" in text
    before = written()
    ok = post(client, url, {**data, "worked_with_since": "01/01/2024", "step": "check"}, htmx=True)
    assert "Sau bước này còn thiếu: thiếu người giới thiệu" in ok.content.decode()
    assert written() == before
    assert post(client, url, {**data, "worked_with_since": "01/01/2024"}).status_code == 302
    assert candidate.sponsors.get().person_id == hung.pk


def test_the_vote_needs_a_complete_dossier(tree, office_user, client_for):
    candidate = candidate_at("sponsored", tree["office"], "Mai Thị Thanh Tâm")
    response = post(
        client_for(office_user),
        f"/quan-chung/{candidate.pk}/bieu-quyet/",
        {"vote_date": "10/04/2026", "votes_in_favour": "8", "full_members": "10", "step": "check"},
        htmx=True,
    )
    text = response.content.decode()
    assert "members.CANDIDATE_DOSSIER_INCOMPLETE" in text
    assert "chưa thẩm tra lý lịch" in text and "chưa có đơn xin vào Đảng" in text


def test_background_check_application_and_vote_complete_the_dossier(tree, office_user, client_for):
    candidate = candidate_at("sponsored", tree["office"], "Mai Thị Thanh Tâm")
    client = client_for(office_user)
    base = f"/quan-chung/{candidate.pk}"
    assert post(client, f"{base}/tham-tra-ly-lich/",
                {"checked_on": "01/04/2026", "result": "passed"}).status_code == 302  # fmt: skip
    assert (
        post(client, f"{base}/don-xin-vao-dang/", {"applied_on": "02/04/2026"}).status_code == 302
    )
    check = post(client, f"{base}/bieu-quyet/",
                 {"vote_date": "10/04/2026", "votes_in_favour": "7", "full_members": "10",
                  "step": "check"}, htmx=True)  # fmt: skip
    assert "Sau bước này hồ sơ đã đủ." in check.content.decode()
    assert post(client, f"{base}/bieu-quyet/",
                {"vote_date": "10/04/2026", "votes_in_favour": "7", "full_members": "10"}
                ).status_code == 302  # fmt: skip
    board = client.get("/quan-chung/").content.decode()
    assert "chi bộ đã biểu quyết 7/10 ngày 10/04/2026" in board


def test_bad_numbers_and_a_missing_reason_get_vietnamese_messages(tree, office_user, client_for):
    candidate = candidate_at("dossier", tree["office"], "Mai Thị Thanh Tâm")
    client = client_for(office_user)
    vote = post(client, f"/quan-chung/{candidate.pk}/bieu-quyet/",
                {"vote_date": "10/04/2026", "votes_in_favour": "bảy", "full_members": "0",
                 "step": "check"}, htmx=True).content.decode()  # fmt: skip
    assert "Số đảng viên chính thức tán thành phải là một số nguyên." in vote
    assert "Số đảng viên chính thức của chi bộ không nhỏ hơn 1." in vote
    stop = post(client, f"/quan-chung/{candidate.pk}/dung-xem-xet/",
                {"withdrawn_on": "10/04/2026", "step": "check"}, htmx=True).content.decode()  # fmt: skip
    assert "Cần ghi lý do dừng xem xét." in stop and "core.INVALID_INPUT" in stop
    done = post(client, f"/quan-chung/{candidate.pk}/dung-xem-xet/",
                {"withdrawn_on": "10/04/2026", "reason": "Chuyển công tác ra ngoài tỉnh"})  # fmt: skip
    assert done.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "withdrawn"


def test_another_cells_candidate_is_not_found(tree, justice_user, client_for):
    candidate = candidate_at("registered", tree["office"], "Mai Thị Thanh Tâm")
    client = client_for(justice_user)
    for slug in ("giay-chung-nhan", "dung-xem-xet"):
        assert client.get(f"/quan-chung/{candidate.pk}/{slug}/").status_code == 404
    response = post(client, f"/quan-chung/{candidate.pk}/dung-xem-xet/",
                    {"withdrawn_on": "10/04/2026", "reason": "x"})  # fmt: skip
    assert response.status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).status == "active"
    assert client.get(f"/quan-chung/{candidate.pk}/khong-co/").status_code == 404


def test_a_viewer_sees_the_board_without_the_forms(tree, make_user, client_for):
    candidate_at("registered", tree["office"], "Mai Thị Thanh Tâm")
    viewer = make_user("xem", tree["health"], Role.VIEWER)
    page = client_for(viewer).get("/quan-chung/").content.decode()
    assert "Mai Thị Thanh Tâm" in page
    assert "/giay-chung-nhan/" not in page and "Dừng xem xét" not in page
