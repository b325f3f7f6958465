"""JSON API of the personal files (lý lịch): parse, call a selector or service, shape."""

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from dangvu.access.scopes import Scope, scope_for
from dangvu.core.pagination import LimitOffsetPagination
from dangvu.organizations import selectors as organization_selectors

from . import selectors, services
from .models import MemberStatus, Person, Sex

router = Router(tags=["Đảng viên"])

MAX_ID = 2**63 - 1


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
    def of(person: Person) -> "PersonOut":
        return PersonOut.from_orm(person)


class PersonIn(services.PersonInput):
    org: str = Field(max_length=32, description="Mã chi bộ", examples=["BD.TP"])


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
