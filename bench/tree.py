"""Benchmark of the organisation tree on PostgreSQL at the national scale.

Builds the deterministic national tree of `dangvu.synth.tree` (default 300,000 organisations)
with ten years of restructuring (2016-2026, including the 01/07/2025 reorganisation: 63 provinces merged into 34,
district committees dissolved, their grassroots organisations moved under new commune
committees), loads it with COPY, checks that the stored versions are exactly what the services
would derive, then times two questions on a date before and a date after 2025:

1. the subtree of a province on D;
2. the number of grassroots organisations under the national root on D;

each three ways: ours (the project's selectors), a recursive CTE over the parent links as they
stood on D (the naive design: ours must be at least 5x faster) and the best hand-written SQL over
our own tables (the floor: ours within 1.5x of it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench \\
        .venv/bin/python bench/tree.py [--orgs 300000] [--repeat 9] [--fresh] [--explain]

The database is created when missing (--fresh drops and recreates it). A tree already loaded
with the same --orgs and --seed is reused, so timings can be repeated without regenerating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR / "src"))

# the generator and the loader moved to the product (`dangvu synth`); re-exported here for
# bench/report.py and tests/bench
from dangvu.synth.tree import (  # noqa: E402, F401
    CENTRAL,
    DISTRICT_MERGE,
    EVENT_TABLE,
    GC,
    GCELL,
    GRASSROOTS,
    HISTORY_END,
    HISTORY_START,
    OPEN_END,
    ORG_TABLE,
    PROVINCIAL,
    REORG,
    SCELL,
    STATE_FIELDS,
    SUB,
    TABLES,
    UPPER,
    VERSION_TABLE,
    D,
    Event,
    Tree,
    _plain_indexes,
    analyze,
    apportion,
    derive,
    generate,
    load,
)

GENERATOR_VERSION = 3  # of dangvu.synth.tree's output: the meta table's data is reused for it
BEFORE = D(2021, 3, 31)  # a date before the 2025 reorganisation (end of 2021-Q1)
AFTER = D(2025, 12, 31)  # a date after it
SAMPLE_DATES = (
    D(2016, 6, 30),
    BEFORE,
    D(2025, 6, 30),
    REORG,
    AFTER,
    D(2026, 6, 30),
)


# consistency ---------------------------------------------------------------------------------
CHECKS_ON_DATE = {
    "version without its parent on that date, or path != parent's path + own segment": f"""
        SELECT count(*) FROM {VERSION_TABLE} c
        LEFT JOIN {VERSION_TABLE} p ON p.organization_id = c.parent_id
             AND p.valid_from <= %(d)s AND p.valid_to > %(d)s
        WHERE c.valid_from <= %(d)s AND c.valid_to > %(d)s AND (
            CASE WHEN c.parent_id IS NULL THEN c.path <> lpad(c.organization_id::text, 8, '0')
                 ELSE p.id IS NULL
                      OR c.path <> p.path || lpad(c.organization_id::text, 8, '0') END
            OR c.depth <> length(c.path) / 8)
    """,
    "organisation with two versions on that date": f"""
        SELECT count(*) FROM (
            SELECT organization_id FROM {VERSION_TABLE}
            WHERE valid_from <= %(d)s AND valid_to > %(d)s
            GROUP BY organization_id HAVING count(*) > 1) x
    """,
}
CHECKS = {
    "versions of one organisation overlapping or with a gap": f"""
        SELECT count(*) FROM (
            SELECT valid_from, lag(valid_to) OVER w AS prev_to FROM {VERSION_TABLE}
            WINDOW w AS (PARTITION BY organization_id ORDER BY valid_from)) x
        WHERE prev_to IS NOT NULL AND prev_to <> valid_from
    """,
    "adjacent versions that nothing distinguishes (not coalesced)": f"""
        SELECT count(*) FROM (
            SELECT valid_from, lag(valid_to) OVER w AS prev_to,
                   (path, name, type, parent_id, sector, province_code, address)
                   IS NOT DISTINCT FROM lag((path, name, type, parent_id, sector, province_code,
                                             address)) OVER w AS same
            FROM {VERSION_TABLE}
            WINDOW w AS (PARTITION BY organization_id ORDER BY valid_from)) x
        WHERE same AND prev_to = valid_from
    """,
    "version not covered by its parent's versions over its whole period (all dates)": f"""
        SELECT count(*) FROM (
            SELECT c.id FROM {VERSION_TABLE} c
            LEFT JOIN {VERSION_TABLE} p ON p.organization_id = c.parent_id
                 AND p.valid_from < c.valid_to AND p.valid_to > c.valid_from
                 AND c.path = p.path || lpad(c.organization_id::text, 8, '0')
            WHERE c.parent_id IS NOT NULL
            GROUP BY c.id, c.valid_from, c.valid_to
            -- days of the child's period covered by a matching parent version (least() and
            -- greatest() skip NULLs, hence the CASE for a child with no match at all)
            HAVING sum(CASE WHEN p.id IS NULL THEN 0
                            ELSE least(p.valid_to, c.valid_to)
                                 - greatest(p.valid_from, c.valid_from) END)
                   <> c.valid_to - c.valid_from) x
    """,
    "organisation whose columns are not its latest version": f"""
        SELECT count(*) FROM {ORG_TABLE} o
        JOIN LATERAL (SELECT * FROM {VERSION_TABLE} v WHERE v.organization_id = o.id
                      ORDER BY v.valid_from DESC LIMIT 1) v ON true
        WHERE (o.name, o.type, o.parent_id, o.sector, o.province_code, o.address)
              IS DISTINCT FROM (v.name, v.type, v.parent_id, v.sector, v.province_code, v.address)
           OR o.established_on <> (SELECT min(valid_from) FROM {VERSION_TABLE}
                                    WHERE organization_id = o.id)
           OR o.dissolved_on IS DISTINCT FROM nullif(v.valid_to, DATE '9999-12-31')
    """,
}


def check_consistency(connection, dates: Iterable[dt.date] = SAMPLE_DATES) -> list[str]:
    """SQL checks of the stored versions; returns the failures (empty when consistent)."""
    failures = []
    with connection.cursor() as cursor:
        for day in dates:
            for label, sql in CHECKS_ON_DATE.items():
                cursor.execute(sql, {"d": day})
                (bad,) = cursor.fetchone()
                if bad:
                    failures.append(f"{day:%d/%m/%Y}: {bad} {label}")
        for label, sql in CHECKS.items():
            cursor.execute(sql)
            (bad,) = cursor.fetchone()
            if bad:
                failures.append(f"{bad} {label}")
    return failures


def check_against_services(tree: Tree, sample: int = 200, seed: int = 7) -> tuple[int, list[str]]:
    """Recompute the versions of a sample of organisations with the services' own TreeBuilder
    (from the stored events, the rest of the tree read as stored) and compare: (how many were
    checked, the differences)."""
    from dangvu.core.errors import DomainError
    from dangvu.organizations.history import TreeBuilder
    from dangvu.organizations.models import OrganizationVersion

    rng = random.Random(seed)
    by_kind: dict[str, set[int]] = {}
    for event in tree.events:
        kind = event.kind
        if kind == "convert" and "parent_id" in event.changes:
            kind = "convert with a move"
        by_kind.setdefault(kind, set()).add(event.organization_id)
    chosen = set(rng.sample(range(1, len(tree.codes)), min(sample, len(tree.codes) - 1)))
    for orgs in by_kind.values():  # every kind of history, a few of each
        chosen |= set(rng.sample(sorted(orgs), min(sample // 5, len(orgs))))
    ids = sorted(chosen)
    failures = []
    for org in ids:
        try:
            builder = TreeBuilder({org})
            segs = builder.segments[org]
            derived = [
                (r.start, r.end, r.path, r.state)
                for r in builder.rows(org, segs[0][0], segs[-1][1])
            ]
        except DomainError as error:
            failures.append(f"organisation {org}: the services refuse its history: {error}")
            continue
        stored = [
            (v.valid_from, v.valid_to, v.path, tuple((f, getattr(v, f)) for f in STATE_FIELDS))
            for v in OrganizationVersion.objects.filter(organization_id=org).order_by("valid_from")
        ]
        if derived != stored:
            failures.append(f"organisation {org}: services derive {derived}, stored {stored}")
    return len(ids), failures


# the questions, three ways ---------------------------------------------------------------------
V = VERSION_TABLE
GRASSROOTS_SQL = "('grassroots_committee', 'grassroots_cell')"
PAGE = 100  # django-ninja's LimitOffsetPagination default page, as the API serves a subtree

# The naive design: walk the parent links as they stood on D, from the root's version on D.
CTE = f"""
    WITH RECURSIVE t AS (
        SELECT * FROM {V} WHERE organization_id = %(root)s
           AND valid_from <= %(d)s AND valid_to > %(d)s
        UNION ALL
        SELECT c.* FROM {V} c JOIN t ON c.parent_id = t.organization_id
        WHERE c.valid_from <= %(d)s AND c.valid_to > %(d)s
    )
"""
# Depth-first order for a page needs the chain of ids from the root, built along the walk.
CTE_ORDERED = f"""
    WITH RECURSIVE t AS (
        SELECT v.*, ARRAY[v.organization_id] AS chain FROM {V} v
        WHERE v.organization_id = %(root)s AND v.valid_from <= %(d)s AND v.valid_to > %(d)s
        UNION ALL
        SELECT c.*, t.chain || c.organization_id FROM {V} c JOIN t
            ON c.parent_id = t.organization_id
        WHERE c.valid_from <= %(d)s AND c.valid_to > %(d)s
    )
"""
# What the selector fetches for each row: the version, its organisation and its parent.
JOINS = f"""
    JOIN LATERAL (SELECT * FROM {ORG_TABLE} o WHERE o.id = v.organization_id LIMIT 1) o ON true
    LEFT JOIN LATERAL (SELECT * FROM {ORG_TABLE} p WHERE p.id = v.parent_id LIMIT 1) p ON true
"""
IN_RANGE = """
    v.path >= %(lo)s AND v.path < %(hi)s AND v.valid_from <= %(d)s AND v.valid_to > %(d)s
"""
SQL = {
    "cte_ids": CTE + "SELECT organization_id FROM t",
    "cte_rows": CTE + f"SELECT v.*, o.*, p.* FROM t v {JOINS}",
    "cte_page": CTE_ORDERED
    + f"""SELECT v.*, o.*, p.*, count(*) OVER () FROM t v {JOINS}
          ORDER BY v.chain LIMIT {PAGE}""",
    "cte_count": CTE + f"SELECT count(*) FROM t WHERE type IN {GRASSROOTS_SQL}",
    "root_path": f"""SELECT path FROM {V}
        WHERE organization_id = %(root)s AND valid_from <= %(d)s AND valid_to > %(d)s""",
    "hand_ids": f"SELECT v.organization_id FROM {V} v WHERE {IN_RANGE} ORDER BY v.path",
    "hand_rows": f"SELECT v.*, o.*, p.* FROM {V} v {JOINS} WHERE {IN_RANGE} ORDER BY v.path",
    "hand_page_count": f"SELECT count(*) FROM {V} v WHERE {IN_RANGE}",
    "hand_page": f"""SELECT v.*, o.*, p.* FROM {V} v {JOINS} WHERE {IN_RANGE}
        ORDER BY v.path LIMIT {PAGE}""",
    "hand_count": f"""SELECT count(*) FROM {V} v
        WHERE v.type IN {GRASSROOTS_SQL} AND {IN_RANGE}""",
}


def _fetch(cursor, key: str, params: dict) -> list[tuple]:
    cursor.execute(SQL[key], params)
    return cursor.fetchall()


def cte(connection, question: str, root: int, day: dt.date):
    """The naive design: a recursive walk down the parent links as they stood on `day`."""
    params = {"root": root, "d": day}
    with connection.cursor() as cursor:
        rows = _fetch(cursor, f"cte_{question}", params)
    if question == "ids":
        return [r[0] for r in rows]
    if question == "count":
        return rows[0][0]
    if question == "page":
        return (rows[0][-1] if rows else 0), [r[:-1] for r in rows]
    return rows


def hand(connection, question: str, root: int, day: dt.date):
    """The floor: the path range written by hand, with the root's path looked up first
    (a literal range lets the planner see how narrow it is, which a subquery hides)."""
    from dangvu.organizations.paths import subtree_end

    with connection.cursor() as cursor:
        (path,) = _fetch(cursor, "root_path", {"root": root, "d": day})[0]
        params = {"lo": path, "hi": subtree_end(path), "d": day}
        if question == "page":
            (count,) = _fetch(cursor, "hand_page_count", params)[0]
            return count, _fetch(cursor, "hand_page", params)
        rows = _fetch(cursor, f"hand_{question}", params)
    if question == "ids":
        return [r[0] for r in rows]
    if question == "count":
        return rows[0][0]
    return rows


def ours(question: str, root, day: dt.date):
    """The project's selectors, as the API calls them."""
    from dangvu.access.scopes import Scope
    from dangvu.organizations import selectors
    from dangvu.organizations.models import GRASSROOTS_TYPES

    scope = Scope.system()
    if question == "count":
        return selectors.organization_count(scope=scope, at=day, root=root, types=GRASSROOTS_TYPES)
    queryset = selectors.organization_subtree(scope=scope, organization=root, at=day)
    if question == "ids":
        return list(queryset.values_list("organization_id", flat=True))
    if question == "page":  # what LimitOffsetPagination does with the selector's queryset
        return queryset.count(), list(queryset[:PAGE])
    return list(queryset)


QUESTIONS = {
    "ids": "subtree of the province: ids",
    "rows": "subtree of the province: rows",
    "page": f"subtree, API page (count + {PAGE} rows)",
    "count": "grassroots orgs under the root: count",
}


@dataclass
class Measure:
    question: str
    day: dt.date
    rows: int
    ms: dict[str, float]  # end to end, as the caller sees it
    server_ms: dict[str, float]  # planning + execution in PostgreSQL, summed over the statements


def _org_ids(method: str, rows, org_col: int) -> list[int]:
    if method == "ours":
        return [v.organization_id for v in rows]
    return [row[org_col] for row in rows]


def _agree(question: str, answers: dict, org_col: int) -> int:
    """Assert that the three methods give the same answer; return its size."""
    if question == "count":
        assert answers["ours"] == answers["cte"] == answers["hand"], answers
        return answers["ours"]
    if question == "page":
        counts = {name: answer[0] for name, answer in answers.items()}
        assert len(set(counts.values())) == 1, counts
        pages = {name: _org_ids(name, answer[1], org_col) for name, answer in answers.items()}
        # the naive walk orders by the chain of ids, we by path: the same depth-first order
        assert pages["ours"] == pages["hand"] == pages["cte"], "pages differ"
        return counts["ours"]
    ids = {
        name: answer if question == "ids" else _org_ids(name, answer, org_col)
        for name, answer in answers.items()
    }
    for name, values in ids.items():
        assert len(values) == len(set(values)), f"{name}: an organisation twice"
    assert set(ids["ours"]) == set(ids["cte"]) == set(ids["hand"]), {
        name: len(values) for name, values in ids.items()
    }
    assert ids["ours"] == ids["hand"], "ours and hand-written differ in order"
    return len(ids["ours"])


def compare(
    connection, root_ids: dict[str, int], day: dt.date, repeat: int, questions=tuple(QUESTIONS)
) -> list[Measure]:
    """Time the questions on `day` three ways (interleaved, warm); assert that they agree."""
    from dangvu.organizations.models import Organization

    province = Organization.objects.get(pk=root_ids["province"])
    central = Organization.objects.get(pk=root_ids["central"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {V} LIMIT 0")
        org_col = [c.name for c in cursor.description].index("organization_id")
    results = []
    for question in questions:
        root = central if question == "count" else province
        methods: dict[str, Callable[[], object]] = {
            "ours": lambda q=question, r=root: ours(q, r, day),
            "cte": lambda q=question, r=root: cte(connection, q, r.pk, day),
            "hand": lambda q=question, r=root: hand(connection, q, r.pk, day),
        }
        answers = {name: method() for name, method in methods.items()}  # also warms up
        size = _agree(question, answers, org_col)
        timings: dict[str, list[float]] = {name: [] for name in methods}
        names = list(methods)
        for i in range(repeat):
            for name in names[i % 3 :] + names[: i % 3]:
                start = time.perf_counter()
                methods[name]()
                timings[name].append((time.perf_counter() - start) * 1000)
        medians = {name: statistics.median(values) for name, values in timings.items()}
        server = server_side(connection, methods, repeat)
        results.append(Measure(question, day, size, medians, server))
    return results


def server_side(connection, methods: dict[str, Callable[[], object]], repeat: int) -> dict:
    """Median of PostgreSQL's own planning + execution time of the statements each method sends
    (EXPLAIN ANALYZE with TIMING OFF: no per-node clock, so close to the real cost), without
    the round trips, the transfer of the rows and the Python around them."""
    from django.test.utils import CaptureQueriesContext

    statements = {}
    for name, method in methods.items():
        with CaptureQueriesContext(connection) as captured:
            method()
        statements[name] = [q["sql"] for q in captured.captured_queries]
    timings: dict[str, list[float]] = {name: [] for name in methods}
    with connection.cursor() as cursor:
        for _ in range(repeat):
            for name, sqls in statements.items():
                total = 0.0
                for sql in sqls:
                    cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql)
                    (plan,) = cursor.fetchone()[0]
                    total += plan["Planning Time"] + plan["Execution Time"]
                timings[name].append(total)
    return {name: statistics.median(values) for name, values in timings.items()}


def explain(connection, root_ids: dict[str, int], day: dt.date) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL each method sends for each question."""
    from django.test.utils import CaptureQueriesContext

    from dangvu.organizations.models import Organization

    province = Organization.objects.get(pk=root_ids["province"])
    central = Organization.objects.get(pk=root_ids["central"])
    out = []
    for question in QUESTIONS:
        root = central if question == "count" else province
        for name, method in (
            ("ours", lambda q=question, r=root: ours(q, r, day)),
            ("cte", lambda q=question, r=root: cte(connection, q, r.pk, day)),
            ("hand", lambda q=question, r=root: hand(connection, q, r.pk, day)),
        ):
            with CaptureQueriesContext(connection) as captured:
                method()
            for query in captured.captured_queries:
                sql = query["sql"]
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                out.append(f"--- {QUESTIONS[question]} / {name} on {day}\n{sql}\n{plan}")
    return "\n\n".join(out)


# the command ---------------------------------------------------------------------------------
def _database_params() -> dict:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1/x")
    return dj_database_url.parse(url)


def ensure_database(fresh: bool) -> None:
    import psycopg
    from psycopg import sql

    params = _database_params()
    conninfo = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = params["NAME"]
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    os.environ.setdefault("DANGVU_SECRET_KEY", "bench-only-not-a-secret")
    sys.path.insert(0, str(ROOT_DIR / "src"))
    import django

    django.setup()


def loaded_meta(connection) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_tree_meta "
            "(orgs integer, seed integer, version integer, central bigint, province bigint)"
        )
        cursor.execute("SELECT orgs, seed, version, central, province FROM bench_tree_meta")
        return cursor.fetchone()


def fmt_ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def report(
    measures: list[Measure], floor_ratio: float, naive_ratio: float, server: bool = False
) -> tuple[str, bool]:
    head = (
        f"{'question':<42} {'date':>10} {'rows':>7} {'ours ms':>8} {'CTE ms':>8} "
        f"{'hand ms':>8} {'CTE/ours':>14} {'ours/hand':>14}"
    )
    lines = [head, "-" * len(head)]
    ok = True
    order = list(QUESTIONS)
    for m in sorted(measures, key=lambda m: (order.index(m.question), m.day)):
        ms = m.server_ms if server else m.ms
        naive = ms["cte"] / ms["ours"]
        floor = ms["ours"] / ms["hand"]
        naive_ok = naive >= naive_ratio
        floor_ok = floor <= floor_ratio
        ok &= naive_ok and floor_ok
        lines.append(
            f"{QUESTIONS[m.question]:<42} {m.day:%d/%m/%Y} {m.rows:>7,} "
            f"{fmt_ms(ms['ours']):>8} {fmt_ms(ms['cte']):>8} {fmt_ms(ms['hand']):>8} "
            f"{naive:>8.1f} {'PASS' if naive_ok else 'FAIL':>5} "
            f"{floor:>8.2f} {'PASS' if floor_ok else 'FAIL':>5}"
        )
    return "\n".join(lines), ok


def table_sizes(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT relname, pg_relation_size(relid), pg_indexes_size(relid),
                   pg_total_relation_size(relid)
            FROM pg_stat_user_tables WHERE relname = ANY(%s) ORDER BY relname
            """,
            [list(TABLES)],
        )
        rows = []
        for name, *sizes in cursor.fetchall():
            cursor.execute(f"SELECT count(*) FROM {name}")
            rows.append((name, cursor.fetchone()[0], *sizes))
        cursor.execute(
            """
            SELECT c.relname, pg_relation_size(c.oid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass ORDER BY c.relname
            """,
            [VERSION_TABLE],
        )
        index_rows = cursor.fetchall()
        cursor.execute("SELECT pg_database_size(current_database())")
        (db_size,) = cursor.fetchone()

    def mb(n: int) -> str:
        return f"{n / 2**20:,.1f} MB"

    lines = [f"{'table':<36} {'rows':>10} {'heap':>11} {'indexes':>11} {'total':>11}"]
    for name, live, heap, idx, total in rows:
        lines.append(f"{name:<36} {live:>10,} {mb(heap):>11} {mb(idx):>11} {mb(total):>11}")
    lines.append(f"indexes of {VERSION_TABLE}:")
    for name, size in index_rows:
        lines.append(f"  {name:<57} {mb(size):>11}")
    lines.append(f"database {mb(db_size)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--jit", action="store_true", help="keep PostgreSQL's JIT on")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the timed session, e.g. random_page_cost=1.1",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    ensure_database(args.fresh)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    meta = loaded_meta(connection)
    print(f"dangvu tree benchmark: {args.orgs:,} organisations, seed {args.seed}")
    if meta and meta[:3] == (args.orgs, args.seed, GENERATOR_VERSION):
        root_ids = {"central": meta[3], "province": meta[4]}
        print("tree already loaded: reusing it (--fresh to rebuild)")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {', '.join(TABLES)}, bench_tree_meta RESTART IDENTITY CASCADE"
            )
        t0 = time.perf_counter()
        tree = generate(args.orgs, args.seed)
        t1 = time.perf_counter()
        print(
            f"generated {len(tree.organizations):,} organisations, {len(tree.versions):,} "
            f"versions, {len(tree.events):,} events in {t1 - t0:.1f} s"
        )
        load(tree, connection)
        t2 = time.perf_counter()
        analyze(connection)
        t3 = time.perf_counter()
        print(f"COPY + indexes {t2 - t1:.1f} s, VACUUM ANALYZE {t3 - t2:.1f} s")
        root_ids = {"central": tree.central, "province": tree.bench_province}
        checked, failures = check_against_services(tree)
        print(
            f"versions of {checked:,} organisations (every kind of event) recomputed by the "
            "services' history.TreeBuilder from the stored events: "
            + ("identical" if not failures else f"{len(failures)} differ")
        )
        for failure in failures[:5]:
            print("  " + failure)
        if failures:
            return 1
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_tree_meta VALUES (%s, %s, %s, %s, %s)",
                [args.orgs, args.seed, GENERATOR_VERSION, tree.central, tree.bench_province],
            )
        del tree
    t0 = time.perf_counter()
    failures = check_consistency(connection)
    print(
        f"consistency ({', '.join(f'{d:%d/%m/%Y}' for d in SAMPLE_DATES)} and all dates): "
        + ("ok" if not failures else "FAILED")
        + f" in {time.perf_counter() - t0:.1f} s"
    )
    for failure in failures:
        print("  " + failure)
    if failures:
        return 1

    with connection.cursor() as cursor:
        if not args.jit:
            cursor.execute("SET jit = off")
        for setting in args.set:
            name, value = setting.split("=", 1)
            cursor.execute("SELECT set_config(%s, %s, false)", [name.strip(), value.strip()])
        cursor.execute(
            "SELECT version(), current_setting('jit'), current_setting('work_mem'), "
            "current_setting('shared_buffers'), current_setting('random_page_cost')"
        )
        version, jit, work_mem, shared_buffers, random_page_cost = cursor.fetchone()
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE valid_to = '9999-12-31') FROM {V}")
        n_versions, n_open = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {EVENT_TABLE}")
        (n_events,) = cursor.fetchone()
        cursor.execute(f"SELECT name FROM {ORG_TABLE} WHERE id = %s", [root_ids["province"]])
        (province_name,) = cursor.fetchone()
    print(
        version.split(" on ")[0] + f": jit={jit}, work_mem={work_mem}, "
        f"shared_buffers={shared_buffers}, random_page_cost={random_page_cost}"
    )
    print(f"{n_versions:,} versions ({n_open:,} open), {n_events:,} events")
    print()
    print(table_sizes(connection))
    print()
    print(
        f"subtree: {province_name} (id {root_ids['province']}); count: under the root "
        f"(id {root_ids['central']}); median of {args.repeat} warm runs, interleaved"
    )
    print(
        "ours = dangvu.organizations.selectors through Scope.system(): ids = values_list of "
        "organization_id, rows = list() of the versions with the codes of organisation and "
        f"parent; API page = .count() + first {PAGE} rows (LimitOffsetPagination); CTE = "
        "recursive walk down parent_id on the versions valid on D; hand = the path range by "
        "hand (root path looked up first), same columns fetched as ours, as tuples"
    )
    load_before = os.getloadavg()[0]
    measures = []
    for day in (BEFORE, AFTER):
        measures += compare(connection, root_ids, day, args.repeat)
    text, ok = report(measures, floor_ratio=1.5, naive_ratio=5.0)
    print("end to end (what the caller waits for; these decide PASS/FAIL):")
    print(text)
    print(
        "targets: CTE/ours >= 5 (naive design), ours/hand <= 1.5 (floor); load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (on {os.cpu_count()} CPUs)"
    )
    print()
    print("server side only (PostgreSQL planning + execution, EXPLAIN ANALYZE TIMING OFF):")
    print(report(measures, floor_ratio=1.5, naive_ratio=5.0, server=True)[0])
    if args.explain:
        for day in (BEFORE, AFTER):
            print()
            print(explain(connection, root_ids, day))
    print(f"\ntotal {time.perf_counter() - started:.0f} s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
