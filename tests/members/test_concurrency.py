"""Two approvers recognising the same member at the same moment: exactly one event lands.

Each approver works in their own thread, with their own database connection and transaction;
a barrier releases both at once. The person row is locked (SELECT … FOR UPDATE on
PostgreSQL; SQLite takes the write lock when the transaction begins, IMMEDIATE), so the second
recognition replays the history after the first committed and is refused by the rules.
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from dangvu.access.models import AuditEntry, Role
from dangvu.access.scopes import scope_for
from dangvu.core.errors import DomainError
from dangvu.members import lifecycle
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent, MemberStatus
from tests.conftest import decision

from .people import add_person

D = dt.date
APPROVERS = 2


def race(work, n: int) -> list:
    """Run work(i) in n threads released together; each result or the error raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_approvers_recognising_at_once_yield_one_event(tree, system, make_user):
    hanh = add_person(system, tree["office"], "Trịnh Thị Hạnh", birth_year=1992, sex="female")
    lifecycle.member_admit(
        scope=system, person=hanh, ceremony_date=D(2023, 4, 10), decision=decision(D(2023, 4, 1))
    )
    scopes = [
        scope_for(make_user(f"pheduyet{i}", tree["health"], Role.APPROVER))
        for i in range(APPROVERS)
    ]

    def recognise(i: int):
        return lifecycle.member_recognize(
            scope=scopes[i], person=hanh, decision=decision(D(2024, 4, 20), f"{30 + i}-QĐ/ĐU")
        )

    results = race(recognise, APPROVERS)

    recorded = [r for r in results if isinstance(r, MemberEvent)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(recorded), len(refused)) == (1, APPROVERS - 1), results
    assert refused[0].code == "members.EVENT_NOT_ALLOWED"
    assert MemberEvent.objects.filter(person=hanh, kind=E.RECOGNITION).count() == 1
    assert AuditEntry.objects.filter(action="member.recognition").count() == 1
    hanh.refresh_from_db()
    assert (hanh.status, hanh.full_member_date) == (MemberStatus.FULL, D(2024, 4, 10))
