"""The audit view: administrators read the history of an object and what a user wrote."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.access.scopes import scope_for
from dangvu.organizations import services
from tests.conftest import decision


@pytest.fixture
def renamed(tree, make_user):
    editor = make_user("bientap", tree["health"], Role.EDITOR)
    services.organization_rename(
        scope=scope_for(editor),
        organization=tree["office"],
        name="Chi bộ Văn phòng Sở Y tế",
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2020, 1, 1)),
    )
    return tree


def test_the_history_of_an_organisation(renamed, make_user, client_for):
    client = client_for(make_user("qt", renamed["health"], Role.ADMINISTRATOR))
    page = client.get(
        f"/nhat-ky/?loai=organizations.organization&ma={renamed['office'].pk}"
    ).content.decode()
    assert "<code>organization.rename</code>" in page
    assert '<a href="?nguoi-dung=bientap">bientap</a>' in page
    assert "Chi bộ Văn phòng Sở Y tế" in page


def test_what_a_user_wrote(renamed, make_user, client_for):
    client = client_for(make_user("qt", renamed["health"], Role.ADMINISTRATOR))
    page = client.get("/nhat-ky/?nguoi-dung=bientap").content.decode()
    assert "1 thay đổi" in page and "<code>organization.rename</code>" in page
    unknown = client.get("/nhat-ky/?nguoi-dung=khongco").content.decode()
    assert "Người dùng không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn." in unknown


def test_outside_the_administrators_scope_is_not_found(renamed, make_user, client_for):
    client = client_for(make_user("qt", renamed["justice"], Role.ADMINISTRATOR))
    page = client.get(
        f"/nhat-ky/?loai=organizations.organization&ma={renamed['office'].pk}"
    ).content.decode()
    assert "<code>core.NOT_FOUND</code>" in page and "organization.rename" not in page
    assert (
        "<code>core.NOT_FOUND</code>" in client.get("/nhat-ky/?nguoi-dung=bientap").content.decode()
    )


def test_only_administrators(renamed, make_user, client_for):
    client = client_for(make_user("xem", renamed["health"], Role.EDITOR))
    response = client.get("/nhat-ky/?nguoi-dung=bientap")
    assert response.status_code == 403
    assert "Chỉ quản trị viên được xem nhật ký thay đổi." in response.content.decode()


def test_the_superuser_sees_any_object(renamed, make_user, client_for):
    client = client_for(make_user("root", is_superuser=True, is_staff=True))
    page = client.get("/nhat-ky/?nguoi-dung=bientap").content.decode()
    assert "organization.rename" in page
    assert ">Nhật ký</a>" in page and ">Quản trị</a>" in page
