"""Writing many rows at once, for loads that replay their history in memory first (the demo
data, the bulk path of the import): ids reserved up front so the rows can point at each other,
then one prepared INSERT for all rows (SQLite) or COPY (PostgreSQL).

The ORM's bulk_create builds a model instance and a statement per batch; at 100,000 people
with their events that is most of the time of a load.
"""

import json
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

BATCH = 2000


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids for new rows of `model`, increasing. On PostgreSQL they are drawn from the
    table's sequence, so a concurrent writer never gets one of them; on SQLite (one writer at
    a time) they follow the highest id."""
    if count <= 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    start = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    return list(range(start, start + count))


def defaults(model: type[models.Model]) -> dict[str, Any]:
    """The value of every column a new row gets when none is given."""
    return {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if not isinstance(field, models.DateTimeField)
    }


def insert_rows(
    model: type[models.Model], rows: list[dict[str, Any]], *, reset_sequence: bool = True
) -> None:
    """INSERT of many rows with explicit ids (dicts by attname; a column not given is NULL;
    every date-time column is now). With `reset_sequence`, the id sequence is then moved past
    them (not needed for ids from `reserve_ids`)."""
    if not rows:
        return
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        _copy(table, columns, fields, names, rows, now)
    else:
        _executemany(table, columns, fields, names, rows, now)
    if reset_sequence:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)


def _executemany(table, columns, fields, names, rows, now) -> None:
    adapt = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            value = connection.ops.adapt_datetimefield_value(now)
            adapt.append(lambda _v, value=value: value)
        elif isinstance(f, models.DateField):
            adapt.append(connection.ops.adapt_datefield_value)
        elif isinstance(f, models.JSONField):
            adapt.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        else:
            adapt.append(None)
    # the table and column names come from the model's meta; the values are parameters
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    with connection.cursor() as cursor:
        for index in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(
                        row.get(name) if fn is None else fn(row.get(name))
                        for name, fn in zip(names, adapt, strict=True)
                    )
                    for row in rows[index : index + BATCH]
                ],
            )


def _copy(table, columns, fields, names, rows, now) -> None:
    """COPY FROM STDIN through psycopg 3, which adapts each Python value itself."""
    adapt = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapt.append(lambda _v: now)
        elif isinstance(f, models.JSONField):
            adapt.append(
                lambda v, f=f: (
                    None if v is None else json.dumps(v, cls=f.encoder, ensure_ascii=False)
                )
            )
        else:
            adapt.append(None)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor under Django's wrapper
        # most columns go as they are: only the few that need it are adapted, by position
        adapted = [(index, fn) for index, fn in enumerate(adapt) if fn is not None]
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                get = row.get
                values = [get(name) for name in names]
                for index, fn in adapted:
                    values[index] = fn(values[index])
                copy.write_row(values)
