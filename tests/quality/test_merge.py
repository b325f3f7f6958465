"""Merging two files of the same person: every event kept, the history replayed, the audit of
both, refused whole when the combined history contradicts itself."""

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.errors import DomainError, Forbidden, NotFound
from dangvu.members.models import (
    Candidate,
    MemberEvent,
    MembershipPeriod,
    MemberStatus,
    Person,
    PersonPhoto,
    Sponsor,
)
from dangvu.quality import services
from dangvu.quality.models import PersonKey
from tests.members.people import add_person

from .support import PNG, D, admit, member

REASON = "Cùng một người: trùng họ tên, ngày sinh, quê quán (Nguyễn Văn Đức, Tuy Phước)"


def test_every_relation_to_person_is_known_to_the_merge():
    relations = {
        f"{r.related_model._meta.label}.{r.field.name}" for r in services.person_relations()
    }
    assert relations == {
        "members.PersonPhoto.person",
        "members.MemberEvent.person",
        "members.MembershipPeriod.person",
        "members.Candidate.person",
        "members.Sponsor.person",
        "quality.PersonKey.person",
    }


def test_merging_moves_every_event_and_fills_the_blanks(system, tree, twins):
    kept, removed = twins
    services.person_keys_refresh()
    member_ids = set(kept.events.values_list("pk", flat=True))
    # the removed file holds a later event of the same member: his card
    extra = MemberEvent.objects.create(
        person=removed, kind="card_issue", effective_date=D(2017, 1, 5),
        organization=tree["justice"], details={"card_number": "52012345"},
    )  # fmt: skip
    merged = services.person_merge(scope=system, keep=kept, remove=removed, reason=REASON)
    assert not Person.objects.filter(pk=removed.pk).exists()
    assert set(merged.events.values_list("pk", flat=True)) == member_ids | {extra.pk}
    assert merged.status == MemberStatus.FULL
    assert merged.card_number == "52012345"  # replayed from the card event
    assert merged.citizen_id == "052080001234" and merged.phone == "0905123456"
    assert PersonPhoto.objects.get(person=merged).content == PNG
    assert MembershipPeriod.objects.filter(person=merged).count() == 2
    assert not PersonKey.objects.filter(person_id=removed.pk).exists()
    assert "nguyen" in merged.search_text and "052080001234" in merged.search_text


def test_both_files_have_an_audit_entry_and_the_removed_identity_is_kept(system, twins):
    kept, removed = twins
    removed_id = removed.pk
    services.person_merge(scope=system, keep=kept, remove=removed, reason=REASON)
    gone = AuditEntry.objects.get(action="person.merge_removed", object_id=str(removed_id))
    assert gone.before["full_name"] == "Nguyen Van Duc"
    assert gone.before["citizen_id"] == "052080001234"
    assert gone.after["merged_into"] == kept.pk and gone.after["reason"] == REASON
    entry = AuditEntry.objects.get(action="person.merge", object_id=str(kept.pk))
    assert entry.after["removed"]["citizen_id"] == "052080001234"
    assert entry.after["removed"]["id"] == removed_id
    assert "citizen_id" in entry.after["filled"]


def test_a_contradictory_history_is_refused_and_nothing_is_written(system, tree, twins):
    kept, removed = twins
    admit(system, removed, D(2016, 8, 1))  # admitted a second time in the other cell
    before = (
        MemberEvent.objects.filter(person=kept).count(),
        MemberEvent.objects.filter(person=removed).count(),
        AuditEntry.objects.count(),
        PersonPhoto.objects.filter(person=removed).count(),
    )
    with pytest.raises(DomainError) as refused:
        services.person_merge(scope=system, keep=kept, remove=removed, reason=REASON)
    assert refused.value.code == "quality.MERGE_HISTORY_CONFLICT"
    assert "mâu thuẫn" in refused.value.message
    assert refused.value.details["cause"]
    assert Person.objects.filter(pk=removed.pk).exists()
    after = (
        MemberEvent.objects.filter(person=kept).count(),
        MemberEvent.objects.filter(person=removed).count(),
        AuditEntry.objects.count(),
        PersonPhoto.objects.filter(person=removed).count(),
    )
    assert after == before
    kept.refresh_from_db()
    assert kept.status == MemberStatus.FULL and kept.citizen_id is None


def test_a_candidacy_and_a_sponsorship_follow_the_kept_file(system, tree):
    sponsor = member(system, tree["office"], "Trần Văn Bình", D(2010, 1, 5), birth_year=1975)
    copy = add_person(system, tree["office"], "Tran Van Binh", birth_year=1975)
    candidate_person = add_person(
        system, tree["office"], "Lê Thị Hoa", birth_year=2000, sex="female"
    )
    candidacy = Candidate.objects.create(
        person=copy, organization=tree["office"], registered_on=D(2025, 1, 1)
    )
    other = Candidate.objects.create(
        person=candidate_person, organization=tree["office"], registered_on=D(2025, 1, 1)
    )
    Sponsor.objects.create(
        candidate=other, person=copy, worked_with_since=D(2020, 1, 1), sponsored_on=D(2025, 2, 1)
    )
    services.person_merge(scope=system, keep=sponsor, remove=copy, reason="Nhập trùng")  # fmt: skip
    candidacy.refresh_from_db()
    assert candidacy.person_id == sponsor.pk
    assert Sponsor.objects.get(candidate=other).person_id == sponsor.pk


def test_merging_needs_the_approver_role_over_both_files(system, tree, twins, make_user, scope_of):
    kept, removed = twins
    office = scope_of(make_user("vp", tree["office"], Role.APPROVER))
    with pytest.raises(NotFound):  # the justice cell's file is outside the scope
        services.person_merge(scope=office, keep=kept, remove=removed, reason=REASON)
    editor = scope_of(make_user("khoi", tree["bloc"], Role.EDITOR))
    with pytest.raises(Forbidden):
        services.person_merge(scope=editor, keep=kept, remove=removed, reason=REASON)
    approver = scope_of(make_user("duyet", tree["bloc"], Role.APPROVER))
    services.person_merge(scope=approver, keep=kept, remove=removed, reason=REASON)
    assert AuditEntry.objects.get(action="person.merge").actor.username == "duyet"


def test_a_reason_and_two_different_files_are_required(system, twins):
    kept, removed = twins
    with pytest.raises(DomainError) as blank:
        services.person_merge(scope=system, keep=kept, remove=removed, reason="  ")
    assert blank.value.code == "quality.MERGE_REASON_REQUIRED"
    with pytest.raises(DomainError) as same:
        services.person_merge(scope=system, keep=kept, remove=kept, reason=REASON)
    assert same.value.code == "quality.MERGE_SAME_PERSON"
