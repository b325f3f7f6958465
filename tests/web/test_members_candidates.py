"""The candidates board: each active candidate of the scope in the column of the first step
they lack, with everything they still lack; scoped, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.members.pipeline import candidate_at

pytest_plugins = ["tests.web.test_members_data"]  # the shared fixtures


@pytest.fixture
def pipeline(tree):
    """Candidates of the office cell at each step, and one of the justice cell."""
    office = tree["office"]
    return {
        "registered": candidate_at("registered", office, "Trần Thị Mỹ Duyên"),
        "certified": candidate_at("certified", office, "Lê Hoàng Phúc", sex="male"),
        "sponsored": candidate_at(
            "sponsored", office, "Phạm Ngọc Ánh", sponsors=_sponsors(tree, "a")
        ),
        "voted": candidate_at(
            "voted", office, "Đặng Văn Khoa", sex="male", sponsors=_sponsors(tree, "b")
        ),  # fmt: skip
        "justice": candidate_at("certified", tree["justice"], "Huỳnh Thị Bích Ngọc"),
    }


def _sponsors(tree, tag):
    from dangvu.access.scopes import Scope
    from tests.members.pipeline import full_member

    names = {"a": ("Trần Văn Hùng", "Phạm Thị Thanh Xuân"), "b": ("Võ Văn Tâm", "Lý Thị Hằng")}
    return [full_member(Scope.system(), tree["office"], name) for name in names[tag]]


def columns(page: str) -> dict[str, list[str]]:
    """Each column's title and the names of its cards."""
    found = {}
    for section in re.findall(r'<section class="m-board-column".*?</section>', page, re.S):
        title = re.search(r"<h2[^>]*>\d+\. ([^<]+?) <span", section).group(1)
        found[title] = re.findall(r'<h3><a href="/dang-vien/\d+/">([^<]+)</a>', section)
    return found


def test_the_board_puts_each_candidate_at_their_step(pipeline, office_user, client_for):
    response = client_for(office_user).get("/quan-chung/")
    assert response.status_code == 200
    page = response.content.decode()
    assert columns(page) == {
        "Lớp bồi dưỡng nhận thức về Đảng": ["Trần Thị Mỹ Duyên"],
        "Người giới thiệu": ["Lê Hoàng Phúc"],
        "Thẩm tra lý lịch, đơn xin vào Đảng": ["Phạm Ngọc Ánh"],
        "Chi bộ xét kết nạp": [],
        "Chờ quyết định kết nạp": ["Đặng Văn Khoa"],
    }
    assert "Huỳnh Thị Bích Ngọc" not in page  # another cell
    assert "Chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng" in page
    assert "Thiếu người giới thiệu" in page
    assert "Chưa thẩm tra lý lịch" in page and "Chưa có đơn xin vào Đảng" in page
    assert "chi bộ đã biểu quyết 9/12 ngày 10/05/2024" in page
    voted = pipeline["voted"]
    assert f"/dang-vien/{voted.person_id}/thao-tac/ket-nap/" in page


def test_the_board_of_one_cell_and_scope(pipeline, justice_user, client_for):
    client = client_for(justice_user)
    page = client.get("/quan-chung/").content.decode()
    assert columns(page)["Người giới thiệu"] == ["Huỳnh Thị Bích Ngọc"]
    assert "Đặng Văn Khoa" not in page
    assert client.get("/quan-chung/?to_chuc=BD.YT.VP").status_code == 404
    own = client.get("/quan-chung/?to_chuc=BD.TP").content.decode()
    assert "Huỳnh Thị Bích Ngọc" in own


def test_the_board_takes_a_fixed_number_of_queries(
    pipeline, tree, office_user, bloc_approver, client_for, django_assert_max_num_queries
):
    clients = [client_for(office_user), client_for(bloc_approver)]
    counts = []
    for client in clients:
        with django_assert_max_num_queries(14):
            client.get("/quan-chung/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/quan-chung/")
        counts.append(len(queries))
    for i, (stage, cell) in enumerate(
        (("registered", "office"), ("certified", "inspect"), ("dossier", "justice"))
    ):
        candidate_at(stage, tree[cell], f"Nguyễn Thị Thu Trang {chr(65 + i)}")
    for client, count in zip(clients, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get("/quan-chung/")
        assert len(queries) == count
