"""The lifecycle actions a member's file offers, each a form feeding the same service the API
calls (members.lifecycle, members.candidates), and the dry run that shows the rule checks
before anything is saved."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.members import candidates, lifecycle
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import CandidateStatus, MemberEvent, Person
from dangvu.members.models import MemberStatus as S
from dangvu.members.rules import ALLOWED_EVENTS
from dangvu.organizations import selectors as organization_selectors

from . import members_forms as f

IN_THE_PARTY = (S.PROBATIONARY, S.FULL)


@dataclass(frozen=True)
class Action:
    slug: str  # the last part of the URL, /dang-vien/<id>/thao-tac/<slug>/
    kind: str  # the MemberEventKind it records
    label: str  # the button and the page's title
    form: type[f.ActionForm]
    perform: Callable[[Scope, Person, Any], Any]
    available: Callable[[Person], bool] = lambda person: True
    danger: bool = False  # an exit from the Party: shown apart

    def allowed_for(self, person: Person) -> bool:
        """Offered to `person` in their state (the rules' state machine, then the action's
        own condition); the services check everything again."""
        return self.kind in ALLOWED_EVENTS[person.status] and self.available(person)


def active_candidacy(scope: Scope, person: Person):
    """The person's candidacy still in the pipeline, if the scope sees it."""
    return (
        candidates.candidate_list(scope=scope, status=CandidateStatus.ACTIVE)
        .filter(person_id=person.pk)
        .first()
    )


def _event(scope: Scope, person: Person, form) -> MemberEvent:
    """One of the simple events (lifecycle._simple): date, decision, details, override."""
    service = lifecycle.SIMPLE_SERVICES[form.action_kind]
    return service(
        scope=scope,
        person=person,
        effective_date=form.cleaned_data["effective_date"],
        decision=form.decision(),
        details=form.details(),
        override_reason=form.cleaned_data.get("override_reason", ""),
    )


def _admit(scope: Scope, person: Person, form) -> MemberEvent:
    data = form.cleaned_data
    if form.candidate is not None:  # from the pipeline: its vote, then the decision
        candidate = candidates.candidate_admit(
            scope=scope,
            candidate=form.candidate,
            ceremony_date=data["ceremony_date"],
            decision=form.decision(),
            override_reason=data.get("override_reason", ""),
        )
        return candidate.admission
    return lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=data["ceremony_date"],
        vote_date=data.get("vote_date"),
        decision=form.decision(),
        override_reason=data.get("override_reason", ""),
    )


def _recognize(scope: Scope, person: Person, form) -> MemberEvent:
    return lifecycle.member_recognize(scope=scope, person=person, decision=form.decision())


def _transfer_out(scope: Scope, person: Person, form) -> MemberEvent:
    data = form.cleaned_data
    return lifecycle.member_transfer_out(
        scope=scope,
        person=person,
        to=organization_selectors.organization_by_code(code=data["to"].strip()),
        effective_date=data["effective_date"],
        decision=form.decision(),
        note=data.get("note", ""),
    )


def _transfer_in(scope: Scope, person: Person, form) -> MemberEvent:
    data = form.cleaned_data
    return lifecycle.member_transfer_in(
        scope=scope,
        person=person,
        effective_date=data["effective_date"],
        decision=form.decision(),
        override_reason=data.get("override_reason", ""),
    )


def _temporary_transfer(scope: Scope, person: Person, form) -> MemberEvent:
    data = form.cleaned_data
    return lifecycle.member_temporary_transfer_out(
        scope=scope,
        person=person,
        to=organization_selectors.organization_by_code(code=data["to"].strip()),
        effective_date=data["effective_date"],
        until=data["until"],
        for_study=data.get("for_study", False),
        decision=form.decision(),
        note=data.get("note", ""),
    )


def _settled(person: Person) -> bool:
    return person.transfer_to_id is None and person.temporary_at_id is None


ACTIONS: tuple[Action, ...] = (
    Action("ket-nap", E.ADMISSION, _("Kết nạp"), f.AdmissionForm, _admit),
    Action("cong-nhan-chinh-thuc", E.RECOGNITION, _("Công nhận đảng viên chính thức"),
           f.RecognitionForm, _recognize),
    Action("chuyen-di", E.TRANSFER_OUT, _("Chuyển sinh hoạt đảng chính thức"), f.TransferOutForm,
           _transfer_out, _settled),
    Action("tiep-nhan", E.TRANSFER_IN, _("Tiếp nhận sinh hoạt đảng"), f.TransferInForm,
           _transfer_in, lambda p: p.transfer_to_id is not None),
    Action("chuyen-tam-thoi", E.TEMPORARY_TRANSFER_OUT, _("Chuyển sinh hoạt đảng tạm thời"),
           f.TemporaryTransferForm, _temporary_transfer, _settled),
    Action("tro-ve", E.TEMPORARY_RETURN, _("Trở lại sau sinh hoạt tạm thời"), f.DatedForm, _event,
           lambda p: p.temporary_at_id is not None),
    Action("mien-sinh-hoat", E.EXEMPTION, _("Miễn công tác và sinh hoạt đảng"), f.ExemptionForm,
           _event, lambda p: not p.exempt),
    Action("het-mien", E.EXEMPTION_END, _("Trở lại công tác và sinh hoạt đảng"), f.DatedForm,
           _event, lambda p: p.exempt),
    Action("de-nghi-huy-hieu", E.BADGE_PROPOSAL, _("Đề nghị tặng Huy hiệu Đảng"), f.BadgeForm,
           _event),
    Action("tang-huy-hieu", E.BADGE_AWARD, _("Tặng Huy hiệu Đảng"), f.BadgeAwardForm, _event),
    Action("phat-the", E.CARD_ISSUE, _("Phát thẻ đảng viên"), f.CardForm, _event,
           lambda p: not p.card_number),
    Action("doi-the", E.CARD_REPLACE, _("Đổi, cấp lại thẻ đảng viên"), f.CardForm, _event,
           lambda p: bool(p.card_number)),
    Action("ky-luat", E.DISCIPLINE, _("Kỷ luật"), f.DisciplineActionForm, _event),
    Action("ket-nap-lai", E.READMISSION, _("Kết nạp lại"), f.ReadmissionForm, _event),
    Action("khong-cong-nhan", E.RECOGNITION_REFUSED, _("Không công nhận đảng viên chính thức"),
           f.DecidedForm, _event, danger=True),
    Action("xoa-ten", E.STRUCK_OFF, _("Xóa tên"), f.LeavingForm, _event, danger=True),
    Action("ra-khoi-dang", E.WITHDRAWAL, _("Cho ra khỏi Đảng"), f.LeavingForm, _event,
           danger=True),
    Action("khai-tru", E.EXPULSION, _("Khai trừ"), f.LeavingForm, _event, danger=True),
    Action("tu-tran", E.DEATH, _("Từ trần"), f.DecidedForm, _event, danger=True),
)  # fmt: skip
BY_SLUG = {action.slug: action for action in ACTIONS}


def build_form(action: Action, scope: Scope, person: Person, data=None) -> f.ActionForm:
    extra: dict[str, Any] = {}
    if action.kind == E.ADMISSION:
        extra["candidate"] = active_candidacy(scope, person)
    form = action.form(data, person=person, **extra)
    form.action_kind = action.kind
    if action.kind == E.CARD_ISSUE:
        form.fields["effective_date"].label = gettext("Ngày phát thẻ")
    elif action.kind == E.CARD_REPLACE:
        form.fields["effective_date"].label = gettext("Ngày đổi, cấp lại thẻ")
    elif action.kind == E.DEATH:
        form.fields["effective_date"].label = gettext("Ngày từ trần")
    return form


class _DryRun(Exception):  # noqa: N818 (not an error: the rollback of a check)
    def __init__(self, outcome: "Outcome") -> None:
        super().__init__("dry run")
        self.outcome = outcome


@dataclass
class Outcome:
    """What the service said: the event it would record (or did), or the domain error."""

    event_label: str = ""
    effective_date: dt.date | None = None
    status_label: str = ""
    remaining: list[str] | None = None  # a candidate's step: what they lack after it
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def warning(self) -> bool:
        """A rule an approver may bend with a recorded reason."""
        return bool(self.error is not None and self.error.details.get("overridable"))


def event_outcome(result: MemberEvent | None) -> Outcome:
    """The event recorded; its person is the row the service rewrote (the status after)."""
    if result is None:
        return Outcome()
    return Outcome(
        event_label=result.get_kind_display(),
        effective_date=result.effective_date,
        status_label=result.person.get_status_display(),
    )


def run(perform: Callable[[], Outcome], *, dry_run: bool) -> Outcome:
    """Call a service through `perform`; with `dry_run`, inside a transaction rolled back at
    the end, so the rules are checked exactly as a save would check them and nothing is
    written. A domain error becomes the outcome."""
    try:
        if not dry_run:
            return perform()
        with transaction.atomic():
            raise _DryRun(perform())
    except _DryRun as rolled_back:
        return rolled_back.outcome
    except DomainError as error:
        return Outcome(error=error)


def run_action(action: Action, scope: Scope, person: Person, form, *, dry_run: bool) -> Outcome:
    return run(lambda: event_outcome(action.perform(scope, person, form)), dry_run=dry_run)
