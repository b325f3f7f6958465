"""Official transfer between two cells in different scopes: the sender sees the member leave,
the receiver accepts them, nobody else sees them; the audit log shows both sides."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.errors import DomainError, NotFound
from dangvu.members import lifecycle, selectors, worklists
from dangvu.members.models import MemberStatus
from tests.conftest import decision

from .people import add_person

D = dt.date


@pytest.fixture
def actors(tree, make_user, scope_of):
    return {
        "sender": scope_of(make_user("vanphong", tree["office"], Role.EDITOR)),
        "receiver": scope_of(make_user("tuphap", tree["justice"], Role.EDITOR)),
        "other": scope_of(make_user("thanhtra", tree["inspect"], Role.EDITOR)),
    }


@pytest.fixture
def hung(system, tree):
    person = add_person(system, tree["office"], "Đặng Văn Hùng", birth_year=1988)
    lifecycle.member_admit(
        scope=system, person=person, ceremony_date=D(2019, 5, 19), decision=decision(D(2019, 5, 10))
    )
    lifecycle.member_recognize(scope=system, person=person, decision=decision(D(2020, 6, 1)))
    return person


MOVED = D(2024, 3, 1)


def transfer_out(scope, person, to, day=MOVED):
    return lifecycle.member_transfer_out(
        scope=scope, person=person, to=to, effective_date=day, decision=decision(day)
    )


def ids(queryset):
    return [p.pk for p in queryset]


def test_a_transfer_across_scopes_end_to_end(tree, hung, actors):
    transfer_out(actors["sender"], hung, tree["justice"])

    # on the way: the sender still sees the file, the receiver sees it waiting, nobody else
    assert selectors.person_get(scope=actors["sender"], pk=hung.pk).transfer_to == tree["justice"]
    assert ids(selectors.transfers_incoming(scope=actors["receiver"])) == [hung.pk]
    assert selectors.person_get(scope=actors["receiver"], pk=hung.pk) == hung
    assert ids(selectors.transfers_incoming(scope=actors["other"])) == []
    with pytest.raises(NotFound):
        selectors.person_get(scope=actors["other"], pk=hung.pk)

    lifecycle.member_transfer_in(
        scope=actors["receiver"], person=hung, effective_date=D(2024, 3, 20)
    )
    hung.refresh_from_db()
    assert (hung.organization, hung.transfer_to, hung.status) == (
        tree["justice"],
        None,
        MemberStatus.FULL,
    )
    assert ids(selectors.person_list(scope=actors["receiver"])) == [hung.pk]
    with pytest.raises(NotFound):
        selectors.person_get(scope=actors["sender"], pk=hung.pk)

    trail = AuditEntry.objects.filter(object_id=str(hung.pk), action__startswith="member.transfer")
    assert [(e.action, e.actor.username) for e in trail.order_by("at", "id")] == [
        ("member.transfer_out", "vanphong"),
        ("member.transfer_in", "tuphap"),
    ]


def test_only_the_receiving_cell_can_accept(tree, hung, actors):
    transfer_out(actors["sender"], hung, tree["justice"])
    with pytest.raises(DomainError) as info:
        lifecycle.member_transfer_in(
            scope=actors["sender"], person=hung, effective_date=D(2024, 3, 20)
        )
    assert info.value.code == "core.NOT_FOUND"


def test_a_second_transfer_while_one_is_pending_is_refused(tree, hung, actors):
    transfer_out(actors["sender"], hung, tree["justice"])
    with pytest.raises(DomainError) as info:
        transfer_out(actors["sender"], hung, tree["inspect"], D(2024, 3, 5))
    assert info.value.code == "members.TRANSFER_PENDING"


def test_a_transfer_can_only_go_to_a_cell(tree, hung, actors):
    with pytest.raises(DomainError) as info:
        transfer_out(actors["sender"], hung, tree["health"])
    assert info.value.code == "members.NOT_A_CELL"


def test_receiving_before_leaving_is_refused(system, tree, hung, actors):
    transfer_out(actors["sender"], hung, tree["justice"])
    with pytest.raises(DomainError) as info:
        lifecycle.member_transfer_in(
            scope=actors["receiver"], person=hung, effective_date=D(2024, 2, 1)
        )
    assert info.value.code == "members.NO_TRANSFER_PENDING"


def test_transfers_not_received_within_thirty_working_days_are_flagged(tree, hung, actors):
    transfer_out(actors["sender"], hung, tree["justice"], D(2024, 3, 1))
    # 30 working days after Friday 01/03/2024 is Friday 12/04/2024
    assert (
        ids(worklists.transfers_past_deadline(scope=actors["sender"], today=D(2024, 4, 12))) == []
    )
    assert ids(worklists.transfers_past_deadline(scope=actors["sender"], today=D(2024, 4, 15))) == [
        hung.pk
    ]
    assert ids(
        worklists.transfers_past_deadline(scope=actors["receiver"], today=D(2024, 4, 15))
    ) == [hung.pk]
    assert ids(worklists.transfers_past_deadline(scope=actors["other"], today=D(2024, 4, 15))) == []


def test_the_transfer_through_the_api(tree, hung, make_user, client_for):
    sender = client_for(make_user("vp", tree["office"], Role.EDITOR))
    receiver = client_for(make_user("tp", tree["justice"], Role.EDITOR))
    other = client_for(make_user("ttr", tree["inspect"], Role.EDITOR))
    body = {"to": "BD.TP", "effective_date": "2024-03-01"}
    sent = sender.post(f"/api/people/{hung.pk}/transfer-out", body, content_type="application/json")
    assert sent.status_code == 201, sent.content
    assert (sent.json()["organization"], sent.json()["transfer_to"]) == ("BD.YT.VP", "BD.TP")
    assert [p["id"] for p in receiver.get("/api/transfers/incoming").json()["items"]] == [hung.pk]
    assert other.get("/api/transfers/incoming").json()["items"] == []
    assert other.get(f"/api/people/{hung.pk}").status_code == 404
    accepted = receiver.post(
        f"/api/people/{hung.pk}/transfer-in",
        {"effective_date": "2024-03-20"},
        content_type="application/json",
    )
    assert accepted.status_code == 201, accepted.content
    assert (accepted.json()["organization"], accepted.json()["transfer_to"]) == ("BD.TP", None)
    assert sender.get(f"/api/people/{hung.pk}").status_code == 404
