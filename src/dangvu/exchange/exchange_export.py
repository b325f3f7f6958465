"""`dangvu export`: the whole installation, or an organisation's subtree, as an exchange file
(exchange_format, docs/exchange.md).

Streamed: every table is read with `.iterator()` in the file's order and written line by line
through gzip; only the maps from ids to natural keys of the organisations, decisions and
accounts are held (and the keys of one batch of persons), so a province exports in bounded
memory. The order is deterministic (natural keys, then the order of recording), so the same
data gives the same bytes, apart from the header's time.

A subtree holds the organisations that were ever in it in full (their versions, events,
committees, targets, issued reports), the persons with any membership period, event,
candidacy or file in them with their whole history, and, marked `partial`, the organisations
those rows name outside it (ancestors, the cells a member came from) with their versions only.
"""

import datetime as dt
import gzip
import json
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from dangvu.core import clock
from dangvu.core.models import Decision
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import (
    Candidate,
    MemberEvent,
    MembershipPeriod,
    Person,
    PersonPhoto,
    RuleParameter,
    Sponsor,
)
from dangvu.organizations.models import (
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from dangvu.organizations.paths import path_ids, subtree_end
from dangvu.planning.models import Target
from dangvu.reports.models import IssuedReport

from . import exchange_format as fmt

PERSON_BATCH = 2000
CHUNK = 5000
PIECE = 1 << 20  # the bytes gzip compresses at a time
WORKERS = 4  # the most connections writing the lines of persons side by side (PostgreSQL)
TRANSFER_KINDS = (E.TRANSFER_OUT, E.TEMPORARY_TRANSFER_OUT)


def person_order(prefix: str = "") -> list[Any]:
    """The order of persons in the file: by citizen ID, then (without one) by card number,
    then (without either) by cell, name, birth and the time the file was created."""
    group = Case(
        When(**{f"{prefix}citizen_id__isnull": False}, then=Value(0)),
        When(**{f"{prefix}card_number__isnull": False}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    columns = ("citizen_id", "card_number", "organization__code", "full_name", "birth_year")
    columns += ("birth_month", "birth_day", "created_at", "id")
    return [group, *(f"{prefix}{column}" for column in columns)]


PERSON_KEY_COLUMNS = (
    "citizen_id",
    "card_number",
    "organization__code",
    "full_name",
    "birth_year",
    "birth_month",
    "birth_day",
    "created_at",
)


def person_key(values: Iterable[Any]) -> list[Any]:
    """A person's natural key from PERSON_KEY_COLUMNS: ["cccd", citizen ID], else
    ["the", card number], else ["ls", cell code, full name, year, month, day, created at]."""
    citizen_id, card, code, name, year, month, day, created = values
    if citizen_id:
        return ["cccd", citizen_id]
    if card:
        return ["the", card]
    return ["ls", code, name, year, month, day, fmt.write_datetime(created)]


class Exporter:
    """Turns rows of the database into rows of the file. Also used by the import to render the
    rows an installation already holds, to compare them with the file's."""

    def __init__(self) -> None:
        self.org_codes: dict[int, str] = dict(Organization.objects.values_list("id", "code"))
        self.decision_keys: dict[int, list[Any]] = {}
        self.usernames: dict[int, str] = dict(
            get_user_model().objects.values_list("id", get_user_model().USERNAME_FIELD)
        )
        self._fields: dict[str, list[tuple[str, str, Callable[[Any], Any] | None]]] = {}

    # values -----------------------------------------------------------------------------------

    def code(self, organization_id: int | None) -> str | None:
        return None if organization_id is None else self.org_codes.get(organization_id)

    def decision(self, decision_id: int | None) -> list[Any] | None:
        if decision_id is None:
            return None
        key = self.decision_keys.get(decision_id)
        if key is None:
            row = Decision.objects.values_list("symbol", "date", "issuing_body").get(pk=decision_id)
            key = self.decision_keys[decision_id] = [row[0], row[1].isoformat(), row[2]]
        return key

    def _writer(self, codec: str) -> Callable[[Any], Any] | None:
        """How a value of `codec` is written (None: as it is)."""
        return {
            fmt.PLAIN: None,
            fmt.DATE: fmt.write_date,
            fmt.DATETIME: fmt.write_datetime,
            fmt.JSON: fmt.sorted_json,
            fmt.BINARY: fmt.write_binary,
            fmt.ORG: self.code,
            fmt.DECISION: self.decision,
            fmt.USER: self.usernames.get,
        }[codec]

    def data(self, row_type: str, values: dict[str, Any]) -> dict[str, Any]:
        fields = self._fields.get(row_type)
        if fields is None:  # the writer of each field, worked out once per row type
            fields = self._fields[row_type] = [
                (name, attribute, self._writer(codec))
                for name, attribute, codec in fmt.FIELDS[row_type]
            ]
        return {
            name: values[attribute] if write is None else write(values[attribute])
            for name, attribute, write in fields
        }

    @staticmethod
    def columns(row_type: str, *extra: str) -> list[str]:
        return [attribute for _, attribute, _ in fmt.FIELDS[row_type]] + list(extra)

    def _org_json(self, value: dict[str, Any]) -> dict[str, Any]:
        """An organisation event's changes: the ids of organisations written as codes."""
        value = dict(value)
        if "parent_id" in value:
            value["parent"] = self.code(value.pop("parent_id"))
        if "sources" in value:
            value["sources"] = sorted(self.code(i) or "" for i in value["sources"])
        return fmt.sorted_json(value)

    def _details(self, value: dict[str, Any]) -> dict[str, Any]:
        return fmt.sorted_json(self.details_ids(value))

    def details_ids(self, value: dict[str, Any]) -> dict[str, Any]:
        """A member event's details, the organisation of a transfer written as its code."""
        if isinstance(value.get("to"), int):
            value = {**value, "to": self.code(value["to"])}
        return value

    # row types --------------------------------------------------------------------------------

    def rule_parameters(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("key", "effective_from").values(
            *self.columns("rule_parameter", "key", "effective_from")
        )
        for row in rows.iterator(chunk_size=CHUNK):
            yield [row["key"], row["effective_from"].isoformat()], self.data("rule_parameter", row)

    def decisions(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("date", "symbol", "issuing_body").values(
            *self.columns("decision", "id", "symbol", "date", "issuing_body")
        )
        for row in rows.iterator(chunk_size=CHUNK):
            key = [row["symbol"], row["date"].isoformat(), row["issuing_body"]]
            self.decision_keys[row["id"]] = key
            yield key, self.data("decision", row)

    def organizations(self, queryset: QuerySet, partial: set[int]) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("code").values(*self.columns("organization", "id", "code"))
        for row in rows.iterator(chunk_size=CHUNK):
            yield row["code"], {**self.data("organization", row), "partial": row["id"] in partial}

    def versions(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("organization__code", "valid_from").values(
            *self.columns("organization_version", "organization_id", "valid_from", "path")
        )
        for row in rows.iterator(chunk_size=CHUNK):
            data = self.data("organization_version", row)
            data["path"] = [self.code(i) for i in path_ids(row["path"])]
            yield [self.code(row["organization_id"]), row["valid_from"].isoformat()], data

    def _ordinals(self, rows: Iterable[dict], parent_key) -> Iterator[tuple[list, dict]]:
        """Rows ordered by parent: the key [*parent key, n], n counting from 1 per parent."""
        last, n = None, 0
        for row in rows:
            parent = parent_key(row)
            n = n + 1 if parent == last else 1
            last = parent
            yield [*parent, n], row

    def organization_events(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        # a cause may be listed after its effects (another organisation's code): keys first
        keys: dict[int, list] = {}
        order = ("organization__code", "effective_date", "id")
        ids = queryset.order_by(*order).values("id", "organization_id")
        for key, row in self._ordinals(
            ids.iterator(chunk_size=CHUNK), lambda r: [self.code(r["organization_id"])]
        ):
            keys[row["id"]] = key
        rows = queryset.order_by(*order).values(
            *self.columns("organization_event", "id", "organization_id", "cause_id")
        )
        for row in rows.iterator(chunk_size=CHUNK):
            data = self.data("organization_event", row)
            data["changes"] = self._org_json(row["changes"])
            data["previous"] = self._org_json(row["previous"])
            cause = row["cause_id"]
            data["cause"] = None if cause is None else keys.get(cause) or self._event_key(cause)
            yield keys[row["id"]], data

    def _event_key(self, event_id: int) -> list:
        """The key of an organisation event outside the rows written (a cause elsewhere)."""
        event = OrganizationEvent.objects.values("organization_id", "effective_date").get(
            pk=event_id
        )
        earlier = OrganizationEvent.objects.filter(
            Q(effective_date__lt=event["effective_date"])
            | Q(effective_date=event["effective_date"], id__lte=event_id),
            organization_id=event["organization_id"],
        ).count()
        return [self.code(event["organization_id"]), earlier]

    def terms(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("organization__code", "start_date").values(
            *self.columns("committee_term", "organization_id", "start_date")
        )
        for row in rows.iterator(chunk_size=CHUNK):
            key = [self.code(row["organization_id"]), row["start_date"].isoformat()]
            yield key, self.data("committee_term", row)

    def _term_key(self, row: dict, prefix: str = "term__") -> list:
        return [self.code(row[f"{prefix}organization_id"]), row[f"{prefix}start_date"].isoformat()]

    def consolidations(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("organization__code", "effective_date", "id").values(
            *self.columns(
                "committee_consolidation",
                "organization_id",
                "term__organization_id",
                "term__start_date",
            )
        )
        for key, row in self._ordinals(
            rows.iterator(chunk_size=CHUNK), lambda r: [self.code(r["organization_id"])]
        ):
            yield key, {**self.data("committee_consolidation", row), "term": self._term_key(row)}

    def seats(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        consolidations: dict[int, list] = {}
        for key, row in self._ordinals(
            CommitteeConsolidation.objects.filter(
                organization_id__in=queryset.values("consolidation__organization_id")
            )
            .order_by("organization__code", "effective_date", "id")
            .values("id", "organization_id")
            .iterator(chunk_size=CHUNK),
            lambda r: [self.code(r["organization_id"])],
        ):
            consolidations[row["id"]] = key
        rows = queryset.order_by("term__organization__code", "term__start_date", "start_date", "id")
        rows = rows.values(
            *self.columns(
                "committee_seat", "term__organization_id", "term__start_date", "consolidation_id"
            )
        )
        for key, row in self._ordinals(rows.iterator(chunk_size=CHUNK), self._term_key):
            data = self.data("committee_seat", row)
            consolidation = row["consolidation_id"]
            data["consolidation"] = None if consolidation is None else consolidations[consolidation]
            yield key, data

    def persons(self, queryset: QuerySet) -> Iterator[tuple[str, Any, dict]]:
        """Persons in batches, each followed by its photos, events, periods, candidacies and
        their sponsors: (type, key, data)."""
        rows = queryset.order_by(*person_order()).values(
            *self.columns("person", "id", *PERSON_KEY_COLUMNS)
        )
        batch: list[dict] = []
        for row in rows.iterator(chunk_size=CHUNK):
            batch.append(row)
            if len(batch) >= PERSON_BATCH:
                yield from self.person_batch(batch)
                batch = []
        if batch:
            yield from self.person_batch(batch)

    def person_batch(self, batch: list[dict]) -> Iterator[tuple[str, Any, dict]]:
        keys = {row["id"]: person_key(row[c] for c in PERSON_KEY_COLUMNS) for row in batch}
        ids = list(keys)
        for row in batch:
            yield "person", keys[row["id"]], self.data("person", row)
        yield from self._photos(ids, keys)
        events: dict[int, list] = {}
        for key, row in self._children(
            MemberEvent, ids, keys, ("effective_date", "id"), "member_event", "id"
        ):
            events[row["id"]] = key
            data = self.data("member_event", row)
            data["details"] = self._details(row["details"])
            yield "member_event", key, data
        for key, row in self._children(
            MembershipPeriod, ids, keys, ("valid_from", "id"), "membership_period"
        ):
            yield "membership_period", key, self.data("membership_period", row)
        yield from self._candidates(ids, keys, events)

    def _photos(self, ids: list[int], keys: dict[int, list]) -> Iterator[tuple[str, Any, dict]]:
        photos = PersonPhoto.objects.filter(person_id__in=ids).values(
            *self.columns("person_photo", "person_id")
        )
        by_person = {row["person_id"]: row for row in photos}
        for person_id in ids:
            if person_id in by_person:
                yield (
                    "person_photo",
                    keys[person_id],
                    self.data("person_photo", by_person[person_id]),
                )

    def _candidates(
        self, ids: list[int], keys: dict[int, list], events: dict[int, list]
    ) -> Iterator[tuple[str, Any, dict]]:
        """The candidacies of a batch (`events`: the keys of its member events by id) and their
        sponsors."""
        candidates: dict[int, list] = {}
        for key, row in self._children(
            Candidate, ids, keys, ("registered_on", "id"), "candidate", "id", "admission_id"
        ):
            candidates[row["id"]] = key
            admission = row["admission_id"]
            data = self.data("candidate", row)
            data["admission"] = None if admission is None else events.get(admission)
            yield "candidate", key, data
        if candidates:
            yield from self._sponsors(candidates, keys)

    def person_lines(
        self, queryset: QuerySet, workers: int = 0
    ) -> Iterator[tuple[str, int, bytes]]:
        """`persons()` as blocks (type, count, bytes), on PostgreSQL: the lines of the persons,
        their member events and their membership periods written by the database
        (exchange_sql, with `workers` connections of their own in the snapshot), the same
        bytes; photos, candidacies and sponsors (few) as `persons()` writes them."""
        from . import exchange_sql

        photos = PersonPhoto.objects.exists()
        candidates = Candidate.objects.exists()
        rows = queryset.order_by(*person_order()).values_list("id", *PERSON_KEY_COLUMNS)
        with exchange_sql.PersonLines(self, workers) as lines:
            for keys, blocks in lines.batches(self._key_batches(rows)):
                yield "person", *blocks["person"]
                ids = list(keys)
                if photos:
                    yield from render(self._photos(ids, keys))
                yield "member_event", *blocks["member_event"]
                yield "membership_period", *blocks["membership_period"]
                if candidates:
                    yield from render(self._candidates(ids, keys, self._event_keys(ids, keys)))

    @staticmethod
    def _key_batches(rows: QuerySet) -> Iterator[dict[int, list]]:
        """The keys of the persons (id, *PERSON_KEY_COLUMNS) by id, in batches."""
        batch: dict[int, list] = {}
        for row in rows.iterator(chunk_size=CHUNK):
            batch[row[0]] = person_key(row[1:])
            if len(batch) >= PERSON_BATCH:
                yield batch
                batch = {}
        if batch:
            yield batch

    @staticmethod
    def _event_keys(ids: list[int], keys: dict[int, list]) -> dict[int, list]:
        """The keys of the member events of persons `ids`, by id."""
        events: dict[int, list] = {}
        rows = MemberEvent.objects.filter(person_id__in=ids).order_by(
            "person_id", "effective_date", "id"
        )
        last, n = None, 0
        for event_id, person_id in rows.values_list("id", "person_id"):
            n = n + 1 if person_id == last else 1
            last = person_id
            events[event_id] = [*keys[person_id], n]
        return events

    def _children(self, model, ids, keys, order, row_type, *extra) -> Iterator[tuple[list, dict]]:
        rows = model.objects.filter(person_id__in=ids).order_by("person_id", *order)
        rows = rows.values(*self.columns(row_type, "person_id", *extra))
        grouped: dict[int, list[dict]] = {}
        for row in rows.iterator(chunk_size=CHUNK):
            grouped.setdefault(row["person_id"], []).append(row)
        for person_id in ids:
            for n, row in enumerate(grouped.get(person_id, ()), start=1):
                yield [*keys[person_id], n], row

    def _sponsors(self, candidates: dict[int, list], keys: dict[int, list]):
        columns = [f"person__{c}" for c in PERSON_KEY_COLUMNS]
        rows = Sponsor.objects.filter(candidate_id__in=list(candidates)).order_by(
            "candidate_id", "sponsored_on", "id"
        )
        rows = rows.values(*self.columns("sponsor", "candidate_id", "person_id", *columns))
        grouped: dict[int, list[dict]] = {}
        for row in rows:
            grouped.setdefault(row["candidate_id"], []).append(row)
        for candidate_id, candidate_key in candidates.items():
            for n, row in enumerate(grouped.get(candidate_id, ()), start=1):
                data = self.data("sponsor", row)
                sponsor = row["person_id"]
                data["person"] = (
                    None
                    if sponsor is None
                    else keys.get(sponsor) or person_key(row[c] for c in columns)
                )
                yield "sponsor", [*candidate_key, n], data

    def targets(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        rows = queryset.order_by("organization__code", "year", "indicator").values(
            *self.columns("target", "organization_id", "year", "indicator")
        )
        for row in rows.iterator(chunk_size=CHUNK):
            key = [self.code(row["organization_id"]), row["year"], row["indicator"]]
            yield key, self.data("target", row)

    def issued_reports(self, queryset: QuerySet) -> Iterator[tuple[Any, dict]]:
        order = ("organization__code", "period_code", "version")
        rows = queryset.order_by(*order).values(
            *self.columns(
                "issued_report",
                "organization_id",
                "period_code",
                "version",
                "amends__organization_id",
                "amends__period_code",
                "amends__version",
            )
        )
        for row in rows.iterator(chunk_size=200):
            key = [self.code(row["organization_id"]), row["period_code"], row["version"]]
            data = self.data("issued_report", row)
            data["amends"] = (
                None
                if row["amends__version"] is None
                else [
                    self.code(row["amends__organization_id"]),
                    row["amends__period_code"],
                    row["amends__version"],
                ]
            )
            yield key, data


# the selection ---------------------------------------------------------------------------------


class Selection:
    """The rows of a subtree (or of everything, with root None), as querysets."""

    def __init__(self, root: Organization | None) -> None:
        self.root = root
        if root is None:
            self.full = Organization.objects.all()
            self.partial_ids: set[int] = set()
            self.persons = Person.objects.all()
            return
        ranges = Q()
        for path in set(root.versions.values_list("path", flat=True)):
            ranges |= Q(path__gte=path, path__lt=subtree_end(path))
        full_ids = OrganizationVersion.objects.filter(ranges).values("organization_id")
        self.full = Organization.objects.filter(pk__in=full_ids)
        self.persons = Person.objects.filter(
            Q(organization_id__in=full_ids)
            | Exists(
                MembershipPeriod.objects.filter(person=OuterRef("pk"), organization_id__in=full_ids)
            )
            | Exists(
                MemberEvent.objects.filter(person=OuterRef("pk"), organization_id__in=full_ids)
            )
            | Exists(Candidate.objects.filter(person=OuterRef("pk"), organization_id__in=full_ids))
        )
        self.partial_ids = self._partial(set(self.full.values_list("pk", flat=True)))

    def _partial(self, full: set[int]) -> set[int]:
        """The organisations outside the subtree that its rows name, and their ancestors."""
        persons = self.persons.values("pk")
        named: set[int] = set()
        for model in (MemberEvent, MembershipPeriod, Candidate):
            named |= set(
                model.objects.filter(person_id__in=persons)
                .values_list("organization_id", flat=True)
                .distinct()
            )
        for column in ("organization_id", "transfer_to_id", "temporary_at_id"):
            named |= set(self.persons.values_list(column, flat=True).distinct())
        details = MemberEvent.objects.filter(person_id__in=persons, kind__in=TRANSFER_KINDS)
        named |= {
            d.get("to")
            for d in details.values_list("details", flat=True).iterator(chunk_size=CHUNK)
            if isinstance(d.get("to"), int)
        }
        needed = full | {i for i in named if i is not None}
        frontier = set(needed)
        while frontier:
            found: set[int] = set()
            ids = list(frontier)
            for start in range(0, len(ids), 1000):
                versions = OrganizationVersion.objects.filter(
                    organization_id__in=ids[start:][:1000]
                )
                for path, parent in versions.values_list("path", "parent_id"):
                    found.update(path_ids(path))
                    if parent is not None:
                        found.add(parent)
            frontier = found - needed
            needed |= frontier
        return needed - full

    @property
    def organizations(self) -> QuerySet:
        if self.root is None:
            return Organization.objects.all()
        return Organization.objects.filter(
            Q(pk__in=self.full.values("pk")) | Q(pk__in=self.partial_ids)
        )

    def of(self, model, field: str = "organization_id") -> QuerySet:
        if self.root is None:
            return model.objects.all()
        return model.objects.filter(**{f"{field}__in": self.full.values("pk")})

    def decisions(self) -> QuerySet:
        if self.root is None:
            return Decision.objects.all()
        persons = self.persons.values("pk")
        used = (
            Q(pk__in=self.of(OrganizationEvent).values("decision_id"))
            | Q(pk__in=self.of(CommitteeTerm).values("decision_id"))
            | Q(pk__in=self.of(CommitteeConsolidation).values("decision_id"))
            | Q(pk__in=self.of(CommitteeSeat, "term__organization_id").values("decision_id"))
            | Q(pk__in=self.of(CommitteeSeat, "term__organization_id").values("end_decision_id"))
            | Q(pk__in=MemberEvent.objects.filter(person_id__in=persons).values("decision_id"))
            | Q(pk__in=self.of(Target).values("decision_id"))
        )
        return Decision.objects.filter(used)


def export_rows(root: Organization | None = None) -> Iterator[tuple[str, Any, dict]]:
    """Every row of the file after the header, in the file's order: (type, key, data)."""
    exporter = Exporter()
    selection = Selection(root)
    yield from _organization_rows(exporter, selection)
    yield from exporter.persons(selection.persons)
    yield from _closing_rows(exporter, selection)


def export_blocks(
    root: Organization | None = None, *, in_database: bool = False, workers: int = 0
) -> Iterator[tuple[str, int, bytes]]:
    """The lines of `export_rows` in blocks of one type: (type, number of lines, their UTF-8
    bytes, each line ending with a newline); `in_database` (PostgreSQL): the lines of persons,
    member events and membership periods written by the database (by `workers` connections
    of their own, when the transaction's snapshot can be shared)."""
    exporter = Exporter()
    selection = Selection(root)
    yield from render(_organization_rows(exporter, selection))
    if in_database:
        yield from exporter.person_lines(selection.persons, workers)
    else:
        yield from render(exporter.persons(selection.persons))
    yield from render(_closing_rows(exporter, selection))


def render(rows: Iterable[tuple[str, Any, dict]]) -> Iterator[tuple[str, int, bytes]]:
    """Rows as lines, in blocks of one type (as `export_blocks`)."""
    dumps = json.JSONEncoder(**DUMP).encode
    block: list[str] = []
    last = None
    for row_type, key, data in rows:
        if (row_type != last or len(block) >= 1000) and block:
            yield last, len(block), _joined(block)  # type: ignore[misc]
            block = []
        last = row_type
        block.append(dumps({"type": row_type, "key": key, "data": data}))
    if block:
        yield last, len(block), _joined(block)  # type: ignore[misc]


def _joined(lines: list[str]) -> bytes:
    lines.append("")  # the last line's newline
    return "\n".join(lines).encode()


def _organization_rows(exporter: Exporter, selection: Selection):
    """The rows before the persons."""
    for key, data in exporter.rule_parameters(RuleParameter.objects.all()):
        yield "rule_parameter", key, data
    for key, data in exporter.decisions(selection.decisions()):
        yield "decision", key, data
    for key, data in exporter.organizations(selection.organizations, selection.partial_ids):
        yield "organization", key, data
    versions = OrganizationVersion.objects.filter(
        organization_id__in=selection.organizations.values("pk")
    )
    for key, data in exporter.versions(versions):
        yield "organization_version", key, data
    for key, data in exporter.organization_events(selection.of(OrganizationEvent)):
        yield "organization_event", key, data
    for key, data in exporter.terms(selection.of(CommitteeTerm)):
        yield "committee_term", key, data
    for key, data in exporter.consolidations(selection.of(CommitteeConsolidation)):
        yield "committee_consolidation", key, data
    for key, data in exporter.seats(selection.of(CommitteeSeat, "term__organization_id")):
        yield "committee_seat", key, data


def _closing_rows(exporter: Exporter, selection: Selection):
    """The rows after the persons."""
    for key, data in exporter.targets(selection.of(Target)):
        yield "target", key, data
    for key, data in exporter.issued_reports(selection.of(IssuedReport)):
        yield "issued_report", key, data


class _Compressor:
    """gzip in a thread: zlib lets go of the GIL while it compresses, so the lines of the next
    block are written meanwhile (on two cores, the compression costs little of the time)."""

    def __init__(self, stream: gzip.GzipFile) -> None:
        self.stream = stream
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="dangvu-export-gzip", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.stream.write(data)
                except BaseException as error:  # noqa: BLE001 - raised again by write/close
                    self.error = error

    def write(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(data)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def export_to(
    output: IO[bytes],
    *,
    root: Organization | None = None,
    exported_at: dt.datetime | None = None,
    source: str = "",
    compresslevel: int = 6,
    in_database: bool | None = None,
    workers: int | None = None,
) -> dict[str, int]:
    """Writes the exchange file to `output` (binary); returns the number of rows per type.

    One read transaction (a snapshot on PostgreSQL: REPEATABLE READ), so the file is
    consistent while others write. `exported_at` fixes the header's time (tests). On
    PostgreSQL the database writes the lines of the big row types (`in_database`, by default;
    False: Python writes every line, the same bytes), with `workers` connections of their own
    sharing the snapshot (by default one per core, up to WORKERS; 0: Django's connection only).
    Inside a transaction of the caller's, whose rows other connections would not see, Django's
    connection only."""
    counts = dict.fromkeys(fmt.TYPES, 0)
    at = exported_at or clock.now()
    head = fmt.header(
        exported_at=fmt.write_datetime(at),
        source=source or str(connection.settings_dict.get("NAME", "")).rsplit("/", 1)[-1],
        root=root.code if root is not None else None,
    )
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if workers is None:
        workers = min(WORKERS, os.cpu_count() or 1)
    workers = workers if snapshot else 0
    # mtime=0, no file name (GzipFile would take the output's), and the text compressed in
    # pieces of PIECE bytes whatever the blocks: the gzip bytes depend on the content only
    gzip_file = gzip.GzipFile(
        filename="", fileobj=output, mode="wb", compresslevel=compresslevel, mtime=0
    )
    with transaction.atomic(), gzip_file as stream:
        if snapshot:  # the first statement of the transaction
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        compressor = _Compressor(stream)
        try:
            pending = bytearray((fmt.dumps(head) + "\n").encode())
            blocks = export_blocks(root, in_database=in_database, workers=workers)
            for row_type, count, data in blocks:
                counts[row_type] += count
                pending += data
                while len(pending) >= PIECE:
                    compressor.write(pending[:PIECE])
                    del pending[:PIECE]  # cheap: a bytearray drops its start in place
            compressor.write(pending)
        finally:
            compressor.close()
    return counts


DUMP = {"ensure_ascii": False, "separators": (",", ":")}
