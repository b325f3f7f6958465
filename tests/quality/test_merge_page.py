"""The page /kiem-tra-du-lieu/hop-nhat/: the two files side by side, the check that writes
nothing, the merge, and the scope."""

from dangvu.access.models import AuditEntry, Role
from dangvu.members.models import MemberEvent, Person

from .support import D, admit

REASON = "Trùng họ tên, ngày sinh, quê quán: Nguyễn Văn Đức nhập ở hai chi bộ"


def _url(keep, remove) -> str:
    return f"/kiem-tra-du-lieu/hop-nhat/?giu={keep.pk}&bo={remove.pk}"


def test_the_quality_page_links_each_pair_to_its_merge(tree, twins, make_user, client_for):
    kept, removed = twins
    page = client_for(make_user("duyet", tree["bloc"], Role.APPROVER)).get("/kiem-tra-du-lieu/")
    text = page.content.decode()
    assert "/kiem-tra-du-lieu/hop-nhat/?giu=" in text
    assert f"bo={removed.pk}" in text or f"bo={kept.pk}" in text


def test_the_page_shows_both_files_side_by_side(tree, twins, make_user, client_for):
    kept, removed = twins
    page = client_for(make_user("duyet", tree["bloc"], Role.APPROVER)).get(_url(kept, removed))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hợp nhất hai lý lịch" in text
    assert "Nguyễn Văn Đức" in text and "Nguyen Van Duc" in text
    assert "052080001234" in text  # the removed file's citizen ID
    assert "Chi bộ Sở Tư pháp" in text and "Chi bộ Văn phòng Sở" in text
    assert f"giu={removed.pk}&amp;bo={kept.pk}" in text  # the swap link


def test_the_check_writes_nothing_and_the_merge_merges(tree, twins, make_user, client_for):
    kept, removed = twins
    client = client_for(make_user("duyet", tree["bloc"], Role.APPROVER))
    audit = AuditEntry.objects.count()
    checked = client.post(_url(kept, removed), {"reason": REASON, "step": "check"})
    assert checked.status_code == 200
    assert "Đạt các quy định" in checked.content.decode()
    assert Person.objects.filter(pk=removed.pk).exists()
    assert AuditEntry.objects.count() == audit
    saved = client.post(_url(kept, removed), {"reason": REASON, "step": "save"})
    assert saved.status_code == 302 and saved["Location"] == f"/dang-vien/{kept.pk}/"
    assert not Person.objects.filter(pk=removed.pk).exists()
    kept.refresh_from_db()
    assert kept.citizen_id == "052080001234"
    entry = AuditEntry.objects.get(action="person.merge", object_id=str(kept.pk))
    assert entry.after["reason"] == REASON and entry.actor.username == "duyet"
    file_page = client.get(f"/dang-vien/{kept.pk}/").content.decode()
    assert "Đã hợp nhất hai lý lịch" in file_page


def test_a_contradictory_history_is_shown_and_nothing_written(system, tree, twins, make_user, client_for):  # fmt: skip
    kept, removed = twins
    admit(system, removed, D(2016, 8, 1))  # admitted a second time in the other cell
    events = MemberEvent.objects.count()
    client = client_for(make_user("duyet", tree["bloc"], Role.APPROVER))
    refused = client.post(_url(kept, removed), {"reason": REASON, "step": "save"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "quality.MERGE_HISTORY_CONFLICT" in text and "mâu thuẫn" in text
    assert Person.objects.filter(pk=removed.pk).exists()
    assert MemberEvent.objects.count() == events


def test_a_reason_is_required_and_an_editor_is_refused(tree, twins, make_user, client_for):
    kept, removed = twins
    approver = client_for(make_user("duyet", tree["bloc"], Role.APPROVER))
    blank = approver.post(_url(kept, removed), {"reason": " ", "step": "save"})
    assert blank.status_code == 400
    assert "Cần ghi lý do hợp nhất hai lý lịch." in blank.content.decode()
    editor = client_for(make_user("bientap", tree["bloc"], Role.EDITOR))
    refused = editor.post(_url(kept, removed), {"reason": REASON, "step": "save"})
    assert refused.status_code == 400
    assert "access.ROLE_REQUIRED" in refused.content.decode()
    assert Person.objects.filter(pk=removed.pk).exists()


def test_a_file_outside_the_scope_is_not_found(tree, twins, make_user, client_for):
    kept, removed = twins  # kept in the office cell, removed in the justice cell
    office = client_for(make_user("vp", tree["office"], Role.APPROVER))
    assert office.get(_url(kept, removed)).status_code == 404
    assert office.post(_url(kept, removed), {"reason": REASON}).status_code == 404
    assert office.get("/kiem-tra-du-lieu/hop-nhat/?giu=x&bo=1").status_code == 404
    assert Person.objects.filter(pk=removed.pk).exists()
