"""The page /kiem-tra-du-lieu/: the same report as `dangvu check`, through the user's scope."""

from dangvu.access.models import Role
from tests.members.people import add_person

BORN = {"birth_year": 1980, "birth_month": 5, "birth_day": 3, "hometown": "Tuy Phước, Bình Định"}


def test_the_page_lists_problems_and_duplicates_in_the_scope(system, tree, make_user, client_for):
    add_person(system, tree["office"], "Nguyễn Văn Đức", **BORN)
    add_person(system, tree["office"], "NGUYEN VAN DUC", **BORN)
    add_person(system, tree["justice"], "Lê Thị Hoa", sex="female", **BORN)
    client = client_for(make_user("vp", tree["office"], Role.VIEWER))
    page = client.get("/kiem-tra-du-lieu/").content.decode()
    assert "Kiểm tra chất lượng dữ liệu" in page
    assert "Nghi trùng lý lịch" in page and "Nguyen Van Duc" in page
    assert "Lê Thị Hoa" not in page
    outside = client.get("/kiem-tra-du-lieu/?to-chuc=BD.TP")
    assert outside.status_code == 404


def test_the_page_needs_a_login(client_for, db):
    assert client_for().get("/kiem-tra-du-lieu/").status_code == 302
