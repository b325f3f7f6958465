"""Benchmark: `dangvu import` of an Excel file of 100,000 personal files with their admission and
recognition events (the bulk path, every check included) against loading the same rows with
PostgreSQL COPY into the same tables; and the peak memory of the import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import.py

DATABASE_URL names the server (its database is not touched). The script makes its own
databases: `dangvu_bench_import_base` (migrated, with a tree of 1,011 organisations written by
the services: a province, 10 upper committees, 1,000 grassroots cells), and from it as a
template `dangvu_bench_import` (the import) and `dangvu_bench_import_copy` (the baseline).
The workbook (people sheet + events sheet, realistic Vietnamese names from the demo's
generator, valid citizen IDs) is written once to /tmp and reused.

Measured: the wall time of the `dangvu import FILE --bulk` subprocess (reading the workbook,
every parser and rule, set-based look-ups, the replay, the writes and the commit) and its peak
RSS (wait4's ru_maxrss); the baseline is COPY FROM of exactly the rows the import wrote
(persons, events, membership periods, decisions, dumped from the import's database) in one
transaction. Targets: within 5x, RSS under 1 GiB.
"""

import argparse
import datetime as dt
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BASE, RUN, COPY = "dangvu_bench_import_base", "dangvu_bench_import", "dangvu_bench_import_copy"
TABLES = ("core_decision", "members_person", "members_memberevent", "members_membershipperiod")
UPPER, CELLS_PER_UPPER = 10, 100
DECIDED = "Ban Thường vụ Đảng ủy Khối"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith("postgres"):
        sys.exit("bench/import.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def url_for(name: str) -> str:
    return urlparse(server_url())._replace(path=f"/{name}").geturl()


def admin():
    import psycopg

    return psycopg.connect(url_for("postgres"), autocommit=True)


def recreate(name: str, template: str | None = None) -> None:
    assert name.startswith("dangvu_bench_import"), name  # never another benchmark's database
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def exists(name: str) -> bool:
    with admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def dangvu(*args: str, database: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url_for(database)}
    return subprocess.run([str(ROOT / ".venv/bin/dangvu"), *args], env=env, check=True, **kwargs)


# the base database: schema and tree --------------------------------------------------------
TREE_SCRIPT = """
import datetime as dt
from dangvu.access.scopes import Scope
from dangvu.core.decisions import DecisionInput
from dangvu.organizations import services
from dangvu.organizations.models import OrganizationType as T

scope = Scope.system()
day = dt.date(2000, 1, 1)
def establish(code, name, type_, parent=None):
    return services.organization_establish(
        scope=scope,
        spec=services.NewOrganization(code=code, name=name, type=type_, parent=parent),
        effective_date=day,
        decision=DecisionInput(symbol="1-QĐ/TU", date=day, issuing_body="Ban Thường vụ Tỉnh ủy"),
    )
province = establish("BD", "Đảng bộ tỉnh Bình Định", T.PROVINCIAL_COMMITTEE)
for u in range({upper}):
    upper = establish(f"BD.{{u:02d}}", f"Đảng bộ Khối số {{u + 1}}", T.UPPER_COMMITTEE, province)
    for c in range({cells}):
        establish(f"BD.{{u:02d}}.{{c:03d}}", f"Chi bộ cơ quan số {{c + 1}} khối {{u + 1}}",
                  T.GRASSROOTS_CELL, upper)
"""


def build_base() -> None:
    recreate(BASE)
    dangvu("migrate", "--no-input", database=BASE, stdout=subprocess.DEVNULL)
    script = TREE_SCRIPT.format(upper=UPPER, cells=CELLS_PER_UPPER)
    dangvu("shell", "-c", script, database=BASE)


# the workbook -------------------------------------------------------------------------------
def workbook(path: Path, members: int, seed: int) -> None:
    """The people and events sheets with the template's Vietnamese headers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from openpyxl import Workbook

    from dangvu.demo.members import draw_citizen_id, person_fields
    from dangvu.members.reference import ETHNICITIES, RELIGIONS
    from dangvu.members.rules import add_months

    ethnicity, religion = dict(ETHNICITIES), dict(RELIGIONS)
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    people = book.create_sheet("Đảng viên")
    events = book.create_sheet("Sự kiện")
    people.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo",
                   "Quê quán", "Nơi sinh", "Nơi thường trú", "Nơi ở hiện nay", "Số CCCD",
                   "Điện thoại", "Giáo dục phổ thông", "Chi bộ"])  # fmt: skip
    events.append(["Số CCCD", "Sự kiện", "Ngày", "Ngày chi bộ xét", "Số quyết định",
                   "Ngày quyết định", "Cơ quan ban hành"])  # fmt: skip
    taken: set[str] = set()
    numbers: dict[tuple[int, int], int] = {}  # (upper, year) -> decisions issued
    today = dt.date(2026, 6, 30)
    for index in range(members):
        upper, cell = rng.randrange(UPPER), rng.randrange(CELLS_PER_UPPER)
        vote = dt.date(2001, 1, 15) + dt.timedelta(days=rng.randrange(24 * 365))
        sex, birth, fields = person_fields(rng, vote, old=False)
        cid = draw_citizen_id(rng, province=52, birth=birth, sex=sex, taken=taken)
        born = f"{birth.day:02d}/{birth.month:02d}/{birth.year}" if birth.day else str(birth.year)
        people.append(
            [index + 1, fields["full_name"], born, "Nữ" if sex == "female" else "Nam",
             ethnicity[fields["ethnicity"]], religion.get(fields["religion"], ""),
             fields["hometown"], fields["birthplace"], fields["permanent_residence"],
             fields["current_residence"], cid, fields["phone"], fields["general_education"],
             f"BD.{upper:02d}.{cell:03d}"]
        )  # fmt: skip
        # one decision admits the candidates of a bloc voted in the same fortnight
        decided = vote + dt.timedelta(days=14 - vote.day % 14 + 7)
        key = (upper, decided.toordinal())
        if key not in numbers:
            numbers[key] = len(numbers) + 1
        symbol = f"{numbers[key]}-QĐ/ĐUK{upper + 1}"
        ceremony = decided + dt.timedelta(days=rng.randint(3, 20))
        events.append([cid, "Kết nạp", ceremony, vote, symbol, decided, DECIDED])
        recognised = add_months(ceremony, 12) + dt.timedelta(days=rng.randint(3, 25))
        if recognised < today and rng.random() < 0.97:
            events.append([cid, "Công nhận đảng viên chính thức", recognised, "",
                           f"{index + 1}-QĐ/ĐUK{upper + 1}", recognised, DECIDED])  # fmt: skip
    book.save(path)


# timing -------------------------------------------------------------------------------------
def timed_import(path: Path) -> tuple[float, int, str]:
    """Seconds, peak RSS in bytes and the report's last lines of `dangvu import --bulk`."""
    env = {**os.environ, "DATABASE_URL": url_for(RUN)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/dangvu"), "import", str(path), "--bulk"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"the import failed:\n{output[-3000:]}")
    return seconds, usage.ru_maxrss * 1024, output


def top_ids(name: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url_for(name)) as conn:
        return {
            t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in TABLES
        }


def dump(name: str, after: dict[str, int]) -> dict[str, bytes]:
    """The rows the import wrote (ids past those of the base), as COPY text."""
    import psycopg

    out = {}
    with psycopg.connect(url_for(name)) as conn, conn.cursor() as cursor:
        for table in TABLES:
            buffer = io.BytesIO()
            query = f"COPY (SELECT * FROM {table} WHERE id > {int(after[table])}) TO STDOUT"
            with cursor.copy(query) as copy:
                for block in copy:
                    buffer.write(block)
            out[table] = buffer.getvalue()
    return out


def timed_copy(rows: dict[str, bytes]) -> float:
    import psycopg

    with psycopg.connect(url_for(COPY)) as conn:
        start = time.perf_counter()
        with conn.cursor() as cursor:
            for table in TABLES:
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(rows[table])
        conn.commit()
        return time.perf_counter() - start


def counts(name: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url_for(name)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fresh", action="store_true", help="rebuild the base database")
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}")
    if args.fresh or not exists(BASE):
        start = time.perf_counter()
        build_base()
        print(f"base database (schema, 1,011 organisations): {time.perf_counter() - start:.1f} s")
    path = Path(tempfile.gettempdir()) / f"dangvu-bench-import-{args.members}-{args.seed}.xlsx"
    if not path.exists():
        start = time.perf_counter()
        workbook(path, args.members, args.seed)
        print(f"workbook {path} written: {time.perf_counter() - start:.1f} s")
    print(f"workbook: {path.stat().st_size / 1e6:.1f} MB")

    recreate(RUN, BASE)
    seconds, rss, output = timed_import(path)
    written = counts(RUN)
    print("\n".join(output.strip().splitlines()[-4:]))
    recreate(COPY, BASE)
    copy_seconds = timed_copy(dump(RUN, top_ids(BASE)))
    assert counts(COPY) == written
    before = counts(BASE)
    written = {table: written[table] - before[table] for table in TABLES}
    rows = sum(written.values())
    print(f"rows written: {rows:,} ({', '.join(f'{t} {n:,}' for t, n in written.items())})")
    print(f"dangvu import --bulk: {seconds:.1f} s ({args.members / seconds:,.0f} files/s)")
    print(f"COPY of the same rows: {copy_seconds:.1f} s")
    ratio = seconds / copy_seconds
    print(f"ratio: {ratio:.1f}x (target within 5x: {'met' if ratio <= 5 else 'NOT met'})")
    print(f"peak RSS of the import: {rss / 2**20:.0f} MiB (target < 1024 MiB: "
          f"{'met' if rss < 2**30 else 'NOT met'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
