"""Benchmark of the full-fidelity export (`dangvu export`, issue 6 item 5) on PostgreSQL.

Builds a province with `dangvu synth --scale province` (8,000 organisations, 150,000 persons,
their periods and events) into its own database, then times, in the same run, `export_to`
of the whole installation (a .jsonl.gz) against `pg_dump -Fc` of the same tables (the
baseline: the database's own dump, compressed too). Prints both times, both sizes, the rows
written and the ratio. Target: ours within 3x.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench_export \\
        .venv/bin/python bench/export.py [--scale province] [--repeat 1] [--compress 6]

The data is built once (reused when `dangvu synth` finds its own parameters; --fresh rebuilds).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

ROOT_DIR = Path(__file__).resolve().parents[1]
PROTECTED = {"dangvu_bench_national", "dangvu_bench_report"}


def _database() -> tuple[str, dict]:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("bench/export.py runs on PostgreSQL: set DATABASE_URL=postgres://...")
    name = parts.path.lstrip("/")
    if name in PROTECTED:
        sys.exit(f"{name} belongs to another benchmark: use e.g. dangvu_bench_export")
    return name, {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or "",
    }


def ensure_database(name: str, params: dict) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def tables() -> list[str]:
    from dangvu.exchange.exchange_format import MODELS

    return [model._meta.db_table for model in MODELS.values()]


def time_pg_dump(name: str, params: dict, directory: str) -> tuple[float, int]:
    path = Path(directory) / "baseline.dump"
    command = ["pg_dump", "-Fc", "-h", params["host"], "-p", str(params["port"])]
    command += ["-U", params["user"], "-f", str(path)]
    for table in tables():
        command += ["-t", table]
    env = {**os.environ, "PGPASSWORD": params["password"]}
    started = time.perf_counter()
    subprocess.run([*command, name], check=True, env=env)  # noqa: S603 - fixed arguments
    return time.perf_counter() - started, path.stat().st_size


def time_export(directory: str, compress: int) -> tuple[float, int, dict[str, int]]:
    from dangvu.exchange.exchange_export import export_to

    path = Path(directory) / "ours.jsonl.gz"
    started = time.perf_counter()
    with path.open("wb") as stream:
        counts = export_to(stream, compresslevel=compress)
    return time.perf_counter() - started, path.stat().st_size, counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("bloc", "province", "national"), default="province")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--compress", type=int, default=6)
    args = parser.parse_args(argv)
    name, params = _database()
    ensure_database(name, params)
    sys.path.insert(0, str(ROOT_DIR / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    synth = ["synth", "--scale", args.scale, "--seed", str(args.seed)]
    try:
        call_command(*synth, *(["--fresh"] if args.fresh else []))
    except Exception as error:  # noqa: BLE001 - data of other parameters: rebuild it
        print(f"synth: {error}; rebuilding")
        call_command(*synth, "--fresh")
    ours, base = [], []
    with tempfile.TemporaryDirectory(prefix="dangvu_export_") as directory:
        for _ in range(args.repeat):
            seconds, size, counts = time_export(directory, args.compress)
            ours.append((seconds, size))
            seconds, dump_size = time_pg_dump(name, params, directory)
            base.append((seconds, dump_size))
    ours_s, ours_size = min(ours)
    base_s, base_size = min(base)
    rows = sum(counts.values())
    print(f"cores: {os.cpu_count()}; rows exported: {rows:,}")
    for row_type, count in counts.items():
        if count:
            print(f"  {row_type}: {count:,}")
    print(
        f"dangvu export: {ours_s:.1f} s, {ours_size / 2**20:.1f} MiB ({rows / ours_s:,.0f} rows/s)"
    )
    print(f"pg_dump -Fc:   {base_s:.1f} s, {base_size / 2**20:.1f} MiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MiB")
    ratio = ours_s / base_s
    print(f"ratio export / pg_dump: {ratio:.2f}x (target <= 3x): {'OK' if ratio <= 3 else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
