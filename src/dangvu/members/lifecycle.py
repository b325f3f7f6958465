"""Lifecycle services: each records one dated, decision-backed event in one transaction.

The event is written, the person's whole history replayed (members.history) with the rules
of each date, the projection on Person rewritten and the audit row added, or nothing is.
"""

import dataclasses
import datetime as dt
from functools import lru_cache
from typing import Any

from django.db import transaction

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core.decisions import DecisionInput, decision_record
from dangvu.core.errors import Conflict, DomainError
from dangvu.organizations.models import Organization

from . import rules
from .events import MemberEventKind as E
from .history import MemberState, replay
from .models import MemberEvent, MembershipPeriod, Person
from .parameters import load_parameters
from .services import CELL_TYPES, search_text, unique_numbers

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
    "temporary_at_id",
    "temporary_until",
    "party_age_from",
)


def _birth(person: Person) -> rules.PartialDate:
    return rules.PartialDate(person.birth_year, person.birth_month, person.birth_day)


def _project(person: Person, state: MemberState) -> None:
    for field in PROJECTION:
        value = getattr(state, field)
        if field == "organization_id" and value is None:
            continue  # a candidate keeps the cell where they registered
        setattr(person, field, value)
    fields = [*PROJECTION, "updated_at"]
    if state.card_number is not None and state.card_number != person.card_number:
        # the card events own the number once there is one; the search finds it too
        if Person.objects.filter(card_number=state.card_number).exclude(pk=person.pk).exists():
            raise Conflict(
                "members.CARD_NUMBER_TAKEN",
                f"Số thẻ đảng viên {state.card_number} đã có trong một lý lịch khác.",
            )
        person.card_number = state.card_number
        person.search_text = search_text(person)
        fields += ["card_number", "search_text"]
    with unique_numbers():
        person.save(update_fields=fields)
    _write_periods(person, state)


def person_replay(person: Person) -> MemberState:
    """Replays the person's events with the rules and writes what the file keeps of them (status,
    cell, dates, party age, membership periods): after their events were rewritten in bulk, as
    when two files are merged. Raises the replay's DomainError when the history contradicts
    itself."""
    state = person_state(person)
    _project(person, state)
    return state


def _write_periods(person: Person, state: MemberState) -> None:
    """Rewrite the person's membership periods from the replay (a handful of rows)."""
    MembershipPeriod.objects.filter(person=person).delete()
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(person=person, **dataclasses.asdict(period)) for period in state.periods
    )


def person_state(
    person: Person, *, new_event_id: int | None = None, on: dt.date | None = None
) -> MemberState:
    """The state replayed from the stored events (what the cached columns must equal); with
    `on`, the state at the end of that day."""
    cache = lru_cache(maxsize=None)(load_parameters)
    events = person.events.all() if on is None else person.events.filter(effective_date__lte=on)
    return replay(
        events,
        birth=_birth(person),
        sex=person.sex,
        parameters=cache,
        new_event_id=new_event_id,
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
    if organization is None:
        # the cell the member belonged to on the day: an event entered late counts there
        then = person_state(person, on=effective_date).organization_id
        organization = (
            person.organization
            if then in (None, person.organization_id)
            else Organization.objects.get(pk=then)
        )
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
member_exempt = _simple(
    E.EXEMPTION,
    "Miễn công tác và sinh hoạt đảng (27-HD/BTCTW); details: {'requested_on': ISO date, "
    "'grounds': ['old_age' | 'weak_health']}.",
)
member_exemption_end = _simple(E.EXEMPTION_END, "Trở lại công tác và sinh hoạt đảng.")
member_discipline = _simple(
    E.DISCIPLINE, "Kỷ luật; details: {'form': DisciplineForm, 'cleared_on'?: ISO date}."
)
member_badge_propose = _simple(
    E.BADGE_PROPOSAL, "Đề nghị tặng Huy hiệu Đảng; details: {'milestone': 30, 'seriously_ill'?}."
)
member_badge_award = _simple(
    E.BADGE_AWARD, "Tặng Huy hiệu Đảng; details: {'milestone': 30, 'seriously_ill'?}."
)
member_card_issue = _simple(E.CARD_ISSUE, "Phát thẻ đảng viên; details: {'card_number': '…'}.")
member_card_replace = _simple(
    E.CARD_REPLACE, "Đổi, cấp lại thẻ đảng viên; details: {'card_number': '…'}."
)
member_temporary_return = _simple(
    E.TEMPORARY_RETURN, "Trở lại sinh hoạt ở chi bộ chính thức sau sinh hoạt tạm thời."
)
member_readmit = _simple(
    E.READMISSION, "Kết nạp lại; effective date = ceremony; details may hold the exit reason."
)

# Events whose service takes (effective_date, decision, details, override_reason): the API, the
# pages and the import record them all the same way.
SIMPLE_SERVICES = {
    E.RECOGNITION_REFUSED: member_refuse_recognition,
    E.STRUCK_OFF: member_strike_off,
    E.EXPULSION: member_expel,
    E.WITHDRAWAL: member_withdraw,
    E.DEATH: member_death,
    E.EXEMPTION: member_exempt,
    E.EXEMPTION_END: member_exemption_end,
    E.DISCIPLINE: member_discipline,
    E.READMISSION: member_readmit,
    E.BADGE_PROPOSAL: member_badge_propose,
    E.BADGE_AWARD: member_badge_award,
    E.TEMPORARY_RETURN: member_temporary_return,
    E.CARD_ISSUE: member_card_issue,
    E.CARD_REPLACE: member_card_replace,
}


def _receiving_cell(to: Organization, on: dt.date):
    """The receiving cell as it stood on `on`; the sender need not see it, so it is read
    outside the actor's scope."""
    destination = Scope.system().require(to, at=on)
    if destination.type not in CELL_TYPES:
        raise DomainError(
            "members.NOT_A_CELL", f"«{destination.name}» không phải chi bộ để tiếp nhận đảng viên."
        )
    return destination


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
    destination = _receiving_cell(to, effective_date)
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
    override_reason: str = "",
) -> MemberEvent:
    """Tiếp nhận sinh hoạt đảng: the receiving cell (the actor's scope) takes the member in;
    past the 30 working days only with an approver's reason (the committee decides)."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    # the transfer on its way on the day of reception (it may be entered late)
    pending = person_state(locked, on=effective_date).transfer_to_id
    if pending is None:
        raise DomainError(
            "members.NO_TRANSFER_PENDING",
            f"{locked.full_name} không có giấy chuyển sinh hoạt đảng đang chờ tiếp nhận vào "
            f"ngày {effective_date:%d/%m/%Y}.",
        )
    return _record(
        scope=scope,
        person=locked,
        kind=E.TRANSFER_IN,
        effective_date=effective_date,
        decision=decision,
        organization=Organization.objects.get(pk=pending),
        override_reason=override_reason,
    )


@transaction.atomic
def member_temporary_transfer_out(
    *,
    scope: Scope,
    person: Person,
    to: Organization,
    effective_date: dt.date,
    until: dt.date,
    for_study: bool = False,
    decision: DecisionInput | None = None,
    note: str = "",
) -> MemberEvent:
    """Chuyển sinh hoạt đảng tạm thời: from `effective_date` to `until` the member attends the
    host cell `to` and stays on the roll (and in the figures) of the home cell (Quy định
    29-QĐ/TW 2016; 294-QĐ/TW not verified). The home cell records it and the return."""
    destination = _receiving_cell(to, effective_date)
    return _record(
        scope=scope,
        person=person,
        kind=E.TEMPORARY_TRANSFER_OUT,
        effective_date=effective_date,
        decision=decision,
        details={
            "to": to.pk,
            "to_name": destination.name,
            "until": until.isoformat(),
            "for_study": for_study,
            "note": note.strip(),
        },
    )
