"""The balance identity on random histories (DESIGN.md, principle 3): whatever accepted events
two people go through, and whatever restructuring happens to the office cell's committee (the
cell moves to another committee, a committee is formed taking it over, or its committee is
merged into another), members at the end of any period equal those at the start plus the
inflows minus the outflows, in every subtree of the tree."""

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
    restructuring=st.one_of(
        st.none(),
        st.tuples(
            st.sampled_from(["move", "form", "merge"]),
            st.dates(dt.date(2019, 1, 1), dt.date(2022, 12, 31)),
        ),
    ),
    period=st.sampled_from(PERIODS),
)
def test_the_balance_holds_for_every_subtree_and_period(tree, system, steps, restructuring, period):
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
    roots = [bloc, health, education, office, justice]
    if restructuring is not None:
        kind, day = restructuring
        roots += restructure(system, kind, day, n, office=office, health=health, into=education)
    chosen = parse_period(period)
    for root in roots:
        opening = engine.stocks(root, chosen.day_before)["members.total"]
        closing = engine.stocks(root, chosen.end)["members.total"]
        check = engine.balance(opening, closing, engine.flows(root, chosen))
        assert check.holds, (root.code, check)


def restructure(system, kind, day, n, *, office, health, into) -> list:
    """The office cell moves to `into`, a new committee is formed taking it over, or its
    committee `health` is merged into `into`; the new organisations to check as well."""
    if kind == "move":
        organization_services.organization_move(
            scope=system, organization=office, parent=into, effective_date=day,
            decision=decision(day),
        )  # fmt: skip
        return []
    if kind == "form":
        spec = organization_services.NewOrganization(
            code=f"BD.N{n}", name="Đảng bộ Sở Nội vụ", type=T.GRASSROOTS_COMMITTEE,
            parent=health.parent, children=[office],
        )  # fmt: skip
        formed = organization_services.organization_establish(
            scope=system, spec=spec, effective_date=day, decision=decision(day)
        )
        return [formed]
    organization_services.organization_merge(
        scope=system, sources=[health], into=into, effective_date=day, decision=decision(day)
    )
    return []
