"""The engine's statements, compiled to SQL once per process and run again with new values.

Each figure is defined once, with the ORM (engine.MEMBER_STOCKS, START_FLOWS, ...), and the
drill-down lists the rows of the same querysets, so a figure and its list agree. Building and
compiling those querysets costs far more than the database takes to answer them for a cell or
a committee, so a statement is compiled the first time with placeholder values (dates far in
the past, a path no organisation has), the SQL and its parameters are kept, and each later
call binds its own values in the placeholders' places. On PostgreSQL the statement is also
prepared on the connection, so it is not planned again for every report either.
"""

import datetime as dt
import re
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from dangvu.organizations.paths import subtree_end

# Placeholders: dates in years no record has, half a century apart, so a date the ORM derives
# from one (the day after, the day before) is still recognised, as are its year and its month
# and day as one number (616 for 16/06), which the engine sends as integers; a path of a length
# no real path has (paths are whole segments of 8 digits) and the end of its subtree. Twelve:
# a dashboard's members over time asks for nine days in one statement.
_DATES = [dt.date(1100 + 50 * i, 6, 15 + i) for i in range(12)]
_NEAR = dt.timedelta(days=40)
_PATH = "86420975318642"
_INTS = [987_650_001 + i for i in range(4)]  # ids no table reaches
_PATH_END = subtree_end(_PATH)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class _Slot:
    """Where a call's value goes: the value named `name`, shifted by `days` for a date, the end
    of its subtree for a path (`end`), as ISO text where the backend sent text; for a date's
    `number`, its year or its month * 100 + day."""

    name: str
    days: int = 0
    end: bool = False
    text: bool = False
    number: str = ""

    def bind(self, values: dict[str, Any]) -> Any:
        value = values[self.name]
        if isinstance(value, dt.date):
            if self.number:
                return value.year if self.number == "year" else value.month * 100 + value.day
            value += dt.timedelta(days=self.days)
            return value.isoformat() if self.text else value
        return subtree_end(value) if self.end else value


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple
    keys: tuple[str, ...] | None  # the aggregate's keys in column order; None: rows as they are

    def bind(self, values: dict[str, Any]) -> list:
        return [p.bind(values) if isinstance(p, _Slot) else p for p in self.params]


_cache: dict[tuple, Statement] = {}
_lock = threading.Lock()


def _placeholders(values: dict[str, Any]) -> tuple[dict[str, Any], dict[Any, _Slot]]:
    sentinels: dict[str, Any] = {}
    slots: dict[Any, _Slot] = {}
    dates, ints = iter(_DATES), iter(_INTS)
    if sum(isinstance(v, str) for v in values.values()) > 1:
        raise ValueError("a compiled statement takes one path")
    for name, value in values.items():
        if isinstance(value, dt.date):
            sentinels[name] = day = next(dates)
            slots[("date", day)] = _Slot(name)
            slots[day.year] = _Slot(name, number="year")
            slots[day.month * 100 + day.day] = _Slot(name, number="month_day")
        elif isinstance(value, int) and not isinstance(value, bool):
            sentinels[name] = number = next(ints)
            slots[number] = _Slot(name)
        elif isinstance(value, str):
            sentinels[name] = _PATH
            slots[_PATH] = _Slot(name)
            slots[_PATH_END] = _Slot(name, end=True)
        else:
            raise TypeError(f"cannot compile a value of type {type(value).__name__}")
    return sentinels, slots


def _slot_for(param: Any, slots: dict[Any, _Slot]) -> Any:
    """The slot a compiled parameter stands for, or the parameter itself (a constant)."""
    if isinstance(param, (str, int)) and not isinstance(param, bool) and param in slots:
        return slots[param]
    day, text = None, False
    if isinstance(param, dt.date) and not isinstance(param, dt.datetime):
        day = param
    elif isinstance(param, str) and _ISO.match(param):
        day, text = dt.date.fromisoformat(param), True
    if day is not None:
        for (_, sentinel), slot in ((k, v) for k, v in slots.items() if isinstance(k, tuple)):
            if abs(day - sentinel) <= _NEAR:
                return _Slot(slot.name, days=(day - sentinel).days, text=text)
        if day.year < _DATES[-1].year + 100:  # drawn from a placeholder too far to tell which
            raise ValueError(f"a placeholder date the compiler does not know: {param}")
    return param


def _compile(build: Callable[..., Any], values: dict[str, Any]) -> Statement:
    sentinels, slots = _placeholders(values)
    seen: list[tuple[str, Sequence]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = build(**sentinels)
    if len(seen) != 1:
        raise ValueError(f"a compiled statement must send one query, this one sent {len(seen)}")
    sql, params = seen[0]
    keys = tuple(result) if isinstance(result, dict) else None
    statement = Statement(sql, tuple(_slot_for(p, slots) for p in params), keys)
    return _inline_constants(statement) if _prepared() else statement


_MARKER = re.compile(r"%[%s]")


def _inline_constants(statement: Statement) -> Statement:
    """The statement with its constants written into the SQL as literals and only the call's
    values left as parameters: hundreds fewer to send and bind on every run (the ORM sends
    every constant of the figures' filters as one), and the planner sees the constants."""
    from psycopg import sql as psycopg_sql

    params = iter(statement.params)
    kept: list[Any] = []

    def replace(match: re.Match) -> str:
        if match.group() == "%%":
            return "%%"
        param = next(params)
        if isinstance(param, _Slot):
            kept.append(param)
            return "%s"
        literal = psycopg_sql.Literal(param).as_string(connection.connection)
        return literal.replace("%", "%%")

    connection.ensure_connection()
    sql = _MARKER.sub(replace, statement.sql)
    return Statement(sql, tuple(kept), statement.keys)


def _prepared() -> bool:
    return connection.vendor == "postgresql" and getattr(
        settings, "DANGVU_PREPARE_STATEMENTS", True
    )


_preparing_cursor = None
_plan_modes: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def cursor(*, small: bool = False):
    """A cursor of the default connection; on PostgreSQL one that binds on the server and
    prepares what it runs (Django's own cursors bind on the client and never prepare).
    Wrapped as Django wraps its cursors, so the query counts and logs still see it.

    `small`: the statement reads a small part of its tables (a subtree below the top of the
    tree). PostgreSQL then runs the prepared plan that does not depend on the values (planned
    once: a few index lookups), where planning again would cost more than running; for a
    large subtree it plans for the values every time, which is worth it there. Only prepared
    statements heed plan_cache_mode, and only this module prepares any."""
    global _preparing_cursor
    if not _prepared():
        return connection.cursor()
    if _preparing_cursor is None:
        import psycopg

        class PreparingCursor(psycopg.Cursor):
            def execute(self, query, params=None, **kwargs):
                return super().execute(query, params, prepare=True)

        _preparing_cursor = PreparingCursor
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns preparing off for the connection; only our explicit prepare=True
        # prepares (Django's client-binding cursors never do)
        connection.connection.prepare_threshold = 1 << 30
    mode = "force_generic_plan" if small else "force_custom_plan"
    if _plan_modes.get(connection.connection) != mode:
        with connection.connection.cursor() as setting:
            setting.execute(f"SET plan_cache_mode = {mode}")
        _plan_modes[connection.connection] = mode
    raw = _preparing_cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def execute(cur, sql: str, params) -> list[tuple]:
    """Runs a statement on a cursor() and returns its rows; the query log gets the statement
    with its values, which Django cannot read back from a prepared one."""
    cur.execute(sql, params)
    if connection.queries_logged and _prepared() and connection.queries_log:
        entry = connection.queries_log[-1]
        if entry.get("sql") is None:
            entry["sql"] = connection.ops.compose_sql(sql, params)
    return cur.fetchall()


def _statement(key: tuple, build: Callable[..., Any], values: dict[str, Any]) -> Statement:
    cache_key = (connection.vendor, *key)
    statement = _cache.get(cache_key)
    if statement is None:
        with _lock:
            statement = _cache.get(cache_key) or _compile(build, values)
            _cache[cache_key] = statement
    return statement


def run(key: tuple, build: Callable[..., Any], *, small: bool = False, **values: Any) -> Any:
    """The result of `build(**values)` (an ORM statement sending one query: an aggregate or a
    values list), computed from the statement compiled for `key`: a dict for an aggregate, the
    rows otherwise. `key` names everything that shapes the SQL besides `values` (dates, ids,
    and one path with its subtree's end); `small` as for cursor()."""
    statement = _statement(key, build, values)
    with cursor(small=small) as cur:
        rows = execute(cur, statement.sql, statement.bind(values))
    if statement.keys is not None:
        return dict(zip(statement.keys, rows[0], strict=True))
    return rows


@dataclass(frozen=True)
class Part:
    """One aggregate of a combined statement: as for run()."""

    key: tuple
    build: Callable[..., Any]
    values: dict[str, Any]


@dataclass(frozen=True)
class Raw:
    """An aggregate written in SQL (one row, positional parameters, its columns' keys)."""

    sql: str
    params: tuple
    keys: tuple[str, ...]


def run_all(parts: Sequence[Part | Raw], *, small: bool = False) -> list[dict[str, Any]]:
    """Several one-row aggregates in one statement (and one round trip): each part is a
    subquery of a cross join of one row each; the results come back one dict per part."""
    statements = [
        Statement(p.sql, p.params, p.keys)
        if isinstance(p, Raw)
        else _statement(p.key, p.build, p.values)
        for p in parts
    ]
    if any(s.keys is None for s in statements):
        raise ValueError("run_all combines aggregates only")
    sql = " CROSS JOIN ".join(f"({s.sql}) AS part{i}" for i, s in enumerate(statements))
    params = [
        value
        for statement, part in zip(statements, parts, strict=True)
        for value in (statement.params if isinstance(part, Raw) else statement.bind(part.values))
    ]
    with cursor(small=small) as cur:
        # the SQL is the engine's own statements; every value is a parameter
        (row,) = execute(cur, f"SELECT * FROM {sql}", params)  # noqa: S608
    results, start = [], 0
    for statement in statements:
        results.append(
            dict(zip(statement.keys, row[start : start + len(statement.keys)], strict=True))
        )
        start += len(statement.keys)
    return results
