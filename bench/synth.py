"""Benchmark of the synthetic data generation (`dangvu synth`) end to end on PostgreSQL.

Issue 6, item 5: the national scale (300,000 organisations, 5,600,000 persons) generated and
loaded into an empty database, timed from the first migration to the last VACUUM ANALYZE; it
prints the time of each step, the rows and size of each table and the database size
(pg_database_size), the peak memory of the process and the machine's cores.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench_synth \\
        .venv/bin/python bench/synth.py [--scale national|province|bloc] [--seed 2025]

The database is dropped and created again first (--keep to load into it as it is, which
`dangvu synth` refuses over other data unless the same parameters were loaded).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def _tree_module():
    name = "dangvu_bench_tree"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("tree.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]


tree_bench = _tree_module()


def table_sizes(connection, tables: Sequence[str]) -> list[tuple[str, int, int, int]]:
    """(table, rows, heap + toast bytes, index bytes) of each table."""
    rows = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass)", [table, table]
            )
            heap, indexes = cursor.fetchone()
            cursor.execute(f"SELECT count(*) FROM {table}")
            rows.append((table, cursor.fetchone()[0], heap, indexes))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("bloc", "province", "national"), default="national")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="do not drop the database first")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    tree_bench.ensure_database(fresh=not args.keep)
    tree_bench.setup_django()
    from django.core.management import call_command
    from django.db import connection

    from dangvu.synth.build import ALL_TABLES, SCALES, synth

    scale = SCALES[args.scale]
    print(
        f"dangvu synth benchmark: {args.scale} ({scale.members:,} persons, {scale.orgs:,} "
        f"organisations), seed {args.seed}, database {connection.settings_dict['NAME']}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - t0
    print(f"migrate {migrated:.1f} s")
    result = synth(scale=scale, seed=args.seed, fresh=False, out=print)
    total = time.perf_counter() - started

    def mb(n: int) -> str:
        return f"{n / 2**20:,.1f} MB"

    print()
    print(f"{'table':<36} {'rows':>12} {'heap':>11} {'indexes':>11}")
    for table, rows, heap, indexes in table_sizes(connection, ALL_TABLES):
        print(f"{table:<36} {rows:>12,} {mb(heap):>11} {mb(indexes):>11}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        f"\n{args.scale}: generated and loaded in {result.seconds:,.0f} s "
        f"(end to end with the database's creation and migrations {total:,.0f} s); "
        f"database {mb(result.database_bytes or 0)}; peak RSS {mb(peak)}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
