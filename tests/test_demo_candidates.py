"""The demo candidates and targets (`dangvu demo`): candidates at every step of the pipeline
whose facts obey the rules and land as the pipeline's services would write them, the
statistic of active candidates, admissions targets for every year, and the scenario of
2021-Q1 unchanged."""

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.db import models, transaction
from django.db.models import Count

from dangvu.access.models import AuditEntry
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput
from dangvu.demo import build
from dangvu.demo import candidates as demo_candidates
from dangvu.demo import members as demo_members
from dangvu.demo import targets as demo_targets
from dangvu.members import candidates as pipeline
from dangvu.members import rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.identity import check_citizen_id
from dangvu.members.models import (
    BackgroundCheckResult,
    Candidate,
    CandidateStatus,
    MemberEvent,
    MembershipPeriod,
    MemberStatus,
    Person,
    Sponsor,
    SponsorKind,
)
from dangvu.members.parameters import load_parameters
from dangvu.members.rules import CandidateLack as L
from dangvu.members.services import CELL_TYPES, PersonInput, person_create, search_text
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.models import OrganizationVersion
from dangvu.planning.models import Target
from dangvu.planning.services import target_set
from dangvu.reports.assembly import build_report, narrative, to_json
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period

D = dt.date
HORIZON = demo_members.HORIZON
Q1 = parse_period("2021-Q1")
GRASSROOTS = (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL)
FAMILIES = {name for name, _ in demo_members.FAMILY} | {
    name for _, _, names in demo_members.MINORITIES for name in names
}

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # one build of the whole demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One build for the module, rolled back at its end (as in test_demo_members.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        result = build(out)
        yield result, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def tree(demo):
    return demo[0].tree


def stage(candidate: Candidate) -> str:
    """The furthest step a candidate reached (or withdrawn), from the stored fields."""
    if candidate.status == CandidateStatus.WITHDRAWN:
        return "withdrawn"
    for code, reached in (
        ("vote", candidate.vote_date),
        ("application", candidate.application_date),
        ("background_check", candidate.background_check_date),
        ("sponsors", candidate.sponsors.exists()),
        ("certificate", candidate.certificate_date),
    ):
        if reached:
            return code
    return "registered"


def full_members_on(cell: int, day: dt.date) -> int:
    return MembershipPeriod.objects.filter(
        organization_id=cell, status=MemberStatus.FULL, valid_from__lte=day, valid_to__gt=day
    ).count()


# candidates --------------------------------------------------------------------------------------
@pytest.mark.usefixtures("tree")
def test_candidates_stand_at_every_step_and_none_is_admitted():
    counts = demo_candidates.stage_counts()
    assert counts["admitted"] == 0
    for code, _ in demo_candidates.STAGES:
        assert counts[code] >= 10, (code, counts)
    assert sum(counts.values()) == Candidate.objects.count()
    stages = Counter(stage(c) for c in Candidate.objects.prefetch_related("sponsors"))
    assert {code: stages[code] for code, _ in demo_candidates.STAGES} == {
        code: counts[code] for code, _ in demo_candidates.STAGES
    }
    assert not Candidate.objects.filter(admission__isnull=False).exists()
    # a vote short of two thirds and a background check that failed are there too
    params = load_parameters(HORIZON)
    voted = Candidate.objects.filter(vote_date__isnull=False)
    failed = [
        c for c in voted if not rules.vote_passes(c.votes_in_favour, c.full_members_count, params)
    ]
    assert 1 <= len(failed) < len(voted) / 4
    assert Candidate.objects.filter(background_check_result=BackgroundCheckResult.FAILED).exists()


@pytest.mark.usefixtures("tree")
def test_one_or_two_candidates_a_cell_more_in_the_big_ones():
    cells = OrganizationVersion.objects.filter(
        type__in=CELL_TYPES, valid_from__lte=HORIZON, valid_to__gt=HORIZON
    ).values_list("organization_id", flat=True)
    sizes = dict(
        MembershipPeriod.objects.filter(
            organization_id__in=cells, valid_from__lte=HORIZON, valid_to__gt=HORIZON
        )
        .values("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )
    per_cell = Counter(Candidate.objects.values_list("organization_id", flat=True))
    assert set(per_cell) <= set(cells)
    assert 1.0 <= sum(per_cell.values()) / len(cells) <= 2.0
    by_size = sorted(cells, key=lambda c: (sizes.get(c, 0), c))
    quarter = len(by_size) // 4
    small = sum(per_cell[c] for c in by_size[:quarter]) / quarter
    big = sum(per_cell[c] for c in by_size[-quarter:]) / quarter
    assert big > 1.5 * small


@pytest.mark.usefixtures("tree")
def test_candidates_are_people_outside_the_party_in_their_cell():
    candidates = list(Candidate.objects.select_related("person"))
    assert len({c.person_id for c in candidates}) == len(candidates)
    assert not MemberEvent.objects.filter(person__candidacies__isnull=False).exists()
    numbers = []
    for candidate in candidates:
        person = candidate.person
        assert person.status == MemberStatus.NONE
        assert person.organization_id == candidate.organization_id
        assert demo_candidates.START <= candidate.registered_on <= HORIZON
        parts = person.full_name.split()
        assert 3 <= len(parts) <= 4 and parts[0] in FAMILIES, person.full_name
        assert person.family_name == parts[0]
        assert person.search_text == search_text(person)
        assert person.qualification and person.general_education and person.work_unit
        assert (
            rules.age_in_months(
                rules.PartialDate(person.birth_year, person.birth_month, person.birth_day),
                candidate.registered_on,
            )
            >= 18 * 12
        )
        if person.citizen_id:
            numbers.append(person.citizen_id)
            assert (
                check_citizen_id(person.citizen_id, birth_year=person.birth_year, sex=person.sex)
                == person.citizen_id
            )
    assert len(numbers) == len(candidates)
    everyone = list(Person.objects.exclude(citizen_id=None).values_list("citizen_id", flat=True))
    assert len(set(everyone)) == len(everyone)


@pytest.mark.usefixtures("tree")
def test_every_candidates_facts_obey_the_rules():
    """Dates in the order of the dossier and before the horizon; two sponsors, full members
    of the candidate's cell for 12 months, working with them for 12 months; a vote counting
    the cell's full members that day, on a complete dossier, at 18 or older."""
    candidates = Candidate.objects.select_related("person").prefetch_related("sponsors__person")
    for candidate in candidates:
        steps = [candidate.registered_on, candidate.certificate_date]
        steps += [s.sponsored_on for s in candidate.sponsors.all()]
        steps += [candidate.background_check_date, candidate.application_date]
        steps += [candidate.vote_date, candidate.withdrawn_on]
        reached = [day for day in steps if day is not None]
        assert reached == sorted(reached) and reached[-1] <= HORIZON, candidate
        sponsors = list(candidate.sponsors.all())
        assert len(sponsors) in (0, 2), candidate
        judged = pipeline.judged_on(candidate, clock.today())
        for sponsor in sponsors:
            member = sponsor.person
            assert sponsor.kind == SponsorKind.MEMBER
            assert member.status == MemberStatus.FULL
            assert member.organization_id == candidate.organization_id
            year_before = rules.add_months(sponsor.sponsored_on, -12)
            assert member.full_member_date <= year_before
            assert rules.full_months(sponsor.worked_with_since, sponsor.sponsored_on) >= 12
            # in the cell, without a break, from a year before the recommendation on
            last_in = (
                MemberEvent.objects.filter(
                    person=member,
                    organization_id=candidate.organization_id,
                    kind__in=(E.ADMISSION, E.TRANSFER_IN),
                )
                .order_by("-effective_date")
                .first()
            )
            assert last_in.effective_date <= min(year_before, sponsor.worked_with_since)
            assert not MemberEvent.objects.filter(
                person=member, kind=E.TRANSFER_OUT, effective_date__gt=last_in.effective_date
            ).exists()
            facts = pipeline.sponsor_facts(sponsor)
            rules.check_sponsor(facts, judged, load_parameters(sponsor.sponsored_on))
        if candidate.vote_date:
            day = candidate.vote_date
            params = load_parameters(day)
            assert candidate.full_members_count == full_members_on(candidate.organization_id, day)
            rules.check_vote(candidate.votes_in_favour, candidate.full_members_count)
            person = candidate.person
            birth = rules.PartialDate(person.birth_year, person.birth_month, person.birth_day)
            rules.check_admission_age(birth, day, params)
            assert rules.certificate_valid_on(candidate.certificate_date, day, params)
            assert rules.sponsors_sufficient(
                [pipeline.sponsor_facts(s) for s in sponsors], day, params
            )
            assert candidate.background_check_result == BackgroundCheckResult.PASSED
            # not decided yet: within the committee's time after the vote
            assert HORIZON - day <= dt.timedelta(days=demo_candidates.DECISION_DAYS)
        if candidate.status == CandidateStatus.WITHDRAWN:
            assert candidate.withdrawal_reason


EXPECTED_LACKS = {
    "registered": [L.CERTIFICATE, L.SPONSORS, L.BACKGROUND_CHECK, L.APPLICATION, L.VOTE],
    "certificate": [L.SPONSORS, L.BACKGROUND_CHECK, L.APPLICATION, L.VOTE],
    "sponsors": [L.BACKGROUND_CHECK, L.APPLICATION, L.VOTE],
    "background_check": [L.APPLICATION, L.VOTE],
    "application": [L.VOTE],
}


@pytest.mark.usefixtures("tree")
def test_each_candidate_lacks_what_their_step_leaves_to_do():
    scope = Scope.system()
    today = clock.today()
    rows = pipeline.candidate_rows(pipeline.candidate_list(scope=scope), today=today)
    assert len(rows) == Candidate.objects.count()
    params = load_parameters(HORIZON)
    seen = Counter()
    judged = rows[: len(rows)]  # one page: the lacks of every candidate
    for candidate in judged:
        code = stage(candidate)
        seen[code] += 1
        if code == "withdrawn":
            assert candidate.missing == []
        elif code == "vote":
            passed = rules.vote_passes(
                candidate.votes_in_favour, candidate.full_members_count, params
            )
            assert candidate.missing == ([] if passed else [L.VOTE_FAILED]), candidate
        else:
            expected = EXPECTED_LACKS[code]
            if candidate.background_check_result == BackgroundCheckResult.FAILED:
                expected = [L.BACKGROUND_CHECK_FAILED, *expected]
            assert candidate.missing == expected, (candidate, code)
        if candidate.certificate_date:
            assert candidate.certificate_expires_on > today
    assert len(seen) == len(demo_candidates.STAGES)
    waiting = pipeline.waiting_candidates(scope=scope, params=params)
    assert waiting.count() == Candidate.objects.filter(status=CandidateStatus.ACTIVE).count() - (
        sum(1 for c in judged if stage(c) == "vote" and not c.missing)
    )


def test_candidates_are_active_today_in_the_organisations_that_took_over_the_bloc(tree):
    """candidates.active counts those neither admitted nor withdrawn. The bloc itself ended
    on 01/02/2025, so today the count is that of the two committees that took over its
    organisations (and of the province they sit in)."""
    active = Candidate.objects.filter(status=CandidateStatus.ACTIVE).count()
    assert active > 200
    for day in (HORIZON, clock.today()):
        party = engine.stocks(tree.party_agencies, day)["candidates.active"]
        government = engine.stocks(tree.government, day)["candidates.active"]
        assert party > 0 and government > 0
        assert party + government == active
        assert engine.stocks(tree.gia_lai, day)["candidates.active"] == active
        assert engine.stocks(tree.bloc, day)["candidates.active"] == 0  # no longer exists
    # registered later: none was active on a day of the bloc
    assert engine.stocks(tree.bloc, D(2025, 1, 31))["candidates.active"] == 0
    withdrawn_by = Candidate.objects.filter(withdrawn_on__lte=D(2026, 3, 31)).count()
    registered_by = Candidate.objects.filter(registered_on__lte=D(2026, 3, 31)).count()
    assert (
        engine.stocks(tree.gia_lai, D(2026, 3, 31))["candidates.active"]
        == registered_by - withdrawn_by
    )


def compared(model, *left_out: str) -> list[str]:
    """The columns to compare: all but ids, recording times and `left_out`."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in left_out and not isinstance(f, models.DateTimeField)
    ]


def test_every_plan_goes_through_the_services_and_lands_as_the_same_rows(tree, monkeypatch):
    """The plan drawn again is the one stored (deterministic); written again through the
    services of the pipeline (every rule of every step checked, on the demo's today: its
    horizon), each plan gives the same candidate, sponsors and file as the bulk insert."""
    planner = demo_candidates.Planner()
    stored = list(Candidate.objects.order_by("id").select_related("person"))
    planner.citizen_ids -= {c.person.citizen_id for c in stored}  # drawn again, not taken
    plans = planner.plan()
    assert len(plans) == len(stored)
    monkeypatch.setattr(clock, "today", lambda: HORIZON)
    scope = Scope.system()
    organizations = {c.organization_id: c.organization for c in stored}
    persons = Person.objects.in_bulk({m for p in plans for m, _, _ in p.sponsors})
    candidate_fields = compared(Candidate, "id", "person_id")
    person_fields = compared(Person, "id", "citizen_id", "search_text")
    for plan, before in zip(plans, stored, strict=True):
        assert plan.fields["citizen_id"] == before.person.citizen_id
        fields = plan.fields | {"citizen_id": None}  # the stored files hold the numbers
        data = PersonInput(
            birth_year=plan.birth.year,
            birth_month=plan.birth.month,
            birth_day=plan.birth.day,
            sex=plan.sex,
            **fields,
        )
        person = person_create(scope=scope, organization=organizations[plan.cell], data=data)
        candidate = pipeline.candidate_register(
            scope=scope, person=person, registered_on=plan.registered_on
        )
        if plan.certificate:
            candidate = pipeline.candidate_record_certificate(
                scope=scope,
                candidate=candidate,
                number=plan.certificate_number,
                issued_on=plan.certificate[0],
                issuing_body=plan.certificate[1],
            )
        for member, since, on in plan.sponsors:
            pipeline.candidate_add_sponsor(
                scope=scope,
                candidate=candidate,
                sponsored_on=on,
                sponsor=persons[member],
                worked_with_since=since,
            )
        if plan.background_check:
            day, result, note = plan.background_check
            candidate = pipeline.candidate_record_background_check(
                scope=scope, candidate=candidate, checked_on=day, result=result, note=note
            )
        if plan.application:
            candidate = pipeline.candidate_record_application(
                scope=scope, candidate=candidate, applied_on=plan.application
            )
        if plan.vote:
            day, in_favour, full = plan.vote
            candidate = pipeline.candidate_record_vote(
                scope=scope,
                candidate=candidate,
                vote_date=day,
                votes_in_favour=in_favour,
                full_members=full,
            )
        if plan.withdrawn:
            pipeline.candidate_withdraw(
                scope=scope,
                candidate=candidate,
                withdrawn_on=plan.withdrawn[0],
                reason=plan.withdrawn[1],
            )
        after = Candidate.objects.select_related("person").get(pk=candidate.pk)
        for name in candidate_fields:
            assert getattr(after, name) == getattr(before, name), (before, name)
        for name in person_fields:
            assert getattr(after.person, name) == getattr(before.person, name), (before, name)
        sponsor_rows = [
            list(
                Sponsor.objects.filter(candidate=c)
                .order_by("id")
                .values_list(
                    "kind",
                    "person_id",
                    "worked_with_since",
                    "sponsored_on",
                    "resolution_symbol",
                    "issuing_body",
                )
            )
            for c in (before, after)
        ]
        assert sponsor_rows[0] == sponsor_rows[1], before


def test_the_load_is_recorded_in_the_audit_log(tree):
    entry = AuditEntry.objects.get(action="candidate.demo_load")
    assert entry.object_id == str(tree.bloc.pk)
    assert entry.after["candidates"] == Candidate.objects.count()
    assert entry.after["sponsors"] == Sponsor.objects.count()
    assert AuditEntry.objects.filter(action="target.demo_load").count() == 1


# the scenario is unchanged -------------------------------------------------------------------
def test_the_first_quarter_of_2021_is_the_scenario_still(demo, tree):
    stocks = engine.stocks(tree.bloc, Q1.end)
    flows = engine.flows(tree.bloc, Q1)
    assert stocks["members.total"] == 5016
    assert stocks["candidates.active"] == 0
    assert (flows["admissions"], flows["recognitions"], flows["badges.30"]) == (39, 51, 3)
    assert engine.stocks(tree.bloc, Q1.day_before)["candidates.active"] == 0
    members = Person.objects.exclude(status=MemberStatus.NONE).count()
    assert members == demo[0].members.people
    assert Person.objects.count() == members + Candidate.objects.count()


# targets ----------------------------------------------------------------------------------------
def organisations_on(day: dt.date, types) -> set[int]:
    return set(
        OrganizationVersion.objects.filter(
            valid_from__lte=day, valid_to__gt=day, type__in=types
        ).values_list("organization_id", flat=True)
    )


def test_every_year_holds_targets_for_the_upper_committees_and_the_grassroots(tree):
    targets = defaultdict(set)
    for organization, year in Target.objects.filter(indicator="admissions").values_list(
        "organization_id", "year"
    ):
        targets[year].add(organization)
    assert set(targets) == set(range(2016, 2027))
    for year in range(2016, 2027):
        first = D(year, 1, 1)
        expected = organisations_on(first, (T.UPPER_COMMITTEE, *GRASSROOTS))
        assert targets[year] == expected, year
        assert (tree.bloc.pk in targets[year]) == (year <= 2025)
    assert {tree.party_agencies.pk, tree.government.pk} <= targets[2026]
    assert Target.objects.count() == sum(len(v) for v in targets.values())
    assert not Target.objects.filter(decision=None).exists()
    # the same targets when planned again
    planned = [(t.organization.pk, t.year, t.value, t.note) for t in demo_targets.plan()]
    assert planned == list(
        Target.objects.order_by("id").values_list("organization_id", "year", "value", "note")
    )


def test_targets_are_near_the_admissions_of_their_year(tree):
    """The SQL aggregate the targets start from counts what the statistics engine counts;
    the bloc's targets lie within about 15 % of the year's admissions, some above, some
    below."""
    admitted = demo_targets.admissions_by_organization()
    for year in (2016, 2021, 2024):
        flows = engine.flows(tree.bloc, parse_period(str(year)))
        assert admitted[(tree.bloc.pk, year)] == flows["admissions"], year
    health = tree.by_code["BD.SYT"]
    assert admitted[(health.pk, 2021)] == engine.flows(health, parse_period("2021"))["admissions"]
    ratios = []
    for year in range(2016, 2025):
        target = Target.objects.get(organization=tree.bloc, year=year, indicator="admissions")
        ratios.append(target.value / admitted[(tree.bloc.pk, year)])
    assert all(0.8 <= r <= 1.25 for r in ratios), ratios
    assert min(ratios) < 1 < max(ratios)
    values = Target.objects.filter(year=2021).exclude(organization=tree.bloc)
    assert all(v >= 1 for v in values.values_list("value", flat=True))


def test_setting_each_target_again_through_the_service_changes_nothing(tree):
    """The rows are what target_set writes: setting each again is accepted (scope, year,
    indicator, value checked) and changes nothing."""
    scope = Scope.system()
    before = AuditEntry.objects.count()
    for target in Target.objects.select_related("organization", "decision"):
        decision = target.decision
        again = target_set(
            scope=scope,
            organization=target.organization,
            year=target.year,
            indicator=target.indicator,
            value=target.value,
            decision=DecisionInput(
                symbol=decision.symbol,
                date=decision.date,
                issuing_body=decision.issuing_body,
                summary=decision.summary,
            ),
            note=target.note,
        )
        assert again.pk == target.pk and again.recorded_at == target.recorded_at
    assert AuditEntry.objects.count() == before


def test_the_q1_2021_report_shows_the_admissions_against_the_years_target(demo, tree):
    target = Target.objects.get(organization=tree.bloc, year=2021, indicator="admissions").value
    report = build_report(tree.bloc, Q1)
    assert report.published
    against, ratio = report.target_line("admissions")
    assert against == f"39/{target}"
    assert ratio == f"{39 * 100 / target:.2f}%".replace(".", ",")
    text = " ".join(narrative(report))
    assert "kết nạp 39 quần chúng ưu tú vào Đảng" in text
    assert f"đạt 39/{target} chỉ tiêu năm, bằng {ratio}" in text
    data = to_json(report)
    assert data["indicators"]["admissions.target"] == target
    assert data["indicators"]["admissions.target_ratio"] == ratio
    assert data["indicators"]["members.total"] == 5016
    summary = demo[1]
    assert f"quý I/2021 đạt 39/{target}, bằng {ratio}" in summary
    assert "chỉ tiêu kết nạp đảng viên các năm 2016–2026" in summary
    assert f"{Candidate.objects.count()} quần chúng ưu tú ở " in summary
    assert "ngày 31/03/2021: 5.016 đảng viên" in summary
