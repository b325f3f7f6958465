"""Loading the synthetic rows: PostgreSQL COPY, or batches of INSERT on SQLite.

On PostgreSQL the tables are empty when the load starts; their plain indexes and the member
tables' foreign keys are dropped during the COPY and recreated (validated) after it, which is
several times faster than maintaining them row by row. On SQLite the rows go through
`dangvu.core.bulk.insert_rows` (one prepared INSERT, batches of 2,000) in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from django.db import transaction

from . import tree as synth_tree
from .members import COPY_COLUMNS, MEMBER_TABLES, MEVENT, PERIOD, PERSON

RECORDED = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # when the synthetic history was "entered"


def _models():
    from dangvu.members.models import MemberEvent, MembershipPeriod, Person
    from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationVersion

    return {
        synth_tree.ORG_TABLE: Organization,
        synth_tree.VERSION_TABLE: OrganizationVersion,
        synth_tree.EVENT_TABLE: OrganizationEvent,
        PERSON: Person,
        PERIOD: MembershipPeriod,
        MEVENT: MemberEvent,
    }


# the tree -----------------------------------------------------------------------------------
ORG_COLUMNS = (
    "id", "code", "name", "type", "parent_id", "sector", "province_code", "address",
    "established_on", "dissolved_on",
)  # fmt: skip
VERSION_COLUMNS = (
    "id", "organization_id", "valid_from", "valid_to", "path", "depth", "name", "type",
    "parent_id", "sector", "province_code", "address",
)  # fmt: skip


def load_tree(tree: synth_tree.Tree, connection) -> None:
    """The tree's organisations, versions and events into the (empty) tables."""
    if connection.vendor == "postgresql":
        synth_tree.load(tree, connection)
        return
    from dangvu.core.bulk import insert_rows

    models = _models()
    with transaction.atomic(using=connection.alias):
        insert_rows(
            models[synth_tree.ORG_TABLE],
            [dict(zip(ORG_COLUMNS, row, strict=True)) for row in tree.organizations],
        )
        insert_rows(
            models[synth_tree.VERSION_TABLE],
            [
                dict(
                    zip(VERSION_COLUMNS, (i, org, s, e, path, len(path) // 8, *state), strict=True)
                )
                for i, (org, s, e, path, state) in enumerate(tree.versions, 1)
            ],
        )
        insert_rows(
            models[synth_tree.EVENT_TABLE],
            [
                {
                    "id": ev.id,
                    "kind": ev.kind,
                    "organization_id": ev.organization_id,
                    "effective_date": ev.date,
                    "changes": ev.changes,
                    "previous": ev.previous,
                    "cause_id": ev.cause_id,
                    "note": "",
                }
                for ev in tree.events
            ],
        )


# the members --------------------------------------------------------------------------------
def _foreign_keys(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    return cursor.fetchall()


def load_members(connection, files: dict[str, str]) -> None:
    """The member files (COPY text) into the (empty) member tables."""
    if connection.vendor == "postgresql":
        _copy_members(connection, files)
    else:
        _insert_members(connection, files)


def _copy_members(connection, files: dict[str, str]) -> None:
    """COPY: plain indexes and foreign keys dropped during the load, recreated (and validated)
    after it. Columns the files do not hold get what the model's defaults would: '' for
    text, false for flags, now for timestamps."""
    # the table and column names below are the module's constants and the catalogue's
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET synchronous_commit = off")
        indexes = [ix for t in MEMBER_TABLES for ix in synth_tree._plain_indexes(cursor, t)]
        fks = [(t, *fk) for t in MEMBER_TABLES for fk in _foreign_keys(cursor, t)]
        for table, name, _ in fks:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # NOT NULL columns without a database default that the files leave out
        for table in MEMBER_TABLES:
            given = {c.strip() for c in COPY_COLUMNS[table].split(",")}
            cursor.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
                [table],
            )
            for column, data_type in cursor.fetchall():
                if column in given:
                    continue
                default = {"boolean": "false", "text": "''", "character varying": "''"}.get(
                    data_type, "now()" if "timestamp" in data_type else None
                )
                assert default is not None, (table, column, data_type)
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default}")
            with (
                cursor.copy(f"COPY {table} ({COPY_COLUMNS[table]}) FROM STDIN") as copy,
                open(files[table], "rb") as f,
            ):
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    copy.write(chunk)
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND column_default IS NOT NULL "
                "AND column_default NOT LIKE 'nextval%%'",
                [table],
            )
            for (column,) in cursor.fetchall():
                if column not in given:
                    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
        for _, statement in indexes:
            cursor.execute(statement)
        for table, name, definition in fks:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table in MEMBER_TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def copy_rows(path: str, columns: list[str]) -> Iterator[dict]:
    """The rows of a COPY text file as dicts by column (\\N as None; no escapes are written)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            values = line.rstrip("\n").split("\t")
            yield {c: (None if v == r"\N" else v) for c, v in zip(columns, values, strict=True)}


def _insert_members(connection, files: dict[str, str], batch: int = 20_000) -> None:
    from dangvu.core.bulk import defaults, insert_rows

    models = _models()
    with transaction.atomic(using=connection.alias):
        for table in MEMBER_TABLES:
            model = models[table]
            base = defaults(model)
            columns = [c.strip() for c in COPY_COLUMNS[table].split(",")]
            rows: list[dict] = []
            for row in copy_rows(files[table], columns):
                if "exempt" in row:
                    row["exempt"] = row["exempt"] == "t"
                if "details" in row:
                    row["details"] = json.loads(row["details"])
                rows.append(base | row)
                if len(rows) >= batch:
                    insert_rows(model, rows, reset_sequence=False)
                    rows = []
            insert_rows(model, rows)
