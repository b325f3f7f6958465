"""Finding what the rows of a file name: organisations by code or by full name as they stood on a
date, people by citizen ID, card number or name and birth date. Each look-up goes through the
actor's scope; what lies outside it is not found, exactly like what does not exist."""

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import NotFound
from dangvu.core.formatting import format_date
from dangvu.core.names import fold
from dangvu.members.events import MemberEventKind
from dangvu.members.models import MemberEvent, Person
from dangvu.organizations.models import OPEN_END, Organization, OrganizationVersion

from .values import CellError


@dataclass(frozen=True, slots=True)
class _Named:
    organization_id: int
    name: str  # NFC, case-folded
    valid_from: dt.date
    valid_to: dt.date


def _exact(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class Directory:
    """The organisations and people of one import, remembered as they are found or created."""

    def __init__(self) -> None:
        self._by_code: dict[str, Organization] = {}
        self._by_id: dict[int, Organization] = {}
        self._names: dict[str, list[_Named]] | None = None  # folded name -> versions

    # organisations --------------------------------------------------------------------------
    def by_code(self, code: str) -> Organization | None:
        code = code.strip()
        if code in self._by_code:
            return self._by_code[code]
        organization = Organization.objects.filter(code=code).first()
        if organization is None and code.isascii():
            matches = list(Organization.objects.filter(code__iexact=code)[:2])
            organization = matches[0] if len(matches) == 1 else None
        if organization is not None:
            self._remember(organization)
            self._by_code[code] = organization
        return organization

    def prefetch_codes(self, codes) -> list[Organization]:
        """The organisations of many codes in one query per thousand (those not found are
        left to `by_code`, which also tries the code in other case)."""
        wanted = sorted({code.strip() for code in codes if code} - set(self._by_code))
        for index in range(0, len(wanted), 1000):
            for organization in Organization.objects.filter(code__in=wanted[index : index + 1000]):
                self._remember(organization)
        return [self._by_code[code] for code in wanted if code in self._by_code]

    def _remember(self, organization: Organization) -> None:
        self._by_code[organization.code] = organization
        self._by_id[organization.pk] = organization

    def _organization(self, pk: int) -> Organization:
        if pk not in self._by_id:
            self._remember(Organization.objects.get(pk=pk))
        return self._by_id[pk]

    def added(self, organization: Organization, name: str, on: dt.date) -> None:
        """An organisation established by this import, findable by its code and name."""
        self._remember(organization)
        if self._names is not None:
            self._names[fold(name)].append(_Named(organization.pk, _exact(name), on, OPEN_END))

    def forget(self) -> None:
        """After a restructuring: names and end dates are read again when next asked for."""
        self._by_code.clear()
        self._by_id.clear()
        self._names = None

    def _name_index(self) -> dict[str, list[_Named]]:
        if self._names is None:
            index: dict[str, list[_Named]] = defaultdict(list)
            rows = OrganizationVersion.objects.values_list(
                "organization_id", "name", "valid_from", "valid_to"
            )
            for organization_id, name, valid_from, valid_to in rows.iterator(chunk_size=5000):
                index[fold(name)].append(
                    _Named(organization_id, _exact(name), valid_from, valid_to)
                )
            self._names = index
        return self._names

    def organization(
        self, *, scope: Scope, text: str, at: dt.date, any_code: bool = False
    ) -> Organization:
        """The organisation `text` names, by its code or by its full name on `at`, inside the
        scope on `at`. With `any_code`, a code may name one outside the scope (the receiving
        cell of a transfer, which the sender names but need not see)."""
        organization = self.by_code(text)
        if organization is not None:
            if any_code:
                return organization
            try:
                scope.require(organization, at=at)
            except NotFound:
                raise _unknown(text, at) from None
            return organization
        candidates = [
            named
            for named in self._name_index().get(fold(text), ())
            if named.valid_from <= at < named.valid_to
        ]
        exact = [named for named in candidates if named.name == _exact(text)]
        found = []
        for pk in dict.fromkeys(named.organization_id for named in (exact or candidates)):
            organization = self._organization(pk)
            try:
                scope.require(organization, at=at)
            except NotFound:
                continue
            found.append(organization)
        if not found:
            raise _unknown(text, at)
        if len(found) > 1:
            codes = ", ".join(organization.code for organization in found[:5])
            raise CellError(
                "exchange.AMBIGUOUS_ORGANIZATION",
                f"Có {len(found)} tổ chức đảng tên «{text}» ({codes}): hãy ghi mã tổ chức.",
            )
        return found[0]

    # people ---------------------------------------------------------------------------------
    def person(
        self,
        *,
        scope: Scope,
        citizen_id: str | None,
        card_number: str | None,
        full_name: str,
        birth: tuple[int, int | None, int | None] | None,
    ) -> Person:
        """The person a row of events is about, inside the scope."""
        people = Person.objects.order_by().only(*LOOKUP_FIELDS)
        if citizen_id:
            candidates = list(people.filter(citizen_id=citizen_id)[:1])
            what = f"số CCCD {citizen_id}"
        elif card_number:
            candidates = list(people.filter(card_number=card_number)[:1])
            what = f"số thẻ đảng viên {card_number}"
        else:
            people = people.filter(full_name=full_name)
            if birth is not None:
                year, month, day = birth
                people = people.filter(birth_year=year)
                if month is not None:
                    people = people.filter(birth_month=month)
                if day is not None:
                    people = people.filter(birth_day=day)
            candidates = list(people.order_by("pk")[:50])
            what = f"họ tên «{full_name}»" + (" và ngày sinh đã ghi" if birth else "")
        visible = [candidate for candidate in candidates if self._sees(scope, candidate)]
        if not visible:
            raise CellError(
                "exchange.PERSON_NOT_FOUND",
                f"Không có lý lịch nào có {what} trong phạm vi quản lý của bạn (lý lịch phải có "
                "trước: ở trang Đảng viên của tệp này hoặc đã nhập trước đó).",
            )
        if len(visible) > 1:
            raise CellError(
                "exchange.AMBIGUOUS_PERSON",
                f"Có {len(visible)} lý lịch có {what}: hãy ghi số CCCD hoặc số thẻ đảng viên.",
            )
        return visible[0]

    def _sees(self, scope: Scope, person: Person) -> bool:
        """members.selectors.person_get's rule, on the organisations this import remembers: a
        file is seen from its cell, from the cell it is on its way to, and from the host of a
        temporary transfer, as the tree stands today."""
        today = clock.today()
        for pk in (person.organization_id, person.transfer_to_id, person.temporary_at_id):
            if pk is None:
                continue
            try:
                scope.require(self._organization(pk), at=today)
            except NotFound:
                continue
            return True
        return False


# what the lifecycle services and the re-import check read of the person an event is about
LOOKUP_FIELDS = (
    "id",
    "full_name",
    "organization_id",
    "transfer_to_id",
    "temporary_at_id",
    "full_member_date",
    "ceremony_date",
)


def _unknown(text: str, at: dt.date) -> CellError:
    return CellError(
        "exchange.UNKNOWN_ORGANIZATION",
        f"Không có tổ chức đảng «{text}» (theo mã, hoặc theo tên đầy đủ vào ngày "
        f"{format_date(at)}) trong phạm vi quản lý của bạn.",
    )


def person_matching(
    *,
    citizen_id: str | None,
    card_number: str | None,
    full_name: str,
    birth: tuple[int, int | None, int | None],
    sex: str,
    organization: Organization | None,
) -> int | None:
    """The id of the file already stored for a row of the people sheet: by citizen ID, else
    by card number, else (neither given) the one file of the same name, birth date and sex in
    the same cell."""
    if citizen_id:
        return _one(Person.objects.filter(citizen_id=citizen_id))
    if card_number:
        return _one(Person.objects.filter(card_number=card_number))
    if organization is None:
        return None
    year, month, day = birth
    matches = list(
        Person.objects.values_list("pk", flat=True)
        .filter(
            organization=organization,
            full_name=full_name,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            sex=sex,
            citizen_id__isnull=True,
            card_number__isnull=True,
        )
        .order_by()[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _one(people) -> int | None:
    """The id of the one row of a look-up by a unique number (unordered: the default order
    by name would make the database walk the name index)."""
    found = list(people.order_by().values_list("pk", flat=True)[:1])
    return found[0] if found else None


def recognition_among(events, on: dt.date) -> bool:
    """Whether the (kind, effective date) pairs of a person's history hold the recognition of
    the admission in force on `on` (a recognition row's date, its decision's): one after the
    last admission or readmission until then. A member readmitted after being recognised is
    recognised again at the end of the new probation; the row of the first one stays recorded."""
    ceremonies = [day for kind, day in events if kind in CEREMONIES and day <= on]
    if not ceremonies:
        return False
    ceremony = max(ceremonies)
    return any(kind == MemberEventKind.RECOGNITION and day >= ceremony for kind, day in events)


def recognition_recorded(person: Person, on: dt.date) -> bool:
    return recognition_among(
        list(MemberEvent.objects.filter(person=person).values_list("kind", "effective_date")), on
    )


CEREMONIES = (MemberEventKind.ADMISSION, MemberEventKind.READMISSION)


def event_recorded(person: Person, kind: str, effective_date: dt.date | None) -> bool:
    """Whether the person's history already holds this event (a re-imported row)."""
    events = MemberEvent.objects.filter(person=person, kind=kind)
    if effective_date is not None:
        events = events.filter(effective_date=effective_date)
    return events.exists()
