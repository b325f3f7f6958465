"""Benchmark of the quarterly indicator set (issue 4) on PostgreSQL.

Builds the synthetic data of `dangvu synth` (dangvu.synth: the deterministic national tree and
members in its cells: persons, their membership periods and member events, streamed to COPY), checks the balance identity, then times
the full quarterly set for 2021-Q1 (`engine.stocks(root, 31/03/2021) | engine.flows(root, Q1)`)
against hand-written SQL computing the same figures on the same data (asserted equal first):
for the national root, the benchmark province, one bloc (upper committee) and one grassroots
cell. Target: ours within 1.5x of the baseline at every size.

"Cost follows the subtree": the same cell's report is timed again in a second database,
dangvu_bench_report_bloc, holding only the cell's bloc: every organisation that was ever in the
bloc's subtree with its ancestors, their versions and events, the periods and member events in
those organisations and the persons they belong to, copied row for row from the big database
(so the cell's figures are the same there, which is asserted). Target: within 1.5x.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench_report \\
        .venv/bin/python bench/report.py --members 150000 --orgs 8000 [--fresh] [--repeat 7]

Sizes of issue 4: bloc `--members 5000 --orgs 300`, province `--members 150000 --orgs 8000`,
national `--members 5600000 --orgs 300000`. --members is the number of persons generated
(the stock on 31/03/2021 is printed). With --orgs below bench/tree.py's minimum of 2,000 the
tree is generated at 64 x --orgs organisations (at least 2,000) and members are given only to
the cells of the upper committee whose subtree on 31/03/2021 is closest to --orgs organisations.
The database is created when missing (--fresh drops it); data loaded with the same parameters
is reused.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
BLOC_DB_SUFFIX = "_bloc"


def _tree_module():
    name = "dangvu_bench_tree"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("tree.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]


tree_bench = _tree_module()
tree_bench.setup_django()  # the member generator reads the rules, which need the models

# the generators and the loaders moved to the product (`dangvu synth`); re-exported here for
# tests/bench
from dangvu.synth.build import GENERATOR_VERSION, Plan, plan  # noqa: E402, F401
from dangvu.synth.loading import load_members  # noqa: E402, F401
from dangvu.synth.members import (  # noqa: E402, F401
    COPY_COLUMNS,
    MEMBER_TABLES,
    MEVENT,
    PERIOD,
    PERSON,
    SIM_START,
    Interval,
    Members,
    cell_intervals,
    digest,
    generate_members,
)

D = dt.date
OPEN_END = tree_bench.OPEN_END
HISTORY_END = tree_bench.HISTORY_END
REPORT_DAY = D(2021, 3, 31)  # end of 2021-Q1
KINH = "01"
BADGE_MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
V = tree_bench.VERSION_TABLE
OE = tree_bench.EVENT_TABLE
ORG = tree_bench.ORG_TABLE
CC = "organizations_committeeconsolidation"
CAND = "members_candidate"


def analyze(connection, vacuum: bool = True) -> None:
    tree_bench.analyze(connection, vacuum=vacuum)
    with connection.cursor() as cursor:
        for table in MEMBER_TABLES:
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")


# the roots ------------------------------------------------------------------------------------
def _best_cell(cursor, bloc: int) -> int | None:
    from dangvu.organizations.paths import subtree_end

    cursor.execute(
        f"SELECT path FROM {V} WHERE organization_id = %s AND valid_from <= %s AND valid_to > %s",
        [bloc, REPORT_DAY, REPORT_DAY],
    )
    (path,) = cursor.fetchone()
    cursor.execute(
        f"""
        SELECT v.organization_id, count(p.id) AS n FROM {V} v
        LEFT JOIN {PERIOD} p ON p.organization_id = v.organization_id
             AND p.valid_from <= %(d)s AND p.valid_to > %(d)s
        WHERE v.path >= %(lo)s AND v.path < %(hi)s AND v.type = 'grassroots_cell'
          AND v.valid_from <= '2020-12-31' AND v.valid_to > %(d)s
        GROUP BY v.organization_id ORDER BY n DESC, v.organization_id LIMIT 1
        """,
        {"d": REPORT_DAY, "lo": path, "hi": subtree_end(path)},
    )
    row = cursor.fetchone()
    return row[0] if row else None


def pick_bloc_and_cell(connection, province: int, preferred: int) -> tuple[int, int]:
    """The grassroots cell with the most members on 31/03/2021 (one version through the
    quarter) under the preferred bloc, or else under the first upper committee (of the
    province first) that has one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT organization_id FROM {V} WHERE type = %s AND valid_from <= %s "
            "AND valid_to > %s ORDER BY parent_id = %s DESC, organization_id",
            [tree_bench.UPPER, REPORT_DAY, REPORT_DAY, province],
        )
        for bloc in [preferred] + [r[0] for r in cursor.fetchall()]:
            cell = _best_cell(cursor, bloc)
            if cell is not None:
                return bloc, cell
    raise RuntimeError(f"no grassroots cell under the upper committees of {province}")


# ours and the baseline ------------------------------------------------------------------------
def quarter():
    from dangvu.statistics.periods import parse_period

    return parse_period("2021-Q1")


_roots: dict[int, object] = {}


def ours(root_id: int) -> dict[str, int]:
    """The quarterly set as a report computes it for an organisation in hand (a report page has
    looked it up by its code already, as the baseline is handed the root's id): one statement
    after the root's versions and the rule parameters (engine.figures)."""
    from dangvu.organizations.models import Organization
    from dangvu.statistics import engine

    if root_id not in _roots:
        _roots[root_id] = Organization.objects.get(pk=root_id)
    return engine.figures(_roots[root_id], quarter())


def balance_holds(root_id: int) -> tuple[bool, str]:
    from dangvu.organizations.models import Organization
    from dangvu.statistics import engine

    period = quarter()
    root = Organization.objects.get(pk=root_id)
    start = engine.stocks(root, period.day_before)["members.total"]
    end = engine.stocks(root, period.end)["members.total"]
    b = engine.balance(start, end, engine.flows(root, period))
    return b.holds, f"{start:,} -> {end:,} (expected {b.expected_end:,})"


def _bands_sql(age: str) -> str:
    from dangvu.statistics.catalogue import AGE_BANDS as BANDS

    parts = []
    for _band, low, high in BANDS:
        cond = " AND ".join(
            c
            for c in (
                low is not None and f"{age} >= {low}",
                high is not None and f"{age} <= {high}",
            )
            if c
        )
        parts.append(f"count(*) FILTER (WHERE {cond})")
    return ", ".join(parts)


def _age_sql(day: str) -> str:
    """Full years on `day` (an SQL date expression), the latest birth date the file allows."""
    return (
        f"(extract(year FROM {day})::int - x_birth_year - CASE WHEN x_born_md > "
        f"extract(month FROM {day})::int * 100 + extract(day FROM {day})::int THEN 1 ELSE 0 END)"
    )


PERSON_X = (
    "pe.birth_year AS x_birth_year, "
    "coalesce(pe.birth_month, 12) * 100 + coalesce(pe.birth_day, 31) AS x_born_md"
)
IN_RANGE = "v.path >= %(lo)s AND v.path < %(hi)s"
ON_DAY = "v.valid_from <= {d} AND v.valid_to > {d}"
ON_DAY_BEFORE = "v.valid_from < {d} AND v.valid_to >= {d}"

BASE_SQL = {
    "member_stocks": f"""
        SELECT count(*), count(*) FILTER (WHERE status = 'full'),
               count(*) FILTER (WHERE status = 'probationary'),
               count(*) FILTER (WHERE sex = 'female'),
               count(*) FILTER (WHERE ethnicity <> '{KINH}'),
               count(*) FILTER (WHERE religion <> ''), count(*) FILTER (WHERE exempt),
               {_bands_sql(_age_sql("%(d)s::date"))}
        FROM (SELECT p.status, p.exempt, pe.sex, pe.ethnicity, pe.religion, {PERSON_X}
              FROM {V} v
              JOIN {PERIOD} p ON p.organization_id = v.organization_id
                   AND p.valid_from <= %(d)s AND p.valid_to > %(d)s
              JOIN {PERSON} pe ON pe.id = p.person_id
              WHERE {IN_RANGE} AND {ON_DAY.format(d="%(d)s")}) x
    """,
    "org_stocks": f"""
        SELECT count(*) FILTER (WHERE type IN ('grassroots_committee', 'grassroots_cell')),
               count(*) FILTER (WHERE type = 'grassroots_committee'),
               count(*) FILTER (WHERE type = 'grassroots_cell'),
               count(*) FILTER (WHERE type = 'sub_committee'),
               count(*) FILTER (WHERE type = 'subordinate_cell'),
               count(*) FILTER (WHERE type IN ('grassroots_committee', 'grassroots_cell')
                                AND sector = 'private_enterprise')
        FROM {V} v WHERE {IN_RANGE} AND {ON_DAY.format(d="%(d)s")}
    """,
    "candidates": f"""
        SELECT count(*) FROM {V} v JOIN {CAND} c ON c.organization_id = v.organization_id
        WHERE {IN_RANGE} AND {ON_DAY.format(d="%(d)s")} AND c.registered_on <= %(d)s
          AND (c.withdrawn_on IS NULL OR c.withdrawn_on > %(d)s)
          AND NOT EXISTS (SELECT 1 FROM {MEVENT} a WHERE a.id = c.admission_id
                          AND a.effective_date <= %(d)s)
    """,
    "started": f"""
        SELECT count(*) FILTER (WHERE start_reason = 'admission'),
               count(*) FILTER (WHERE start_reason = 'readmission'),
               count(*) FILTER (WHERE start_reason = 'transfer_in'),
               count(*) FILTER (WHERE start_reason = 'admission' AND sex = 'female'),
               count(*) FILTER (WHERE start_reason = 'admission'
                                AND {_age_sql("valid_from")} <= 30),
               count(*) FILTER (WHERE start_reason = 'admission' AND ethnicity <> '{KINH}'),
               count(*) FILTER (WHERE start_reason = 'admission' AND private),
               count(*) FILTER (WHERE start_reason = 'recognition'),
               count(*)
        FROM (SELECT p.start_reason, p.valid_from, pe.sex, pe.ethnicity, {PERSON_X},
                     p.start_reason = 'admission' AND (v.sector = 'private_enterprise'
                        OR EXISTS (SELECT 1 FROM {V} pv WHERE pv.organization_id = v.parent_id
                                   AND pv.sector = 'private_enterprise'
                                   AND pv.valid_from <= p.valid_from
                                   AND pv.valid_to > p.valid_from)) AS private
              FROM {V} v
              JOIN {PERIOD} p ON p.organization_id = v.organization_id
                   AND p.valid_from >= %(first)s AND p.valid_from <= %(last)s
                   AND {ON_DAY.format(d="p.valid_from")}
              JOIN {PERSON} pe ON pe.id = p.person_id
              WHERE {IN_RANGE} AND v.valid_from <= %(last)s AND v.valid_to > %(first)s) x
    """,
    "ended": f"""
        SELECT count(*) FILTER (WHERE p.end_reason = 'transfer_out'),
               count(*) FILTER (WHERE p.end_reason = 'death'),
               count(*) FILTER (WHERE p.end_reason IN ('struck_off', 'recognition_refused')),
               count(*) FILTER (WHERE p.end_reason = 'expulsion'),
               count(*) FILTER (WHERE p.end_reason = 'withdrawal'),
               count(*)
        FROM {V} v
        JOIN {PERIOD} p ON p.organization_id = v.organization_id
             AND p.valid_to > %(first)s AND p.valid_to <= %(last)s::date + 1
             AND {ON_DAY_BEFORE.format(d="p.valid_to")}
        WHERE {IN_RANGE} AND v.valid_from <= %(last)s AND v.valid_to > %(first)s
    """,
    "member_events": f"""
        WITH ev AS MATERIALIZED (
            SELECT e.person_id, e.kind, e.details FROM {V} v
            JOIN {MEVENT} e ON e.organization_id = v.organization_id
                 AND e.effective_date >= %(first)s AND e.effective_date <= %(last)s
                 AND e.kind IN ('discipline', 'badge_proposal')
                 AND {ON_DAY.format(d="e.effective_date")}
            WHERE {IN_RANGE} AND v.valid_from <= %(last)s AND v.valid_to > %(first)s)
        SELECT 'discipline.members', count(DISTINCT person_id) FROM ev WHERE kind = 'discipline'
        UNION ALL SELECT 'badges.total', count(*) FROM ev WHERE kind = 'badge_proposal'
        UNION ALL SELECT 'badges.' || (details ->> 'milestone'), count(*) FROM ev
                  WHERE kind = 'badge_proposal' GROUP BY 1
    """,
    "org_events": f"""
        SELECT 'orgs.' || CASE e.kind WHEN 'establish' THEN 'established'
                                      WHEN 'convert' THEN 'converted' ELSE 'merged' END,
               count(*)
        FROM {OE} e JOIN {V} v ON v.organization_id = e.organization_id
             AND {ON_DAY.format(d="e.effective_date")} AND {IN_RANGE}
        WHERE e.effective_date >= %(first)s AND e.effective_date <= %(last)s
          AND e.kind IN ('establish', 'convert', 'merge')
        GROUP BY e.kind
        UNION ALL
        SELECT 'orgs.dissolved', count(*)
        FROM {OE} e JOIN {V} v ON v.organization_id = e.organization_id
             AND {ON_DAY_BEFORE.format(d="e.effective_date")} AND {IN_RANGE}
        WHERE e.effective_date >= %(first)s AND e.effective_date <= %(last)s
          AND e.kind = 'dissolve' AND e.cause_id IS NULL
        UNION ALL
        SELECT 'committees.consolidated', count(DISTINCT c.organization_id)
        FROM {CC} c JOIN {V} v ON v.organization_id = c.organization_id
             AND {ON_DAY.format(d="c.effective_date")} AND {IN_RANGE}
        WHERE c.effective_date >= %(first)s AND c.effective_date <= %(last)s
    """,
    # members counted on T-1 and T in an organisation whose version changes on T, its path
    # crossing the subtree's boundary (root path A on T-1, B on T, literal ranges)
    "moved": f"""
        SELECT
          (SELECT count(*) FROM {V} v1
           JOIN {V} v2 ON v2.organization_id = v1.organization_id AND v2.valid_from = v1.valid_to
           JOIN {PERIOD} p ON p.organization_id = v1.organization_id
                AND p.valid_from < v1.valid_to AND p.valid_to > v1.valid_to
           WHERE v1.path >= %(alo)s AND v1.path < %(ahi)s
             AND v1.valid_to >= %(first)s AND v1.valid_to <= %(last)s
             AND NOT (v2.path >= %(blo)s AND v2.path < %(bhi)s)),
          (SELECT count(*) FROM {V} v2
           JOIN {V} v1 ON v1.organization_id = v2.organization_id AND v1.valid_to = v2.valid_from
           JOIN {PERIOD} p ON p.organization_id = v2.organization_id
                AND p.valid_from < v2.valid_from AND p.valid_to > v2.valid_from
           WHERE v2.path >= %(blo)s AND v2.path < %(bhi)s
             AND v2.valid_from >= %(first)s AND v2.valid_from <= %(last)s
             AND NOT (v1.path >= %(alo)s AND v1.path < %(ahi)s))
    """,
}
STOCK_KEYS = {
    "member_stocks": (
        "members.total", "members.full", "members.probationary", "members.female",
        "members.ethnic_minority", "members.religious", "members.exempt",
        "members.age.le30", "members.age.31_40", "members.age.41_50", "members.age.51_60",
        "members.age.61_70", "members.age.gt70",
    ),
    "org_stocks": (
        "orgs.grassroots", "orgs.grassroots_committee", "orgs.grassroots_cell",
        "orgs.sub_committee", "orgs.subordinate_cell", "orgs.grassroots.private_enterprise",
    ),
    "candidates": ("candidates.active",),
    "started": (
        "admissions", "readmissions", "transfers.in", "admissions.female", "admissions.youth",
        "admissions.ethnic_minority", "admissions.private_enterprise", "recognitions",
        "starts.all",
    ),
    "ended": ("transfers.out", "deaths", "struck_off", "expelled", "withdrawn", "ends.all"),
    "moved": ("moved_out_with_org", "moved_in_with_org"),
}  # fmt: skip


def baseline(conn, root: int) -> dict[str, int]:
    """The same figures by hand-written SQL through a raw psycopg connection: the root's
    versions first (one query), then literal path ranges for each stretch of the quarter."""
    from dangvu.organizations.paths import subtree_end

    period = quarter()
    one = dt.timedelta(days=1)
    cur = conn.cursor()
    cur.execute(
        f"SELECT valid_from, valid_to, path FROM {V} WHERE organization_id = %s "
        "AND valid_from <= %s AND valid_to > %s ORDER BY valid_from",
        [root, period.end, period.day_before],
    )
    versions = cur.fetchall()

    def segments(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, str]]:
        return [
            (max(first, s), min(last, e - one), p)
            for s, e, p in versions
            if s <= last and e > first
        ]

    def path_on(day: dt.date) -> str | None:
        return next((p for s, e, p in versions if s <= day < e), None)

    result = dict.fromkeys((f"badges.{m}" for m in BADGE_MILESTONES), 0)
    if versions:  # the aggregates of each stretch, zero when nothing matches
        result |= dict.fromkeys(
            ("discipline.members", "badges.total", "orgs.established", "orgs.converted")
            + ("orgs.merged", "orgs.dissolved", "committees.consolidated"),
            0,
        )

    def add(keys, row):
        for key, value in zip(keys, row, strict=True):
            result[key] = result.get(key, 0) + (value or 0)

    at = segments(period.end, period.end)
    if at:
        params = {"d": period.end, "lo": at[0][2], "hi": subtree_end(at[0][2])}
        for name in ("member_stocks", "org_stocks", "candidates"):
            cur.execute(BASE_SQL[name], params)
            add(STOCK_KEYS[name], cur.fetchone())
    else:
        add(
            sum((STOCK_KEYS[n] for n in ("member_stocks", "org_stocks", "candidates")), ()),
            [0] * 20,
        )
    starts = segments(period.start, period.end)
    for first, last, path in starts:
        params = {"first": first, "last": last, "lo": path, "hi": subtree_end(path)}
        cur.execute(BASE_SQL["started"], params)
        add(STOCK_KEYS["started"], cur.fetchone())
        for sql in (BASE_SQL["member_events"], BASE_SQL["org_events"]):
            cur.execute(sql, params)
            for key, value in cur.fetchall():
                result[key] = result.get(key, 0) + value
    add(STOCK_KEYS["ended"], [0] * 6)
    for first, last, path in segments(period.day_before, period.end - one):
        params = {"first": first, "last": last, "lo": path, "hi": subtree_end(path)}
        cur.execute(BASE_SQL["ended"], params)
        add(STOCK_KEYS["ended"], cur.fetchone())
    # moves: days T of the quarter grouped by (root path on T-1, root path on T)
    add(STOCK_KEYS["moved"], (0, 0))
    if starts:
        pieces: list[list] = []
        day = starts[0][0]
        while day <= starts[-1][1]:
            a, b = path_on(day - one), path_on(day)
            if a and b:
                if pieces and pieces[-1][2:] == [a, b] and pieces[-1][1] == day - one:
                    pieces[-1][1] = day
                else:
                    pieces.append([day, day, a, b])
            day += one
        for first, last, a, b in pieces:
            cur.execute(
                BASE_SQL["moved"],
                {"first": first, "last": last, "alo": a, "ahi": subtree_end(a), "blo": b,
                 "bhi": subtree_end(b)},
            )  # fmt: skip
            add(STOCK_KEYS["moved"], cur.fetchone())
    return result


def agree(ours_: dict[str, int], base: dict[str, int]) -> list[str]:
    keys = sorted(set(ours_) | set(base))
    return [
        f"{k}: ours {ours_.get(k)} baseline {base.get(k)}"
        for k in keys
        if ours_.get(k) != base.get(k)
    ]


# timing ---------------------------------------------------------------------------------------
def median_ms(fn: Callable[[], object], repeat: int) -> float:
    values = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        values.append((time.perf_counter() - start) * 1000)
    return statistics.median(values)


@dataclass
class Timing:
    label: str
    root: int
    members: int
    ours_ms: float
    base_ms: float

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.base_ms


def time_root(label: str, root: int, conn, repeat: int) -> Timing:
    """Warm both (and assert they agree), then interleaved medians."""
    mine, base = ours(root), baseline(conn, root)
    differences = agree(mine, base)
    assert not differences, f"{label}: ours and the baseline differ: {differences}"
    o, b = [], []
    for i in range(repeat):
        pair = [(o, lambda: ours(root)), (b, lambda: baseline(conn, root))]
        for values, fn in pair if i % 2 == 0 else pair[::-1]:
            start = time.perf_counter()
            fn()
            values.append((time.perf_counter() - start) * 1000)
    return Timing(label, root, mine["members.total"], statistics.median(o), statistics.median(b))


def explain_ours(connection, root: int) -> str:
    """EXPLAIN ANALYZE of each statement ours sends, slowest first."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        ours(root)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
            (plan,) = cursor.fetchone()[0]
            total = plan["Planning Time"] + plan["Execution Time"]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            text = "\n".join(r[0] for r in cursor.fetchall())
            plans.append((total, f"--- {total:.1f} ms\n{query['sql']}\n{text}"))
    plans.sort(key=lambda p: -p[0])
    return "\n\n".join(p for _, p in plans)


# the bloc-only database -------------------------------------------------------------------------
def _conninfo(name: str) -> dict:
    params = tree_bench._database_params()
    info = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "dbname": name,
    }
    return {k: v for k, v in info.items() if v is not None}


def ensure_named_database(name: str, fresh: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextlib.contextmanager
def use_database(name: str) -> Iterator[None]:
    """Point Django's default connection at another database for a while."""
    from django.db import connection

    old = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = old


COPY_BLOC = {  # table: the rows of the bloc, from the big database (keep_org, keep_person)
    ORG: f"SELECT t.* FROM {ORG} t WHERE t.id IN (SELECT id FROM keep_org)",
    V: f"SELECT t.* FROM {V} t WHERE t.organization_id IN (SELECT id FROM keep_org)",
    OE: None,  # built below: cause_id cleared when the cause is not copied
    PERSON: None,  # organization_id replaced by a copied cell when it is not copied
    PERIOD: f"SELECT t.* FROM {PERIOD} t WHERE t.organization_id IN (SELECT id FROM keep_org)",
    MEVENT: f"SELECT t.* FROM {MEVENT} t WHERE t.organization_id IN (SELECT id FROM keep_org)",
}


def build_bloc_database(src_conn, name: str, bloc: int) -> dict[str, int]:
    """Copy the rows of the bloc from the big database into `name` (schema migrated already)."""
    import psycopg

    from dangvu.organizations.paths import subtree_end

    cur = src_conn.cursor()
    cur.execute(f"SELECT DISTINCT path FROM {V} WHERE organization_id = %s", [bloc])
    ranges = " OR ".join(
        f"(v.path >= '{p}' AND v.path < '{subtree_end(p)}')" for (p,) in cur.fetchall()
    )
    cur.execute("DROP TABLE IF EXISTS keep_org, keep_person")
    cur.execute(
        f"""
        CREATE TEMP TABLE keep_org AS
        WITH RECURSIVE k(id) AS (
            SELECT DISTINCT v.organization_id FROM {V} v WHERE {ranges}
            UNION
            SELECT v.parent_id FROM {V} v JOIN k ON v.organization_id = k.id
            WHERE v.parent_id IS NOT NULL)
        SELECT id FROM k
        """
    )
    cur.execute("CREATE UNIQUE INDEX ON keep_org (id)")
    cur.execute(
        f"CREATE TEMP TABLE keep_person AS SELECT DISTINCT person_id AS id FROM {PERIOD} "
        "WHERE organization_id IN (SELECT id FROM keep_org)"
    )
    cur.execute("CREATE UNIQUE INDEX ON keep_person (id)")

    def select_list(table: str, replace: dict[str, str]) -> str:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        return ", ".join(replace.get(c, f"t.{c}") for (c,) in cur.fetchall())

    queries = dict(COPY_BLOC)
    cause = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {OE} c WHERE c.id = t.cause_id AND c.organization_id "
        "IN (SELECT id FROM keep_org)) THEN t.cause_id END"
    )
    queries[OE] = (
        f"SELECT {select_list(OE, {'cause_id': cause})} FROM {OE} t "
        "WHERE t.organization_id IN (SELECT id FROM keep_org)"
    )
    org = (
        "CASE WHEN t.organization_id IN (SELECT id FROM keep_org) THEN t.organization_id ELSE "
        f"(SELECT p.organization_id FROM {PERIOD} p WHERE p.person_id = t.id AND "
        "p.organization_id IN (SELECT id FROM keep_org) ORDER BY p.valid_from DESC LIMIT 1) END"
    )
    queries[PERSON] = (
        f"SELECT {select_list(PERSON, {'organization_id': org})} FROM {PERSON} t "
        "WHERE t.id IN (SELECT id FROM keep_person)"
    )
    counts = {}
    with psycopg.connect(**_conninfo(name)) as dst:
        dcur = dst.cursor()
        dcur.execute(f"TRUNCATE {', '.join(queries)} RESTART IDENTITY CASCADE")
        dcur.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, query in queries.items():
            with (
                cur.copy(f"COPY ({query}) TO STDOUT") as out,
                dcur.copy(f"COPY {table} FROM STDIN") as into,
            ):
                for data in out:
                    into.write(data)
            dcur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = dcur.fetchone()[0]
        dst.commit()
        dst.autocommit = True
        for table in queries:
            dst.execute(f"VACUUM (ANALYZE) {table}")
    return counts


# the command ---------------------------------------------------------------------------------
def meta(connection) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_report_meta (members integer, orgs integer, "
            "seed integer, version integer, central bigint, province bigint, bloc bigint, "
            "cell bigint, counts text, load_s real)"
        )
        cursor.execute(
            "SELECT members, orgs, seed, version, central, province, bloc, cell, counts, load_s "
            "FROM bench_report_meta"
        )
        return cursor.fetchone()


def build(connection, members: int, orgs: int, seed: int) -> dict:
    """Generate and load everything; the roots and the row counts."""
    with connection.cursor() as cursor:
        tables = (*tree_bench.TABLES, *MEMBER_TABLES, "bench_report_meta")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    t0 = time.perf_counter()
    p = plan(orgs, seed)
    t1 = time.perf_counter()
    print(
        f"tree: {len(p.tree.organizations):,} organisations, {len(p.tree.versions):,} versions, "
        f"{len(p.tree.events):,} events generated in {t1 - t0:.1f} s; "
        f"{len(p.intervals):,} cell intervals get members"
    )
    tree_bench.load(p.tree, connection)
    t2 = time.perf_counter()
    print(f"tree COPY + indexes {t2 - t1:.1f} s")
    roots = {"central": p.central, "province": p.province, "bloc": p.bloc}
    intervals, provinces = p.intervals, p.provinces
    del p
    with tempfile.TemporaryDirectory(prefix="dangvu_report_") as directory:
        counts, files = generate_members(intervals, members, seed, directory, provinces)
        t3 = time.perf_counter()
        print(
            f"members: {counts['persons']:,} persons, {counts['periods']:,} periods, "
            f"{counts['events']:,} member events generated in {t3 - t2:.1f} s"
        )
        load_members(connection, files)
    t4 = time.perf_counter()
    print(f"members COPY + indexes + foreign keys {t4 - t3:.1f} s")
    analyze(connection)
    t5 = time.perf_counter()
    print(f"VACUUM ANALYZE {t5 - t4:.1f} s; load in all {t5 - t0:.1f} s")
    roots["bloc"], roots["cell"] = pick_bloc_and_cell(connection, roots["province"], roots["bloc"])
    return {"roots": roots, "counts": counts, "load_s": t5 - t0}


def check_balance(connection, roots: dict[str, int], sample: int, seed: int) -> list[str]:
    """The balance identity on 2021-Q1 for the roots and a sample of subtrees."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT organization_id FROM {V} WHERE valid_from <= %s AND valid_to > %s "
            "ORDER BY organization_id",
            [D(2020, 12, 31), D(2020, 12, 31)],
        )
        ids = [r[0] for r in cursor.fetchall()]
    rng = random.Random(seed)
    chosen = list(roots.items()) + [
        (f"sample {i}", org) for i, org in enumerate(rng.sample(ids, min(sample, len(ids))))
    ]
    failures = []
    for label, org in chosen:
        holds, text = balance_holds(org)
        if label in roots:
            print(f"  balance {label:<8} (id {org}): {text}: {'holds' if holds else 'FAILS'}")
        if not holds:
            failures.append(f"{label} (id {org}): {text}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=150_000)
    parser.add_argument("--orgs", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE ours")
    parser.add_argument("--jit", action="store_true", help="keep PostgreSQL's JIT on")
    parser.add_argument("--no-bloc-db", action="store_true", help="skip the bloc-only database")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    tree_bench.ensure_database(args.fresh)
    tree_bench.setup_django()
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from dangvu.members.parameters import load_parameters

    call_command("migrate", verbosity=0)
    big_name = connection.settings_dict["NAME"]
    print(
        f"dangvu report benchmark: {args.members:,} members, {args.orgs:,} organisations, "
        f"seed {args.seed}, database {big_name}"
    )
    m = meta(connection)
    key = (args.members, args.orgs, args.seed, GENERATOR_VERSION)
    if m and m[:4] == key:
        roots = dict(zip(("central", "province", "bloc", "cell"), m[4:8], strict=True))
        counts, load_s = json.loads(m[8]), m[9]
        print(f"data already loaded (in {load_s:.0f} s): reusing it (--fresh to rebuild)")
    else:
        built = build(connection, args.members, args.orgs, args.seed)
        roots, counts, load_s = built["roots"], built["counts"], built["load_s"]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_report_meta VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [*key, *(roots[k] for k in ("central", "province", "bloc", "cell")),
                 json.dumps(counts), load_s],
            )  # fmt: skip
    assert load_parameters(quarter().end).badge_counted_by == "proposal"
    with connection.cursor() as cursor:
        for table in (*tree_bench.TABLES, *MEMBER_TABLES):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"  {table:<36} {cursor.fetchone()[0]:>12,} rows")
    t0 = time.perf_counter()
    failures = check_balance(connection, roots, sample=12, seed=args.seed)
    print(
        f"balance identity on 2021-Q1 for the 4 roots and 12 sampled subtrees: "
        f"{'holds' if not failures else 'FAILS'} ({time.perf_counter() - t0:.1f} s)"
    )
    for failure in failures:
        print("  " + failure)
    if failures:
        return 1

    def session(cursor_execute) -> None:
        if not args.jit:
            cursor_execute("SET jit = off")

    with connection.cursor() as cursor:
        session(cursor.execute)
    conn = psycopg.connect(**_conninfo(big_name), autocommit=True)
    session(conn.execute)
    labels = {
        "central": "national root",
        "province": "province",
        "bloc": "bloc (upper committee)",
        "cell": "grassroots cell",
    }
    timings = [time_root(labels[k], roots[k], conn, args.repeat) for k in labels]
    if args.explain:
        for timing in timings:
            print(f"\n=== EXPLAIN ANALYZE, ours, {timing.label}\n")
            print(explain_ours(connection, timing.root))
    conn.close()

    cell_small = None
    if not args.no_bloc_db:
        small_name = big_name + BLOC_DB_SUFFIX
        t0 = time.perf_counter()
        ensure_named_database(small_name, fresh=True)
        with use_database(small_name):
            call_command("migrate", verbosity=0)
        src = psycopg.connect(**_conninfo(big_name))
        copied = build_bloc_database(src, small_name, roots["bloc"])
        src.close()
        print(
            f"\nbloc-only database {small_name}: "
            + ", ".join(f"{t} {n:,}" for t, n in copied.items())
            + f" ({time.perf_counter() - t0:.1f} s)"
        )
        big_cell = ours(roots["cell"])
        with use_database(small_name):
            with connection.cursor() as cursor:
                session(cursor.execute)
            small = psycopg.connect(**_conninfo(small_name), autocommit=True)
            session(small.execute)
            assert ours(roots["cell"]) == big_cell, "the cell's figures differ in the bloc database"
            cell_small = time_root("grassroots cell (bloc db)", roots["cell"], small, args.repeat)
            small.close()

    print(
        f"\n2021-Q1, full quarterly set (stocks at 31/03/2021 | flows of the quarter), "
        f"median of {args.repeat} warm runs, interleaved; jit {'on' if args.jit else 'off'}"
    )
    head = f"{'root':<28} {'id':>8} {'members':>10} {'ours ms':>9} {'base ms':>9} {'ours/base':>10}"
    print(head)
    print("-" * len(head))
    ok = True
    for t in [*timings, *([cell_small] if cell_small else [])]:
        passed = t.ratio <= 1.5
        ok &= passed
        print(
            f"{t.label:<28} {t.root:>8} {t.members:>10,} {t.ours_ms:>9.1f} {t.base_ms:>9.1f} "
            f"{t.ratio:>6.2f} {'PASS' if passed else 'FAIL'}"
        )
    if cell_small:
        big = next(t for t in timings if t.root == roots["cell"])
        ratio = big.ours_ms / cell_small.ours_ms
        passed = ratio <= 1.5
        ok &= passed
        print(
            f"cost follows the subtree: the cell's report (ours) {big.ours_ms:.1f} ms in the "
            f"full database / {cell_small.ours_ms:.1f} ms in the bloc-only one = {ratio:.2f} "
            f"{'PASS' if passed else 'FAIL'} (baseline: "
            f"{big.base_ms / cell_small.base_ms:.2f})"
        )
    print(f"\ntotal {time.perf_counter() - started:.0f} s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
