"""The export's lines of the big row types (persons, member events, membership periods) on
PostgreSQL, written by the database: the same bytes as `Exporter.data` + `json.dumps`
(exchange_export), with almost no work per row in Python.

Each batch of persons is read with one `COPY (SELECT string_agg(line ...)) TO STDOUT` per type
(`unnest` of the batch's ids and written person keys, in the batch's order): bytes, handed to
gzip as they are, in one message per batch. When the export owns its transaction, the batches
are copied by connections of their own sharing its snapshot, several at a time, while a thread
compresses (exchange_export). In the line's SQL:

- strings by `to_json` (PostgreSQL's escape_json escapes what `json.dumps(...,
  ensure_ascii=False)` escapes, in the same way), integers and booleans as their text;
- dates as ISO text (DateStyle ISO); times in UTC with a "T", microseconds in six digits (none
  when zero), "+00:00", as `isoformat()`;
- references joined: organisation codes, decision keys, account names;
- a member event's details other than `{}` as their jsonb text between two MARK characters,
  which Python replaces by the details as `Exporter._details` writes them (sorted keys, the
  organisation of a transfer by its code), once per distinct text.

A field of another kind raises `NotHere`. tests/exchange/test_exchange_round_trip.py compares
this path with Python's byte for byte.
"""

import json
import queue
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models
from psycopg import sql

from dangvu.core.models import Decision
from dangvu.members.models import Person
from dangvu.organizations.models import Organization

from . import exchange_format as fmt

# the session's DateStyle decides how dates and times are written as text: ISO, as isoformat();
# no JIT: compiling a batch's query costs more than running it (0.5 s a batch, once the
# planner's estimate of a batch crossed jit_above_cost)
SETTINGS = ("SET LOCAL DateStyle = 'ISO, MDY'", "SET LOCAL jit = off")
# the batch: its ids as an array's text, its written person keys as a JSON array (both cheap to
# write; psycopg's array of strings quotes each one with a regular expression)
BATCH = (
    "ROWS FROM (unnest(%s::bigint[]), json_array_elements_text(%s::json)) "
    "WITH ORDINALITY AS b(id, key, pos)"
)
# One row per batch: the lines joined by newlines (a row per line costs Python more than the
# line). Quoted with \x01, which JSON text never holds raw (it escapes control characters), as
# no other character is escaped: removing every \x01 leaves the lines as they are.
COPY = (
    "COPY (SELECT string_agg(line, E'\\n' ORDER BY {order}) FROM ({query}) s HAVING count(*) > 0) "
    "TO STDOUT (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01', FORCE_QUOTE *)"
)
# around the details Python writes: never raw in JSON text either
MARK = b"\x03"
TEXT_TYPES = frozenset({"CharField", "TextField", "SlugField"})
INT_TYPES = frozenset(
    {
        "SmallIntegerField",
        "IntegerField",
        "BigIntegerField",
        "PositiveSmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
    }
)


class NotHere(Exception):
    """A field this path does not write as Python does."""


def literal(text: str) -> str:
    """A SQL string literal (standard_conforming_strings: backslashes are plain); `%` doubled
    for psycopg's parameters."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def time_sql(column: str) -> str:
    """A time as `write_datetime` writes it, in JSON: "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00"."""
    text = f"replace(({column} AT TIME ZONE 'UTC')::text, ' ', 'T')"
    # the database trims the microseconds' trailing zeros; isoformat() writes six, or none
    digits = f"CASE WHEN date_trunc('second', {column}) = {column} THEN 19 ELSE 26 END"
    return f"""CASE WHEN {column} IS NULL THEN 'null' ELSE '"' || rpad({text}, {digits}, '0') || '+00:00"' END"""


class Line:
    """The SQL of the lines of one row type, over its table aliased `t`: `line` (an expression
    after `key`, the SQL of the row's key) and `joins` (the tables its references name)."""

    def __init__(self, row_type: str, key: str) -> None:
        self.model = fmt.MODELS[row_type]
        self.joins: list[str] = []
        parts = [literal(f'{{"type":{json.dumps(row_type)},"key":'), key]
        for n, (name, attribute, codec) in enumerate(fmt.FIELDS[row_type]):
            field = self.model._meta.get_field(attribute)
            parts.append(literal(("," if n else ',"data":{') + json.dumps(name) + ":"))
            parts.append(self._value(row_type, name, codec, field))
        parts.append("'}}'")
        self.line = " || ".join(parts)

    def _join(self, model: type[models.Model], column: str) -> str:
        alias = f"j{len(self.joins)}"
        self.joins.append(
            f'LEFT JOIN "{model._meta.db_table}" {alias} '
            f'ON {alias}."{model._meta.pk.column}" = t."{column}"'
        )
        return alias

    def _value(self, row_type: str, name: str, codec: str, field: Any) -> str:
        """The JSON text of a field (never NULL: `null` for a missing value)."""
        column = f't."{field.column}"'
        kind = field.get_internal_type()
        related = field.related_model if field.is_relation else None
        if codec == fmt.PLAIN and kind in TEXT_TYPES:
            value = f"to_json({column})::text"
        elif codec == fmt.PLAIN and kind in INT_TYPES:
            value = f"{column}::text"
        elif codec == fmt.PLAIN and kind == "BooleanField":
            return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' ELSE 'null' END"
        elif codec == fmt.DATE and kind == "DateField":
            value = f"""'"' || {column}::text || '"'"""
        elif codec == fmt.DATETIME and kind == "DateTimeField":
            return time_sql(column)
        elif codec == fmt.ORG and related is Organization:
            alias = self._join(Organization, field.column)
            value = f'to_json({alias}."{column_of(Organization, "code")}")::text'
        elif codec == fmt.DECISION and related is Decision:
            alias = self._join(Decision, field.column)
            symbol, date, body = (
                column_of(Decision, c) for c in ("symbol", "date", "issuing_body")
            )
            value = (
                f"""CASE WHEN {alias}."{Decision._meta.pk.column}" IS NOT NULL THEN """
                f"""'[' || coalesce(to_json({alias}."{symbol}")::text, 'null') || ',"' || """
                f"""{alias}."{date}"::text || '",' || """
                f"""coalesce(to_json({alias}."{body}")::text, 'null') || ']' END"""
            )
        elif codec == fmt.USER and related is get_user_model():
            user = get_user_model()
            alias = self._join(user, field.column)
            value = f'to_json({alias}."{column_of(user, user.USERNAME_FIELD)}")::text'
        elif codec == fmt.JSON and (row_type, name) == ("member_event", "details"):
            return details_sql(column)
        else:
            raise NotHere(f"{row_type}.{name}")
        return f"coalesce({value}, 'null')"


def column_of(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).column


def details_sql(column: str) -> str:
    """A member event's details: `{}` as it is, any other as its jsonb text between MARKs, for
    Python to write (`PersonLines.details`). Sorting the keys and naming the organisation of a
    transfer in SQL (jsonb_each and an aggregate per row) cost the database four times the
    rest of the line; Python does it for each distinct text once."""
    marked = f"E'\\x03' || {column}::text || E'\\x03'"
    return f"CASE WHEN {column} = '{{}}'::jsonb THEN '{{}}' ELSE {marked} END"


TYPES = ("person", "member_event", "membership_period")


class PersonLines:
    """The lines of batches of persons (in each batch's order), of their member events and of
    their membership periods, those numbered `[*person key, n]` per person as the file wants.

    With `workers`, the batches are copied by as many connections of their own, in threads,
    several batches at a time: each connection's transaction takes the export's snapshot
    (pg_export_snapshot), so the file stays one consistent state while the database writes
    lines on several cores. Without (the export is inside a transaction of the caller's, whose
    rows another connection would not see), on Django's connection, one batch after another.
    A context manager: leaving it closes the workers' connections."""

    def __init__(self, exporter, workers: int = 0) -> None:
        self.exporter = exporter
        self.workers = workers
        self._connections: list[Any] = []
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._pool: ThreadPoolExecutor | None = None
        self._details_cache: dict[bytes, bytes] = {}
        self._decode = json.JSONDecoder().decode
        self._sorted = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        person = Line("person", "b.key")
        self.sql = {
            "person": COPY.format(
                order="pos",
                query=f"SELECT b.pos, {person.line} AS line FROM {BATCH} "  # noqa: S608 - metadata only
                f'JOIN "{Person._meta.db_table}" t ON t."{Person._meta.pk.column}" = b.id '
                f"{' '.join(person.joins)}",
            )
        }
        for row_type, order in (
            ("member_event", ("effective_date", "id")),
            ("membership_period", ("valid_from", "id")),
        ):
            # the key: the person's written key, its closing bracket replaced by ",n]"
            line = Line(row_type, "left(b.key, -1) || ',' || (row_number() OVER w)::text || ']'")
            order_by = ", ".join(f't."{column_of(line.model, c)}"' for c in order)
            self.sql[row_type] = COPY.format(
                order="pos, n",
                query=f"SELECT b.pos, row_number() OVER w AS n, {line.line} AS line "  # noqa: S608 - metadata only
                f'FROM {BATCH} JOIN "{line.model._meta.db_table}" t '
                f'ON t."{column_of(line.model, "person")}" = b.id {" ".join(line.joins)} '
                f"WINDOW w AS (PARTITION BY b.pos ORDER BY {order_by})",
            )
        snapshot = ""
        with connection.cursor() as cursor:
            for setting in SETTINGS:
                cursor.execute(setting)
            if workers:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        try:
            for _ in range(workers):
                self._connections.append(self._worker_connection(snapshot))
                self._idle.put(self._connections[-1])
        except BaseException:
            self.close()
            raise
        if workers:
            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="dangvu-export-copy")

    @staticmethod
    def _worker_connection(snapshot: str):
        """A connection as Django's, in a read-only transaction of the export's snapshot."""
        worker = connection.get_new_connection(connection.get_connection_params())
        try:
            # psycopg opens the transaction before the first statement: these are its first
            worker.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            worker.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
            for setting in SETTINGS:
                worker.execute(setting)
        except BaseException:
            worker.close()
            raise
        return worker

    def __enter__(self) -> "PersonLines":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        while self._connections:
            self._connections.pop().close()  # ends its read-only transaction

    def details(self, text: bytes) -> bytes:
        """A member event's details (jsonb text) as `Exporter._details` and json.dumps write
        them (json.loads: JSONField.from_db_value, without a decoder)."""
        written = self._details_cache.get(text)
        if written is None:
            if len(self._details_cache) > 200_000:  # bounded memory
                self._details_cache.clear()
            # sort_keys: the order of fmt.sorted_json (keys are text, and unique)
            value = self.exporter.details_ids(self._decode(text.decode()))
            written = self._details_cache[text] = self._sorted.encode(value).encode()
        return written

    def batches(self, batches: Iterable[dict[int, list]]) -> Iterator[tuple[dict, dict]]:
        """For each batch (the keys of its persons by id, in the file's order), in order: the
        batch and {type: (number of lines, their bytes, each line ending with a newline)}."""
        if self._pool is None:
            for keys in batches:
                with connection.cursor() as cursor:
                    yield keys, self._copy_batch(cursor.cursor, keys)
            return
        pending: deque = deque()
        for keys in batches:
            pending.append((keys, self._pool.submit(self._worker_batch, keys)))
            # one batch more than there are workers: none of them waits for the next one
            if len(pending) > self.workers:
                keys, done = pending.popleft()
                yield keys, done.result()
        while pending:
            keys, done = pending.popleft()
            yield keys, done.result()

    def _worker_batch(self, keys: dict[int, list]) -> dict:
        worker = self._idle.get()
        try:
            with worker.cursor() as cursor:
                return self._copy_batch(cursor, keys)
        finally:
            self._idle.put(worker)

    def _copy_batch(self, cursor, keys: dict[int, list]) -> dict:
        """A batch's lines by type, copied with psycopg's `cursor`."""
        batch = [
            "{" + ",".join(map(str, keys)) + "}",
            json.dumps([fmt.dumps(key) for key in keys.values()], ensure_ascii=False),  # type: ignore[arg-type]
        ]
        out = {}
        for row_type in TYPES:
            with cursor.copy(self.sql[row_type], batch) as copy:
                data = b"".join(copy).replace(b"\x01", b"")
            if MARK in data:  # the details between MARKs, written by Python
                parts = data.split(MARK)
                cache, details = self._details_cache, self.details
                parts[1::2] = [cache.get(text) or details(text) for text in parts[1::2]]
                data = b"".join(parts)
            out[row_type] = (data.count(b"\n"), data)
        return out
