"""Properties of the lifecycle services under random sequences of dated events.

Events are entered in random date order on one or two people. Each call is either accepted
(one event and one audit row more) or refused with a DomainError that changes nothing; after
the sequence the cached columns equal the replay of the stored events, and the states obey
the Party's rules.
"""

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dangvu.access.models import AuditEntry
from dangvu.core.errors import DomainError
from dangvu.members import lifecycle, rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent, MemberStatus, Person
from dangvu.members.parameters import load_parameters
from dangvu.organizations.models import OPEN_END
from tests.conftest import decision

from .people import add_person

LEFT = {
    MemberStatus.STRUCK_OFF,
    MemberStatus.EXPELLED,
    MemberStatus.WITHDRAWN,
    MemberStatus.DECEASED,
}
SIMPLE = {
    E.DEATH: lifecycle.member_death,
    E.STRUCK_OFF: lifecycle.member_strike_off,
    E.EXPULSION: lifecycle.member_expel,
    E.EXEMPTION: lifecycle.member_exempt,
    E.EXEMPTION_END: lifecycle.member_exemption_end,
    E.DISCIPLINE: lifecycle.member_discipline,
    E.READMISSION: lifecycle.member_readmit,
}

dates = st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31))
ceremonies = st.dates(dt.date(2015, 1, 1), dt.date(2024, 12, 31))
# days from the decision to the event; None: no decision given
lead = st.one_of(st.integers(min_value=1, max_value=10), st.none())

admission = st.tuples(st.just(E.ADMISSION), ceremonies, lead, st.none())
recognition = st.tuples(st.just(E.RECOGNITION), dates, st.just(0), st.none())
discipline = st.tuples(
    st.just(E.DISCIPLINE), dates, lead, st.sampled_from([*rules.DisciplineForm, None])
)
readmission = st.tuples(
    st.just(E.READMISSION), dates, lead, st.sampled_from(list(rules.ExitReason))
)
others = st.tuples(
    st.sampled_from([E.DEATH, E.STRUCK_OFF, E.EXPULSION, E.EXEMPTION, E.EXEMPTION_END]),
    dates,
    lead,
    st.none(),
)
# transfers: official out (to the other cell) and in; temporary out for `extra` months, return
transfers = st.one_of(
    st.tuples(st.sampled_from([E.TRANSFER_OUT, E.TRANSFER_IN, E.TEMPORARY_RETURN]), dates,
              st.none(), st.none()),
    st.tuples(st.just(E.TEMPORARY_TRANSFER_OUT), dates, st.none(), st.integers(1, 14)),
)  # fmt: skip
# (which person, (kind, date, days the decision precedes it, form or exit reason))
# A discipline without its form or a readmission without its decision must be refused.
steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.one_of(admission, admission, recognition, discipline, readmission, others, transfers),
    ),
    max_size=8,
)

PROJECTED = list(lifecycle.PROJECTION)


def columns(person: Person) -> dict:
    return dict(Person.objects.filter(pk=person.pk).values(*PROJECTED).get())


def rows() -> tuple[int, int]:
    return MemberEvent.objects.count(), AuditEntry.objects.count()


def call(scope, person: Person, kind: str, day: dt.date, lead_days: int, extra, cells) -> None:
    person.refresh_from_db()
    elsewhere = cells[0] if person.organization_id != cells[0].pk else cells[1]
    if kind == E.TRANSFER_OUT:
        lifecycle.member_transfer_out(scope=scope, person=person, to=elsewhere, effective_date=day)
        return
    if kind == E.TRANSFER_IN:
        lifecycle.member_transfer_in(
            scope=scope, person=person, effective_date=day, override_reason="Cấp ủy đã xem xét."
        )
        return
    if kind == E.TEMPORARY_TRANSFER_OUT:
        lifecycle.member_temporary_transfer_out(
            scope=scope,
            person=person,
            to=elsewhere,
            effective_date=day,
            until=rules.add_months(day, extra),
        )
        return
    if kind == E.TEMPORARY_RETURN:
        lifecycle.member_temporary_return(
            scope=scope, person=person, effective_date=day, decision=None
        )
        return
    decided = None
    if lead_days is not None:
        decided = decision(day - dt.timedelta(days=lead_days), f"{day:%y%m%d}-QĐ/ĐU")
    if kind == E.ADMISSION:
        lifecycle.member_admit(scope=scope, person=person, ceremony_date=day, decision=decided)
    elif kind == E.RECOGNITION:
        lifecycle.member_recognize(scope=scope, person=person, decision=decided)
    else:
        details = {}
        if kind == E.DISCIPLINE and extra is not None:
            details = {"form": extra}
        elif kind == E.READMISSION:
            details = {"exit_reason": extra}
        elif kind == E.EXEMPTION:
            details = {"requested_on": day.isoformat(), "grounds": ["weak_health"]}
        SIMPLE[kind](
            scope=scope, person=person, effective_date=day, decision=decided, details=details
        )


def check_projection_and_invariants(person: Person, registered_in: int) -> None:
    person.refresh_from_db()
    state = lifecycle.person_state(person)  # the stored events replay without error
    cached = columns(person)
    replayed = {field: getattr(state, field) for field in PROJECTED}
    if replayed["organization_id"] is None:  # a candidate keeps the cell of registration
        replayed["organization_id"] = registered_in
    assert cached == replayed
    stored = list(
        person.periods.order_by("valid_from", "id").values(
            "organization_id", "status", "exempt", "valid_from", "start_reason", "valid_to",
            "end_reason",
        )
    )  # fmt: skip
    assert stored == [dataclasses.asdict(period) for period in state.periods]
    for before, after in zip(state.periods, state.periods[1:], strict=False):
        assert before.valid_to <= after.valid_from  # never counted twice on one day
    if state.periods and state.periods[-1].valid_to == OPEN_END:
        assert person.status in (MemberStatus.PROBATIONARY, MemberStatus.FULL)
        assert person.transfer_to_id is None
        assert state.periods[-1].organization_id == person.organization_id

    events = list(person.events.order_by("effective_date", "id"))
    if person.status == MemberStatus.FULL:
        params = load_parameters(person.ceremony_date)
        assert person.full_member_date == rules.probation_end(person.ceremony_date, params)
    if person.status == MemberStatus.DECEASED:
        assert events[-1].kind == E.DEATH
    if person.status in LEFT:
        assert person.left_on is not None
        assert person.left_on == events[-1].effective_date or person.status != MemberStatus.DECEASED
    else:
        assert person.left_on is None
    if person.status == MemberStatus.NONE:
        assert events == []
    if person.exempt:
        assert person.status == MemberStatus.FULL
    in_the_party = person.status in (MemberStatus.PROBATIONARY, MemberStatus.FULL)
    if person.transfer_to_id is not None or person.temporary_at_id is not None:
        assert in_the_party
        assert person.transfer_to_id is None or person.temporary_at_id is None
    assert (person.party_age_from is None) == (person.status == MemberStatus.NONE)
    if person.party_age_from is not None:
        first = next(e for e in events if e.kind == E.ADMISSION)
        assert person.party_age_from >= dt.date.fromisoformat(first.details["decision_date"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=steps)
@example(
    steps=[
        (0, (E.DISCIPLINE, dt.date(2019, 6, 1), 3, "reprimand")),  # refused: not a member yet
        (0, (E.ADMISSION, dt.date(2018, 5, 10), 5, None)),
        (1, (E.ADMISSION, dt.date(2020, 1, 15), 2, None)),
        (0, (E.DEATH, dt.date(2023, 2, 1), 1, None)),
        (0, (E.RECOGNITION, dt.date(2019, 6, 1), 0, None)),
        (0, (E.DISCIPLINE, dt.date(2020, 6, 1), 3, "warning")),
        (1, (E.STRUCK_OFF, dt.date(2020, 8, 1), 4, None)),
        (1, (E.READMISSION, dt.date(2024, 1, 10), 5, "other")),
        (0, (E.TRANSFER_OUT, dt.date(2021, 3, 1), None, None)),
        (0, (E.TEMPORARY_TRANSFER_OUT, dt.date(2021, 4, 1), None, 6)),  # refused: on the way
        (0, (E.TRANSFER_IN, dt.date(2021, 3, 20), None, None)),
        (1, (E.TEMPORARY_TRANSFER_OUT, dt.date(2024, 3, 1), None, 6)),
        (1, (E.TEMPORARY_RETURN, dt.date(2024, 8, 1), None, None)),
    ]
)
def test_each_call_is_all_or_nothing_and_the_cache_equals_the_replay(tree, system, steps):
    people = [
        add_person(system, tree["office"], "Nguyễn Văn Hùng", birth_year=1975),
        add_person(system, tree["justice"], "Trần Thị Mai", birth_year=1990, sex="female"),
    ]
    registered = [person.organization_id for person in people]
    cells = [tree["office"], tree["justice"]]
    for index, (kind, day, lead_days, extra) in steps:
        person, bystander = people[index], people[1 - index]
        before, others_before = columns(person), columns(bystander)
        counts = rows()
        try:
            call(system, person, kind, day, lead_days, extra, cells)
        except DomainError:
            assert rows() == counts
            assert columns(person) == before
        else:
            assert rows() == (counts[0] + 1, counts[1] + 1)
        assert columns(bystander) == others_before
    for person, registered_in in zip(people, registered, strict=True):
        check_projection_and_invariants(person, registered_in)


def test_the_explicit_example_is_accepted_where_the_rules_allow(tree, system):
    """The @example above, spelled out: what the property relies on actually happens."""
    hung = add_person(system, tree["office"], "Nguyễn Văn Hùng", birth_year=1975)
    cells = [tree["office"], tree["justice"]]
    call(system, hung, E.ADMISSION, dt.date(2018, 5, 10), 5, None, cells)
    call(system, hung, E.DEATH, dt.date(2023, 2, 1), 1, None, cells)
    call(system, hung, E.RECOGNITION, dt.date(2019, 6, 1), 0, None, cells)
    call(system, hung, E.TRANSFER_OUT, dt.date(2021, 3, 1), None, None, cells)
    call(system, hung, E.TRANSFER_IN, dt.date(2021, 3, 11), None, None, cells)
    hung.refresh_from_db()
    assert (hung.status, hung.full_member_date, hung.left_on, hung.organization) == (
        MemberStatus.DECEASED,
        dt.date(2019, 5, 10),
        dt.date(2023, 2, 1),
        tree["justice"],
    )
    # ten days between two cells do not count
    assert hung.party_age_from == dt.date(2018, 5, 5) + dt.timedelta(days=10)
    check_projection_and_invariants(hung, tree["office"].pk)
