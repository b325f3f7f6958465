"""The bulk path of the import: the same checks as row by row, in memory, then one write per table.

Row by row, each personal file and each event goes through its service: about twenty queries
an event, a quarter of an hour for 100,000 files. Here the rows of the people and events
sheets are checked with the same pure pieces (the value parsers, `members.services.
person_values`, `members.identity`, and `members.history.replay` with the rules of each
date), while the database is asked set-based questions only: the numbers of a chunk of rows
already taken (one `IN` query per chunk), the versions of an organisation once, the decisions
already stored. Each new person's events are replayed in memory in the order the per-row path
applies them, a failing event is reported and left out exactly as its savepoint would have
been, and at the end persons, decisions, events and membership periods are written in one go
(COPY on PostgreSQL) with one audit row for the whole import.

What is already in the database keeps going through the services (an organisation of the
organisations sheet, a file the import corrects, an event of a file stored before): those
rows are few in a first load and are skipped cheaply (set-based) on a re-import.

The result is what the per-row path writes, row for row (tests/exchange/test_bulk.py), apart
from the audit: one `member.bulk_import` row with the counts instead of one row per change.
"""

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from types import SimpleNamespace
from typing import Any

from django.db import DatabaseError

from dangvu.access.models import AuditEntry, Role
from dangvu.access.scopes import reference_date
from dangvu.core import bulk as writes
from dangvu.core.decisions import DecisionInput
from dangvu.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangvu.core.models import Decision
from dangvu.core.names import split_name
from dangvu.core.symbols import normalize_document_symbol
from dangvu.members import rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.history import MemberState, Placement, ReplayEvent, replay
from dangvu.members.lifecycle import PROJECTION, SIMPLE_SERVICES
from dangvu.members.models import MemberEvent, MembershipPeriod, Person
from dangvu.members.parameters import parameters_reader
from dangvu.members.services import (
    CELL_TYPES,
    PersonInput,
    PersonUpdate,
    person_values,
    require_cell,
    search_text,
)
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.quality.models import PersonKey
from dangvu.quality.services import key_values, person_keys_refresh

from . import imports as per_row
from . import rows as parsing
from .imports import (
    CREATED,
    ERROR_COLUMNS,
    SKIPPED,
    UPDATED,
    _Run,
    event_order,
)
from .report import RowError, SheetSummary
from .rows import EventRow, Issue, PersonRow, RowRejected
from .selectors import LOOKUP_FIELDS, recognition_among
from .sheets import SheetSource
from .values import CellError

BULK_THRESHOLD = 2000  # data rows of a file above which the import takes the bulk path
CHUNK = 2000  # rows asked about in one query
BIRTH = ("birth_year", "birth_month", "birth_day")
VERSION_FIELDS = ("path", "type", "name", "parent_id", "organization_id", "valid_from", "valid_to")


@dataclass(eq=False, slots=True)
class _NewPerson:
    """A personal file this import creates, with its events replayed so far."""

    values: dict[str, Any]  # the Person columns from person_values
    organization_id: int
    events: list[ReplayEvent] = field(default_factory=list)
    state: MemberState = field(default_factory=MemberState)
    touched: int = 0  # when its periods were last rewritten (the per-row path's order)
    pk: int = 0

    @property
    def full_name(self) -> str:
        return self.values["full_name"]

    @property
    def card_number(self) -> str | None:
        return self.values["card_number"]

    def birth(self) -> rules.PartialDate:
        return rules.PartialDate(*(self.values[key] for key in BIRTH))


def _chunks(items: list, size: int = CHUNK):
    for index in range(0, len(items), size):
        yield items[index : index + size]


class BulkRun(_Run):
    """An import run whose people and events sheets take the bulk path (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parameters = parameters_reader()
        self.new: list[_NewPerson] = []
        self.by_citizen_id: dict[str, _NewPerson] = {}
        self.by_card: dict[str, _NewPerson] = {}
        self.by_name: dict[str, list[_NewPerson]] = defaultdict(list)
        self.versions: dict[int, list[OrganizationVersion]] = {}
        self.decisions: dict[tuple[str, dt.date, str], str] = {}  # key -> summary, in order
        self.keys: dict[tuple[str, dt.date, str], tuple[str, dt.date, str]] = {}
        self.event_seq = 0
        self.counts = {"people": 0, "events": 0}
        self.stored: dict[str, Person] = {}  # stored files the events name, by "c:"/"n:" number
        self.recorded: dict[int, set[tuple[str, dt.date]]] = defaultdict(set)  # their events
        self.dirty: set[int] = set()  # stored files changed by a service during this run
        self.cards_taken: set[str] = set()
        self.reference_dates: dict[int, dt.date] = {}  # organisation -> Scope.require's date

    # people -----------------------------------------------------------------------------------
    def _people(self, sheet: SheetSource, summary: SheetSummary, records) -> None:
        chunk: list[PersonRow] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= CHUNK:
                self._people_chunk(sheet, summary, chunk)
                chunk = []
        self._people_chunk(sheet, summary, chunk)

    def _tick(self, sheet: SheetSource) -> None:
        """As row by row, without renewing the scope: its caches hold one version per
        organisation and day asked about, and this path asks about today only."""
        self.done += 1
        if self.progress is not None and self.done % per_row.PROGRESS_EVERY == 0:
            self.progress(sheet.name, self.done)

    def _people_chunk(self, sheet: SheetSource, summary: SheetSummary, chunk) -> None:
        cells = self.directory.prefetch_codes(r.organization for r in chunk)
        self.scope.prefetch([cell.pk for cell in cells], self.today)
        citizen_ids = {r.data["citizen_id"] for r in chunk if r.data.get("citizen_id")}
        cards = {r.data["card_number"] for r in chunk if r.data.get("card_number")}
        stored_ids = dict(
            Person.objects.filter(citizen_id__in=citizen_ids)
            .order_by()
            .values_list("citizen_id", "pk")
        )
        stored_cards = dict(
            Person.objects.filter(card_number__in=cards).order_by().values_list("card_number", "pk")
        )
        for record in chunk:
            try:
                self._check_seen(record)
            except RowRejected as rejected:
                summary.rejected += 1
                for issue in rejected.issues:
                    self._error(sheet.name, sheet.header, record.number, issue)
                self._tick(sheet)
                continue
            data = record.data
            if data.get("citizen_id"):
                stored = data["citizen_id"] in stored_ids
            elif data.get("card_number"):
                stored = data["card_number"] in stored_cards
            else:
                stored = None  # matched by name, birth date, sex and cell: asked below
            if stored:
                outcome = self._apply(sheet, summary, record.number, self._person_seen, record)
                self._accepted(sheet, record, outcome)
                continue

            def new(record=record, stored=stored):
                return self._new_person(record, stored, stored_cards)

            outcome = self._apply(sheet, summary, record.number, new, record, savepoint=False)
            self._accepted(sheet, record, outcome)

    def _new_person(self, record: PersonRow, stored: bool | None, stored_cards) -> str:
        data = record.data
        organization = self._cell(record)
        if stored is None and organization is not None:
            same = self._same_person(data, organization)
            if same == "stored":
                return self._person_seen(record)  # a stored file: the services correct it
            if same is not None:
                return self._correct_new(same, data)
        if organization is None:
            raise RowRejected(
                [Issue("organization", "exchange.REQUIRED", "Cần ghi chi bộ (mã hoặc tên).")]
            )
        require_cell(self.scope, organization)
        values = person_values(
            PersonInput(**data).model_dump(),
            today=self.today,
            taken=lambda key, number: key == "card_number" and number in stored_cards,
        )
        person = _NewPerson(values, organization.pk)
        self.new.append(person)
        if values["citizen_id"]:
            self.by_citizen_id[values["citizen_id"]] = person
        if values["card_number"]:
            self.by_card[values["card_number"]] = person
        self.by_name[values["full_name"]].append(person)
        self.counts["people"] += 1
        return CREATED

    def _same_person(self, data: dict[str, Any], organization: Organization):
        """selectors.person_matching over the stored files and this import's new ones: "stored",
        the one new file, or None (none, or more than one)."""
        from .selectors import person_matching

        matches: list = []
        birth = tuple(data.get(key) for key in BIRTH)
        stored = person_matching(
            citizen_id=None,
            card_number=None,
            full_name=data["full_name"],
            birth=birth,
            sex=data["sex"],
            organization=organization,
        )
        if stored is not None:
            matches.append("stored")
        for person in self.by_name.get(data["full_name"], ()):
            if (
                person.organization_id == organization.pk
                and tuple(person.values[key] for key in BIRTH) == birth
                and person.values["sex"] == data["sex"]
                and not person.values["citizen_id"]
                and not person.card_number
            ):
                matches.append(person)
        return matches[0] if len(matches) == 1 else None

    def _correct_new(self, person: _NewPerson, data: dict[str, Any]) -> str:
        """A later row about a file this import creates: `_existing_person`'s comparison, and
        the values checked again as person_update would."""
        given = {key: value for key, value in _given(data).items() if key not in BIRTH}
        given["full_name"] = split_name(given["full_name"]).full
        changed = {k: v for k, v in given.items() if person.values.get(k) != v}
        row_birth = tuple(data.get(key) for key in BIRTH)
        stored = tuple(person.values[key] for key in BIRTH)
        less_precise = row_birth[0] == stored[0] and all(
            mine is None or mine == theirs
            for mine, theirs in zip(row_birth[1:], stored[1:], strict=True)
        )
        if not less_precise:
            changed.update(zip(BIRTH, row_birth, strict=True))
        if not changed:
            return SKIPPED
        fields = PersonUpdate.model_fields
        current = {key: person.values.get(key) for key in fields}
        update = PersonUpdate(**changed).model_dump(exclude_unset=True)
        values = person_values(
            {**current, **update},
            today=self.today,
            taken=lambda key, number: (
                (self.by_citizen_id if key == "citizen_id" else self.by_card).get(number)
                not in (None, person)
                or Person.objects.filter(**{key: number}).exists()
            ),
        )
        if all(values[key] == person.values[key] for key in fields):
            return SKIPPED
        for index, key in ((self.by_citizen_id, "citizen_id"), (self.by_card, "card_number")):
            if person.values[key] != values[key]:
                index.pop(person.values[key], None)
                if values[key]:
                    index[values[key]] = person
        if person.values["full_name"] != values["full_name"]:
            self.by_name[person.values["full_name"]].remove(person)
            self.by_name[values["full_name"]].append(person)
        person.values = values
        return UPDATED

    # events -----------------------------------------------------------------------------------
    def _events(self, sheet: SheetSource, summary: SheetSummary, records) -> None:
        events = sorted(records, key=event_order)
        self._find_stored(events)
        cells = {person.organization_id for person in self.new}
        cells.update(o.pk for o in self.directory.prefetch_codes(r.destination for r in events))
        self._load_versions(cells)
        for position, record in enumerate(events):
            events[position] = None  # each row's record is let go once applied
            try:
                person = self._person_of(record)
            except CellError as error:
                issue = Issue(ERROR_COLUMNS.get(error.code, ""), error.code, error.message)
                self._reject(sheet, summary, record.number, issue)
                self._tick(sheet)
                continue
            if isinstance(person, _NewPerson):
                apply = self._new_event
            elif person is not None and self._stored_recorded(person, record):
                apply = self._skip
            else:
                self._apply(sheet, summary, record.number, self._stored_event, record)
                continue

            def run(record=record, apply=apply, person=person):
                return apply(person, record)

            self._apply(sheet, summary, record.number, run, record, savepoint=False)

    def _skip(self, person, record) -> str:
        return SKIPPED

    def _stored_event(self, record: EventRow) -> str:
        """An event of a stored file not recorded yet: through its service."""
        outcome = self._event(record)
        if outcome == CREATED:
            for key in (f"c:{record.citizen_id}", f"n:{record.card_number}"):
                if key in self.stored:
                    self.dirty.add(self.stored[key].pk)
        return outcome

    def _find_stored(self, events: list[EventRow]) -> None:
        """The stored files the events name by number, their recorded events and the card
        numbers the card events would give: a few queries per chunk of numbers."""
        citizen_ids = sorted(
            {
                r.citizen_id
                for r in events
                if r.citizen_id and r.citizen_id not in self.by_citizen_id
            }
        )
        cards = sorted(
            {
                r.card_number
                for r in events
                if not r.citizen_id and r.card_number and r.kind not in parsing.CARD_KINDS
            }
        )
        people = Person.objects.order_by().only(*LOOKUP_FIELDS, "citizen_id", "card_number")
        for chunk in _chunks(citizen_ids):
            for person in people.filter(citizen_id__in=chunk):
                self.stored[f"c:{person.citizen_id}"] = person
        for chunk in _chunks(cards):
            for person in people.filter(card_number__in=chunk):
                self.stored[f"n:{person.card_number}"] = person
        pks = sorted({person.pk for person in self.stored.values()})
        for chunk in _chunks(pks):
            for pk, kind, day in (
                MemberEvent.objects.filter(person_id__in=chunk)
                .order_by()
                .values_list("person_id", "kind", "effective_date")
            ):
                self.recorded[pk].add((kind, day))
        numbers = sorted(
            {r.card_number for r in events if r.kind in parsing.CARD_KINDS and r.card_number}
        )
        for chunk in _chunks(numbers):
            self.cards_taken.update(
                Person.objects.filter(card_number__in=chunk)
                .order_by()
                .values_list("card_number", flat=True)
            )

    def _person_of(self, record: EventRow) -> "_NewPerson | Person | None":
        """The person the row is about when the bulk path can tell without a query: a new file
        of this import, or a stored one found by `_find_stored`; None: ask the services."""
        card = None if record.kind in parsing.CARD_KINDS else record.card_number
        if record.citizen_id:
            found = self.by_citizen_id.get(record.citizen_id) or self.stored.get(
                f"c:{record.citizen_id}"
            )
        elif card:
            found = self.by_card.get(card)
            if found is None and not self.dirty:  # a service may have changed a number
                found = self.stored.get(f"n:{card}")
        else:
            return self._by_name(record)
        if isinstance(found, Person) and (
            found.pk in self.dirty or not self.directory._sees(self.scope, found)
        ):
            return None
        return found

    def _by_name(self, record: EventRow):
        """Directory.person's look-up by name and birth date over new and stored files."""
        new = [
            person
            for person in self.by_name.get(record.full_name, ())
            if _birth_matches(person, record.birth) and self._sees_new(person)
        ]
        if not new:
            return None  # the services look among the stored files (and report)
        stored = Person.objects.filter(full_name=record.full_name)
        if record.birth is not None:
            for key, value in zip(BIRTH, record.birth, strict=True):
                if value is not None:
                    stored = stored.filter(**{key: value})
        stored = [
            person
            for person in stored.order_by("pk").only(*LOOKUP_FIELDS)[:50]
            if self.directory._sees(self.scope, person)
        ]
        if len(new) + len(stored) > 1:
            what = f"họ tên «{record.full_name}»" + (" và ngày sinh đã ghi" if record.birth else "")
            raise CellError(
                "exchange.AMBIGUOUS_PERSON",
                f"Có {len(new) + len(stored)} lý lịch có {what}: hãy ghi số CCCD hoặc số thẻ "
                "đảng viên.",
            )
        return new[0]

    def _sees_new(self, person: _NewPerson) -> bool:
        """Directory._sees for a new file: from its cell, its destination, its host."""
        state = person.state
        for pk in (person.organization_id, state.transfer_to_id, state.temporary_at_id):
            if pk is None:
                continue
            try:
                self.scope.require(self.directory._organization(pk), at=self.today)
            except NotFound:
                continue
            return True
        return False

    def _stored_recorded(self, person: Person, record: EventRow) -> bool:
        recorded = self.recorded.get(person.pk, ())
        if record.kind == E.RECOGNITION:
            return recognition_among(recorded, record.date)
        return (record.kind, record.date) in recorded

    # the events of a new file: imports._Run._event and the lifecycle services, in memory ------
    def _new_event(self, person: _NewPerson, record: EventRow) -> str:
        if self._new_recorded(person, record):
            return SKIPPED
        kind, day = record.kind, record.date
        if kind == E.ADMISSION:
            details = {"vote_date": record.vote_date.isoformat()} if record.vote_date else {}
            self._record(person, kind, day, record.decision, details, record.override_reason)
        elif kind == E.RECOGNITION:
            if record.decision is None:
                raise RowRejected(
                    [
                        Issue(
                            "decision_symbol",
                            "core.DECISION_REQUIRED",
                            "Cần có quyết định công nhận (số, ngày, cơ quan ban hành).",
                        )
                    ]
                )
            organization = self.directory._organization(person.organization_id)
            # Scope.require's default date, worked out once per organisation (it reads the
            # clock, a tenth of an event's time)
            if organization.pk not in self.reference_dates:
                self.reference_dates[organization.pk] = reference_date(organization)
            self.scope.require(
                organization, at=self.reference_dates[organization.pk], role=Role.EDITOR
            )
            ceremony = person.state.ceremony_date
            if ceremony is None:
                raise DomainError(
                    "members.EVENT_NOT_ALLOWED", f"{person.full_name} chưa được kết nạp vào Đảng."
                )
            end = rules.probation_end(ceremony, self.parameters(ceremony))
            self._record(person, kind, end, record.decision, {}, "")
        elif kind in (E.TRANSFER_OUT, E.TEMPORARY_TRANSFER_OUT):
            to = self._destination(record)
            destination = self._version(to.pk, day)
            if destination is None:
                raise NotFound("Tổ chức đảng")
            if destination.type not in CELL_TYPES:
                raise DomainError(
                    "members.NOT_A_CELL",
                    f"«{destination.name}» không phải chi bộ để tiếp nhận đảng viên.",
                )
            details = {"to": to.pk, "to_name": destination.name, "note": record.note.strip()}
            if kind == E.TEMPORARY_TRANSFER_OUT:
                details = {
                    "to": to.pk,
                    "to_name": destination.name,
                    "until": record.until.isoformat(),
                    "for_study": record.for_study,
                    "note": record.note.strip(),
                }
            self._record(person, kind, day, record.decision, details, "")
        elif kind == E.TRANSFER_IN:
            pending = self._state_on(person, day).transfer_to_id
            if pending is None:
                raise DomainError(
                    "members.NO_TRANSFER_PENDING",
                    f"{person.full_name} không có giấy chuyển sinh hoạt đảng đang chờ tiếp nhận "
                    f"vào ngày {day:%d/%m/%Y}.",
                )
            self._record(
                person,
                kind,
                day,
                record.decision,
                {},
                record.override_reason,
                organization_id=pending,
            )
        else:
            assert kind in SIMPLE_SERVICES, kind
            self._record(person, kind, day, record.decision, record.details, record.override_reason)
        self.counts["events"] += 1
        return CREATED

    def _new_recorded(self, person: _NewPerson, record: EventRow) -> bool:
        if record.kind == E.RECOGNITION:
            return recognition_among(
                [(e.kind, e.effective_date) for e in person.events], record.date
            )
        return any(e.kind == record.kind and e.effective_date == record.date for e in person.events)

    def _state_on(self, person: _NewPerson, day: dt.date) -> MemberState:
        """lifecycle.person_state(on=day): the state at the end of that day."""
        if all(e.effective_date <= day for e in person.events):
            return person.state
        return replay(
            [e for e in person.events if e.effective_date <= day],
            birth=person.birth(),
            sex=person.values["sex"],
            parameters=self.parameters,
        )

    def _record(
        self,
        person: _NewPerson,
        kind: str,
        day: dt.date,
        decision: DecisionInput | None,
        details: dict[str, Any],
        override_reason: str,
        *,
        organization_id: int | None = None,
    ) -> None:
        """lifecycle._record for a new file: the scope on the day, the decision, the replay with
        the rules of each date, the card number's uniqueness; nothing kept if any fails."""
        if organization_id is None:
            then = self._state_on(person, day).organization_id
            organization_id = person.organization_id if then is None else then
        self._require(organization_id, day, Role.EDITOR)
        if override_reason.strip():
            self._require(organization_id, day, Role.APPROVER)
        key = _decision_key(decision) if decision is not None else None
        if key is not None:
            key = self.keys.setdefault(key, key)  # one tuple per decision, however many cite it
        details = dict(details or {})
        if key is not None:
            details.setdefault("decision_date", key[1].isoformat())
        self.event_seq += 1
        event = ReplayEvent(
            self.event_seq, kind, day, organization_id, details, key, override_reason.strip()
        )
        state = replay(
            [*person.events, event],
            birth=person.birth(),
            sex=person.values["sex"],
            parameters=self.parameters,
            new_event_id=event.pk,
        )
        card = state.card_number
        if card is not None and card != person.card_number:
            if card in self.cards_taken or self.by_card.get(card) not in (None, person):
                raise Conflict(
                    "members.CARD_NUMBER_TAKEN",
                    f"Số thẻ đảng viên {card} đã có trong một lý lịch khác.",
                )
            if person.card_number is not None:
                self.by_card.pop(person.card_number, None)
            person.values["card_number"] = card
            person.values["search_text"] = search_text(SimpleNamespace(**person.values))
            self.by_card[card] = person
        person.events.append(event)
        person.state = state
        if state.organization_id is not None:
            person.organization_id = state.organization_id
        person.touched = self.event_seq
        if key is not None and key not in self.decisions:
            self.decisions[key] = decision.summary.strip()

    def _load_versions(self, organization_ids) -> None:
        """Every version of these organisations, one query per thousand."""
        missing = sorted(set(organization_ids) - set(self.versions))
        for chunk in _chunks(missing, 1000):
            for pk in chunk:
                self.versions[pk] = []
            for version in (
                OrganizationVersion.objects.filter(organization_id__in=chunk)
                .only(*VERSION_FIELDS)
                .order_by("organization_id", "valid_from")
            ):
                self.versions[version.organization_id].append(version)

    def _version(self, organization_id: int, day: dt.date) -> OrganizationVersion | None:
        """The organisation's version on `day`, from all its versions read once."""
        if organization_id not in self.versions:
            self._load_versions([organization_id])
        versions = self.versions[organization_id]
        index = bisect.bisect_right([v.valid_from for v in versions], day) - 1
        if index >= 0 and day < versions[index].valid_to:
            return versions[index]
        return None

    def _require(self, organization_id: int, day: dt.date, role: str) -> None:
        """Scope.require(organization, at=day, role=role), on the versions read once."""
        version = self._version(organization_id, day)
        held = version and self.scope.role_for(version.path, day)
        if not held:
            raise NotFound("Tổ chức đảng")
        if Role.rank(held) < Role.rank(role):
            raise Forbidden(
                "access.ROLE_REQUIRED",
                f"Thao tác này cần vai trò «{Role(role).label}» đối với «{version.name}».",
            )

    # writing ----------------------------------------------------------------------------------
    def finish(self) -> None:
        self._warn_duplicates()  # before the writes: the stored files are those from before
        if not self.report.ok:
            return
        try:
            if self.new:
                self._write()
            if self.people_headers:
                person_keys_refresh()  # the stored files the services changed
        except DatabaseError as error:
            self.report.add_error(
                RowError(
                    sheet="",
                    row=0,
                    column="",
                    cell="",
                    code="exchange.DATABASE_REFUSED",
                    message=f"Cơ sở dữ liệu không nhận dữ liệu của tệp ({type(error).__name__}).",
                )
            )

    def _write(self) -> None:
        """Decisions, persons, events and periods, each table in chunks of rows built as they
        are written (the rows as dicts would hold the whole file again)."""
        decision_ids = self._write_decisions()
        person_ids = writes.reserve_ids(Person, len(self.new))
        person_defaults = writes.defaults(Person)

        def people():
            for person, pk in zip(self.new, person_ids, strict=True):
                person.pk = pk
                row = person_defaults | person.values
                row.update(id=pk, organization_id=person.organization_id)
                state = person.state
                for name in PROJECTION:
                    value = getattr(state, name)
                    if name == "organization_id" and value is None:
                        continue
                    row[name] = value
                yield row

        _insert(Person, people())
        # their duplicate-search keys, as person_keys_refresh would make them (after the
        # persons: a key's time stamp is not older than its file's)
        _insert(PersonKey, (key_values({"pk": p.pk, **p.values}) for p in self.new))
        events = sorted(
            ((event, person.pk) for person in self.new for event in person.events),
            key=lambda pair: pair[0].pk,
        )
        event_ids = writes.reserve_ids(MemberEvent, len(events))
        recorded_by = self.scope.user_id
        _insert(
            MemberEvent,
            (
                {
                    "id": pk,
                    "person_id": person_id,
                    "kind": e.kind,
                    "effective_date": e.effective_date,
                    "organization_id": e.organization_id,
                    "decision_id": decision_ids[e.decision_id] if e.decision_id else None,
                    "details": e.details,
                    "override_reason": e.override_reason,
                    "recorded_by_id": recorded_by,
                }
                for pk, (e, person_id) in zip(event_ids, events, strict=True)
            ),
        )
        del events
        # periods in the order the per-row path last rewrote each person's
        ordered = sorted((p for p in self.new if p.state.periods), key=lambda p: p.touched)
        placements = [(p.pk, placement) for p in ordered for placement in p.state.periods]
        period_ids = writes.reserve_ids(MembershipPeriod, len(placements))
        placement_fields = [f.name for f in dataclass_fields(Placement)]
        _insert(
            MembershipPeriod,
            (
                # the fields read directly (asdict deep-copies every value of every row)
                {"id": pk, "person_id": person_id}
                | {name: getattr(placement, name) for name in placement_fields}
                for pk, (person_id, placement) in zip(period_ids, placements, strict=True)
            ),
        )
        periods = placements
        AuditEntry.objects.create(
            actor=self.scope.user if self.scope.user_id else None,
            action="member.bulk_import",
            object_type="exchange.import",
            object_id=self.report.filename[:64],
            object_repr=self.report.filename[:255],
            after={
                "people": self.counts["people"],
                "events": self.counts["events"],
                "periods": len(periods),
                "decisions": len(decision_ids),
                "sheets": [
                    {
                        "name": s.name,
                        "kind": s.kind,
                        "created": s.created,
                        "updated": s.updated,
                        "skipped": s.skipped,
                    }
                    for s in self.report.sheets
                ],  # fmt: skip
                "first_person_id": person_ids[0],
                "last_person_id": person_ids[-1],
            },
        )

    def _write_decisions(self) -> dict[tuple[str, dt.date, str], int]:
        """The decisions the events cite: those stored already, the others inserted in the
        order they were first cited."""
        ids: dict[tuple[str, dt.date, str], int] = {}
        keys = list(self.decisions)
        for chunk in _chunks(sorted({key[0] for key in keys})):
            for symbol, date, body, pk in Decision.objects.filter(symbol__in=chunk).values_list(
                "symbol", "date", "issuing_body", "pk"
            ):
                if (symbol, date, body) in self.decisions:
                    ids[(symbol, date, body)] = pk
        missing = [key for key in keys if key not in ids]
        new_ids = writes.reserve_ids(Decision, len(missing))
        rows = []
        for pk, key in zip(new_ids, missing, strict=True):
            ids[key] = pk
            symbol, date, body = key
            rows.append(
                {"id": pk, "symbol": symbol, "date": date, "issuing_body": body,
                 "summary": self.decisions[key]}
            )  # fmt: skip
        writes.insert_rows(Decision, rows, reset_sequence=False)
        return ids


def _insert(model, rows) -> None:
    """insert_rows of an iterator of rows, CHUNK at a time."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            writes.insert_rows(model, chunk, reset_sequence=False)
            chunk = []
    writes.insert_rows(model, chunk, reset_sequence=False)


def _given(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "")}


def _birth_matches(person: _NewPerson, birth) -> bool:
    if birth is None:
        return True
    return all(
        wanted is None or person.values[key] == wanted
        for key, wanted in zip(BIRTH, birth, strict=True)
    )


def _decision_key(data: DecisionInput) -> tuple[str, dt.date, str]:
    """core.decisions.decision_record's key for `data`, checked the same way."""
    symbol = normalize_document_symbol(data.symbol)
    issuing_body = " ".join(data.issuing_body.split())
    if not symbol or not issuing_body:
        raise DomainError(
            "core.DECISION_REQUIRED", "Cần có quyết định (số, ngày, cơ quan ban hành)."
        )
    return (symbol, data.date, issuing_body)
