"""Replays a person's lifecycle events into their state, checking the rules on each date.

The rules are judged against the state on the event's date with the parameters then in
force, so an event entered late with a past date is checked as it would have been then, and a
back-dated event that breaks a later one makes the replay fail on the later one, naming it.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dangvu.core.errors import DomainError
from dangvu.organizations.models import OPEN_END

from . import rules
from .events import INTO_COUNT, OUT_OF_COUNT
from .events import MemberEventKind as E
from .models import MemberEvent, MemberStatus
from .parameters import HOLIDAYS, Parameters

LEAVING = frozenset({E.RECOGNITION_REFUSED, E.STRUCK_OFF, E.EXPULSION, E.WITHDRAWAL, E.DEATH})


@dataclass(slots=True)
class Placement:
    """A stretch of days [valid_from, valid_to) in which the member was counted in one cell
    with one status: the rows of MembershipPeriod, which the statistics count. It starts and
    ends with the event that put the member there and the one that took them away."""

    organization_id: int
    status: str
    exempt: bool
    valid_from: dt.date
    start_reason: str
    valid_to: dt.date = OPEN_END
    end_reason: str = ""


@dataclass(slots=True)  # loaders hold one per person (the bulk import: 100,000)
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
    temporary_at_id: int | None = None  # host cell of a temporary transfer
    temporary_until: dt.date | None = None
    party_age_from: dt.date | None = None  # the start of party age moved on by the gaps
    card_number: str | None = None  # set by the card events only
    first_admission_decision_date: dt.date | None = None  # party age counts from the first
    first_ceremony_date: dt.date | None = None
    gaps: list[rules.Gap] = field(default_factory=list)  # closed periods that do not count
    gap_open_since: dt.date | None = None  # out of the Party, or between two cells
    badge_proposed: int = 0  # highest milestone proposed / awarded
    badge_awarded: int = 0
    periods: list["Placement"] = field(default_factory=list)  # where the member was counted

    def close_gap(self, on: dt.date) -> None:
        if self.gap_open_since is not None:
            if on > self.gap_open_since:
                self.gaps.append((self.gap_open_since, on))
            self.gap_open_since = None


@dataclass(slots=True)
class ReplayEvent:
    """What `replay` reads of a MemberEvent, without a model instance per event: for loads
    that replay many lives in memory before writing them (demo data, the bulk import)."""

    pk: int
    kind: str
    effective_date: dt.date
    organization_id: int
    details: dict[str, Any]
    decision_id: Any  # the Decision's id, or whatever the loader keys its decisions by
    override_reason: str = ""

    def get_kind_display(self) -> str:
        return E(self.kind).label


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
    sex: str,
    parameters: Callable[[dt.date], Parameters],
    new_event_id: int | None = None,
) -> MemberState:
    """`new_event_id`: the event being recorded; an error on any other names it as the conflict."""
    state = MemberState()
    person = Subject(birth, sex)
    for event in sorted(events, key=lambda e: (e.effective_date, e.pk or 0)):
        try:
            # probation is as long as the rules said when it began, at the ceremony
            judged_on = (
                state.ceremony_date
                if event.kind == E.RECOGNITION and state.ceremony_date
                else event.effective_date
            )
            _apply(state, event, person, parameters(judged_on))
            _place(state, event)
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
    if state.first_admission_decision_date is not None:
        params = parameters(state.first_ceremony_date)
        start = rules.party_age_start(
            state.first_admission_decision_date, state.first_ceremony_date, params
        )
        state.party_age_from = start + dt.timedelta(days=sum((b - a).days for a, b in state.gaps))
    return state


@dataclass(frozen=True)
class Subject:
    """What the rules need to know of the person the events happen to."""

    birth: rules.PartialDate
    sex: str


def _apply(state: MemberState, event: MemberEvent, person: Subject, params: Parameters) -> None:
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
        _warned(rules.check_admission_age(person.birth, vote_date, params), event)
        if kind == E.READMISSION:
            rules.check_readmission(
                state.left_on,
                details.get("exit_reason") or state.exit_reason or rules.ExitReason.OTHER,
                state.readmissions,
                vote_date,
                params,
            )
            state.readmissions += 1
            # time out of the Party does not count in party age; it ends where party age
            # of the readmission would start
            state.close_gap(rules.party_age_start(decision_date, day, params))
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
        # leaving ends any transfer on its way; out of the Party is a gap of its own
        state.transfer_to_id = state.transfer_left_on = None
        state.temporary_at_id = state.temporary_until = None
        state.close_gap(day)
        if kind != E.DEATH:
            state.gap_open_since = day
    elif kind in (E.TRANSFER_OUT, E.TEMPORARY_TRANSFER_OUT):
        _check_no_transfer_open(state)
        if details.get("to") in (None, state.organization_id):
            raise DomainError(
                "members.TRANSFER_SAME_CELL", "Cần chọn chi bộ nhận khác chi bộ đang sinh hoạt."
            )
        if kind == E.TRANSFER_OUT:
            state.transfer_to_id = details["to"]
            state.transfer_left_on = day
            state.gap_open_since = day  # between two cells: does not count in party age
        else:
            until = dt.date.fromisoformat(details.get("until") or day.isoformat())
            rules.check_temporary_transfer(day, until, bool(details.get("for_study")), params)
            state.temporary_at_id = details["to"]
            state.temporary_until = until
    elif kind == E.TRANSFER_IN:
        if state.transfer_to_id is None or event.organization_id != state.transfer_to_id:
            raise DomainError(
                "members.NO_TRANSFER_PENDING",
                "Không có giấy chuyển sinh hoạt đảng đến chi bộ này đang chờ tiếp nhận.",
            )
        _warned(rules.check_transfer_received(state.transfer_left_on, day, params, HOLIDAYS), event)
        state.organization_id = event.organization_id
        state.transfer_to_id = None
        state.transfer_left_on = None
        state.close_gap(day)
    elif kind == E.TEMPORARY_RETURN:
        if state.temporary_at_id is None:
            raise DomainError(
                "members.NO_TEMPORARY_TRANSFER",
                "Đảng viên không sinh hoạt đảng tạm thời ở nơi khác.",
            )
        state.temporary_at_id = state.temporary_until = None
    elif kind in (E.CARD_ISSUE, E.CARD_REPLACE):
        number = str(details.get("card_number") or "").strip()
        if not (number.isascii() and number.isdigit()):
            raise DomainError(
                "members.INVALID_CARD_NUMBER", "Cần ghi số thẻ đảng viên, chỉ gồm các chữ số."
            )
        if kind == E.CARD_ISSUE and state.card_number is not None:
            raise DomainError(
                "members.CARD_ALREADY_ISSUED",
                f"Đảng viên đã được phát thẻ số {state.card_number}: ghi nhận đổi, cấp lại thẻ.",
            )
        state.card_number = number
    elif kind in (E.BADGE_PROPOSAL, E.BADGE_AWARD):
        _check_badge(state, event, params)
    elif kind == E.EXEMPTION:
        if state.exempt:
            raise DomainError(
                "members.ALREADY_EXEMPT", "Đảng viên đang được miễn công tác và sinh hoạt."
            )
        grounds = set(details.get("grounds") or ())
        rules.check_exemption(
            requested=bool(details.get("requested_on")),
            old_age=rules.ExemptionGround.OLD_AGE in grounds,
            weak_health=rules.ExemptionGround.WEAK_HEALTH in grounds,
            past_working_age=rules.is_past_working_age(person.birth, person.sex, day, params),
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
        cleared = details.get("cleared_on")
        rules.check_discipline_cleared(day, dt.date.fromisoformat(cleared) if cleared else None)
    state.status = new_status


def _place(state: MemberState, event: MemberEvent) -> None:
    """Close the open placement and open the next one when the event changed where or how the
    member is counted. On the way between two cells a member is counted nowhere; on a
    temporary transfer, in the home cell."""
    counted = state.status in (MemberStatus.PROBATIONARY, MemberStatus.FULL)
    now = (
        (state.organization_id, state.status, state.exempt)
        if counted and state.transfer_to_id is None
        else None
    )
    current = (
        state.periods[-1] if state.periods and state.periods[-1].valid_to == OPEN_END else None
    )
    was = (current.organization_id, current.status, current.exempt) if current else None
    if now == was:
        return
    day = event.effective_date
    start_reason = event.kind
    if current is not None:
        current.valid_to, current.end_reason = day, event.kind
        if current.valid_from == day:  # began and ended the same day: never counted
            state.periods.pop()
            # ... but a movement into or out of the count that day still counts (received and
            # recognised the same day): it stays on the day's one boundary
            if current.start_reason in INTO_COUNT:
                start_reason = current.start_reason
            before = state.periods[-1] if state.periods else None
            if before is not None and before.valid_to == day and event.kind in OUT_OF_COUNT:
                before.end_reason = event.kind
    if now is not None:
        state.periods.append(Placement(*now, valid_from=day, start_reason=start_reason))


def _check_no_transfer_open(state: MemberState) -> None:
    if state.transfer_to_id is not None:
        raise DomainError(
            "members.TRANSFER_PENDING",
            f"Đảng viên đã chuyển đi ngày {state.transfer_left_on:%d/%m/%Y} và chưa được "
            "tiếp nhận.",
        )
    if state.temporary_at_id is not None:
        raise DomainError(
            "members.TEMPORARY_TRANSFER_OPEN",
            f"Đảng viên đang sinh hoạt tạm thời nơi khác đến ngày {state.temporary_until:%d/%m/%Y}:"
            " cần ghi nhận trở về trước.",
        )


def _check_badge(state: MemberState, event: MemberEvent, params: Parameters) -> None:
    """A badge for a milestone the party age reaches by the event's date (early for a seriously
    ill member), proposed once and awarded once per milestone (Hướng dẫn 01-HD/TW 2021,
    mục 18). Party age runs from the first admission, minus the gaps closed by then."""
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
    reached = rules.milestone_date(start, state.gaps, milestone)
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
