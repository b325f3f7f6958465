"""The data-quality API: the report and the duplicate suspects through the actor's scope, and
the merge of two files of the same person."""

from dangvu.access.models import AuditEntry, Role
from dangvu.members.models import MemberEvent, Person

REASON = "Trùng họ tên, ngày sinh: Nguyễn Văn Đức nhập ở hai chi bộ"


def test_the_report_lists_the_problems_and_the_pair(tree, twins, make_user, client_for):
    client = client_for(make_user("ktra", tree["bloc"], Role.VIEWER))
    body = client.get("/api/quality/report").json()
    assert body["members"] == 1  # the full member; the second file was never admitted
    counts = {problem["code"]: problem["count"] for problem in body["problems"]}
    assert counts["quality.DUPLICATE_SUSPECT"] == 2
    assert counts["quality.MISSING_CITIZEN_ID"] == 1  # the kept file has none
    [pair] = body["duplicates"]
    assert {pair["first"]["full_name"], pair["second"]["full_name"]} == {
        "Nguyễn Văn Đức",
        "Nguyen Van Duc",
    }
    assert pair["first"]["birth"] == "03/05/1980"


def test_the_duplicates_are_paginated_and_limited_to_the_subtree(
    tree, twins, make_user, client_for
):
    client = client_for(make_user("ktra", tree["bloc"], Role.VIEWER))
    body = client.get("/api/quality/duplicates?org=BD.TP").json()
    assert body["count"] == 1  # one file of the pair is in the justice cell
    assert body["items"][0]["kind"]
    assert client.get("/api/quality/duplicates?org=BD.YT.TTR").json()["count"] == 0


def test_merge_through_the_api(tree, twins, make_user, client_for):
    kept, removed = twins
    events = set(MemberEvent.objects.filter(person=kept).values_list("pk", flat=True))
    client = client_for(make_user("duyet", tree["bloc"], Role.APPROVER))
    response = client.post(
        f"/api/people/{kept.pk}/merge",
        {"duplicate": removed.pk, "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == kept.pk and body["citizen_id"] == "052080001234"
    assert not Person.objects.filter(pk=removed.pk).exists()
    assert set(MemberEvent.objects.filter(person=kept).values_list("pk", flat=True)) == events
    entry = AuditEntry.objects.get(action="person.merge", object_id=str(kept.pk))
    assert entry.actor.username == "duyet" and entry.after["reason"] == REASON


def test_merge_errors_are_in_vietnamese_and_write_nothing(tree, twins, make_user, client_for):
    kept, removed = twins
    audit = AuditEntry.objects.count()
    approver = client_for(make_user("duyet", tree["bloc"], Role.APPROVER))
    url = f"/api/people/{kept.pk}/merge"
    blank = approver.post(url, {"duplicate": removed.pk, "reason": "  "}, "application/json")
    assert blank.status_code == 400
    assert blank.json()["code"] == "quality.MERGE_REASON_REQUIRED"
    assert "lý do" in blank.json()["message"]
    itself = approver.post(url, {"duplicate": kept.pk, "reason": REASON}, "application/json")
    assert itself.json()["code"] == "quality.MERGE_SAME_PERSON"
    editor = client_for(make_user("bientap", tree["bloc"], Role.EDITOR))
    refused = editor.post(url, {"duplicate": removed.pk, "reason": REASON}, "application/json")
    assert refused.status_code == 403
    assert Person.objects.filter(pk=removed.pk).exists()
    assert AuditEntry.objects.count() == audit
