"""JSON API of the candidates pipeline (quần chúng ưu tú): parse, call a selector or service,
shape. Every row says what the candidate still lacks."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangvu.access.scopes import Scope, scope_for
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.organizations import selectors as organization_selectors

from . import candidates, rules, selectors, worklists
from .models import BackgroundCheckResult, Candidate, CandidateStatus, Sponsor, SponsorKind

router = Router(tags=["Quần chúng ưu tú"])

MAX_ID = 2**63 - 1


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


# schemas ------------------------------------------------------------------------------------
class LackOut(Schema):
    code: rules.CandidateLack
    label: str = Field(examples=["Thiếu người giới thiệu"])


class SponsorOut(Schema):
    id: int
    kind: SponsorKind
    kind_label: str
    person: int | None = Field(description="Mã lý lịch của đảng viên giới thiệu")
    person_name: str | None
    worked_with_since: dt.date | None = Field(description="Cùng công tác, sinh hoạt từ")
    sponsored_on: dt.date = Field(description="Ngày giới thiệu")
    resolution_symbol: str = Field(description="Số nghị quyết của Đoàn Thanh niên / Công đoàn")
    issuing_body: str

    @staticmethod
    def of(sponsor: Sponsor) -> "SponsorOut":
        return SponsorOut(
            id=sponsor.pk,
            kind=sponsor.kind,
            kind_label=sponsor.get_kind_display(),
            person=sponsor.person_id,
            person_name=sponsor.person.full_name if sponsor.person_id else None,
            worked_with_since=sponsor.worked_with_since,
            sponsored_on=sponsor.sponsored_on,
            resolution_symbol=sponsor.resolution_symbol,
            issuing_body=sponsor.issuing_body,
        )


class CandidateOut(Schema):
    id: int
    person: int = Field(description="Mã lý lịch")
    full_name: str
    organization: str = Field(description="Mã chi bộ")
    organization_name: str
    status: CandidateStatus
    status_label: str
    registered_on: dt.date = Field(description="Ngày đưa vào danh sách")
    certificate_number: str
    certificate_date: dt.date | None = Field(description="Ngày cấp giấy chứng nhận")
    certificate_issuer: str
    certificate_expires_on: dt.date | None = Field(description="Giấy chứng nhận có giá trị đến")
    application_date: dt.date | None = Field(description="Ngày làm đơn xin vào Đảng")
    background_check_date: dt.date | None = Field(description="Ngày thẩm tra lý lịch")
    background_check_result: str
    background_check_note: str
    vote_date: dt.date | None = Field(description="Ngày chi bộ xét kết nạp")
    votes_in_favour: int | None
    full_members_count: int | None = Field(description="Số đảng viên chính thức của chi bộ")
    admission_event: int | None = Field(description="Sự kiện kết nạp")
    admission_decision: str | None = Field(description="Quyết định kết nạp")
    withdrawn_on: dt.date | None
    withdrawal_reason: str
    sponsors: list[SponsorOut]
    missing: list[LackOut] = Field(description="Những gì còn thiếu, theo thứ tự của hồ sơ")

    @staticmethod
    def of(candidate: Candidate) -> "CandidateOut":
        """`candidate` as given by candidates.with_missing (or a page of CandidateRows)."""
        event = candidate.admission
        return CandidateOut(
            id=candidate.pk,
            person=candidate.person_id,
            full_name=candidate.person.full_name,
            organization=candidate.organization.code,
            organization_name=candidate.organization.name,
            status=candidate.status,
            status_label=candidate.get_status_display(),
            registered_on=candidate.registered_on,
            certificate_number=candidate.certificate_number,
            certificate_date=candidate.certificate_date,
            certificate_issuer=candidate.certificate_issuer,
            certificate_expires_on=candidate.certificate_expires_on,
            application_date=candidate.application_date,
            background_check_date=candidate.background_check_date,
            background_check_result=candidate.background_check_result,
            background_check_note=candidate.background_check_note,
            vote_date=candidate.vote_date,
            votes_in_favour=candidate.votes_in_favour,
            full_members_count=candidate.full_members_count,
            admission_event=event.pk if event else None,
            admission_decision=str(event.decision) if event and event.decision_id else None,
            withdrawn_on=candidate.withdrawn_on,
            withdrawal_reason=candidate.withdrawal_reason,
            sponsors=[SponsorOut.of(s) for s in candidate.sponsors.all()],
            missing=[LackOut(code=lack, label=lack.label) for lack in candidate.missing],
        )


class CandidateIn(Schema):
    person: int = Field(ge=1, le=MAX_ID, description="Mã lý lịch của người vào Đảng")
    registered_on: dt.date = Field(description="Ngày đưa vào danh sách quần chúng ưu tú")


class CertificateIn(Schema):
    number: str = Field(min_length=1, max_length=64, examples=["125/GCN-TTCT"])
    issued_on: dt.date
    issuing_body: str = Field("", max_length=255, examples=["Trung tâm Chính trị thành phố"])


class SponsorIn(Schema):
    kind: SponsorKind = SponsorKind.MEMBER
    sponsored_on: dt.date = Field(description="Ngày giới thiệu (ngày của nghị quyết)")
    person: int | None = Field(None, ge=1, le=MAX_ID, description="Mã lý lịch đảng viên")
    worked_with_since: dt.date | None = Field(None, description="Cùng công tác, sinh hoạt từ")
    resolution_symbol: str = Field("", max_length=64, examples=["05-NQ/ĐTN"])
    issuing_body: str = Field("", max_length=255, examples=["Ban Chấp hành Đoàn cơ sở"])


class SponsorRemoveIn(Schema):
    sponsor: int = Field(ge=1, le=MAX_ID, description="Mã người giới thiệu trong hồ sơ")


class BackgroundCheckIn(Schema):
    checked_on: dt.date
    result: BackgroundCheckResult
    note: str = Field("", max_length=2000)


class ApplicationIn(Schema):
    applied_on: dt.date


class VoteIn(Schema):
    vote_date: dt.date
    votes_in_favour: int = Field(ge=0, le=10000)
    full_members: int = Field(ge=1, le=10000, description="Số đảng viên chính thức của chi bộ")


class CandidateAdmissionIn(Schema):
    ceremony_date: dt.date = Field(description="Ngày lễ kết nạp")
    decision: DecisionInput
    override_reason: str = Field("", max_length=1000)


class WithdrawalIn(Schema):
    withdrawn_on: dt.date
    reason: str = Field(min_length=1, max_length=1000)


# reads --------------------------------------------------------------------------------------
def _out(scope: Scope, pk: int) -> CandidateOut:
    candidate = candidates.candidate_get(scope=scope, pk=pk)
    return CandidateOut.of(candidates.with_missing([candidate], today=clock.today())[0])


def _rows(queryset) -> candidates.CandidateRows:
    return candidates.candidate_rows(queryset, today=clock.today())


class _RowsPagination(LimitOffsetPagination):
    """The page of CandidateRows, shaped (the rows come with what each candidate lacks)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "items": [CandidateOut.of(c) for c in page["items"]]}


@router.get("/candidates", response=list[CandidateOut], summary="Danh sách quần chúng ưu tú")
@paginate(_RowsPagination)
def candidate_list(
    request: HttpRequest,
    org: str | None = Query(None, max_length=32),  # noqa: B008
    status: CandidateStatus | None = None,
):
    scope = _scope(request)
    organization = organization_selectors.organization_get(scope=scope, code=org) if org else None
    return _rows(candidates.candidate_list(scope=scope, organization=organization, status=status))


@router.get("/candidates/{id}", response=CandidateOut, summary="Hồ sơ một quần chúng ưu tú")
def candidate_detail(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002, B008
    return _out(_scope(request), id)


@router.get(
    "/worklists/certificates-expiring",
    response=list[CandidateOut],
    summary="Quần chúng ưu tú có giấy chứng nhận sắp hết hạn hoặc đã hết hạn",
)
@paginate(_RowsPagination)
def certificates_expiring(
    request: HttpRequest,
    org: str | None = Query(None, max_length=32),  # noqa: B008
    within_days: int = Query(60, ge=0, le=3660),  # noqa: B008
):
    scope = _scope(request)
    organization = organization_selectors.organization_get(scope=scope, code=org) if org else None
    return _rows(
        worklists.certificates_expiring(
            scope=scope, today=clock.today(), within_days=within_days, organization=organization
        )
    )


# writes -------------------------------------------------------------------------------------
@router.post(
    "/candidates", response={201: CandidateOut}, summary="Đưa vào danh sách quần chúng ưu tú"
)
def candidate_register(request: HttpRequest, data: CandidateIn):
    scope = _scope(request)
    candidate = candidates.candidate_register(
        scope=scope,
        person=selectors.person_get(scope=scope, pk=data.person),
        registered_on=data.registered_on,
    )
    return Status(201, _out(scope, candidate.pk))


@router.post(
    "/candidates/{id}/certificate",
    response=CandidateOut,
    summary="Ghi giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
)
def candidate_certificate(
    request: HttpRequest,
    data: CertificateIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_record_certificate(
        scope=scope,
        candidate=candidates.candidate_get(scope=scope, pk=id),
        number=data.number,
        issued_on=data.issued_on,
        issuing_body=data.issuing_body,
    )
    return _out(scope, id)


@router.post(
    "/candidates/{id}/sponsors", response={201: CandidateOut}, summary="Thêm người giới thiệu"
)
def candidate_add_sponsor(
    request: HttpRequest,
    data: SponsorIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidate = candidates.candidate_get(scope=scope, pk=id)
    sponsor = selectors.person_get(scope=scope, pk=data.person) if data.person else None
    candidates.candidate_add_sponsor(
        scope=scope,
        candidate=candidate,
        kind=data.kind,
        sponsored_on=data.sponsored_on,
        sponsor=sponsor,
        worked_with_since=data.worked_with_since,
        resolution_symbol=data.resolution_symbol,
        issuing_body=data.issuing_body,
    )
    return Status(201, _out(scope, id))


@router.post(
    "/candidates/{id}/sponsors/remove", response=CandidateOut, summary="Bỏ một người giới thiệu"
)
def candidate_remove_sponsor(
    request: HttpRequest,
    data: SponsorRemoveIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_remove_sponsor(
        scope=scope, candidate=candidates.candidate_get(scope=scope, pk=id), sponsor_id=data.sponsor
    )
    return _out(scope, id)


@router.post(
    "/candidates/{id}/background-check",
    response=CandidateOut,
    summary="Ghi kết quả thẩm tra lý lịch",
)
def candidate_background_check(
    request: HttpRequest,
    data: BackgroundCheckIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_record_background_check(
        scope=scope,
        candidate=candidates.candidate_get(scope=scope, pk=id),
        checked_on=data.checked_on,
        result=data.result,
        note=data.note,
    )
    return _out(scope, id)


@router.post("/candidates/{id}/application", response=CandidateOut, summary="Ghi đơn xin vào Đảng")
def candidate_application(
    request: HttpRequest,
    data: ApplicationIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_record_application(
        scope=scope,
        candidate=candidates.candidate_get(scope=scope, pk=id),
        applied_on=data.applied_on,
    )
    return _out(scope, id)


@router.post(
    "/candidates/{id}/vote", response=CandidateOut, summary="Ghi kết quả chi bộ xét kết nạp"
)
def candidate_vote(
    request: HttpRequest,
    data: VoteIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_record_vote(
        scope=scope,
        candidate=candidates.candidate_get(scope=scope, pk=id),
        vote_date=data.vote_date,
        votes_in_favour=data.votes_in_favour,
        full_members=data.full_members,
    )
    return _out(scope, id)


@router.post(
    "/candidates/{id}/admission",
    response={201: CandidateOut},
    summary="Quyết định kết nạp quần chúng ưu tú",
)
def candidate_admit(
    request: HttpRequest,
    data: CandidateAdmissionIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_admit(
        scope=scope,
        candidate=candidates.candidate_get(scope=scope, pk=id),
        ceremony_date=data.ceremony_date,
        decision=data.decision,
        override_reason=data.override_reason,
    )
    return Status(201, _out(scope, id))


@router.post(
    "/candidates/{id}/withdrawal", response=CandidateOut, summary="Dừng xem xét quần chúng ưu tú"
)
def candidate_withdraw(
    request: HttpRequest,
    data: WithdrawalIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    candidates.candidate_withdraw(
        scope=scope,
        candidate=candidates.candidate_get(scope=scope, pk=id),
        withdrawn_on=data.withdrawn_on,
        reason=data.reason,
    )
    return _out(scope, id)
