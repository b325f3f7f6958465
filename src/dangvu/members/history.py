"""Replays a person's lifecycle events into their state, checking the rules on each date.

The rules are judged against the state on the event's date with the parameters then in
force, so an event entered late with a past date is checked as it would have been then, and a
back-dated event that breaks a later one makes the replay fail on the later one, naming it.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dangvu.core.errors import DomainError

from . import rules
from .events import MemberEventKind as E
from .models import MemberEvent, MemberStatus
from .parameters import Parameters

LEAVING = frozenset({E.RECOGNITION_REFUSED, E.STRUCK_OFF, E.EXPULSION, E.WITHDRAWAL, E.DEATH})


@dataclass
class MemberState:
    status: str = MemberStatus.NONE
    organization_id: int | None = None
    admission_decision_date: dt.date | None = None
    ceremony_date: dt.date | None = None
    full_member_date: dt.date | None = None
    exempt: bool = False
    left_on: dt.date | None = None
    readmissions: int = 0
    exit_reason: str = ""
    transfer_to_id: int | None = None
    transfer_left_on: dt.date | None = None
    first_admission_decision_date: dt.date | None = None  # party age counts from the first
    first_ceremony_date: dt.date | None = None
    badge_proposed: int = 0  # highest milestone proposed / awarded
    badge_awarded: int = 0


def _warned(warning: rules.RuleWarning | None, event: MemberEvent) -> None:
    """A bendable rule: passes only with the approver's recorded reason."""
    if warning is not None and not event.override_reason.strip():
        raise DomainError(
            warning.code,
            f"{warning.message} Cần người có quyền phê duyệt ghi lý do để vẫn ghi nhận.",
            overridable=True,
        )


def replay(
    events: Iterable[MemberEvent],
    *,
    birth: rules.PartialDate,
    parameters: Callable[[dt.date], Parameters],
    new_event_id: int | None = None,
) -> MemberState:
    """`new_event_id`: the event being recorded; an error on any other names it as the conflict."""
    state = MemberState()
    for event in sorted(events, key=lambda e: (e.effective_date, e.pk or 0)):
        try:
            # probation is as long as the rules said when it began, at the ceremony
            judged_on = (
                state.ceremony_date
                if event.kind == E.RECOGNITION and state.ceremony_date
                else event.effective_date
            )
            _apply(state, event, birth, parameters(judged_on))
        except DomainError as error:
            if event.pk is None or event.pk == new_event_id:
                raise
            raise DomainError(
                error.code,
                f"Mâu thuẫn với sự kiện «{event.get_kind_display()}» ngày "
                f"{event.effective_date:%d/%m/%Y}: {error.message}",
                **error.details,
                conflicting_event=event.pk,
            ) from None
    return state


def _apply(
    state: MemberState, event: MemberEvent, birth: rules.PartialDate, params: Parameters
) -> None:
    kind, day, details = event.kind, event.effective_date, event.details
    new_status = rules.check_transition(state.status, kind)
    if kind in (E.ADMISSION, E.READMISSION):
        if not details.get("decision_date"):
            raise DomainError(
                "core.DECISION_REQUIRED", "Cần có quyết định kết nạp (số, ngày, cơ quan ban hành)."
            )
        decision_date = dt.date.fromisoformat(details["decision_date"])
        vote_date = dt.date.fromisoformat(details.get("vote_date") or details["decision_date"])
        if day < decision_date:
            raise DomainError(
                "members.CEREMONY_BEFORE_DECISION",
                f"Lễ kết nạp ngày {day:%d/%m/%Y} trước ngày quyết định kết nạp "
                f"{decision_date:%d/%m/%Y}.",
            )
        _warned(rules.check_admission_age(birth, vote_date, params), event)
        if kind == E.READMISSION:
            rules.check_readmission(
                state.left_on,
                details.get("exit_reason") or state.exit_reason or rules.ExitReason.OTHER,
                state.readmissions,
                vote_date,
                params,
            )
            state.readmissions += 1
        state.organization_id = event.organization_id
        if state.first_admission_decision_date is None:
            state.first_admission_decision_date = decision_date
            state.first_ceremony_date = day
        state.admission_decision_date = decision_date
        state.ceremony_date = day
        state.full_member_date = None
        state.left_on = None
    elif kind == E.RECOGNITION:
        end = rules.probation_end(state.ceremony_date, params)
        if day != end:
            raise DomainError(
                "members.RECOGNITION_DATE",
                f"Đảng viên là chính thức từ ngày hết thời kỳ dự bị {end:%d/%m/%Y}.",
            )
        rules.check_recognition(
            state.ceremony_date, dt.date.fromisoformat(details["decision_date"]), params
        )
        state.full_member_date = day
    elif kind in LEAVING:
        state.left_on = day
        state.exempt = False
        state.exit_reason = details.get("exit_reason", "")
    elif kind == E.TRANSFER_OUT:
        if state.transfer_to_id is not None:
            raise DomainError(
                "members.TRANSFER_PENDING",
                f"Đảng viên đã chuyển đi ngày {state.transfer_left_on:%d/%m/%Y} và chưa được "
                "tiếp nhận.",
            )
        if details.get("to") in (None, state.organization_id):
            raise DomainError(
                "members.TRANSFER_SAME_CELL", "Cần chọn chi bộ nhận khác chi bộ đang sinh hoạt."
            )
        state.transfer_to_id = details["to"]
        state.transfer_left_on = day
    elif kind == E.TRANSFER_IN:
        if state.transfer_to_id is None or event.organization_id != state.transfer_to_id:
            raise DomainError(
                "members.NO_TRANSFER_PENDING",
                "Không có giấy chuyển sinh hoạt đảng đến chi bộ này đang chờ tiếp nhận.",
            )
        state.organization_id = event.organization_id
        state.transfer_to_id = None
        state.transfer_left_on = None
    elif kind in (E.BADGE_PROPOSAL, E.BADGE_AWARD):
        _check_badge(state, event, params)
    elif kind == E.EXEMPTION:
        if state.exempt:
            raise DomainError(
                "members.ALREADY_EXEMPT", "Đảng viên đang được miễn công tác và sinh hoạt."
            )
        state.exempt = True
    elif kind == E.EXEMPTION_END:
        if not state.exempt:
            raise DomainError("members.NOT_EXEMPT", "Đảng viên không trong thời gian được miễn.")
        state.exempt = False
    elif kind == E.DISCIPLINE:
        if details.get("form") not in rules.DisciplineForm.values:
            raise DomainError(
                "members.DISCIPLINE_FORM_REQUIRED",
                "Cần ghi hình thức kỷ luật: khiển trách, cảnh cáo, cách chức hoặc khai trừ.",
            )
        rules.check_discipline_form(state.status, details["form"])
    state.status = new_status


def _check_badge(state: MemberState, event: MemberEvent, params: Parameters) -> None:
    """A badge for a milestone the party age reaches by the event's date (early for a seriously
    ill member), proposed once and awarded once per milestone (Hướng dẫn 01-HD/TW 2021,
    mục 18). Gaps in membership are not recorded yet, so party age runs from the first
    admission without them."""
    try:
        milestone = int(event.details.get("milestone"))
    except (TypeError, ValueError):
        milestone = 0
    if milestone not in params.badge_milestones:
        raise DomainError(
            "members.UNKNOWN_MILESTONE",
            "Mốc Huy hiệu Đảng phải là một trong: "
            + ", ".join(f"{m} năm" for m in params.badge_milestones)
            + ".",
        )
    start = rules.party_age_start(
        state.first_admission_decision_date, state.first_ceremony_date, params
    )
    early = rules.early_months(
        milestone, params, ill=bool(event.details.get("seriously_ill")), posthumous=False
    )
    reached = rules.milestone_date(start, (), milestone)
    if rules.add_months(reached, -early) > event.effective_date:
        raise DomainError(
            "members.BADGE_NOT_DUE",
            f"Đảng viên đủ {milestone} năm tuổi đảng vào ngày {reached:%d/%m/%Y}.",
        )
    if event.kind == E.BADGE_PROPOSAL:
        if state.badge_proposed >= milestone or state.badge_awarded >= milestone:
            raise DomainError(
                "members.BADGE_ALREADY", f"Đã đề nghị hoặc đã tặng Huy hiệu {milestone} năm."
            )
        state.badge_proposed = milestone
    else:
        if state.badge_awarded >= milestone:
            raise DomainError("members.BADGE_ALREADY", f"Đã tặng Huy hiệu {milestone} năm.")
        state.badge_awarded = milestone
