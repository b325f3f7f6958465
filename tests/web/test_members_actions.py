"""Lifecycle actions as forms: the rule checks of a dry run before saving (nothing written),
Vietnamese errors with their codes, warnings an approver may override with a reason, and the
save through the same services as the API."""

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.models import Decision
from dangvu.members.models import Candidate, MemberEvent, MembershipPeriod, Person
from tests.members.people import add_person
from tests.members.pipeline import candidate_at

from .test_members_data import D, admit

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures

HTMX = {"HTTP_HX_REQUEST": "true"}


def written() -> tuple[int, ...]:
    """Row counts of everything an action may write."""
    return (
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
        Decision.objects.count(),
        MembershipPeriod.objects.count(),
    )


def decision_fields(day: str, symbol: str = "25-QĐ/ĐU", body: str = "Đảng ủy Sở Y tế"):
    return {"decision_symbol": symbol, "decision_date": day, "decision_body": body}


@pytest.fixture
def lan(system, tree):
    """Nguyễn Thị Lan, admitted on 15/03/2025: probation ends on 15/03/2026."""
    person = add_person(system, tree["office"], "Nguyễn Thị Lan", birth_year=1995,
                        birth_month=4, birth_day=12, sex="female")  # fmt: skip
    return admit(system, person, D(2025, 3, 15), recognise=False)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2026, 4, 20))


def test_the_form_shows_the_person_and_probation_end(lan, office_user, client_for):
    response = client_for(office_user).get(f"/dang-vien/{lan.pk}/thao-tac/cong-nhan-chinh-thuc/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Công nhận đảng viên chính thức</h1>" in page
    assert "Hết thời kỳ dự bị</dt><dd>15/03/2026" in page
    assert "Quyết định (bắt buộc)" in page
    assert "Kiểm tra quy định" in page and "Ghi nhận" in page
    assert 'hx-post="/dang-vien/' in page


def test_recognition_before_twelve_months_is_refused_at_the_check_and_nothing_is_written(
    lan, office_user, client_for
):
    client = client_for(office_user)
    url = f"/dang-vien/{lan.pk}/thao-tac/cong-nhan-chinh-thuc/"
    before = written()
    response = client.post(url, {**decision_fields("01/03/2026"), "step": "check"}, **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment  # the htmx fragment only
    assert "Không đạt quy định" in fragment
    assert "members.RECOGNITION_BEFORE_PROBATION_END" in fragment
    assert "Chưa hết thời kỳ dự bị 12 tháng" in fragment and "15/03/2026" in fragment
    saved = client.post(url, {**decision_fields("01/03/2026"), "step": "save"})
    assert saved.status_code == 400
    assert "members.RECOGNITION_BEFORE_PROBATION_END" in saved.content.decode()
    assert written() == before
    lan.refresh_from_db()
    assert lan.status == "probationary"


def test_a_passing_check_writes_nothing_and_says_what_will_happen(lan, office_user, client_for):
    client = client_for(office_user)
    url = f"/dang-vien/{lan.pk}/thao-tac/cong-nhan-chinh-thuc/"
    before = written()
    fragment = client.post(
        url, {**decision_fields("10/04/2026", "31-QĐ/ĐU"), "step": "check"}, **HTMX
    ).content.decode()
    assert "Đạt các quy định" in fragment
    assert "có hiệu lực từ ngày 15/03/2026" in fragment
    assert "đảng viên chính thức" in fragment
    assert written() == before
    assert not Decision.objects.filter(symbol="31-QĐ/ĐU").exists()


def test_recognition_after_twelve_months_is_saved_from_the_end_of_probation(
    lan, office_user, client_for
):
    client = client_for(office_user)
    response = client.post(
        f"/dang-vien/{lan.pk}/thao-tac/cong-nhan-chinh-thuc/",
        {**decision_fields("10/04/2026"), "step": "save"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dang-vien/{lan.pk}/"
    lan.refresh_from_db()
    assert (lan.status, lan.full_member_date) == ("full", D(2026, 3, 15))
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận «Công nhận đảng viên chính thức» cho Nguyễn Thị Lan" in page
    event = MemberEvent.objects.get(person=lan, kind="recognition")
    assert event.recorded_by.username == "vanphong"
    assert str(event.decision).startswith("25-QĐ/ĐU")


def test_the_check_without_javascript_shows_the_page_again(lan, office_user, client_for):
    response = client_for(office_user).post(
        f"/dang-vien/{lan.pk}/thao-tac/cong-nhan-chinh-thuc/",
        {**decision_fields("10/04/2026"), "step": "check"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page and "Đạt các quy định" in page
    assert 'value="10/04/2026"' in page  # what was typed stays


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"decision_symbol": "25-QĐ/ĐU"}, "Cần ghi đủ số và ký hiệu, ngày và cơ quan ban hành"),
        ({**decision_fields("31/02/2026")}, "Ngày quyết định: ngày không hợp lệ"),
        ({}, "core.DECISION_REQUIRED"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_with_a_code(
    lan, office_user, client_for, data, expected
):
    before = written()
    for step in ("check", "save"):
        response = client_for(office_user).post(
            f"/dang-vien/{lan.pk}/thao-tac/cong-nhan-chinh-thuc/", {**data, "step": step}, **HTMX
        )
        fragment = response.content.decode()
        assert "Thông tin chưa hợp lệ" in fragment
        assert expected in fragment
        assert "<code>core." in fragment
    assert written() == before


def test_an_error_of_the_state_machine_has_its_code(an, office_user, client_for):
    fragment = (
        client_for(office_user)
        .post(
            f"/dang-vien/{an.pk}/thao-tac/cong-nhan-chinh-thuc/",
            {**decision_fields("10/04/2026"), "step": "check"},
            **HTMX,
        )
        .content.decode()
    )
    assert "members.EVENT_NOT_ALLOWED" in fragment
    assert "Không thể ghi nhận «Công nhận đảng viên chính thức»" in fragment


def test_an_unknown_action_is_not_found(an, office_user, client_for):
    assert client_for(office_user).get(f"/dang-vien/{an.pk}/thao-tac/bay/").status_code == 404


# --- warnings and overrides ---------------------------------------------------------------------
@pytest.fixture
def elder(system, tree):
    """Lê Văn Bảy, 62 at the cell's vote: admission needs the provincial committee's decision."""
    return add_person(system, tree["office"], "Lê Văn Bảy", birth_year=1963, birth_month=2,
                      sex="male")  # fmt: skip


def admission(day="15/03/2026", ceremony="01/04/2026", **extra):
    return {**decision_fields(day, "45-QĐ/TU", "Ban Thường vụ Tỉnh ủy"),
            "ceremony_date": ceremony, "vote_date": "02/03/2026", **extra}  # fmt: skip


def test_a_warning_asks_for_an_approvers_reason(elder, office_user, client_for):
    url = f"/dang-vien/{elder.pk}/thao-tac/ket-nap/"
    before = written()
    fragment = (
        client_for(office_user).post(url, {**admission(), "step": "check"}, **HTMX).content.decode()
    )
    assert "Cảnh báo" in fragment
    assert "members.ADMISSION_OVER_AGE" in fragment
    assert "Cần người có quyền phê duyệt ghi lý do" in fragment
    assert 'name="override_reason"' in fragment
    assert written() == before


def test_an_editor_cannot_override(elder, office_user, client_for):
    response = client_for(office_user).post(
        f"/dang-vien/{elder.pk}/thao-tac/ket-nap/",
        {**admission(override_reason="Tỉnh ủy đồng ý"), "step": "save"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "access.ROLE_REQUIRED" in page and "Phê duyệt" in page
    elder.refresh_from_db()
    assert elder.status == ""


def test_an_approver_overrides_with_a_reason(elder, bloc_approver, client_for):
    client = client_for(bloc_approver)
    url = f"/dang-vien/{elder.pk}/thao-tac/ket-nap/"
    reason = "Ban Thường vụ Tỉnh ủy đồng ý kết nạp (Công văn 112-CV/TU)"
    fragment = client.post(
        url, {**admission(override_reason=reason), "step": "check"}, **HTMX
    ).content.decode()
    assert "Đạt các quy định" in fragment
    assert reason in fragment  # the reason field stays filled
    response = client.post(url, {**admission(override_reason=reason), "step": "save"})
    assert response.status_code == 302
    event = MemberEvent.objects.get(person=elder, kind="admission")
    assert event.override_reason == reason
    page = client.get(f"/dang-vien/{elder.pk}/").content.decode()
    assert f"Vượt cảnh báo, lý do: {reason}" in page


# --- admission from the pipeline, transfers, other events ---------------------------------------
def test_a_candidate_is_admitted_from_the_pipeline(system, tree, office_user, client_for):
    candidate = candidate_at("voted", tree["office"])
    client = client_for(office_user)
    url = f"/dang-vien/{candidate.person_id}/thao-tac/ket-nap/"
    page = client.get(url).content.decode()
    assert 'name="vote_date"' not in page  # the cell's vote is the pipeline's
    response = client.post(
        url,
        {
            **decision_fields("20/05/2024", "50-QĐ/ĐU", "Đảng ủy Sở Y tế"),
            "ceremony_date": "01/06/2024",
            "step": "save",
        },  # fmt: skip
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "admitted"
    person = Person.objects.get(pk=candidate.person_id)
    assert (person.status, person.ceremony_date) == ("probationary", D(2024, 6, 1))
    assert candidate.admission.details["vote_date"] == "2024-05-10"


def test_a_candidate_not_ready_is_refused_with_what_they_lack(
    system, tree, office_user, client_for
):
    candidate = candidate_at("sponsored", tree["office"])
    fragment = (
        client_for(office_user)
        .post(
            f"/dang-vien/{candidate.person_id}/thao-tac/ket-nap/",
            {**decision_fields("20/05/2024"), "ceremony_date": "01/06/2024", "step": "check"},
            **HTMX,
        )
        .content.decode()
    )
    assert "members.CANDIDATE_NOT_READY" in fragment
    assert "chưa thẩm tra lý lịch" in fragment
    assert Candidate.objects.get(pk=candidate.pk).status == "active"


def test_transfer_to_another_cell_and_reception_there(
    an, tree, office_user, justice_user, client_for
):
    sender = client_for(office_user)
    response = sender.post(
        f"/dang-vien/{an.pk}/thao-tac/chuyen-di/",
        {"to": "BD.TP", "effective_date": "01/04/2026", "note": "Chuyển công tác", "step": "save"},
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.transfer_to_id == tree["justice"].pk
    receiver = client_for(justice_user)
    listing = receiver.get("/dang-vien/chuyen-sinh-hoat/").content.decode()
    assert "Nguyễn Văn An" in listing and f"/dang-vien/{an.pk}/thao-tac/tiep-nhan/" in listing
    # the sender cannot receive for the other cell
    refused = sender.post(
        f"/dang-vien/{an.pk}/thao-tac/tiep-nhan/", {"effective_date": "10/04/2026", "step": "save"}
    )
    assert refused.status_code == 400
    assert "core.NOT_FOUND" in refused.content.decode()
    response = receiver.post(
        f"/dang-vien/{an.pk}/thao-tac/tiep-nhan/", {"effective_date": "10/04/2026", "step": "save"}
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert (an.organization_id, an.transfer_to_id) == (tree["justice"].pk, None)
    assert sender.get(f"/dang-vien/{an.pk}/").status_code == 404  # gone from the office


def test_a_transfer_to_an_unknown_cell_or_the_same_one_is_refused(an, office_user, client_for):
    client = client_for(office_user)
    for code, error in (("BD.KHONG", "core.NOT_FOUND"), ("BD.YT.VP", "members.TRANSFER_SAME_CELL"),
                        ("BD.YT", "members.NOT_A_CELL")):  # fmt: skip
        fragment = client.post(
            f"/dang-vien/{an.pk}/thao-tac/chuyen-di/",
            {"to": code, "effective_date": "01/04/2026", "step": "check"},
            **HTMX,
        ).content.decode()
        assert error in fragment, code


@pytest.mark.parametrize(
    ("slug", "data", "check"),
    [
        ("ky-luat", {"form": "reprimand", **decision_fields("01/04/2026", "03-QĐ/UBKT")},
         lambda p: MemberEvent.objects.filter(person=p, kind="discipline").exists()),
        ("de-nghi-huy-hieu", {"milestone": "30"}, None),
        ("phat-the", {"card_number": "52012345"}, lambda p: p.card_number == "52012345"),
        ("mien-sinh-hoat", {"requested_on": "01/04/2026", "grounds": ["weak_health"]},
         lambda p: p.exempt),
        ("chuyen-tam-thoi", {"to": "BD.TP", "until": "01/10/2026"},
         lambda p: p.temporary_until == D(2026, 10, 1)),
        ("xoa-ten", {"exit_reason": "abandoned_activity", **decision_fields("10/04/2026")},
         lambda p: p.status == "struck_off"),
        ("tu-tran", {**decision_fields("10/04/2026")}, lambda p: p.status == "deceased"),
    ],
)  # fmt: skip
def test_other_events_are_recorded_through_their_forms(
    an, office_user, client_for, slug, data, check
):
    client = client_for(office_user)
    response = client.post(
        f"/dang-vien/{an.pk}/thao-tac/{slug}/",
        {"effective_date": "10/04/2026", **data, "step": "save"},
    )
    if check is None:  # a 30-year badge is not due after 14 years of party age
        assert response.status_code == 400
        assert "members.BADGE_NOT_DUE" in response.content.decode()
        return
    assert response.status_code == 302, response.content.decode()[-3000:]
    an.refresh_from_db()
    assert check(an)


def test_a_probationary_member_cannot_be_removed_from_post(lan, office_user, client_for):
    fragment = (
        client_for(office_user)
        .post(
            f"/dang-vien/{lan.pk}/thao-tac/ky-luat/",
            {
                "form": "removal_from_post",
                "effective_date": "10/04/2026",
                **decision_fields("05/04/2026"),
                "step": "check",
            },  # fmt: skip
            **HTMX,
        )
        .content.decode()
    )
    assert "members.DISCIPLINE_FORM_NOT_ALLOWED" in fragment
    assert "Không áp dụng hình thức cách chức đối với đảng viên dự bị" in fragment


def test_a_viewer_is_told_the_role_needed(an, tree, make_user, client_for):
    viewer = make_user("xem", tree["health"], Role.VIEWER)
    response = client_for(viewer).post(
        f"/dang-vien/{an.pk}/thao-tac/tu-tran/",
        {"effective_date": "10/04/2026", **decision_fields("10/04/2026"), "step": "save"},
    )
    assert response.status_code == 400
    assert "access.ROLE_REQUIRED" in response.content.decode()
    an.refresh_from_db()
    assert an.status == "full"
