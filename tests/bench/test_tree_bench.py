"""Smoke test of bench/tree.py at a small scale: the generated history loads into versions that
are exactly what the services derive, and the three ways of asking agree."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "tree.py"


def bench_module():
    name = "dangvu_bench_tree"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_generation_is_deterministic():
    bench = bench_module()
    first, second = bench.generate(orgs=2000, seed=3), bench.generate(orgs=2000, seed=3)
    assert len(first.organizations) == 2000
    assert first.versions == second.versions
    assert [(e.kind, e.organization_id, e.date) for e in first.events] == [
        (e.kind, e.organization_id, e.date) for e in second.events
    ]


@pytest.mark.django_db
def test_small_tree_is_consistent_and_the_three_methods_agree():
    if connection.vendor != "postgresql":
        pytest.skip("the tree benchmark runs on PostgreSQL (COPY, recursive CTE)")
    bench = bench_module()
    tree = bench.generate(orgs=3000, seed=11)
    kinds = {e.kind for e in tree.events}
    assert {"establish", "move", "rename", "convert", "update", "dissolve", "merge"} <= kinds

    bench.load(tree, connection)
    bench.analyze(connection, vacuum=False)  # VACUUM cannot run inside the test's transaction

    assert bench.check_consistency(connection) == []
    checked, differences = bench.check_against_services(tree, sample=60)
    assert checked >= 60
    assert differences == []
    root_ids = {"central": tree.central, "province": tree.bench_province}
    for day in (bench.BEFORE, bench.AFTER):
        # compare() asserts that ours, the recursive CTE and the hand-written SQL agree
        measures = bench.compare(connection, root_ids, day, repeat=1)
        assert [m.question for m in measures] == list(bench.QUESTIONS)
        assert all(m.rows > 0 for m in measures)


@pytest.mark.django_db
def test_consistency_check_finds_a_broken_path():
    if connection.vendor != "postgresql":
        pytest.skip("the tree benchmark runs on PostgreSQL (COPY, recursive CTE)")
    bench = bench_module()
    tree = bench.generate(orgs=2000, seed=5)
    bench.load(tree, connection)
    with connection.cursor() as cursor:
        # a grassroots committee's version that holds today gets the path of another place
        cursor.execute(
            f"UPDATE {bench.VERSION_TABLE} SET path = '00000001' || path "
            f"WHERE id = (SELECT min(id) FROM {bench.VERSION_TABLE} "
            "WHERE type = 'grassroots_committee' AND valid_to = '9999-12-31')"
        )
    failures = bench.check_consistency(connection)
    assert any("path != parent's path" in f for f in failures)
    assert any("not covered by its parent's versions" in f for f in failures)
