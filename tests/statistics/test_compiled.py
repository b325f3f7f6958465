"""Statements compiled once and run with new values give what the ORM gives for those values."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from dangvu.members.models import RuleParameter
from dangvu.members.parameters import load_parameters
from dangvu.organizations.models import OPEN_END, OrganizationVersion
from dangvu.organizations.paths import subtree_end
from dangvu.statistics import compiled, engine

D = dt.date


def versions_between(path: str, first: dt.date, last: dt.date):
    """Versions of the subtree alive at some time in [first, last], by type; the ORM derives
    dates from the values (the day after `last`), which the compiled statement must follow."""
    return OrganizationVersion.objects.filter(
        path__gte=path,
        path__lt=subtree_end(path),
        valid_from__lt=last + dt.timedelta(days=1),
        valid_to__gt=first,
    ).aggregate(
        total=Count("id"),
        cells=Count("id", filter=Q(type__in=("grassroots_cell", "subordinate_cell"))),
    )


def path_of(organization) -> str:
    return OrganizationVersion.objects.get(organization=organization, valid_to=OPEN_END).path


def run(path, first, last):
    return compiled.run(("test:versions",), versions_between, path=path, first=first, last=last)


def test_a_compiled_aggregate_equals_the_orm_for_other_values(tree):
    cases = [
        (path_of(tree["province"]), D(2009, 12, 31), D(2009, 12, 31)),
        (path_of(tree["province"]), D(2010, 1, 1), D(2026, 1, 1)),
        (path_of(tree["health"]), D(2010, 1, 1), D(2010, 1, 1)),
        (path_of(tree["justice"]), D(2015, 6, 30), D(2016, 1, 1)),
    ]
    for path, first, last in cases:
        assert run(path, first, last) == versions_between(path, first, last)
    assert run(path_of(tree["province"]), D(2010, 1, 1), D(2020, 1, 1)) == {
        "total": 6,
        "cells": 3,
    }


def test_the_second_call_sends_only_the_compiled_statement(tree):
    path = path_of(tree["health"])
    run(path, D(2010, 1, 1), D(2011, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        result = run(path, D(2012, 1, 1), D(2013, 1, 1))
    assert result == {"total": 3, "cells": 2}
    assert len(queries) <= 2  # the statement (and, on PostgreSQL, setting its plan mode once)
    assert "COUNT" in queries[-1]["sql"].upper()


def test_combined_parts_give_each_part_its_own_result(tree):
    province, health = path_of(tree["province"]), path_of(tree["health"])
    parts = [
        compiled.Part(("test:versions",), versions_between, {"path": p, "first": f, "last": f})
        for p, f in ((province, D(2015, 1, 1)), (health, D(2015, 1, 1)), (province, D(2009, 1, 1)))
    ]
    raw = compiled.Raw("SELECT COUNT(*) AS n FROM organizations_organization", (), ("n",))
    results = compiled.run_all([*parts, raw])
    assert results == [
        {"total": 6, "cells": 3},
        {"total": 3, "cells": 2},
        {"total": 0, "cells": 0},
        {"n": 6},
    ]


def test_a_statement_sending_two_queries_is_refused(tree):
    def two(path: str):
        list(OrganizationVersion.objects.filter(path=path))
        return OrganizationVersion.objects.filter(path__gt=path).aggregate(n=Count("id"))

    with pytest.raises(ValueError, match="one query"):
        compiled.run(("test:two",), two, path=path_of(tree["health"]))


def test_values_a_placeholder_cannot_stand_for_are_refused():
    with pytest.raises(TypeError):
        compiled.run(("test:float",), lambda x: {}, x=1.5)
    with pytest.raises(ValueError, match="one path"):
        compiled.run(("test:paths",), lambda a, b: {}, a="00000001", b="00000002")


def test_the_engine_reads_the_rule_parameters_the_members_app_does(db):
    RuleParameter.objects.create(
        key="members.badge_counted_by",
        effective_from=D(2022, 1, 1),
        value="award",
        source="thử nghiệm",
    )
    for day in (D(2021, 3, 31), D(2022, 1, 1), D(2030, 6, 30)):
        assert engine._parameters(day) == load_parameters(day)
    assert engine._parameters(D(2022, 1, 1)).badge_counted_by == "award"
