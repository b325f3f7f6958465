"""The export's lines of the big row types (persons, member events, membership periods) on
PostgreSQL: the same bytes as `Exporter.data` + `json.dumps` (exchange_export), ten times faster.

Each batch of persons is read with one plain query per type (`unnest` of the batch's ids, in the
batch's order), values as the database's text where that text is already the file's (dates; the
times in UTC, completed to `isoformat()`'s six digits), ids for references. Each row type has
one line function, generated once from `exchange_format.FIELDS` and the model's fields: a list
comprehension of one f-string per row, strings escaped by `json.encoder.encode_basestring` (what
`json.dumps(..., ensure_ascii=False)` uses), references looked up in maps of written JSON, JSON
values (a member event's details) decoded and written with sorted keys, cached by their text.
A field of another kind (floats, decimals, bytes) is refused (`NotHere`): such a type stays on
the Python path. tests/exchange/test_exchange_round_trip.py compares both paths byte for byte.
"""

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from django.db import connection

from dangvu.members.models import MemberEvent, Person

from . import exchange_format as fmt

# the session's DateStyle decides how dates and times are written as text: ISO, as isoformat()
DATESTYLE = "SET LOCAL DateStyle = 'ISO, MDY'"
BATCH = "unnest(%s::bigint[]) WITH ORDINALITY AS b(id, pos)"
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
BOOLEANS = {True: "true", False: "false", None: "null"}


class NotHere(Exception):
    """A field this path does not write as Python does."""


class Written(dict):
    """Ids to their written JSON; an unknown id (or None) is written `null`, or as `missing`
    says (a decision outside the file's maps)."""

    def __init__(self, values: dict, missing: Callable[[Any], str] | None = None) -> None:
        super().__init__(values)
        self[None] = "null"
        self.missing = missing

    def __missing__(self, key: Any) -> str:
        if self.missing is None:
            return "null"
        value = self[key] = self.missing(key)
        return value


def write_time(text: str | None) -> str:
    """`(t AT TIME ZONE 'UTC')::text` as `write_datetime` writes it: ISO with a "T",
    microseconds in six digits (none when zero), "+00:00"."""
    if text is None:
        return "null"
    text = text.replace(" ", "T", 1)
    if len(text) not in (19, 26):  # the database trims the microseconds' trailing zeros
        text = text.ljust(26, "0")
    return f'"{text}+00:00"'


def constant(text: str) -> str:
    """Text of the line, inside the generated f-string."""
    if "'" in text or "\\" in text:
        raise NotHere(text)
    return text.replace("{", "{{").replace("}", "}}")


class LineType:
    """The query columns and the line function of one row type: `columns` (SQL over the
    table aliased `t`, after `first` columns of the query's own), `lines(rows, keys)`."""

    def __init__(self, row_type: str, maps: dict[str, Any], first: int, key: str) -> None:
        self.row_type = row_type
        model = fmt.MODELS[row_type]
        self.columns: list[str] = []
        parts = [constant(f'{{"type":{json.dumps(row_type)},"key":'), key]
        for n, (name, attribute, codec) in enumerate(fmt.FIELDS[row_type]):
            field = model._meta.get_field(attribute)
            column = f't."{field.column}"'
            index = f"r[{first + n}]"
            kind = field.get_internal_type()
            parts.append(constant(("," if n else ',"data":{') + json.dumps(name) + ":"))
            null = field.null
            if codec == fmt.PLAIN and kind in TEXT_TYPES:
                value = f"E({index})"
            elif codec == fmt.PLAIN and kind in INT_TYPES:
                value = index
            elif codec == fmt.PLAIN and kind == "BooleanField":
                value, null = f"B[{index}]", False
            elif codec == fmt.DATE and kind == "DateField":
                column, value = f"{column}::text", f"Q + {index} + Q"
            elif codec == fmt.DATETIME and kind == "DateTimeField":
                column = f"({column} AT TIME ZONE 'UTC')::text"
                value, null = f"T({index})", False
            elif codec in (fmt.ORG, fmt.DECISION, fmt.USER):
                value, null = f"{codec.upper()}[{index}]", False
            elif codec == fmt.JSON and name in maps:
                column, value, null = f"{column}::text", f"{name.upper()}({index})", False
            else:
                raise NotHere(f"{row_type}.{name}")
            self.columns.append(column)
            parts.append("{" + (f"N if {index} is None else {value}" if null else value) + "}")
        parts.append("}}}}")
        source = f"def lines(rows, K):\n    return [f'{''.join(parts)}' for r in rows]\n"
        names = {"E": encode_basestring, "B": BOOLEANS, "T": write_time, "Q": '"', "N": "null"}
        names |= {name.upper(): value for name, value in maps.items()}
        exec(compile(source, f"<export line {row_type}>", "exec"), names)  # noqa: S102 - our text
        self.lines: Callable[[list[tuple], dict], list[str]] = names["lines"]


class PersonLines:
    """The lines of a batch of persons (in the batch's order), of their member events and of
    their membership periods, those numbered `[*person key, n]` per person as the file wants."""

    def __init__(self, exporter) -> None:
        self.exporter = exporter
        codes = {i: encode_basestring(code) for i, code in exporter.org_codes.items()}
        maps: dict[str, Any] = {
            "org": Written(codes),
            "user": Written({i: encode_basestring(n) for i, n in exporter.usernames.items()}),
            "decision": Written(
                {i: fmt.dumps(key) for i, key in exporter.decision_keys.items()},  # type: ignore[arg-type]
                lambda i: fmt.dumps(exporter.decision(i)),  # type: ignore[arg-type]
            ),
            "details": self.details,
        }
        self._details_field = MemberEvent._meta.get_field("details")
        self._details_cache: dict[str, str] = {}
        self._sorted = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        key_columns = [
            f't."{Person._meta.get_field(name).column}"'
            for name in ("citizen_id", "card_number", "organization_id", "full_name")
            + ("birth_year", "birth_month", "birth_day")
        ] + ["(t.\"created_at\" AT TIME ZONE 'UTC')::text"]
        self.person = LineType("person", maps, 1 + len(key_columns), "{K[r[0]]}")
        columns = ", ".join([*key_columns, *self.person.columns])
        self.persons_sql = (
            f'SELECT t.id, {columns} FROM {BATCH} JOIN "{Person._meta.db_table}" t '  # noqa: S608 - metadata only
            "ON t.id = b.id ORDER BY b.pos"
        )
        self.children: dict[str, tuple[LineType, str]] = {}
        for row_type, order in (
            ("member_event", ("effective_date", "id")),
            ("membership_period", ("valid_from", "id")),
        ):
            model = fmt.MODELS[row_type]
            line = LineType(row_type, maps, 2, "{K[r[0]]}{r[1]}]")
            order_by = ", ".join(f't."{model._meta.get_field(c).column}"' for c in order)
            self.children[row_type] = (
                line,
                f"SELECT t.person_id, row_number() OVER (PARTITION BY b.pos ORDER BY {order_by}), "  # noqa: S608 - metadata only
                f'{", ".join(line.columns)} FROM {BATCH} JOIN "{model._meta.db_table}" t '
                f"ON t.person_id = b.id ORDER BY b.pos, {order_by}",
            )
        with connection.cursor() as cursor:
            cursor.execute(DATESTYLE)

    def details(self, text: str) -> str:
        """A member event's details as `Exporter._details` and json.dumps write them."""
        written = self._details_cache.get(text)
        if written is None:
            if len(self._details_cache) > 100_000:
                self._details_cache.clear()
            value = self._details_field.from_db_value(text, None, connection)
            # sort_keys: the order of fmt.sorted_json (keys are text, and unique)
            written = self._sorted.encode(self.exporter.details_ids(value))
            self._details_cache[text] = written
        return written

    def persons_of(self, ids: list[int]) -> tuple[dict[int, list], list[str]]:
        """The batch's person keys by id, and its person lines."""
        from .exchange_export import person_key

        self._batch = "{" + ",".join(map(str, ids)) + "}"  # the ids of every query of the batch
        rows = self._fetch(self.persons_sql)
        codes = self.exporter.org_codes
        keys, written, self._prefixes = {}, {}, {}
        for row in rows:
            citizen, card, organization, name, year, month, day, created = row[1:9]
            if citizen or card:
                key = person_key((citizen, card, None, None, None, None, None, None))
            else:
                created = write_time(created)[1:-1]  # write_datetime's text
                key = ["ls", codes.get(organization), name, year, month, day, created]
            keys[row[0]] = key
            written[row[0]] = text = fmt.dumps(key)  # type: ignore[arg-type]
            self._prefixes[row[0]] = text[:-1] + ","  # a child's key: [*person key, n]
        return keys, self.person.lines(rows, written)

    def children_of(self, row_type: str) -> list[str]:
        """The lines of a type of the batch of the last `persons_of`."""
        line, sql = self.children[row_type]
        return line.lines(self._fetch(sql), self._prefixes)

    def _fetch(self, sql: str) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._batch])
            return cursor.fetchall()
