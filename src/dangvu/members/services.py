"""Writes on the personal file (lý lịch): one business action, one transaction each.

Each service checks the actor's scope, validates the whole file (nothing is half-written),
derives the name parts, the Vietnamese sort key and the folded search text, saves and writes
the audit row.
"""

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from pydantic import BaseModel, Field

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import Conflict, DomainError
from dangvu.core.names import clean_name, fold, sort_key, split_name
from dangvu.core.places import check_province_code
from dangvu.organizations.models import Organization, OrganizationType

from .events import MemberEventKind
from .identity import check_citizen_id
from .models import Person, PersonPhoto, Sex
from .reference import ETHNICITIES, POLITICAL_THEORY, RELIGIONS

CELL_TYPES = (OrganizationType.GRASSROOTS_CELL, OrganizationType.SUBORDINATE_CELL)
CARD_EVENTS = (MemberEventKind.CARD_ISSUE, MemberEventKind.CARD_REPLACE)


class PersonUpdate(BaseModel):
    """The fields of the personal file a writer gives; on update, only those set change."""

    full_name: str | None = Field(None, max_length=128, examples=["Nguyễn Văn An"])
    other_names: str | None = Field(None, max_length=128)
    birth_year: int | None = Field(None, examples=[1985])
    birth_month: int | None = None
    birth_day: int | None = None
    sex: Sex | None = None
    ethnicity: str | None = Field(None, max_length=2, examples=["01"])
    religion: str | None = Field(None, max_length=16)
    hometown: str | None = Field(None, max_length=255)
    birthplace: str | None = Field(None, max_length=255)
    permanent_residence: str | None = Field(None, max_length=255)
    permanent_province_code: int | None = None
    current_residence: str | None = Field(None, max_length=255)
    current_province_code: int | None = None
    citizen_id: str | None = Field(None, max_length=12, examples=["052085001234"])
    phone: str | None = Field(None, max_length=20)
    general_education: str | None = Field(None, max_length=16, examples=["12/12"])
    qualification: str | None = Field(None, max_length=128)
    political_theory: str | None = Field(None, max_length=16)
    state_management: str | None = Field(None, max_length=64)
    foreign_language: str | None = Field(None, max_length=64)
    occupation: str | None = Field(None, max_length=128)
    work_unit: str | None = Field(None, max_length=255)
    job_position: str | None = Field(None, max_length=128)
    card_number: str | None = Field(None, max_length=16)


class PersonInput(PersonUpdate):
    """A new personal file: the name, the birth year and the sex are required."""

    full_name: str = Field(max_length=128, examples=["Nguyễn Văn An"])
    birth_year: int = Field(examples=[1985])
    sex: Sex
    ethnicity: str = Field("01", max_length=2, examples=["01"])


# The fields a writer gives, in the order of the paper file; the rest is derived.
FIELDS = tuple(PersonUpdate.model_fields)
TEXT_FIELDS = (
    "other_names",
    "hometown",
    "birthplace",
    "permanent_residence",
    "current_residence",
    "phone",
    "general_education",
    "qualification",
    "state_management",
    "foreign_language",
    "occupation",
    "work_unit",
    "job_position",
)
DERIVED = ("family_name", "middle_name", "given_name", "name_sort_key", "search_text")


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _check_birth(year: int, month: int | None, day: int | None, today: dt.date) -> None:
    invalid = DomainError(
        "members.INVALID_BIRTH_DATE",
        "Ngày sinh không hợp lệ: ghi năm sinh, có thể thêm tháng và ngày của một ngày có thật.",
    )
    if day is not None and month is None:
        raise invalid
    try:
        born = dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except (ValueError, OverflowError):
        raise invalid from None
    if year < 1890 or born > today:
        raise DomainError(
            "members.INVALID_BIRTH_DATE",
            f"Ngày sinh phải trước ngày hôm nay và sau năm 1890 (đã ghi năm {year}).",
        )


def _check_province(province_code: int | None) -> None:
    check_province_code(province_code, error_code="members.UNKNOWN_PROVINCE")


def _check_choice(value: str, choices, code: str, what: str) -> None:
    # the catalogues are module constants: their keys gathered once (a load checks 100,000 files)
    cached = _CHOICE_KEYS.get(id(choices))
    if cached is None or cached[0] is not choices:
        cached = _CHOICE_KEYS[id(choices)] = (choices, frozenset(key for key, _ in choices))
    if value not in cached[1]:
        raise DomainError(code, f"{what} «{value}» không có trong danh mục.")


_CHOICE_KEYS: dict[int, tuple] = {}  # id -> (the catalogue, its keys)
_SEXES = frozenset(Sex.values)  # Sex.values builds a new list at each call


def _clean(values: dict[str, Any], *, person: Person | None) -> dict[str, Any]:
    """Every field checked and normalised, with the derived columns; raises before any write."""
    others = Person.objects.exclude(pk=person.pk) if person is not None else Person.objects.all()
    return person_values(
        values,
        today=clock.today(),
        taken=lambda field, number: others.filter(**{field: number}).exists(),
    )


def person_values(
    values: dict[str, Any], *, today: dt.date, taken: Callable[[str, str], bool]
) -> dict[str, Any]:
    """What `_clean` does without the database: `taken(field, number)` says whether another
    file holds the citizen ID or card number (a loader checks many rows against sets)."""
    data = dict(values)
    name = clean_name(data.get("full_name") or "")
    if not name:
        raise DomainError("members.NAME_REQUIRED", "Họ và tên không được để trống.")
    parts = split_name(name)
    if len(parts.family) > 32 or len(parts.middle) > 64 or len(parts.given) > 32:
        raise DomainError("members.NAME_TOO_LONG", "Họ, tên đệm hoặc tên quá dài.")
    data["full_name"] = parts.full
    for key in TEXT_FIELDS:
        data[key] = _text(data.get(key))
    if data.get("birth_year") is None:
        raise DomainError("members.INVALID_BIRTH_DATE", "Cần ghi năm sinh.")
    _check_birth(data["birth_year"], data.get("birth_month"), data.get("birth_day"), today)
    if data.get("sex") not in _SEXES:
        raise DomainError("members.INVALID_SEX", "Giới tính phải là nam hoặc nữ.")
    data["sex"] = str(data["sex"])
    data["ethnicity"] = data.get("ethnicity") or ""
    _check_choice(data["ethnicity"], ETHNICITIES, "members.UNKNOWN_ETHNICITY", "Dân tộc")
    data["religion"] = data.get("religion") or ""
    _check_choice(data["religion"], RELIGIONS, "members.UNKNOWN_RELIGION", "Tôn giáo")
    data["political_theory"] = data.get("political_theory") or ""
    _check_choice(
        data["political_theory"], POLITICAL_THEORY, "members.UNKNOWN_LEVEL", "Trình độ lý luận"
    )
    _check_province(data.get("permanent_province_code"))
    _check_province(data.get("current_province_code"))

    citizen_id = _text(data.get("citizen_id")) or None
    if citizen_id is not None:
        citizen_id = check_citizen_id(citizen_id, birth_year=data["birth_year"], sex=data["sex"])
        if taken("citizen_id", citizen_id):
            raise Conflict(
                "members.CITIZEN_ID_TAKEN", f"Số CCCD {citizen_id} đã có trong một lý lịch khác."
            )
    data["citizen_id"] = citizen_id
    card_number = _text(data.get("card_number")) or None
    if card_number is not None:
        if not (card_number.isascii() and card_number.isdigit()):
            raise DomainError("members.INVALID_CARD_NUMBER", "Số thẻ đảng viên chỉ gồm các chữ số.")
        if taken("card_number", card_number):
            raise Conflict(
                "members.CARD_NUMBER_TAKEN",
                f"Số thẻ đảng viên {card_number} đã có trong một lý lịch khác.",
            )
    data["card_number"] = card_number

    data["family_name"], data["middle_name"], data["given_name"] = (
        parts.family,
        parts.middle,
        parts.given,
    )
    data["name_sort_key"] = sort_key(parts)
    data["search_text"] = _search_text(
        name, data["other_names"], card_number or "", citizen_id or ""
    )
    return data


def _search_text(*words: str) -> str:
    return fold(" ".join(words))[:400]


def search_text(person: Person) -> str:
    """The folded text the search matches: name, other names, card number, citizen ID."""
    return _search_text(
        person.full_name, person.other_names, person.card_number or "", person.citizen_id or ""
    )


@contextlib.contextmanager
def unique_numbers():
    """Two writers saving the same number at once: the database's unique constraint decides,
    and the loser gets the same conflict as the checks above would have given."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        text = str(error)
        if "card_number" in text:
            raise Conflict(
                "members.CARD_NUMBER_TAKEN", "Số thẻ đảng viên đã có trong một lý lịch khác."
            ) from None
        if "citizen_id" in text:
            raise Conflict(
                "members.CITIZEN_ID_TAKEN", "Số CCCD đã có trong một lý lịch khác."
            ) from None
        raise


def require_cell(scope: Scope, organization: Organization) -> None:
    """The actor edits in `organization`, a cell (where personal files are kept)."""
    version = scope.require(organization, at=clock.today(), role=Role.EDITOR)
    if version.type not in CELL_TYPES:
        raise DomainError(
            "members.NOT_A_CELL",
            f"«{version.name}» không phải chi bộ: lý lịch được quản lý tại chi bộ cơ sở hoặc chi "
            "bộ trực thuộc.",
        )


def _snapshot(person: Person) -> dict[str, Any]:
    return {key: getattr(person, key) for key in (*FIELDS, "organization_id")}


@transaction.atomic
def person_create(*, scope: Scope, organization: Organization, data: PersonInput) -> Person:
    require_cell(scope, organization)
    values = _clean(data.model_dump(), person=None)
    with unique_numbers():
        person = Person.objects.create(organization=organization, **values)
    audit_record(actor=scope.user, action="person.create", obj=person, after=_snapshot(person))
    return person


@transaction.atomic
def person_update(*, scope: Scope, person: Person, data: PersonUpdate) -> Person:
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=person.pk)
    )
    require_cell(scope, person.organization)
    before = _snapshot(person)
    values = _clean(
        {**{key: getattr(person, key) for key in FIELDS}, **data.model_dump(exclude_unset=True)},
        person=person,
    )
    for key, value in values.items():
        setattr(person, key, value)
    after = _snapshot(person)
    changed = [key for key in FIELDS if before[key] != after[key]]
    if not changed:
        raise DomainError("members.NOTHING_CHANGED", "Không có thông tin nào thay đổi.")
    if "card_number" in changed and person.events.filter(kind__in=CARD_EVENTS).exists():
        raise DomainError(
            "members.CARD_NUMBER_BY_EVENT",
            "Số thẻ đảng viên đã được ghi theo quyết định phát thẻ: ghi nhận đổi, cấp lại thẻ.",
        )
    with unique_numbers():
        person.save()
    audit_record(
        actor=scope.user,
        action="person.update",
        obj=person,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return person


PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def photo_type(content: bytes) -> str:
    """The image type read from the file's first bytes (never from what the client claims)."""
    for magic, content_type in PHOTO_TYPES.items():
        if content.startswith(magic):
            return content_type
    raise DomainError("members.PHOTO_TYPE", "Ảnh lý lịch phải là tệp JPEG hoặc PNG.")


@transaction.atomic
def person_photo_set(*, scope: Scope, person: Person, content: bytes) -> PersonPhoto:
    """Ảnh lý lịch (optional): JPEG or PNG up to 2 MB, replacing the previous one."""
    person = Person.objects.select_for_update().select_related("organization").get(pk=person.pk)
    require_cell(scope, person.organization)
    if len(content) > PHOTO_MAX_BYTES:
        raise DomainError(
            "members.PHOTO_TOO_LARGE",
            f"Ảnh lý lịch không quá {PHOTO_MAX_BYTES // (1024 * 1024)} MB.",
        )
    content_type = photo_type(content)
    photo, created = PersonPhoto.objects.update_or_create(
        person=person, defaults={"content": content, "content_type": content_type}
    )
    audit_record(
        actor=scope.user,
        action="person.photo_set",
        obj=person,
        after={"content_type": content_type, "bytes": len(content), "replaced": not created},
    )
    return photo


@transaction.atomic
def person_photo_remove(*, scope: Scope, person: Person) -> None:
    person = Person.objects.select_for_update().select_related("organization").get(pk=person.pk)
    require_cell(scope, person.organization)
    deleted, _ = PersonPhoto.objects.filter(person=person).delete()
    if not deleted:
        raise DomainError("members.NO_PHOTO", "Lý lịch chưa có ảnh.")
    audit_record(actor=scope.user, action="person.photo_remove", obj=person)


__all__ = [
    "PersonInput",
    "PersonUpdate",
    "person_create",
    "person_photo_remove",
    "person_photo_set",
    "person_update",
]
