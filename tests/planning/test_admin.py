"""The targets' back-office screen: scoped, read-only."""

from dangvu.access.models import Role
from dangvu.planning.services import target_set


def test_staff_sees_only_the_targets_of_their_subtree_and_cannot_edit(
    tree, system, make_user, client_for
):
    for organization in (tree["office"], tree["justice"]):
        target_set(
            scope=system, organization=organization, year=2024, indicator="admissions", value=3
        )
    staff = client_for(make_user("canbo", tree["health"], Role.EDITOR, is_staff=True))
    html = staff.get("/admin/planning/target/").content.decode()
    assert "Chi bộ Văn phòng Sở" in html
    assert "Chi bộ Sở Tư pháp" not in html
    assert staff.get("/admin/planning/target/add/").status_code == 403
