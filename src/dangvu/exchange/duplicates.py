"""Probable duplicates among the people rows of an import: two rows of the file that look like
one person, or a row that creates a file for someone who looks already stored under another
citizen ID or none. They are warnings: the import goes on, the report lists them.

The rows' folded keys (quality.rules: diacritics, case and spaces away, đ as d) go into a
temporary table as the rows are read, so the file is not held in memory; the candidates are
then found in SQL, by the blocks of quality.rules (the same folded name and birth year; the
same family and given names and full birth date; the same full birth date and hometown): a
self-join of the table for the file, a join with quality.PersonKey (refreshed before the first
row) for the stored files. Only the candidate pairs are scored in Python (quality.rules.match,
the citizen IDs left out: a different number is the very doubt here).
"""

import datetime as dt
import difflib
from collections import defaultdict
from typing import Any

from django.db import connection

from dangvu.access.scopes import Scope
from dangvu.members.models import Person
from dangvu.organizations.models import Organization
from dangvu.quality import rules
from dangvu.quality.models import PersonKey

IN_FILE = "exchange.DUPLICATE_SUSPECT_IN_FILE"
STORED = "exchange.DUPLICATE_SUSPECT_STORED"
TABLE = "dangvu_import_people"
CHUNK = 2000
COLUMNS = ("id", "sheet", "row_number", "created", "full_name", "name_key", "family_key",
           "given_key", "birth_year", "birth_month", "birth_day", "sex", "hometown",
           "hometown_key", "citizen_id")  # fmt: skip
FULL_DATE = "{t}.birth_month IS NOT NULL AND {t}.birth_day IS NOT NULL"
# rules.blocks but the citizen ID's: (the columns shared, the rows that can be in the block)
# the same name and year: a pair scores under rules.SUSPECT_THRESHOLD unless what both know of
# the birth date agrees (or day and month are swapped), so only those pairs are read
BIRTH_AGREES = (
    "(({a}.birth_month IS NULL OR {b}.birth_month IS NULL OR {a}.birth_month = {b}.birth_month)"
    " AND ({a}.birth_day IS NULL OR {b}.birth_day IS NULL OR {a}.birth_day = {b}.birth_day)"
    " OR ({a}.birth_month = {b}.birth_day AND {a}.birth_day = {b}.birth_month))"
)
BLOCKS = (
    (("name_key", "birth_year"), "{t}.name_key <> ''"),
    (
        ("family_key", "given_key", "birth_year", "birth_month", "birth_day"),
        "{t}.given_key <> '' AND " + FULL_DATE,
    ),
    (
        ("birth_year", "birth_month", "birth_day", "hometown_key"),
        "{t}.hometown_key <> '' AND " + FULL_DATE,
    ),
)


def _birth(year, month, day) -> str:
    if day:
        return f"{day:02d}/{month:02d}/{year}"
    return f"{month:02d}/{year}" if month else str(year)


class DuplicateCheck:
    """Collects the people rows of a run (`add`), then gives the warnings (`warnings`)."""

    def __init__(self, scope: Scope, today: dt.date) -> None:
        self.scope = scope
        self.today = today
        self.pending: list[tuple] = []
        self.rows = 0
        self.table = False

    def add(self, sheet: str, number: int, data: dict[str, Any], created: bool) -> None:
        """A people row the run accepted; `created`: it makes a new file (else it is a stored
        one, or one an earlier row of the file makes)."""
        facts = rules.PersonFacts.from_row(None, data)
        self.rows += 1
        self.pending.append(
            (self.rows, sheet, number, created, facts.full_name, facts.name_key[:128],
             facts.family_key[:32], facts.given_key[:32], facts.birth_year, facts.birth_month,
             facts.birth_day, facts.sex, facts.hometown, facts.hometown_key[:255],
             facts.citizen_id)
        )  # fmt: skip
        if len(self.pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        with connection.cursor() as cursor:
            if not self.table:
                _drop(cursor)
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {TABLE} (id integer PRIMARY KEY, sheet text, "
                    "row_number integer, created boolean, full_name text, name_key text, "
                    "family_key text, given_key text, birth_year integer, birth_month integer, "
                    "birth_day integer, sex text, hometown text, hometown_key text, "
                    "citizen_id text)"
                )
                self.table = True
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", self.pending)  # noqa: S608
        self.pending = []

    def warnings(self) -> list[tuple[str, int, str, str]]:
        """(sheet, row, code, message) of each probable duplicate, by sheet and row; the
        temporary table is dropped."""
        self._flush()
        if not self.table:
            return []
        try:
            found = self._in_file() + self._stored()
        finally:
            with connection.cursor() as cursor:
                _drop(cursor)
            self.table = False
        return found

    # the file ---------------------------------------------------------------------------------
    def _in_file(self) -> list[tuple[str, int, str, str]]:
        pairs: set[tuple[int, int]] = set()
        keys = (
            "id, name_key, family_key, given_key, birth_year, birth_month, birth_day, hometown_key"
        )
        with connection.cursor() as cursor:
            for position, (columns, possible) in enumerate(BLOCKS):
                same = " AND ".join(f"a.{c} = b.{c}" for c in columns)
                if position == 0:
                    same += " AND " + BIRTH_AGREES.format(a="a", b="b")
                # each block's rows counted once (a window, no index to build): a block of
                # more than MAX_BLOCK rows is a common name, not a duplicate; then one hash
                # self-join of the rows that can be in the block
                cursor.execute(
                    f"WITH t AS MATERIALIZED (SELECT {keys}, count(*) OVER "  # noqa: S608
                    f"(PARTITION BY {', '.join(columns)}) AS n FROM {TABLE} "
                    f"WHERE {possible.format(t=TABLE)}) "
                    f"SELECT a.id, b.id FROM t a JOIN t b ON {same} AND a.id < b.id "
                    f"WHERE a.n <= {rules.MAX_BLOCK}"
                )
                pairs.update(cursor.fetchall())
            facts = self._facts(cursor, {pk for pair in pairs for pk in pair})
        folded: dict[int, rules.PersonFacts] = {}  # a row's facts folded once, however many pairs
        found = []
        for first, second in sorted(pairs):
            a, b = facts[first], facts[second]
            if not _names_may_match(a, b):
                continue
            for row in (a, b):
                if row["id"] not in folded:
                    folded[row["id"]] = _without_id(row)
            match = rules.match(folded[first], folded[second])
            if not _suspect(match, a["citizen_id"], b["citizen_id"]):
                continue
            if a["citizen_id"] and b["citizen_id"]:
                numbers = "hai dòng ghi hai số CCCD khác nhau"
            elif a["citizen_id"] or b["citizen_id"]:
                numbers = "một dòng không ghi số CCCD"
            else:
                numbers = "cả hai dòng không ghi số CCCD"
            where = f"dòng {a['row_number']}" + (
                f" của trang «{a['sheet']}»" if a["sheet"] != b["sheet"] else ""
            )
            found.append(
                (
                    b["sheet"],
                    b["row_number"],
                    IN_FILE,
                    f"Có thể cùng một người với {where} («{a['full_name']}», sinh "
                    f"{_birth(a['birth_year'], a['birth_month'], a['birth_day'])}): "
                    f"{match.label.lower()}, {numbers}. Hãy kiểm tra trước khi nhập.",
                )
            )
        return found

    def _facts(self, cursor, ids: set[int]) -> dict[int, dict[str, Any]]:
        facts = {}
        ordered = sorted(ids)
        for index in range(0, len(ordered), CHUNK):
            chunk = ordered[index : index + CHUNK]
            cursor.execute(
                f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE id IN "  # noqa: S608
                f"({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for row in cursor.fetchall():
                facts[row[0]] = dict(zip(COLUMNS, row, strict=True))
        return facts

    # the stored files -------------------------------------------------------------------------
    def _stored(self) -> list[tuple[str, int, str, str]]:
        key = PersonKey._meta.db_table
        person = Person._meta.db_table
        organization = Organization._meta.db_table
        rows: dict[tuple[int, int], tuple] = {}
        members: dict[tuple, set[int]] = defaultdict(set)  # a block's stored files
        with connection.cursor() as cursor:
            for position, (columns, possible) in enumerate(BLOCKS):
                same = " AND ".join(f"k.{c} = f.{c}" for c in columns)
                if position == 0:
                    same += " AND " + BIRTH_AGREES.format(a="f", b="k")
                cursor.execute(
                    f"SELECT f.id, {', '.join(f'f.{c}' for c in columns)}, p.id, p.full_name, "  # noqa: S608
                    "p.birth_year, p.birth_month, p.birth_day, p.sex, p.hometown, p.citizen_id, "
                    f"p.organization_id, o.name, k.name_key, k.family_key, k.given_key "
                    f"FROM {TABLE} f JOIN {key} k ON {same} "
                    f"JOIN {person} p ON p.id = k.person_id "
                    f"JOIN {organization} o ON o.id = p.organization_id "
                    f"WHERE f.created AND {possible.format(t='f')} "
                    # the same number is the same file (a row with it would not create one)
                    "AND (f.citizen_id IS NULL OR p.citizen_id IS NULL "
                    "OR f.citizen_id <> p.citizen_id)"
                )
                for row in cursor.fetchall():
                    block = (position, *row[1 : 1 + len(columns)])
                    stored = row[1 + len(columns) :]
                    members[block].add(stored[0])
                    rows.setdefault((row[0], stored[0]), (block, stored))
            mine = self._facts(cursor, {pk for pk, _ in rows})
        visible = None
        if not self.scope.unrestricted:
            from dangvu.quality.selectors import organization_versions

            visible = set(
                organization_versions(scope=self.scope, today=self.today).values_list(
                    "organization_id", flat=True
                )
            )
        folded: dict[int, rules.PersonFacts] = {}
        found = []
        for (pk, _), (block, stored) in sorted(rows.items()):
            if len(members[block]) > rules.MAX_BLOCK:
                continue
            pid, name, year, month, day, sex, hometown, citizen_id, org_id, org_name = stored[:10]
            if visible is not None and org_id not in visible:
                continue  # a file outside the actor's scope is not shown
            row = mine[pk]
            their_keys = dict(
                zip(("name_key", "family_key", "given_key"), stored[10:], strict=True)
            )
            if not _names_may_match(row, their_keys):
                continue
            theirs = rules.PersonFacts(pid, name, year, month, day, sex, hometown)
            if pk not in folded:
                folded[pk] = _without_id(row)
            match = rules.match(folded[pk], theirs)
            if not _suspect(match, row["citizen_id"], citizen_id):
                continue
            numbers = (
                f"lý lịch đó ghi số CCCD {citizen_id}, khác dòng này"
                if citizen_id and row["citizen_id"]
                else "lý lịch đó chưa có số CCCD"
                if not citizen_id
                else "dòng này không ghi số CCCD"
            )
            found.append(
                (
                    row["sheet"],
                    row["row_number"],
                    STORED,
                    f"Có thể trùng với lý lịch đã có của «{name}», sinh {_birth(year, month, day)}"
                    f", thuộc «{org_name}»: {match.label.lower()}, {numbers}. Dòng này sẽ lập "
                    "thêm một lý lịch mới: hãy kiểm tra trước khi nhập.",
                )
            )
        return found


def _suspect(match: rules.DuplicateMatch | None, mine: str | None, theirs: str | None) -> bool:
    """Worth a warning: two different citizen IDs are two people unless everything else is
    the same (folded name, full birth date, hometown: a mistyped number); a missing one leaves
    the doubt to the score. Namesakes born the same day in one province are common: in a file
    of 100,000 generated people, 431 pairs score as similar under two different numbers."""
    if match is None:
        return False
    return not (mine and theirs) or match.kind == rules.MatchKind.IDENTICAL


def _names_may_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """False when rules.match cannot reach its threshold for the names alone: a given or a
    family name further than a typo from the other's makes the name count half its closeness
    (at most 0.75 in all). Told from the folded keys with difflib's cheap upper bound, before
    the rows' facts are folded and scored (most pairs of a block of the same birth date and
    hometown are two people)."""
    if a["name_key"] == b["name_key"] or (
        a["family_key"] == b["family_key"] and a["given_key"] == b["given_key"]
    ):
        return True
    for mine, theirs in ((a["given_key"], b["given_key"]), (a["family_key"], b["family_key"])):
        if difflib.SequenceMatcher(None, mine, theirs).quick_ratio() < rules.TYPO_RATIO:
            return False
    return True


def _drop(cursor) -> None:
    """The temporary table, never a real one of the same name (the schema named)."""
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    cursor.execute(f"DROP TABLE IF EXISTS {schema}.{TABLE}")


def _without_id(row: dict[str, Any]) -> rules.PersonFacts:
    return rules.PersonFacts(
        row["id"],
        row["full_name"],
        row["birth_year"],
        row["birth_month"],
        row["birth_day"],
        row["sex"] or "",
        row["hometown"] or "",
    )
