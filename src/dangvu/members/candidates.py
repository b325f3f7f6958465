"""The candidates pipeline (quần chúng ưu tú): each step one service in one transaction, and
the reads of the pipeline through the actor's scope.

Registration in a cell, the awareness-course certificate, the sponsors, the background check,
the application, the cell's vote, then the committee's decision, which admits the person
through lifecycle.member_admit in the same transaction (Điều lệ Đảng 2011, Điều 4; Quy định
294-QĐ/TW; Hướng dẫn 06-HD/TW 2025).

Each step checks the actor's role on the candidate's cell as the tree stands today (the
pipeline is today's work of the cell), validates everything before writing and adds the audit
row; a candidate admitted or withdrawn takes no more steps. What a candidate still lacks is
never stored: rules.candidate_missing derives it from the record and its sponsors.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, overload

from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, QuerySet

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.paths import subtree_end

from . import lifecycle, rules
from .models import (
    BackgroundCheckResult,
    Candidate,
    CandidateStatus,
    MemberStatus,
    Person,
    RuleParameter,
    Sponsor,
    SponsorKind,
)
from .parameters import KEY_PREFIX, Parameters, load_parameters, parameters_on
from .rules import CandidateLack
from .services import CELL_TYPES

AUDITED = (
    "status",
    "registered_on",
    "certificate_number",
    "certificate_date",
    "certificate_issuer",
    "application_date",
    "background_check_date",
    "background_check_result",
    "background_check_note",
    "vote_date",
    "votes_in_favour",
    "full_members_count",
    "admission_id",
    "withdrawn_on",
    "withdrawal_reason",
)


# reads ----------------------------------------------------------------------------------------
def _sponsors() -> Prefetch:
    return Prefetch(
        "sponsors", queryset=Sponsor.objects.select_related("person").order_by("sponsored_on", "id")
    )


def candidate_list(
    *,
    scope: Scope,
    organization: Organization | None = None,
    status: str | None = None,
) -> QuerySet[Candidate]:
    """The candidates of the cells in the scope today (in `organization`'s subtree), in the
    Vietnamese order of names, with their sponsors prefetched."""
    at = clock.today()
    versions = OrganizationVersion.objects.filter(
        scope.path_filter(at), valid_from__lte=at, valid_to__gt=at
    )
    if organization is not None:
        root_path = scope.require(organization, at=at).path
        versions = versions.filter(path__gte=root_path, path__lt=subtree_end(root_path))
    queryset = Candidate.objects.filter(organization_id__in=versions.values("organization_id"))
    if status is not None:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("person", "organization", "admission__decision")
        .prefetch_related(_sponsors())
        .order_by("person__name_sort_key", "id")
    )


def candidate_get(*, scope: Scope, pk: int) -> Candidate:
    """The candidate if their cell is inside the scope today; else "not found"."""
    candidate = (
        Candidate.objects.select_related("person", "organization", "admission__decision")
        .prefetch_related(_sponsors())
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise NotFound("Quần chúng ưu tú")
    try:
        scope.require(candidate.organization, at=clock.today())
    except NotFound:
        raise NotFound("Quần chúng ưu tú") from None
    return candidate


def waiting_candidates(
    *, scope: Scope, params: Parameters, organization: Organization | None = None
) -> QuerySet[Candidate]:
    """Active candidates the cell has not voted to admit yet: no vote recorded, or one short of
    two thirds of the full members (rules.vote_passes, in SQL)."""
    return (
        candidate_list(scope=scope, organization=organization, status=CandidateStatus.ACTIVE)
        .alias(
            votes_scaled=F("votes_in_favour") * params.admission_vote_denominator,
            needed_scaled=F("full_members_count") * params.admission_vote_numerator,
        )
        .exclude(vote_date__isnull=False, votes_scaled__gte=F("needed_scaled"))
    )


def parameters_lookup() -> Callable[[dt.date], Parameters]:
    """The parameters in force on any day, from one read of the table: a list judges each of
    its candidates on their own day (the vote date, or today) without a query per row."""
    rows = list(
        RuleParameter.objects.filter(key__startswith=KEY_PREFIX).only(
            "key", "effective_from", "value"
        )
    )
    return lru_cache(maxsize=None)(lambda day: parameters_on(day, rows))


def sponsor_facts(sponsor: Sponsor) -> rules.SponsorFacts:
    person = sponsor.person
    return rules.SponsorFacts(
        kind=sponsor.kind,
        sponsored_on=sponsor.sponsored_on,
        full_member_date=person.full_member_date if person else None,
        left_on=person.left_on if person else None,
        worked_with_since=sponsor.worked_with_since,
        name=person.full_name if person else "",
    )


def judged_on(candidate: Candidate, today: dt.date) -> dt.date:
    """The day a candidate's dossier is judged: the cell's vote, once it voted, else today."""
    return candidate.vote_date or today


def _missing(
    candidate: Candidate,
    sponsors: Iterable[Sponsor],
    *,
    on: dt.date,
    params: Parameters,
    with_vote: bool = True,
) -> list[CandidateLack]:
    lacks = rules.candidate_missing(
        on=on,
        params=params,
        certificate_date=candidate.certificate_date,
        sponsors=[sponsor_facts(s) for s in sponsors],
        background_check_date=candidate.background_check_date,
        background_check_result=candidate.background_check_result,
        application_date=candidate.application_date,
        vote_date=candidate.vote_date if with_vote else None,
        votes_in_favour=candidate.votes_in_favour if with_vote else None,
        full_members=candidate.full_members_count if with_vote else None,
    )
    return lacks if with_vote else [lack for lack in lacks if lack not in rules.VOTE_LACKS]


def with_missing(
    candidates: list[Candidate],
    *,
    today: dt.date,
    parameters: Callable[[dt.date], Parameters] | None = None,
) -> list[Candidate]:
    """The candidates, each with `missing` (what they still lack, empty once admitted or
    withdrawn) and `certificate_expires_on` set, from their prefetched sponsors and one read
    of the parameters."""
    if not candidates:
        return candidates
    lookup = parameters or parameters_lookup()
    for candidate in candidates:
        on = judged_on(candidate, today)
        params = lookup(on)
        candidate.missing = (
            _missing(candidate, candidate.sponsors.all(), on=on, params=params)
            if candidate.status == CandidateStatus.ACTIVE
            else []
        )
        candidate.certificate_expires_on = (
            rules.certificate_expires(candidate.certificate_date, params)
            if candidate.certificate_date
            else None
        )
    return candidates


class CandidateRows(Sequence[Candidate]):
    """A query of candidates that the paginator slices like a query, each page coming with
    what each candidate lacks (with_missing): a page costs the same few queries however many
    candidates it holds."""

    def __init__(self, queryset: QuerySet[Candidate], *, today: dt.date) -> None:
        self._queryset = queryset
        self._today = today

    def __len__(self) -> int:
        return self._queryset.count()

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return with_missing(list(self._queryset[index]), today=self._today)
        return with_missing([self._queryset[index]], today=self._today)[0]


def candidate_rows(queryset: QuerySet[Candidate], *, today: dt.date) -> CandidateRows:
    return CandidateRows(queryset, today=today)


# writes ---------------------------------------------------------------------------------------
def _values(candidate: Candidate, fields: Iterable[str] = AUDITED) -> dict[str, Any]:
    return {field: getattr(candidate, field) for field in fields}


def _audit(scope: Scope, action: str, candidate: Candidate, before: dict | None, **extra) -> None:
    """The audit row of a step: the fields it changed, before and after (all of them for a
    registration)."""
    audit_record(
        actor=scope.user,
        action=f"candidate.{action}",
        obj=candidate,
        before=before,
        after={**_values(candidate, before or AUDITED), **extra},
    )


def _lock(scope: Scope, candidate: Candidate) -> Candidate:
    """The candidate, locked, if the actor may write in their cell and they are still in the
    pipeline. The role is checked before anything else."""
    locked = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("person", "organization")
        .get(pk=candidate.pk)
    )
    scope.require(locked.organization, role=Role.EDITOR)
    if locked.status != CandidateStatus.ACTIVE:
        raise DomainError(
            "members.CANDIDATE_NOT_ACTIVE",
            f"{locked.person.full_name} không còn trong danh sách quần chúng ưu tú đang xem xét "
            f"({locked.get_status_display().lower()}).",
        )
    return locked


def _check_day(day: dt.date, what: str, *, not_before: dt.date | None = None) -> None:
    if day > clock.today():
        raise DomainError(
            "members.CANDIDATE_DATE_IN_FUTURE", f"{what} ({rules.fmt(day)}) không thể sau hôm nay."
        )
    if not_before is not None and day < not_before:
        raise DomainError(
            "members.CANDIDATE_DATE_BEFORE_REGISTRATION",
            f"{what} ({rules.fmt(day)}) không thể trước ngày đưa vào danh sách quần chúng ưu tú "
            f"({rules.fmt(not_before)}).",
        )


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _sentence(lacks: Iterable[CandidateLack]) -> str:
    return "; ".join(lack.label[0].lower() + lack.label[1:] for lack in lacks)


@transaction.atomic
def candidate_register(*, scope: Scope, person: Person, registered_on: dt.date) -> Candidate:
    """Đưa vào danh sách quần chúng ưu tú: a person with no Party membership, in the cell of
    their file; one active pipeline per person."""
    locked = Person.objects.select_for_update(of=("self",)).select_related("organization")
    locked = locked.get(pk=person.pk)
    version = scope.require(locked.organization, role=Role.EDITOR)
    if version.type not in CELL_TYPES:
        raise DomainError(
            "members.NOT_A_CELL",
            f"«{version.name}» không phải chi bộ: quần chúng ưu tú được giới thiệu ở chi bộ.",
        )
    if locked.status != MemberStatus.NONE:
        raise DomainError(
            "members.CANDIDATE_ALREADY_MEMBER",
            f"{locked.full_name} đã vào Đảng ({locked.get_status_display().lower()}); người đã "
            "ra khỏi Đảng được xem xét kết nạp lại theo quy định riêng.",
        )
    _check_day(registered_on, "Ngày đưa vào danh sách")
    taken = Conflict(
        "members.CANDIDATE_ALREADY_REGISTERED",
        f"{locked.full_name} đang có tên trong danh sách quần chúng ưu tú.",
    )
    if Candidate.objects.filter(person=locked, status=CandidateStatus.ACTIVE).exists():
        raise taken
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                person=locked, organization=locked.organization, registered_on=registered_on
            )
    except IntegrityError:  # the constraint, should another path have written meanwhile
        raise taken from None
    _audit(scope, "register", candidate, None)
    return candidate


@transaction.atomic
def candidate_record_certificate(
    *,
    scope: Scope,
    candidate: Candidate,
    number: str,
    issued_on: dt.date,
    issuing_body: str = "",
) -> Candidate:
    """Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng (Hướng dẫn 06-HD/TW 2025): a new
    certificate replaces the one recorded (after the course is taken again)."""
    locked = _lock(scope, candidate)
    number, issuing_body = _text(number), _text(issuing_body)
    if not number or len(number) > 64 or len(issuing_body) > 255:
        raise DomainError(
            "members.CANDIDATE_CERTIFICATE_REQUIRED",
            "Cần ghi số giấy chứng nhận (tối đa 64 ký tự) và ngày cấp; nơi cấp tối đa 255 ký tự.",
        )
    _check_day(issued_on, "Ngày cấp giấy chứng nhận")
    fields = ("certificate_number", "certificate_date", "certificate_issuer")
    before = _values(locked, fields)
    locked.certificate_number, locked.certificate_date = number, issued_on
    locked.certificate_issuer = issuing_body
    locked.save(update_fields=[*fields, "updated_at"])
    _audit(scope, "certificate", locked, before)
    return locked


@transaction.atomic
def candidate_add_sponsor(
    *,
    scope: Scope,
    candidate: Candidate,
    sponsored_on: dt.date,
    kind: str = SponsorKind.MEMBER,
    sponsor: Person | None = None,
    worked_with_since: dt.date | None = None,
    resolution_symbol: str = "",
    issuing_body: str = "",
) -> Sponsor:
    """Người giới thiệu: a full member who has worked with the candidate for 12 months
    (checked on the day of the recommendation, rules.check_sponsor), or the resolution of the
    Youth Union or the trade union standing for one of the two (Điều lệ Đảng 2011, Điều 4;
    Quy định 294-QĐ/TW). Refused once the sponsors are complete."""
    locked = _lock(scope, candidate)
    _check_day(sponsored_on, "Ngày giới thiệu")
    if kind not in SponsorKind.values:
        raise DomainError(
            "members.CANDIDATE_SPONSOR_KIND_INVALID",
            "Người giới thiệu là đảng viên chính thức, hoặc nghị quyết của Đoàn Thanh niên hay "
            "Công đoàn.",
        )
    params = load_parameters(sponsored_on)
    existing = list(locked.sponsors.all())
    members = [s for s in existing if s.kind == SponsorKind.MEMBER]
    resolutions = [s for s in existing if s.kind != SponsorKind.MEMBER]
    if len(members) + min(1, len(resolutions)) >= params.sponsors_required:
        raise DomainError(
            "members.CANDIDATE_SPONSORS_COMPLETE",
            f"{locked.person.full_name} đã đủ người giới thiệu; bỏ một người giới thiệu trước "
            "khi thêm người khác.",
        )
    duplicate = DomainError(
        "members.CANDIDATE_SPONSOR_DUPLICATE",
        "Người giới thiệu này (hoặc một nghị quyết giới thiệu) đã có trong hồ sơ.",
    )
    if kind == SponsorKind.MEMBER:
        if sponsor is None or worked_with_since is None:
            raise DomainError(
                "members.CANDIDATE_SPONSOR_REQUIRED",
                "Cần chọn đảng viên giới thiệu và ghi ngày bắt đầu cùng công tác, sinh hoạt.",
            )
        member = Person.objects.select_related("organization").get(pk=sponsor.pk)
        scope.require(member.organization)  # someone the actor can see
        if member.pk == locked.person_id:
            raise DomainError(
                "members.CANDIDATE_SPONSOR_IS_CANDIDATE", "Người vào Đảng không thể tự giới thiệu."
            )
        if any(s.person_id == member.pk for s in members):
            raise duplicate
        facts = rules.SponsorFacts(
            kind=kind,
            sponsored_on=sponsored_on,
            full_member_date=member.full_member_date,
            left_on=member.left_on,
            worked_with_since=worked_with_since,
            name=member.full_name,
        )
        rules.check_sponsor(facts, sponsored_on, params)
        values: dict[str, Any] = {"person": member, "worked_with_since": worked_with_since}
    else:
        symbol, body = _text(resolution_symbol), _text(issuing_body)
        if not symbol or not body or len(symbol) > 64 or len(body) > 255:
            raise DomainError(
                "members.CANDIDATE_RESOLUTION_REQUIRED",
                "Cần ghi số nghị quyết giới thiệu (tối đa 64 ký tự) và cơ quan ban hành (ban "
                "chấp hành đoàn cơ sở hoặc công đoàn cơ sở).",
            )
        if resolutions:
            raise duplicate
        values = {"resolution_symbol": symbol, "issuing_body": body}
    try:
        with transaction.atomic():
            row = Sponsor.objects.create(
                candidate=locked, kind=kind, sponsored_on=sponsored_on, **values
            )
    except IntegrityError:
        raise duplicate from None
    audit_record(
        actor=scope.user,
        action="candidate.sponsor_add",
        obj=locked,
        before={"sponsor": None},
        after={"sponsor": _sponsor_values(row)},
    )
    return row


def _sponsor_values(sponsor: Sponsor) -> dict[str, Any]:
    return {
        "id": sponsor.pk,
        "kind": sponsor.kind,
        "person_id": sponsor.person_id,
        "person": str(sponsor.person) if sponsor.person_id else None,
        "worked_with_since": sponsor.worked_with_since,
        "sponsored_on": sponsor.sponsored_on,
        "resolution_symbol": sponsor.resolution_symbol,
        "issuing_body": sponsor.issuing_body,
    }


@transaction.atomic
def candidate_remove_sponsor(*, scope: Scope, candidate: Candidate, sponsor_id: int) -> None:
    """Bỏ một người giới thiệu (moved away, no longer a full member, entered by mistake)."""
    locked = _lock(scope, candidate)
    row = locked.sponsors.select_related("person").filter(pk=sponsor_id).first()
    if row is None:
        raise NotFound("Người giới thiệu")
    removed = _sponsor_values(row)
    row.delete()
    audit_record(
        actor=scope.user,
        action="candidate.sponsor_remove",
        obj=locked,
        before={"sponsor": removed},
        after={"sponsor": None},
    )


@transaction.atomic
def candidate_record_background_check(
    *,
    scope: Scope,
    candidate: Candidate,
    checked_on: dt.date,
    result: str,
    note: str = "",
) -> Candidate:
    """Thẩm tra lý lịch (Hướng dẫn 06-HD/TW 2025): the day the verification concluded and its
    result; a new check replaces the one recorded."""
    locked = _lock(scope, candidate)
    if result not in BackgroundCheckResult.values:
        raise DomainError(
            "members.CANDIDATE_BACKGROUND_RESULT_INVALID",
            "Kết quả thẩm tra lý lịch phải là đạt hoặc không đạt yêu cầu.",
        )
    _check_day(checked_on, "Ngày thẩm tra lý lịch")
    fields = ("background_check_date", "background_check_result", "background_check_note")
    before = _values(locked, fields)
    locked.background_check_date, locked.background_check_result = checked_on, result
    locked.background_check_note = (note or "").strip()
    locked.save(update_fields=[*fields, "updated_at"])
    _audit(scope, "background_check", locked, before)
    return locked


@transaction.atomic
def candidate_record_application(
    *, scope: Scope, candidate: Candidate, applied_on: dt.date
) -> Candidate:
    """Đơn xin vào Đảng: the day of the handwritten application."""
    locked = _lock(scope, candidate)
    _check_day(applied_on, "Ngày làm đơn xin vào Đảng")
    before = _values(locked, ("application_date",))
    locked.application_date = applied_on
    locked.save(update_fields=["application_date", "updated_at"])
    _audit(scope, "application", locked, before)
    return locked


@transaction.atomic
def candidate_record_vote(
    *,
    scope: Scope,
    candidate: Candidate,
    vote_date: dt.date,
    votes_in_favour: int,
    full_members: int,
) -> Candidate:
    """Chi bộ xét, biểu quyết đề nghị kết nạp: the cell votes on a complete dossier, judged on
    the vote date (certificate valid, sponsors valid, background check passed, application);
    the person must be a full 18 years old that day (Điều lệ Đảng 2011, Điều 1 and 4). A vote
    short of two thirds is recorded too; a later vote replaces it."""
    locked = _lock(scope, candidate)
    _check_day(vote_date, "Ngày chi bộ xét kết nạp", not_before=locked.registered_on)
    rules.check_vote(votes_in_favour, full_members)
    params = load_parameters(vote_date)
    person = locked.person
    rules.check_admission_age(  # over 60 is a warning: decided at the admission
        rules.PartialDate(person.birth_year, person.birth_month, person.birth_day),
        vote_date,
        params,
    )
    lacks = _missing(
        locked,
        locked.sponsors.select_related("person"),
        on=vote_date,
        params=params,
        with_vote=False,
    )
    if lacks:
        raise DomainError(
            "members.CANDIDATE_DOSSIER_INCOMPLETE",
            f"Chi bộ chưa thể xét kết nạp {person.full_name} ngày {rules.fmt(vote_date)}: "
            f"{_sentence(lacks)}.",
            missing=[lack.value for lack in lacks],
        )
    fields = ("vote_date", "votes_in_favour", "full_members_count")
    before = _values(locked, fields)
    locked.vote_date, locked.votes_in_favour = vote_date, votes_in_favour
    locked.full_members_count = full_members
    locked.save(update_fields=[*fields, "updated_at"])
    _audit(
        scope,
        "vote",
        locked,
        before,
        passed=rules.vote_passes(votes_in_favour, full_members, params),
        votes_needed=rules.votes_needed(full_members, params),
    )
    return locked


@transaction.atomic
def candidate_admit(
    *,
    scope: Scope,
    candidate: Candidate,
    ceremony_date: dt.date,
    decision: DecisionInput,
    override_reason: str = "",
) -> Candidate:
    """Quyết định kết nạp: once nothing is missing on the vote date (the vote passed with two
    thirds, the sponsors and the certificate valid that day), the committee's decision admits
    the person through lifecycle.member_admit (the age rule, the admission event) and the
    candidate is marked admitted, all in this one transaction (Điều lệ Đảng 2011, Điều 4;
    Quy định 294-QĐ/TW)."""
    locked = _lock(scope, candidate)
    on = judged_on(locked, clock.today())
    lacks = _missing(
        locked, locked.sponsors.select_related("person"), on=on, params=load_parameters(on)
    )
    if lacks:
        raise DomainError(
            "members.CANDIDATE_NOT_READY",
            f"Chưa thể kết nạp {locked.person.full_name}: {_sentence(lacks)}.",
            missing=[lack.value for lack in lacks],
        )
    vote_date = locked.vote_date
    assert vote_date is not None  # no lack, so the cell voted
    if decision.date < vote_date:
        raise DomainError(
            "members.CANDIDATE_DECISION_BEFORE_VOTE",
            f"Quyết định kết nạp ({rules.fmt(decision.date)}) không thể trước ngày chi bộ xét "
            f"kết nạp ({rules.fmt(vote_date)}).",
        )
    event = lifecycle.member_admit(
        scope=scope,
        person=locked.person,
        ceremony_date=ceremony_date,
        decision=decision,
        vote_date=vote_date,
        override_reason=override_reason,
    )
    before = _values(locked, ("status", "admission_id"))
    locked.status, locked.admission = CandidateStatus.ADMITTED, event
    locked.save(update_fields=["status", "admission", "updated_at"])
    _audit(scope, "admit", locked, before, decision=str(event.decision))
    return locked


@transaction.atomic
def candidate_withdraw(
    *, scope: Scope, candidate: Candidate, withdrawn_on: dt.date, reason: str
) -> Candidate:
    """Đưa ra khỏi danh sách quần chúng ưu tú (the person asks to stop, no longer qualifies,
    moves away): with the reason; the person may be registered again later."""
    locked = _lock(scope, candidate)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("members.CANDIDATE_REASON_REQUIRED", "Cần ghi lý do dừng xem xét.")
    _check_day(withdrawn_on, "Ngày dừng xem xét", not_before=locked.registered_on)
    fields = ("status", "withdrawn_on", "withdrawal_reason")
    before = _values(locked, fields)
    locked.status, locked.withdrawn_on = CandidateStatus.WITHDRAWN, withdrawn_on
    locked.withdrawal_reason = reason
    locked.save(update_fields=[*fields, "updated_at"])
    _audit(scope, "withdraw", locked, before)
    return locked
