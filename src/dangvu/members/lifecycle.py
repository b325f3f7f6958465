"""Lifecycle services: each records one dated, decision-backed event in one transaction.

The event is written, the person's whole history replayed (members.history) with the rules
of each date, the projection on Person rewritten and the audit row added, or nothing is.
"""

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db import transaction

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core.decisions import DecisionInput, decision_record
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from . import rules
from .events import MemberEventKind as E
from .history import MemberState, replay
from .models import MemberEvent, Person
from .parameters import load_parameters
from .services import CELL_TYPES

PROJECTION = (
    "status",
    "organization_id",
    "admission_decision_date",
    "ceremony_date",
    "full_member_date",
    "exempt",
    "left_on",
    "transfer_to_id",
    "transfer_left_on",
)


def _birth(person: Person) -> rules.PartialDate:
    return rules.PartialDate(person.birth_year, person.birth_month, person.birth_day)


def _project(person: Person, state: MemberState) -> None:
    for field in PROJECTION:
        value = getattr(state, field)
        if field == "organization_id" and value is None:
            continue  # a candidate keeps the cell where they registered
        setattr(person, field, value)
    person.save(update_fields=[*PROJECTION, "updated_at"])


def person_state(person: Person, *, new_event_id: int | None = None) -> MemberState:
    """The state replayed from the stored events (what the cached columns must equal)."""
    cache = lru_cache(maxsize=None)(load_parameters)
    return replay(
        person.events.all(), birth=_birth(person), parameters=cache, new_event_id=new_event_id
    )


def _record(
    *,
    scope: Scope,
    person: Person,
    kind: str,
    effective_date: dt.date,
    decision: DecisionInput | None,
    details: dict[str, Any] | None = None,
    organization=None,
    override_reason: str = "",
) -> MemberEvent:
    person = Person.objects.select_for_update().get(pk=person.pk)
    organization = organization or person.organization
    scope.require(organization, at=effective_date, role=Role.EDITOR)
    if override_reason.strip():
        scope.require(organization, at=effective_date, role=Role.APPROVER)
    decision_obj = decision_record(decision) if decision is not None else None
    details = dict(details or {})
    if decision_obj is not None:
        details.setdefault("decision_date", decision_obj.date.isoformat())
    before = {field: getattr(person, field) for field in PROJECTION}
    event = MemberEvent.objects.create(
        person=person,
        kind=kind,
        effective_date=effective_date,
        organization=organization,
        decision=decision_obj,
        details=details,
        override_reason=override_reason.strip(),
        recorded_by=scope.user if scope.user_id else None,
    )
    _project(person, person_state(person, new_event_id=event.pk))
    audit_record(
        actor=scope.user,
        action=f"member.{kind}",
        obj=person,
        before=before,
        after={
            **{field: getattr(person, field) for field in PROJECTION},
            "event_id": event.pk,
            "effective_date": effective_date,
            "decision": str(decision_obj) if decision_obj else None,
            "override_reason": event.override_reason or None,
        },
    )
    return event


@transaction.atomic
def member_admit(
    *,
    scope: Scope,
    person: Person,
    ceremony_date: dt.date,
    decision: DecisionInput,
    vote_date: dt.date | None = None,
    override_reason: str = "",
) -> MemberEvent:
    """Kết nạp: probation runs from the ceremony; the decision's date is kept for party age."""
    details = {"vote_date": vote_date.isoformat()} if vote_date else {}
    return _record(
        scope=scope,
        person=person,
        kind=E.ADMISSION,
        effective_date=ceremony_date,
        decision=decision,
        details=details,
        override_reason=override_reason,
    )


@transaction.atomic
def member_recognize(*, scope: Scope, person: Person, decision: DecisionInput) -> MemberEvent:
    """Công nhận đảng viên chính thức: in force from the end of the 12 months of probation,
    whatever the date of the decision (Điều lệ Đảng, Điều 5)."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    scope.require(locked.organization, role=Role.EDITOR)
    if locked.ceremony_date is None:
        raise DomainError(
            "members.EVENT_NOT_ALLOWED", f"{locked.full_name} chưa được kết nạp vào Đảng."
        )
    end = rules.probation_end(locked.ceremony_date, load_parameters(locked.ceremony_date))
    return _record(
        scope=scope, person=locked, kind=E.RECOGNITION, effective_date=end, decision=decision
    )


def _simple(kind: str, doc: str):
    @transaction.atomic
    def service(
        *,
        scope: Scope,
        person: Person,
        effective_date: dt.date,
        decision: DecisionInput | None,
        details: dict[str, Any] | None = None,
        override_reason: str = "",
    ) -> MemberEvent:
        return _record(
            scope=scope,
            person=person,
            kind=kind,
            effective_date=effective_date,
            decision=decision,
            details=details,
            override_reason=override_reason,
        )

    service.__doc__ = doc
    return service


member_refuse_recognition = _simple(
    E.RECOGNITION_REFUSED, "Không công nhận chính thức: xóa tên khỏi danh sách đảng viên dự bị."
)
member_strike_off = _simple(E.STRUCK_OFF, "Xóa tên (not a discipline).")
member_expel = _simple(E.EXPULSION, "Khai trừ: the heaviest discipline of a full member.")
member_withdraw = _simple(E.WITHDRAWAL, "Cho ra khỏi Đảng on the member's written request.")
member_death = _simple(E.DEATH, "Từ trần.")
member_exempt = _simple(E.EXEMPTION, "Miễn công tác và sinh hoạt đảng (27-HD/BTCTW).")
member_exemption_end = _simple(E.EXEMPTION_END, "Trở lại công tác và sinh hoạt đảng.")
member_discipline = _simple(E.DISCIPLINE, "Kỷ luật; details: {'form': DisciplineForm}.")
member_badge_propose = _simple(
    E.BADGE_PROPOSAL, "Đề nghị tặng Huy hiệu Đảng; details: {'milestone': 30, 'seriously_ill'?}."
)
member_badge_award = _simple(
    E.BADGE_AWARD, "Tặng Huy hiệu Đảng; details: {'milestone': 30, 'seriously_ill'?}."
)
member_readmit = _simple(
    E.READMISSION, "Kết nạp lại; effective date = ceremony; details may hold the exit reason."
)


@transaction.atomic
def member_transfer_out(
    *,
    scope: Scope,
    person: Person,
    to: Organization,
    effective_date: dt.date,
    decision: DecisionInput | None = None,
    note: str = "",
) -> MemberEvent:
    """Chuyển sinh hoạt đảng chính thức đi: the member leaves the cell on `effective_date` and
    is on the way to `to` until that cell receives them (the gap does not count in party age).
    The sending cell need not see the receiving one: it names it by its code."""
    destination = Scope.system().require(to, at=effective_date)
    if destination.type not in CELL_TYPES:
        raise DomainError(
            "members.NOT_A_CELL", f"«{destination.name}» không phải chi bộ để tiếp nhận đảng viên."
        )
    return _record(
        scope=scope,
        person=person,
        kind=E.TRANSFER_OUT,
        effective_date=effective_date,
        decision=decision,
        details={"to": to.pk, "to_name": destination.name, "note": note.strip()},
    )


@transaction.atomic
def member_transfer_in(
    *,
    scope: Scope,
    person: Person,
    effective_date: dt.date,
    decision: DecisionInput | None = None,
) -> MemberEvent:
    """Tiếp nhận sinh hoạt đảng: the receiving cell (the actor's scope) takes the member in."""
    locked = (
        Person.objects.select_for_update(of=("self",))
        .select_related("transfer_to")
        .get(pk=person.pk)
    )
    if locked.transfer_to is None:
        raise DomainError(
            "members.NO_TRANSFER_PENDING",
            f"{locked.full_name} không có giấy chuyển sinh hoạt đảng đang chờ tiếp nhận.",
        )
    return _record(
        scope=scope,
        person=locked,
        kind=E.TRANSFER_IN,
        effective_date=effective_date,
        decision=decision,
        organization=locked.transfer_to,
    )
