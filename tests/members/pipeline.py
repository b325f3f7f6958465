"""What the candidates tests share: full members to sponsor, and candidates at each step of
the pipeline, on the dates below."""

import datetime as dt

from dangvu.access.scopes import Scope
from dangvu.members import candidates, lifecycle
from dangvu.members.rules import add_months
from tests.conftest import decision

from .people import add_person

D = dt.date
REGISTERED = D(2023, 9, 1)
CERTIFIED = D(2023, 10, 15)
WORKED_SINCE = D(2022, 1, 1)  # the sponsors and the candidate, in the same office
SPONSORED = D(2024, 3, 1)
APPLIED = D(2024, 3, 10)
CHECKED = D(2024, 4, 20)
VOTED = D(2024, 5, 10)
DECIDED = D(2024, 5, 20)
CEREMONY = D(2024, 6, 1)

STAGES = ("registered", "certified", "sponsored", "dossier", "voted")


MEMBER_SINCE = D(2015, 3, 1)  # the sponsors' admission ceremony


def full_member(scope, cell, name: str, *, ceremony: dt.date = MEMBER_SINCE, **extra):
    """A person admitted on `ceremony` and recognised at the end of probation."""
    person = add_person(scope, cell, name, **{"birth_year": 1980, **extra})
    lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=ceremony,
        decision=decision(ceremony - dt.timedelta(days=14), "05-QĐ/ĐU", "Đảng ủy Khối"),
    )
    lifecycle.member_recognize(
        scope=scope,
        person=person,
        decision=decision(add_months(ceremony, 12) + dt.timedelta(days=7), "15-QĐ/ĐU", "Đảng ủy"),
    )
    person.refresh_from_db()
    return person


def two_sponsors(scope, cell):
    return [
        full_member(scope, cell, "Trần Văn Hùng"),
        full_member(scope, cell, "Phạm Thị Thanh Xuân", sex="female"),
    ]


def candidate_at(
    stage: str,
    cell,
    name: str = "Võ Thị Thu Hà",
    *,
    scope: Scope | None = None,
    sponsors=None,
    votes: tuple[int, int] = (9, 12),
    **person,
):
    """A candidate in `cell` who went through the pipeline up to `stage` (STAGES): registered,
    certified (the awareness course), sponsored (two full members), dossier (background
    check and application too), voted (9 of 12 full members in favour by default)."""
    scope = scope or Scope.system()
    values = {"birth_year": 1996, "sex": "female", **person}
    someone = add_person(scope, cell, name, **values)
    candidate = candidates.candidate_register(scope=scope, person=someone, registered_on=REGISTERED)
    if stage == "registered":
        return candidate
    candidates.candidate_record_certificate(
        scope=scope,
        candidate=candidate,
        number="125/GCN-TTCT",
        issued_on=CERTIFIED,
        issuing_body="Trung tâm Chính trị thành phố Quy Nhơn",
    )
    if stage == "certified":
        return candidate
    for sponsor in sponsors if sponsors is not None else two_sponsors(scope, cell):
        candidates.candidate_add_sponsor(
            scope=scope,
            candidate=candidate,
            sponsored_on=SPONSORED,
            sponsor=sponsor,
            worked_with_since=WORKED_SINCE,
        )
    if stage == "sponsored":
        return candidate
    candidates.candidate_record_application(scope=scope, candidate=candidate, applied_on=APPLIED)
    candidates.candidate_record_background_check(
        scope=scope, candidate=candidate, checked_on=CHECKED, result="passed"
    )
    if stage == "dossier":
        return candidate
    assert stage == "voted", stage
    in_favour, full = votes
    return candidates.candidate_record_vote(
        scope=scope,
        candidate=candidate,
        vote_date=VOTED,
        votes_in_favour=in_favour,
        full_members=full,
    )
