"""The balance identity on random histories (DESIGN.md, principle 3): whatever accepted events
three people go through, and whichever cell moves between two grassroots committees, members at
the end of any period equal those at the start plus the inflows minus the outflows, in every
subtree of the tree."""

import contextlib
import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.core.errors import DomainError
from dangvu.organizations import services as organization_services
from dangvu.organizations.models import OrganizationType as T
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period
from tests.conftest import decision, establish
from tests.members.people import add_person
from tests.members.test_lifecycle_properties import call
from tests.members.test_lifecycle_properties import steps as event_steps

EXAMPLES = itertools.count()
PERIODS = ["2020-Q4", "2021-Q1", "2021-H1", "2021", "2020-03-01..2022-02-28", "2019"]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=event_steps,
    move_on=st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2022, 12, 31))),
    period=st.sampled_from(PERIODS),
)
def test_the_balance_holds_for_every_subtree_and_period(tree, system, steps, move_on, period):
    # the database lives across examples: each example builds organisations of its own
    n = next(EXAMPLES)
    bloc = tree["bloc"]
    health = establish(system, f"BD.A{n}", "Đảng bộ Sở Y tế", T.GRASSROOTS_COMMITTEE, bloc)
    education = establish(system, f"BD.B{n}", "Đảng bộ Sở Giáo dục", T.GRASSROOTS_COMMITTEE, bloc)
    office = establish(system, f"BD.A{n}.VP", "Chi bộ Văn phòng", T.SUBORDINATE_CELL, health)
    justice = establish(system, f"BD.C{n}", "Chi bộ Sở Tư pháp", T.GRASSROOTS_CELL, bloc)
    people = [
        add_person(system, office, "Nguyễn Văn Hùng", birth_year=1975),
        add_person(system, justice, "Trần Thị Mai", birth_year=1990, sex="female"),
    ]
    cells = [office, justice]
    for index, (kind, day, lead_days, extra) in steps:
        with contextlib.suppress(DomainError):  # refused events change nothing (tests/members)
            call(system, people[index], kind, day, lead_days, extra, cells)
    if move_on is not None:
        organization_services.organization_move(
            scope=system,
            organization=office,
            parent=education,
            effective_date=move_on,
            decision=decision(move_on),
        )
    chosen = parse_period(period)
    for root in (bloc, health, education, office, justice):
        opening = engine.stocks(root, chosen.day_before)["members.total"]
        closing = engine.stocks(root, chosen.end)["members.total"]
        check = engine.balance(opening, closing, engine.flows(root, chosen))
        assert check.holds, (root.code, check)
