"""JSON API of the personal files (lý lịch): parse, call a selector or service, shape."""

import base64
import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from dangvu.access.scopes import Scope, scope_for
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput
from dangvu.core.errors import DomainError
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.organizations import selectors as organization_selectors

from . import lifecycle, rules, selectors, services, worklists
from .models import MemberEvent, MemberStatus, Person, Sex
from .parameters import load_parameters

router = Router(tags=["Đảng viên"])

MAX_ID = 2**63 - 1
PARTY_FOUNDED = dt.date(1930, 2, 3)


def _scope(request: HttpRequest) -> Scope:
    if not hasattr(request, "dangvu_scope"):
        request.dangvu_scope = scope_for(request.auth)
    return request.dangvu_scope


def birth_date_display(year: int, month: int | None, day: int | None) -> str:
    """As precise as the file: dd/mm/yyyy, mm/yyyy or yyyy."""
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{month:02d}/{year:04d}"
    return f"{day:02d}/{month:02d}/{year:04d}"


# schemas ------------------------------------------------------------------------------------
class PersonOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    other_names: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    birth_date_display: str = Field(examples=["05/09/1985", "09/1985", "1985"])
    sex: str
    sex_label: str
    ethnicity: str
    ethnicity_label: str
    religion: str
    hometown: str
    birthplace: str
    permanent_residence: str
    permanent_province_code: int | None
    current_residence: str
    current_province_code: int | None
    citizen_id: str | None
    phone: str
    general_education: str
    qualification: str
    political_theory: str
    state_management: str
    foreign_language: str
    occupation: str
    work_unit: str
    job_position: str
    card_number: str | None
    status: str
    status_label: str
    organization: str = Field(description="Mã chi bộ")
    organization_name: str
    transfer_to: str | None = Field(None, description="Mã chi bộ đang chuyển đến (chờ tiếp nhận)")
    temporary_at: str | None = Field(None, description="Mã chi bộ đang sinh hoạt tạm thời")
    temporary_until: dt.date | None = Field(None, description="Sinh hoạt tạm thời đến ngày")
    party_age_from: dt.date | None = Field(
        None, description="Ngày tính tuổi đảng (lần kết nạp đầu, cộng các thời gian không tính)"
    )
    ceremony_date: dt.date | None = Field(description="Ngày lễ kết nạp")
    full_member_date: dt.date | None = Field(description="Ngày chính thức")
    exempt: bool = Field(description="Miễn công tác và sinh hoạt đảng")
    left_on: dt.date | None = Field(description="Ngày ra khỏi Đảng")

    @model_validator(mode="wrap")
    @classmethod
    def _keep_built(cls, value, handler):
        return value if isinstance(value, cls) else handler(value)

    @staticmethod
    def resolve_birth_date_display(person: Person) -> str:
        return birth_date_display(person.birth_year, person.birth_month, person.birth_day)

    @staticmethod
    def resolve_sex_label(person: Person) -> str:
        return person.get_sex_display()

    @staticmethod
    def resolve_ethnicity_label(person: Person) -> str:
        return person.get_ethnicity_display()

    @staticmethod
    def resolve_status_label(person: Person) -> str:
        return person.get_status_display()

    @staticmethod
    def resolve_organization(person: Person) -> str:
        return person.organization.code

    @staticmethod
    def resolve_organization_name(person: Person) -> str:
        return person.organization.name

    @staticmethod
    def resolve_transfer_to(person: Person) -> str | None:
        return person.transfer_to.code if person.transfer_to_id else None

    @staticmethod
    def resolve_temporary_at(person: Person) -> str | None:
        return person.temporary_at.code if person.temporary_at_id else None

    @staticmethod
    def of(person: Person) -> "PersonOut":
        return PersonOut.from_orm(person)


class PersonIn(services.PersonInput):
    org: str = Field(max_length=32, description="Mã chi bộ", examples=["BD.TP"])


class MemberEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_date: dt.date
    organization: str = Field(description="Mã chi bộ")
    decision: str | None
    details: dict
    override_reason: str
    recorded_by: str | None
    recorded_at: dt.datetime

    @staticmethod
    def of(event: MemberEvent) -> "MemberEventOut":
        return MemberEventOut(
            id=event.pk,
            kind=event.kind,
            kind_label=event.get_kind_display(),
            effective_date=event.effective_date,
            organization=event.organization.code,
            decision=str(event.decision) if event.decision_id else None,
            details=event.details,
            override_reason=event.override_reason,
            recorded_by=event.recorded_by.username if event.recorded_by_id else None,
            recorded_at=event.recorded_at,
        )


class AdmissionIn(Schema):
    ceremony_date: dt.date = Field(description="Ngày lễ kết nạp")
    vote_date: dt.date | None = Field(None, description="Ngày chi bộ xét kết nạp")
    decision: DecisionInput
    override_reason: str = Field("", max_length=1000)


class RecognitionIn(Schema):
    decision: DecisionInput


class TransferOutIn(Schema):
    to: str = Field(description="Mã chi bộ nhận", examples=["BD.TP"])
    effective_date: dt.date = Field(description="Ngày chuyển đi")
    decision: DecisionInput | None = None
    note: str = Field("", max_length=1000)


class TransferInIn(Schema):
    effective_date: dt.date = Field(description="Ngày tiếp nhận")
    decision: DecisionInput | None = None
    override_reason: str = Field("", max_length=1000, description="Lý do tiếp nhận quá hạn")


class TemporaryTransferIn(Schema):
    to: str = Field(description="Mã chi bộ nơi sinh hoạt tạm thời", examples=["BD.TP"])
    effective_date: dt.date = Field(description="Ngày bắt đầu sinh hoạt tạm thời")
    until: dt.date = Field(description="Ngày kết thúc sinh hoạt tạm thời")
    for_study: bool = Field(False, description="Đi học tập trung (đến 2 năm)")
    decision: DecisionInput | None = None
    note: str = Field("", max_length=1000)


# the events recorded through POST /people/{id}/events, each by its lifecycle service
EventKind = Literal[tuple(kind.value for kind in lifecycle.SIMPLE_SERVICES)]  # type: ignore[valid-type]


class MemberEventIn(Schema):
    kind: EventKind = Field(description="Loại sự kiện")  # type: ignore[valid-type]
    effective_date: dt.date
    decision: DecisionInput | None = None
    details: dict[str, Any] = Field(default_factory=dict, examples=[{"form": "reprimand"}])
    override_reason: str = Field("", max_length=1000)


# reads --------------------------------------------------------------------------------------
@router.get("/people", response=list[PersonOut], summary="Danh sách lý lịch")
@paginate(LimitOffsetPagination)
def person_list(
    request: HttpRequest,
    org: str | None = None,
    q: str | None = Query(None, max_length=100),  # noqa: B008
    status: MemberStatus | None = None,
    sex: Sex | None = None,
):
    scope = _scope(request)
    organization = organization_selectors.organization_get(scope=scope, code=org) if org else None
    return selectors.person_list(
        scope=scope, organization=organization, q=q, status=status, sex=sex
    )


@router.get("/people/{id}", response=PersonOut, summary="Một lý lịch")
def person_detail(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002, B008
    return PersonOut.of(selectors.person_get(scope=_scope(request), pk=id))


@router.get(
    "/people/{id}/events", response=list[MemberEventOut], summary="Quá trình sinh hoạt đảng"
)
def person_events(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002, B008
    person = selectors.person_get(scope=_scope(request), pk=id)
    return [MemberEventOut.of(event) for event in selectors.person_events(person)]


class PhotoIn(Schema):
    data: str = Field(description="Ảnh JPEG hoặc PNG, mã hóa base64", max_length=3_000_000)


class PhotoOut(Schema):
    content_type: str
    data: str = Field(description="Ảnh, mã hóa base64")
    uploaded_at: dt.datetime


def _photo_out(person: Person) -> PhotoOut:
    photo = selectors.person_photo(person)
    return PhotoOut(
        content_type=photo.content_type,
        data=base64.b64encode(bytes(photo.content)).decode(),
        uploaded_at=photo.uploaded_at,
    )


@router.get("/people/{id}/photo", response=PhotoOut, summary="Ảnh lý lịch")
def person_photo(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002, B008
    return _photo_out(selectors.person_get(scope=_scope(request), pk=id))


# writes -------------------------------------------------------------------------------------
@router.post("/people", response={201: PersonOut}, summary="Lập lý lịch")
def person_create(request: HttpRequest, data: PersonIn):
    scope = _scope(request)
    organization = organization_selectors.organization_get(scope=scope, code=data.org)
    person = services.person_create(
        scope=scope,
        organization=organization,
        data=services.PersonInput(**data.model_dump(exclude={"org"})),
    )
    return Status(201, PersonOut.of(selectors.person_get(scope=scope, pk=person.pk)))


@router.post("/people/{id}/update", response=PersonOut, summary="Cập nhật lý lịch")
def person_update(
    request: HttpRequest,
    data: services.PersonUpdate,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = services.person_update(
        scope=scope, person=selectors.person_get(scope=scope, pk=id), data=data
    )
    return PersonOut.of(selectors.person_get(scope=scope, pk=person.pk))


def _person_after(scope: Scope, person: Person):
    return Status(201, PersonOut.of(selectors.person_get(scope=scope, pk=person.pk)))


@router.post("/people/{id}/admission", response={201: PersonOut}, summary="Kết nạp")
def person_admit(
    request: HttpRequest,
    data: AdmissionIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=data.ceremony_date,
        vote_date=data.vote_date,
        decision=data.decision,
        override_reason=data.override_reason,
    )
    return _person_after(scope, person)


@router.post(
    "/people/{id}/recognition", response={201: PersonOut}, summary="Công nhận đảng viên chính thức"
)
def person_recognize(
    request: HttpRequest,
    data: RecognitionIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    lifecycle.member_recognize(scope=scope, person=person, decision=data.decision)
    return _person_after(scope, person)


@router.post("/people/{id}/events", response={201: PersonOut}, summary="Ghi nhận sự kiện đảng viên")
def person_event(
    request: HttpRequest,
    data: MemberEventIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    lifecycle.SIMPLE_SERVICES[data.kind](
        scope=scope,
        person=person,
        effective_date=data.effective_date,
        decision=data.decision,
        details=data.details,
        override_reason=data.override_reason,
    )
    return _person_after(scope, person)


@router.post(
    "/people/{id}/transfer-out",
    response={201: PersonOut},
    summary="Chuyển sinh hoạt đảng chính thức đi",
)
def person_transfer_out(
    request: HttpRequest,
    data: TransferOutIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    lifecycle.member_transfer_out(
        scope=scope,
        person=person,
        to=organization_selectors.organization_by_code(code=data.to),
        effective_date=data.effective_date,
        decision=data.decision,
        note=data.note,
    )
    return _person_after(scope, person)


@router.post(
    "/people/{id}/transfer-in", response={201: PersonOut}, summary="Tiếp nhận sinh hoạt đảng"
)
def person_transfer_in(
    request: HttpRequest,
    data: TransferInIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    lifecycle.member_transfer_in(
        scope=scope,
        person=person,
        effective_date=data.effective_date,
        decision=data.decision,
        override_reason=data.override_reason,
    )
    return _person_after(scope, person)


@router.post(
    "/people/{id}/temporary-transfer",
    response={201: PersonOut},
    summary="Chuyển sinh hoạt đảng tạm thời",
)
def person_temporary_transfer(
    request: HttpRequest,
    data: TemporaryTransferIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    lifecycle.member_temporary_transfer_out(
        scope=scope,
        person=person,
        to=organization_selectors.organization_by_code(code=data.to),
        effective_date=data.effective_date,
        until=data.until,
        for_study=data.for_study,
        decision=data.decision,
        note=data.note,
    )
    return _person_after(scope, person)


@router.get(
    "/transfers/incoming",
    response=list[PersonOut],
    summary="Đảng viên chuyển đến đang chờ tiếp nhận",
)
@paginate(LimitOffsetPagination)
def transfers_incoming(request: HttpRequest):
    return selectors.transfers_incoming(scope=_scope(request))  # a query: the paginator slices it


@router.get(
    "/transfers/temporary",
    response=list[PersonOut],
    summary="Đảng viên nơi khác đang sinh hoạt tạm thời",
)
@paginate(LimitOffsetPagination)
def temporary_members(request: HttpRequest):
    return selectors.temporary_members(scope=_scope(request))


# work lists ---------------------------------------------------------------------------------
class BadgeCandidatesOut(Schema):
    award_date: dt.date
    milestones: dict[int, list[PersonOut]] = Field(
        description="Theo mốc tuổi đảng: những đảng viên đủ mốc vào ngày trao tặng"
    )


def _organization(scope: Scope, org: str | None):
    return organization_selectors.organization_get(scope=scope, code=org) if org else None


@router.get(
    "/worklists/probation-ending",
    response=list[PersonOut],
    summary="Đảng viên dự bị sắp hết thời kỳ dự bị",
)
@paginate(LimitOffsetPagination)
def worklist_probation_ending(
    request: HttpRequest,
    org: str | None = None,
    within_days: int = Query(60, ge=1, le=366),  # noqa: B008
):
    scope = _scope(request)
    return worklists.probation_ending(
        scope=scope,
        today=clock.today(),
        within_days=within_days,
        organization=_organization(scope, org),
    )


@router.get(
    "/worklists/recognition-overdue",
    response=list[PersonOut],
    summary="Đảng viên dự bị quá hạn xét công nhận chính thức",
)
@paginate(LimitOffsetPagination)
def worklist_recognition_overdue(request: HttpRequest, org: str | None = None):
    scope = _scope(request)
    return worklists.recognition_overdue(
        scope=scope, today=clock.today(), organization=_organization(scope, org)
    )


@router.get(
    "/worklists/badge-candidates",
    response=BadgeCandidatesOut,
    summary="Đảng viên đủ tuổi đảng để đề nghị tặng Huy hiệu Đảng",
)
def worklist_badge_candidates(
    request: HttpRequest,
    org: str | None = None,
    award_date: dt.date | None = Query(  # noqa: B008
        None, ge=PARTY_FOUNDED, le=dt.date(2199, 12, 31), description="Mặc định: đợt trao tặng tới"
    ),
    limit: int = Query(200, ge=1, le=1000, description="Số người tối đa mỗi mốc"),  # noqa: B008
):
    scope = _scope(request)
    day = award_date or rules.next_award_date(clock.today(), load_parameters(clock.today()))
    lists = worklists.badge_candidates(
        scope=scope, award_date=day, organization=_organization(scope, org)
    )
    return BadgeCandidatesOut(
        award_date=day,
        milestones={
            years: [PersonOut.of(person) for person in people[:limit]]
            for years, people in lists.items()
        },
    )


@router.get(
    "/worklists/transfers-past-deadline",
    response=list[PersonOut],
    summary="Đảng viên chuyển đi quá hạn chưa được tiếp nhận",
)
@paginate(LimitOffsetPagination)
def worklist_transfers_past_deadline(request: HttpRequest):
    return worklists.transfers_past_deadline(scope=_scope(request), today=clock.today())


@router.get(
    "/worklists/temporary-ended",
    response=list[PersonOut],
    summary="Đảng viên hết thời hạn sinh hoạt tạm thời chưa trở về",
)
@paginate(LimitOffsetPagination)
def worklist_temporary_ended(request: HttpRequest):
    return worklists.temporary_transfers_ended(scope=_scope(request), today=clock.today())


@router.post("/people/{id}/photo", response={201: PhotoOut}, summary="Tải ảnh lý lịch lên")
def person_photo_set(
    request: HttpRequest,
    data: PhotoIn,
    id: int = Path(..., ge=1, le=MAX_ID),  # noqa: A002, B008
):
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    try:
        content = base64.b64decode(data.data, validate=True)
    except ValueError:
        raise DomainError("members.PHOTO_TYPE", "Ảnh lý lịch phải là tệp JPEG hoặc PNG.") from None
    services.person_photo_set(scope=scope, person=person, content=content)
    return Status(201, _photo_out(person))


@router.post("/people/{id}/photo/remove", response=PersonOut, summary="Xóa ảnh lý lịch")
def person_photo_remove(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):  # noqa: A002, B008
    scope = _scope(request)
    person = selectors.person_get(scope=scope, pk=id)
    services.person_photo_remove(scope=scope, person=person)
    return PersonOut.of(selectors.person_get(scope=scope, pk=id))
