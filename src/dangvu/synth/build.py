"""`dangvu synth`: generate and load a synthetic installation at one of three scales.

bloc: one upper committee's subtree (about 300 organisations) with its ancestors and 5,000
persons; province: 8,000 organisations and 150,000 persons; national: 300,000 organisations
and 5,600,000 persons (issue 6). The tree is `dangvu.synth.tree`'s national tree (for the bloc,
generated at 64 x 300 organisations, of which the upper committee whose subtree on 31/03/2021
is closest to 300 organisations is kept); the members are `dangvu.synth.members`'s.

What was loaded is written in the table `synth_meta`, so a second run with the same
parameters does nothing, and a run over other data refuses unless asked to start afresh.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dangvu.core.formatting import format_number

from . import tree as synth_tree
from .loading import load_members, load_tree
from .members import MEMBER_TABLES, MEVENT, PERIOD, PERSON, SIM_START, Interval, cell_intervals

D = dt.date
# Version of what the generators produce: bump it when the same parameters give other rows
# (bench/report.py and `synth_meta` reuse loaded data only for the same version).
GENERATOR_VERSION = 2
REPORT_DAY = D(2021, 3, 31)  # the bloc is chosen by its subtree on this day (end of 2021-Q1)
META_TABLE = "synth_meta"


@dataclass(frozen=True)
class Scale:
    name: str
    label: str
    members: int
    orgs: int


SCALES = {
    "bloc": Scale("bloc", "cấp khối", 5_000, 300),
    "province": Scale("province", "cấp tỉnh", 150_000, 8_000),
    "national": Scale("national", "toàn quốc", 5_600_000, 300_000),
}
TABLE_LABELS = {
    synth_tree.ORG_TABLE: "Tổ chức đảng",
    synth_tree.VERSION_TABLE: "Phiên bản tổ chức (lịch sử)",
    synth_tree.EVENT_TABLE: "Sự kiện của tổ chức",
    PERSON: "Lý lịch",
    PERIOD: "Thời gian sinh hoạt đảng",
    MEVENT: "Sự kiện của đảng viên",
}
ALL_TABLES = (*synth_tree.TABLES, *MEMBER_TABLES)


# the plan ---------------------------------------------------------------------------------
def _path_ranges(versions: Sequence[tuple], org: int) -> list[tuple[str, str]]:
    from dangvu.organizations.paths import subtree_end

    paths = sorted({path for o, _s, _e, path, _st in versions if o == org})
    return [(p, subtree_end(p)) for p in paths]


def _on(versions: Sequence[tuple], day: dt.date) -> list[tuple]:
    return [v for v in versions if v[1] <= day < v[2]]


@dataclass
class Plan:
    """What to load: the tree and the cells that get members, and the roots to time."""

    tree: synth_tree.Tree
    intervals: list[Interval]
    central: int
    province: int
    bloc: int
    provinces: dict[int, int | None]  # organisation: its (latest) province code


def plan(orgs: int, seed: int) -> Plan:
    """The tree and the cell intervals that get members. Below the tree's minimum of 2,000
    organisations the tree is generated at 64 x `orgs` (at least 2,000) and only the cells of
    the upper committee whose subtree on 31/03/2021 is closest to `orgs` get members."""
    from dangvu.organizations.paths import subtree_end

    small = orgs < 2000
    tree = synth_tree.generate(max(2000, 64 * orgs) if small else orgs, seed)
    on_day = _on(tree.versions, REPORT_DAY)
    paths = sorted(v[3] for v in on_day)
    path_of = {v[0]: v[3] for v in on_day}
    province = tree.bench_province

    def size(org: int) -> int:
        path = path_of[org]
        return bisect.bisect_left(paths, subtree_end(path)) - bisect.bisect_left(paths, path)

    uppers = [v for v in on_day if v[4][1] == synth_tree.UPPER]
    if small:  # the upper committee closest to `orgs` organisations
        bloc = min(uppers, key=lambda v: (abs(size(v[0]) - orgs), v[0]))[0]
    else:  # the bench province's bloc of agencies
        bloc = min(
            v[0]
            for v in uppers
            if v[4][2] == province and v[4][0].startswith("Đảng bộ Khối các cơ quan")
        )
    intervals = cell_intervals(tree.versions)
    if small:
        ranges = _path_ranges(tree.versions, bloc)
        inside = {
            o for o, _s, _e, p, _st in tree.versions if any(lo <= p < hi for lo, hi in ranges)
        }
        intervals = [i for i in intervals if i.org in inside]
    intervals = [i for i in intervals if i.end > SIM_START.toordinal() + 30]
    provinces = {row[0]: row[6] for row in tree.organizations}
    return Plan(tree, intervals, tree.central, province, bloc, provinces)


def subset(tree: synth_tree.Tree, root: int) -> synth_tree.Tree:
    """The organisations ever in `root`'s subtree and every organisation above one of them at
    any time, with all their versions and events (a cause outside them is dropped): an
    installation holding one upper committee, whose history reads as in the whole tree."""
    ranges = _path_ranges(tree.versions, root)
    keep = {o for o, _s, _e, p, _st in tree.versions if any(lo <= p < hi for lo, hi in ranges)}
    parents: dict[int, set[int]] = {}
    for o, _s, _e, _p, state in tree.versions:
        if state[2] is not None:
            parents.setdefault(o, set()).add(state[2])
    frontier = sorted(keep)
    while frontier:
        for parent in parents.get(frontier.pop(), ()):
            if parent not in keep:
                keep.add(parent)
                frontier.append(parent)
    kept_events = {e.id for e in tree.events if e.organization_id in keep}
    part = synth_tree.Tree(orgs=len(keep), seed=tree.seed)
    part.central, part.bench_province = tree.central, tree.bench_province
    part.organizations = [row for row in tree.organizations if row[0] in keep]
    part.versions = [v for v in tree.versions if v[0] in keep]
    part.events = [
        dataclasses.replace(e, cause_id=e.cause_id if e.cause_id in kept_events else None)
        for e in tree.events
        if e.organization_id in keep
    ]
    return part


# the command ------------------------------------------------------------------------------
def _seconds(value: float) -> str:
    return f"{format_number(value, 1)} giây"


def _mb(size: int) -> str:
    return f"{format_number(size / 2**20, 1)} MB"


def meta(connection) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (scale varchar(16), members integer, "
            "orgs integer, seed integer, version integer, counts text, seconds real)"
        )
        cursor.execute(
            f"SELECT scale, members, orgs, seed, version, counts, seconds FROM {META_TABLE}"  # noqa: S608
        )
        return cursor.fetchone()


def has_data(connection) -> bool:
    from dangvu.members.models import Person
    from dangvu.organizations.models import Organization

    return Organization.objects.exists() or Person.objects.exists()


def flush(connection) -> None:
    """Empty the tables the load writes, and those that refer to them."""
    from django.core.management.color import no_style

    statements = connection.ops.sql_flush(
        no_style(), [*ALL_TABLES, META_TABLE], reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


def database_size(connection) -> int | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = os.fspath(connection.settings_dict["NAME"])
    if os.path.exists(name):  # not an in-memory test database
        return os.path.getsize(name)
    return None


def row_counts(connection) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in ALL_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (the constants above)
            counts[table] = cursor.fetchone()[0]
    return counts


@dataclass
class Result:
    loaded: bool  # False when the same data was already there
    counts: dict[str, int]
    seconds: float
    database_bytes: int | None
    roots: dict[str, int]


def synth(
    *,
    scale: Scale,
    seed: int = 2025,
    fresh: bool = False,
    members: int | None = None,
    orgs: int | None = None,
    out: Callable[[str], None] = print,
) -> Result:
    """Generate and load the synthetic installation; `members`/`orgs` override the scale's
    sizes (tests). Refuses (DomainError) over other data unless `fresh`."""
    from django.db import connection, transaction

    from dangvu.core.errors import DomainError

    members = members or scale.members
    orgs = orgs or scale.orgs
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    backend = "PostgreSQL" if postgres else "SQLite"
    out(
        f"Tạo dữ liệu tổng hợp quy mô {scale.label}: {format_number(members)} người, "
        f"{format_number(orgs)} tổ chức, hạt giống {seed}; cơ sở dữ liệu {backend} "
        f"«{connection.settings_dict['NAME']}»."
    )
    key = (scale.name, members, orgs, seed, GENERATOR_VERSION)
    loaded = meta(connection)
    if loaded and tuple(loaded[:5]) == key and not fresh:
        out("Dữ liệu với cùng tham số đã có sẵn: giữ nguyên (dùng --fresh để tạo lại).")
        counts = row_counts(connection)
        return Result(False, counts, loaded[6] or 0.0, database_size(connection), {})
    if not fresh and has_data(connection):
        raise DomainError(
            "synth.DATABASE_NOT_EMPTY",
            "Cơ sở dữ liệu đã có tổ chức đảng hoặc lý lịch: dùng --fresh để xóa các bảng này "
            "và tạo lại dữ liệu tổng hợp.",
        )
    flush(connection)

    t0 = time.perf_counter()
    p = plan(orgs, seed)
    tree = subset(p.tree, p.bloc) if orgs < 2000 else p.tree
    t1 = time.perf_counter()
    out(
        f"Cây tổ chức: {format_number(len(tree.organizations))} tổ chức, "
        f"{format_number(len(tree.versions))} phiên bản, {format_number(len(tree.events))} "
        f"sự kiện (2016–2026); tạo trong {_seconds(t1 - t0)}."
    )
    load_tree(tree, connection)
    t2 = time.perf_counter()
    how = "COPY" if postgres else "INSERT theo lô"
    out(f"Đã nạp cây tổ chức ({how}, kèm chỉ mục) trong {_seconds(t2 - t1)}.")
    roots = {"central": p.central, "province": p.province, "bloc": p.bloc}
    intervals, provinces = p.intervals, p.provinces
    del p, tree
    with tempfile.TemporaryDirectory(prefix="dangvu_synth_") as directory:

        def progress(done: int) -> None:
            out(f"  … {format_number(done)} / {format_number(members)} người")

        from .members import Members

        files = {t: os.path.join(directory, f"{t}.copy") for t in MEMBER_TABLES}
        generator = Members(intervals, members, seed, provinces)
        generator.progress = progress if members >= 500_000 else None
        with (
            open(files[PERSON], "w", encoding="utf-8") as persons,
            open(files[PERIOD], "w", encoding="utf-8") as periods,
            open(files[MEVENT], "w", encoding="utf-8") as events,
        ):
            generator.write(persons, periods, events)
        counts = generator.counts
        t3 = time.perf_counter()
        out(
            f"Đảng viên: {format_number(counts['persons'])} lý lịch, "
            f"{format_number(counts['periods'])} thời gian sinh hoạt, "
            f"{format_number(counts['events'])} sự kiện; tạo trong {_seconds(t3 - t2)}."
        )
        load_members(connection, files)
    t4 = time.perf_counter()
    out(f"Đã nạp đảng viên ({how}, kèm chỉ mục và khóa ngoại) trong {_seconds(t4 - t3)}.")
    if postgres:
        vacuum = not connection.in_atomic_block  # VACUUM cannot run in a transaction
        analyze(connection, vacuum=vacuum)
        t5 = time.perf_counter()
        out(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} trong {_seconds(t5 - t4)}.")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    rows = row_counts(connection)
    with transaction.atomic():
        from dangvu.access.audit import audit_record
        from dangvu.organizations.models import Organization

        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                [*key, json.dumps(rows), seconds],
            )
        audit_record(
            actor=None,
            action="synth.load",
            obj=Organization.objects.get(pk=roots["central"]),
            after={"scale": scale.name, "members": members, "orgs": orgs, "seed": seed}
            | {"version": GENERATOR_VERSION, "rows": rows},
        )
    size = database_size(connection)
    out("")
    out(f"{'Bảng':<32} {'Số dòng':>12}")
    for table in ALL_TABLES:
        out(f"{TABLE_LABELS[table]:<32} {format_number(rows[table]):>12}")
    out(f"Tổng thời gian: {_seconds(seconds)}.")
    if size is not None:
        what = "pg_database_size" if postgres else "tệp SQLite"
        out(f"Dung lượng cơ sở dữ liệu ({what}): {_mb(size)}.")
    return Result(True, rows, seconds, size, roots)


def analyze(connection, vacuum: bool = True) -> None:
    """VACUUM (ANALYZE) of the loaded tables (ANALYZE only inside a transaction)."""
    with connection.cursor() as cursor:
        for table in ALL_TABLES:
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")
