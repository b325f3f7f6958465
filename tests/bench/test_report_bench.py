"""Smoke test of bench/report.py at a tiny scale: the member generation is deterministic, the
balance identity holds on 2021-Q1, and ours equals the hand-written baseline."""

import importlib.util
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "report.py"


def bench_module():
    name = "dangvu_bench_report"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_member_generation_is_deterministic():
    bench = bench_module()
    plan = bench.plan(orgs=2000, seed=3)
    digests = []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as directory:
            counts, files = bench.generate_members(plan.intervals, 5000, 3, directory)
            digests.append((counts, bench.digest(files)))
    assert digests[0] == digests[1]
    assert digests[0][0]["persons"] == 5000


@pytest.mark.django_db
def test_tiny_report_balances_and_ours_equals_the_baseline():
    if connection.vendor != "postgresql":
        pytest.skip("the report benchmark runs on PostgreSQL (COPY)")
    bench = bench_module()
    plan = bench.plan(orgs=3000, seed=11)
    roots = {"central": plan.central, "province": plan.province, "bloc": plan.bloc}
    bench.tree_bench.load(plan.tree, connection)
    with tempfile.TemporaryDirectory() as directory:
        counts, files = bench.generate_members(plan.intervals, 20_000, 11, directory)
        bench.load_members(connection, files)
    bench.analyze(connection, vacuum=False)  # VACUUM cannot run inside the test's transaction
    roots["bloc"], roots["cell"] = bench.pick_bloc_and_cell(
        connection, roots["province"], roots["bloc"]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {bench.PERIOD} a JOIN {bench.PERIOD} b "
            "ON a.person_id = b.person_id AND a.id < b.id "
            "AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to"
        )
        assert cursor.fetchone()[0] == 0, "overlapping periods"
        # from the simulation's start every period begins in its cell as it then was; before
        # it, members admitted before the tree's recorded history keep their first records
        cursor.execute(
            f"SELECT count(*) FROM {bench.PERIOD} p WHERE p.valid_from >= %s AND NOT EXISTS "
            f"(SELECT 1 FROM {bench.V} v WHERE v.organization_id = p.organization_id "
            "AND v.valid_from <= p.valid_from AND v.valid_to > p.valid_from)",
            [bench.SIM_START],
        )
        assert cursor.fetchone()[0] == 0, "a period without its cell"
        cursor.execute(f"SELECT count(DISTINCT kind) FROM {bench.MEVENT}")
        assert cursor.fetchone()[0] >= 10
    assert bench.check_balance(connection, roots, sample=8, seed=1) == []
    raw = connection.connection  # the test's transaction: the baseline sees the same rows
    for root in roots.values():
        ours, base = bench.ours(root), bench.baseline(raw, root)
        assert bench.agree(ours, base) == []
    assert bench.ours(roots["central"])["members.total"] > 10_000
