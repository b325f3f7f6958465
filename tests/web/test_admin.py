"""The back office: Vietnamese, scoped like everything else, history read-only."""

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.organizations.models import OrganizationEvent


@pytest.fixture
def staff(tree, make_user, client_for):
    return client_for(make_user("canbo", tree["health"], Role.EDITOR, is_staff=True))


@pytest.fixture
def root(tree, make_user, client_for):
    return client_for(make_user("root", is_staff=True, is_superuser=True))


def test_admin_login_page_is_in_vietnamese(db, client_for):
    response = client_for().get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert "dangvu – Quản trị" in html


def test_staff_sees_only_the_organisations_of_their_subtree(staff):
    response = staff.get("/admin/organizations/organization/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("BD.YT", "BD.YT.VP", "BD.YT.TTR"):
        assert f">{code}<" in html
    for code in ("BD.TP", "BD.DUK", "BD"):
        assert f">{code}<" not in html
    assert "3 tổ chức đảng" in html


def test_staff_sees_only_the_events_of_their_subtree(staff, tree):
    html = staff.get("/admin/organizations/organizationevent/").content.decode()
    assert "Chi bộ Văn phòng Sở" in html
    assert "Chi bộ Sở Tư pháp" not in html


def test_staff_cannot_open_an_organisation_outside_their_subtree(staff, tree):
    response = staff.get(
        f"/admin/organizations/organization/{tree['justice'].pk}/change/", follow=True
    )
    html = response.content.decode()
    assert "Chi bộ Sở Tư pháp" not in html
    inside = staff.get(f"/admin/organizations/organization/{tree['office'].pk}/change/")
    assert inside.status_code == 200
    assert "Chi bộ Văn phòng Sở" in inside.content.decode()


def test_superuser_sees_every_organisation(root, tree):
    html = root.get("/admin/organizations/organization/").content.decode()
    for organization in tree.values():
        assert f">{organization.code}<" in html


def test_history_is_read_only(root, staff, tree):
    event = OrganizationEvent.objects.filter(organization=tree["office"]).get()
    base = "/admin/organizations/organizationevent"
    for client in (root, staff):
        assert client.get(f"{base}/add/").status_code == 403
        change = client.get(f"{base}/{event.pk}/change/")
        assert change.status_code == 200
        assert 'name="_save"' not in change.content.decode()
        assert client.post(f"{base}/{event.pk}/change/", {"note": "sửa"}).status_code == 403
        assert client.post(f"{base}/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.note == ""


def test_organisation_rows_cannot_be_edited_or_deleted_in_the_admin(root, tree):
    url = f"/admin/organizations/organization/{tree['office'].pk}"
    assert 'name="_save"' not in root.get(f"{url}/change/").content.decode()
    assert root.post(f"{url}/change/", {"name": "Tên khác"}).status_code == 403
    assert root.post(f"{url}/delete/", {"post": "yes"}).status_code == 403
    tree["office"].refresh_from_db()
    assert tree["office"].name == "Chi bộ Văn phòng Sở"


def test_audit_log_is_read_only_even_for_superusers(root):
    entry = AuditEntry.objects.first()
    base = "/admin/access/auditentry"
    assert root.get(f"{base}/").status_code == 200
    assert root.get(f"{base}/add/").status_code == 403
    assert root.post(f"{base}/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert root.post(f"{base}/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, action=entry.action).exists()


def test_audit_log_and_grants_are_hidden_from_staff(staff):
    assert staff.get("/admin/access/auditentry/").status_code == 403
    assert staff.get("/admin/access/grant/").status_code == 403
    index = staff.get("/admin/").content.decode()
    assert "nhật ký thay đổi" not in index.lower()


def test_decisions_cannot_be_added_or_edited_in_the_admin(root):
    from dangvu.core.models import Decision

    decision = Decision.objects.first()
    assert root.get("/admin/core/decision/add/").status_code == 403
    response = root.post(
        f"/admin/core/decision/{decision.pk}/change/",
        {"symbol": "99-QĐ/TU", "date": "2010-01-01", "issuing_body": "Khác", "summary": ""},
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.symbol == "01-QĐ/TU"
