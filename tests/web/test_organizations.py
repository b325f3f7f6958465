"""The organisation pages: an organisation's page (committee, figures, history), the
restructuring forms through the services, Vietnamese errors with their codes, and the scope."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.organizations.models import Organization, OrganizationType
from dangvu.organizations.services import SeatInput, committee_term_open
from tests.conftest import decision, establish

D = dt.date
DECISION = {
    "effective_date": "01/07/2021",
    "decision_symbol": "45-QĐ/ĐUK",
    "decision_date": "25/06/2021",
    "decision_body": "Ban Thường vụ Đảng ủy Khối",
}


@pytest.fixture
def editor(tree, make_user):
    return make_user("bientap", tree["health"], Role.EDITOR)


@pytest.fixture
def viewer(tree, make_user):
    return make_user("xem", tree["health"], Role.VIEWER)


SPLIT = {
    "dissolve_source": "on",
    "part1_code": "BD.YTA", "part1_name": "Đảng bộ Y tế A", "part1_type": "grassroots_committee",
    "part1_children": "BD.YT.VP",
    "part2_code": "BD.YTB", "part2_name": "Đảng bộ Y tế B", "part2_type": "grassroots_committee",
    "part2_children": "bd.yt.ttr",
}  # fmt: skip


@pytest.fixture
def bloc_admin(tree, make_user, client_for):
    return client_for(make_user("khoi", tree["bloc"], Role.ADMINISTRATOR))


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_an_organisation_page_shows_its_committee_children_figures_and_history(
    system, tree, editor, client_for
):
    committee_term_open(
        scope=system,
        organization=tree["health"],
        name="2020-2025",
        start_date=D(2020, 8, 1),
        decision=decision(D(2020, 8, 1), "12-QĐ/ĐUK"),
        seats=[SeatInput("Trần Thị Mai", "secretary"), SeatInput("Võ Văn Hải", "committee_member")],
    )
    page = html(client_for(editor), "/to-chuc/BD.YT/")
    assert "<h1>Đảng bộ Sở Y tế</h1>" in page
    assert "Cấp ủy nhiệm kỳ 2020-2025" in page
    assert "Trần Thị Mai</span> <small>Bí thư" in page
    assert "Tổ chức trực thuộc (2)" in page and "Chi bộ Văn phòng Sở" in page
    assert '<span class="stat-value">0</span><span class="stat-label">Đảng viên' in page
    assert "01/01/2010</time> · <strong>Thành lập</strong>" in page
    assert "Quyết định số 01-QĐ/TU ngày 01/01/2010 của Ban Thường vụ Tỉnh ủy" in page
    assert "Đổi tên</a>" in page  # an editor sees the restructuring actions


def test_a_viewer_sees_no_restructuring_action(viewer, client_for):
    page = html(client_for(viewer), "/to-chuc/BD.YT/")
    assert "Sắp xếp, kiện toàn tổ chức" not in page


def test_an_organisation_outside_the_scope_is_not_found(editor, client_for):
    client = client_for(editor)
    for url in (
        "/to-chuc/BD.TP/",
        "/to-chuc/BD.DUK/",
        "/to-chuc/BD.TP/doi-ten/",
        "/to-chuc/KHONG/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/to-chuc/BD.TP/doi-ten/", {"name": "X", **DECISION}).status_code == 404
    assert Organization.objects.get(code="BD.TP").name == "Chi bộ Sở Tư pháp"


def test_rename_through_the_form(tree, editor, client_for):
    client = client_for(editor)
    form = html(client, "/to-chuc/BD.YT.VP/doi-ten/")
    assert "Tên mới" in form and "Số, ký hiệu quyết định" in form and 'value="' in form
    response = client.post(
        "/to-chuc/BD.YT.VP/doi-ten/", {"name": "Chi bộ Văn phòng Sở Y tế", **DECISION}, follow=True
    )
    page = response.content.decode()
    assert "Đã ghi nhận: đổi tên (Chi bộ Văn phòng Sở)." in page
    assert "tên mới «Chi bộ Văn phòng Sở Y tế»" in page
    before = html(client, "/to-chuc/BD.YT.VP/?ngay=30/06/2021")
    assert "<h1>Chi bộ Văn phòng Sở</h1>" in before  # the page as it stood that day


def test_a_rule_broken_shows_the_vietnamese_message_and_its_code(tree, editor, client_for):
    client = client_for(editor)
    page = client.post(
        "/to-chuc/BD.YT.VP/doi-ten/", {"name": "Chi bộ Văn phòng Sở", **DECISION}
    ).content.decode()
    assert "Tổ chức đã mang tên «Chi bộ Văn phòng Sở»." in page
    assert "<code>organizations.NAME_UNCHANGED</code>" in page
    bad = client.post(
        "/to-chuc/BD.YT.VP/doi-ten/", {"name": "Mới", **DECISION, "effective_date": "31/02/2021"}
    ).content.decode()
    assert "Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy." in bad


def test_establish_move_and_dissolve(tree, editor, client_for):
    client = client_for(editor)
    response = client.post(
        "/to-chuc/BD.YT/thanh-lap/",
        {"code": "bd.yt.bv", "name": "Chi bộ Bệnh viện", "type": OrganizationType.SUBORDINATE_CELL,
         **DECISION},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/to-chuc/BD.YT.BV/"
    moved = client.post(
        "/to-chuc/BD.YT.BV/chuyen-truc-thuoc/", {"parent_code": "BD.TP", **DECISION}
    ).content.decode()
    assert "nằm ngoài phạm vi quản lý của bạn" in moved  # the new parent is outside the scope
    assert "<code>core.NOT_FOUND</code>" in moved
    dissolved = client.post(
        "/to-chuc/BD.YT.BV/giai-the/", {"confirm": "on", **DECISION, "effective_date": "01/08/2021"}
    )
    assert dissolved.status_code == 302
    assert Organization.objects.get(code="BD.YT.BV").dissolved_on == D(2021, 8, 1)


def test_convert_is_checked_by_the_charter(tree, bloc_admin):
    refused = bloc_admin.post(
        "/to-chuc/BD.TP/chuyen-doi/", {"type": OrganizationType.SUB_COMMITTEE, **DECISION}
    ).content.decode()
    assert '<div class="alert alert-error" role="alert">' in refused
    assert "<code>organizations." in refused
    assert Organization.objects.get(code="BD.TP").type == OrganizationType.GRASSROOTS_CELL


def test_split_into_two_committees_taking_the_cells(tree, bloc_admin):
    refused = bloc_admin.post(
        "/to-chuc/BD.YT/chia-tach/", {**DECISION, **SPLIT, "part1_children": ""}
    )
    assert "<code>organizations.DISSOLVE_HAS_CHILDREN</code>" in refused.content.decode()
    response = bloc_admin.post("/to-chuc/BD.YT/chia-tach/", {**DECISION, **SPLIT})
    assert response.status_code == 302, response.content.decode()
    assert Organization.objects.get(code="BD.YT").dissolved_on == D(2021, 7, 1)
    page = bloc_admin.get("/to-chuc/BD.YTA/").content.decode()
    assert "Chi bộ Văn phòng Sở" in page and "Chi bộ Thanh tra Sở" not in page


def test_merge_into_a_new_organisation_and_into_an_existing_one(system, tree, bloc_admin):
    establish(
        system, "BD.TN", "Chi bộ Sở Tài nguyên", OrganizationType.GRASSROOTS_CELL, tree["bloc"]
    )
    establish(system, "BD.NV", "Chi bộ Sở Nội vụ", OrganizationType.GRASSROOTS_CELL, tree["bloc"])
    incomplete = bloc_admin.post(
        "/to-chuc/BD.TP/hop-nhat/", {**DECISION, "mode": "new", "sources": "BD.TN"}
    ).content.decode()
    assert "Cần khai báo khi hợp nhất thành tổ chức mới." in incomplete
    merged = bloc_admin.post(
        "/to-chuc/BD.TP/hop-nhat/",
        {**DECISION, "mode": "new", "sources": "BD.TN", "new_code": "BD.TPTN",
         "new_name": "Chi bộ Tư pháp – Tài nguyên", "new_type": "grassroots_cell",
         "new_parent_code": "BD.DUK"},
    )  # fmt: skip
    assert merged.status_code == 302, merged.content.decode()
    assert merged["Location"] == "/to-chuc/BD.TPTN/"
    absorbed = bloc_admin.post(
        "/to-chuc/BD.TPTN/hop-nhat/", {**DECISION, "mode": "into", "sources": "BD.NV"}
    )
    assert absorbed.status_code == 302, absorbed.content.decode()
    assert Organization.objects.get(code="BD.NV").dissolved_on == D(2021, 7, 1)
    assert Organization.objects.get(code="BD.TP").dissolved_on == D(2021, 7, 1)


def test_a_viewer_cannot_restructure(viewer, client_for):
    page = (
        client_for(viewer)
        .post("/to-chuc/BD.YT.VP/doi-ten/", {"name": "Tên khác", **DECISION})
        .content.decode()
    )
    assert "<code>access.ROLE_REQUIRED</code>" in page
    assert Organization.objects.get(code="BD.YT.VP").name == "Chi bộ Văn phòng Sở"
