"""The demonstration candidates (quần chúng ưu tú): the admission pipeline of the cells that
exist at the demo's horizon (`members.HORIZON`, 30/06/2026).

About one or two candidates a cell, more in the big ones, registered from 01/07/2025 on, at
every step of the pipeline (Điều lệ Đảng 2011, Điều 4; Quy định 294-QĐ/TW; Hướng dẫn
06-HD/TW 2025): registered only; with the certificate of the awareness course; with two
sponsors, full members of the cell for at least 12 months who have worked with the candidate
for at least 12 months; the background check done; the application written; the cell's vote
held (two thirds of its full members; a few votes fall short); a few withdrawn. None is admitted:
an admission would change the members' figures.

The plan is drawn in memory from the members already written (a seeded generator, the name
tables of `members`): sponsors are chosen among the cell's full members at the horizon, the
vote counts the cell's full members on its day. Every plan is checked with the rules the
pipeline's services apply at each step (members.rules: check_sponsor, check_vote,
check_admission_age, candidate_missing), then the rows those services would write are
bulk-inserted, as `members` does for the member files: through the services the load would
take several seconds. tests/test_demo_candidates.py replays every plan through the services
and finds the same rows.

Deterministic: the same plan on every run; only ids and recording times differ.
"""

import dataclasses
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q

from dangvu.access.audit import audit_record
from dangvu.core.errors import DomainError
from dangvu.core.names import sort_key, split_name
from dangvu.members import rules
from dangvu.members.events import MemberEventKind as E
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
from dangvu.members.parameters import Parameters
from dangvu.members.services import search_text
from dangvu.organizations.models import Organization, OrganizationType

from . import members as demo_members

D = dt.date
SEED = 2025
HORIZON = demo_members.HORIZON
START = D(2025, 7, 1)  # the first registrations
PER_MEMBER = 1 / 18  # candidates a cell has per member, on average (plus BASE)
BASE = 0.2
STALL = 0.17  # the chance a candidate's dossier waits at a step, step by step
WITHDRAWN = 0.07
FAILED_CHECK = 0.03
FAILED_VOTE = 0.03
DECISION_DAYS = 75  # about the 60 working days the committee has to decide after the vote
ONE_WEEK = dt.timedelta(days=7)

STAGES = (
    ("registered", "mới đưa vào danh sách"),
    ("certificate", "đã có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng"),
    ("sponsors", "đã có người giới thiệu"),
    ("background_check", "đã thẩm tra lý lịch"),
    ("application", "đã làm đơn xin vào Đảng"),
    ("vote", "chi bộ đã biểu quyết đề nghị kết nạp"),
    ("withdrawn", "dừng xem xét"),
)
WITHDRAWAL_REASONS = (
    "Chuyển công tác sang đơn vị ngoài tỉnh",
    "Xin dừng để đi học tập dài hạn",
    "Hoàn cảnh gia đình khó khăn, xin dừng xem xét",
    "Chi bộ xét thấy chưa đủ tiêu chuẩn, tiếp tục bồi dưỡng, thử thách",
    "Nghỉ việc tại cơ quan",
)
CHECK_FAILED_NOTE = "Kê khai lý lịch chưa đầy đủ, chưa trung thực về quá trình công tác."
CHECK_FAILED_REASON = "Thẩm tra lý lịch không đạt yêu cầu"
THEORY = (("", 92), ("elementary", 8))  # few candidates hold a political theory level


@dataclass
class Plan:
    """One candidate of the plan: the file's fields and the dates of the steps reached."""

    cell: int
    sex: str
    birth: rules.PartialDate
    fields: dict[str, Any]
    registered_on: dt.date
    certificate: tuple[dt.date, str] | None = None  # (issued on, issuing body)
    certificate_number: str = ""
    # (member, worked with the candidate since, sponsored on)
    sponsors: list[tuple[int, dt.date, dt.date]] = field(default_factory=list)
    background_check: tuple[dt.date, str, str] | None = None  # (day, result, note)
    application: dt.date | None = None
    vote: tuple[dt.date, int, int] | None = None  # (day, in favour, full members)
    withdrawn: tuple[dt.date, str] | None = None  # (day, reason)

    @property
    def last_day(self) -> dt.date:
        days = [self.registered_on]
        days += [self.certificate[0]] if self.certificate else []
        days += [on for _, _, on in self.sponsors]
        days += [self.background_check[0]] if self.background_check else []
        days += [self.application] if self.application else []
        days += [self.vote[0]] if self.vote else []
        return max(days)


@dataclass(frozen=True)
class Sponsorable:
    """A full member of a cell at the horizon, as the choice of sponsors needs them."""

    person_id: int
    cell: int
    full_member_date: dt.date
    in_cell_since: dt.date  # the last admission into, or transfer into, the cell


@dataclass
class Written:
    candidates: int  # each with their personal file
    cells: int
    sponsors: int


# the plan -----------------------------------------------------------------------------------------
def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _weekday(day: dt.date) -> dt.date:
    """The Friday before a Saturday or the Monday after a Sunday: steps happen on working days."""
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


class Planner:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.tree = demo_members.Tree()
        self.cells = sorted(
            (o for o, _, end in self.tree.spans_on(HORIZON) if end > HORIZON),
            key=lambda o: self.tree.code_of[o],
        )
        self.sizes = dict(
            MembershipPeriod.objects.filter(
                organization_id__in=self.cells, valid_from__lte=HORIZON, valid_to__gt=HORIZON
            )
            .values("organization_id")
            .annotate(n=Count("id"))
            .values_list("organization_id", "n")
        )
        self.sponsorable = self._sponsorable()
        self.sponsors_by_id = {m.person_id: m for ms in self.sponsorable.values() for m in ms}
        self.citizen_ids = set(
            Person.objects.exclude(citizen_id=None).values_list("citizen_id", flat=True)
        )
        self.courses = self._courses()
        self.parameters = demo_members.cached_parameters()

    def _sponsorable(self) -> dict[int, list[Sponsorable]]:
        """The full members of each cell at the horizon, not exempt, with the day they came
        into it: one query for the members, one aggregate for the days."""
        current = MembershipPeriod.objects.filter(
            organization_id__in=self.cells,
            valid_from__lte=HORIZON,
            valid_to__gt=HORIZON,
            status=MemberStatus.FULL,
            exempt=False,
        )
        rows = current.values_list("person_id", "organization_id", "person__full_member_date")
        entries = (
            MemberEvent.objects.filter(
                kind__in=(E.ADMISSION, E.READMISSION, E.TRANSFER_IN),
                organization_id__in=self.cells,
                effective_date__lte=HORIZON,
                person_id__in=current.values("person_id"),
            )
            .values("person_id", "organization_id")
            .annotate(day=Max("effective_date"))
            .values_list("person_id", "organization_id", "day")
        )
        since = {(person, cell): day for person, cell, day in entries}
        found: dict[int, list[Sponsorable]] = defaultdict(list)
        for person, cell, full_on in sorted(rows):
            found[cell].append(Sponsorable(person, cell, full_on, since[(person, cell)]))
        return found

    def _courses(self) -> dict[str, list[dt.date]]:
        """The last days of the awareness courses of each upper committee since mid-2025:
        a Friday every five to eight weeks."""
        rng, courses = self.rng, {}
        for issuer in sorted({self.issuer(cell) for cell in self.cells}):
            day, days = START + dt.timedelta(days=rng.randint(10, 30)), []
            while day <= HORIZON + dt.timedelta(days=60):
                days.append(day + dt.timedelta(days=(4 - day.weekday()) % 7))
                day += dt.timedelta(days=rng.randint(35, 56))
            courses[issuer] = days
        return courses

    def issuer(self, cell: int) -> str:
        """Who issues the certificate: the board of the upper committee (Ban Tuyên giáo và
        Dân vận) that organises the course."""
        upper = self.tree.ancestor(cell, HORIZON, (OrganizationType.UPPER_COMMITTEE,))
        assert upper is not None
        return f"Ban Tuyên giáo và Dân vận {upper.name.replace('Đảng bộ', 'Đảng ủy', 1)}"

    def plan(self) -> list[Plan]:
        plans = []
        for cell in self.cells:
            mean = BASE + self.sizes.get(cell, 0) * PER_MEMBER
            for _ in range(_poisson(self.rng, mean)):
                plans.append(self.candidate(cell))
        self._number_certificates(plans)
        return plans

    def person(self, cell: int, registered_on: dt.date) -> tuple[str, rules.PartialDate, dict]:
        rng = random.Random(self.rng.getrandbits(64))
        # ages from 21 to 48 on registration, most in their late twenties
        sex, birth, fields = demo_members.person_fields(
            rng, registered_on - dt.timedelta(days=730), old=False
        )
        unit = self.tree.unit(cell, HORIZON)
        kind = demo_members.unit_kind(unit)
        fields["qualification"] = rng.choice(demo_members.QUALIFICATIONS[kind])
        fields["work_unit"] = unit
        fields["occupation"] = {"enterprise": "Người lao động", "agency": "Công chức"}.get(
            kind, "Viên chức"
        )
        fields["political_theory"] = demo_members._weighted(rng, THEORY)
        if fields["job_position"] in ("Trưởng phòng", "Phó Giám đốc", "Giám đốc"):
            fields["job_position"] = "Chuyên viên"
        fields["citizen_id"] = demo_members.draw_citizen_id(
            rng,
            province=fields.pop("birth_province"),
            birth=birth,
            sex=sex,
            taken=self.citizen_ids,
        )
        return sex, birth, fields

    def candidate(self, cell: int) -> Plan:
        rng = self.rng
        registered = _weekday(demo_members._between(rng, START, HORIZON))
        sex, birth, fields = self.person(cell, registered)
        plan = Plan(cell, sex, birth, fields, registered)
        # the candidate has worked in the unit for a year or more
        born = birth.latest()
        adult = D(born.year + 20, born.month, min(born.day, 28))
        worked_since = max(adult, registered - dt.timedelta(days=rng.randint(400, 2500)))
        self.steps(plan, worked_since)
        failed = bool(plan.background_check) and (
            plan.background_check[1] != BackgroundCheckResult.PASSED
        )
        if failed or rng.random() < WITHDRAWN:
            day = _weekday(plan.last_day + dt.timedelta(days=rng.randint(14, 120)))
            if day <= HORIZON:
                reason = CHECK_FAILED_REASON if failed else rng.choice(WITHDRAWAL_REASONS)
                plan.withdrawn = (day, reason)
        return plan

    def steps(self, plan: Plan, worked_since: dt.date) -> None:
        """The steps the candidate reaches by the horizon, each a few weeks after the one
        before, each with a chance to wait there."""
        rng = self.rng

        def reached(day: dt.date) -> bool:
            return day <= HORIZON and rng.random() >= STALL

        issuer = self.issuer(plan.cell)
        certified = next(d for d in self.courses[issuer] if d >= plan.registered_on + ONE_WEEK)
        if not reached(certified):
            return
        plan.certificate = (certified, issuer)
        sponsored = _weekday(certified + dt.timedelta(days=rng.randint(7, 45)))
        sponsors = self.sponsors(plan.cell, worked_since, sponsored)
        if len(sponsors) < 2 or not reached(sponsored):
            return
        second = _weekday(sponsored + dt.timedelta(days=rng.choice((0, 0, 0, 2, 5, 9))))
        if second > HORIZON:
            second = sponsored
        (a, a_since), (b, b_since) = rng.sample(sponsors, 2)
        plan.sponsors = [(a, a_since, sponsored), (b, b_since, second)]
        checked = _weekday(second + dt.timedelta(days=rng.randint(30, 75)))
        if not reached(checked):
            return
        if rng.random() < FAILED_CHECK:
            plan.background_check = (checked, BackgroundCheckResult.FAILED, CHECK_FAILED_NOTE)
            return
        plan.background_check = (checked, BackgroundCheckResult.PASSED, "")
        applied = _weekday(checked + dt.timedelta(days=rng.randint(5, 30)))
        if not reached(applied):
            return
        plan.application = applied
        voted = _weekday(applied + dt.timedelta(days=rng.randint(7, 30)))
        if voted < HORIZON - dt.timedelta(days=DECISION_DAYS):
            # a vote long before the horizon would have been decided by then: a later one,
            # or the dossier still waits for the cell's meeting
            if rng.random() < 0.5:
                return
            later = HORIZON - dt.timedelta(days=rng.randint(0, DECISION_DAYS))
            voted = _weekday(max(later, applied + ONE_WEEK))
        if not reached(voted):
            return
        full = self.full_members(plan.cell, voted)
        params = self.parameters(voted)
        needed = rules.votes_needed(full, params)
        if rng.random() < FAILED_VOTE and needed > 1:
            in_favour = needed - 1
        else:
            in_favour = max(needed, full - rng.choice((0, 0, 0, 0, 1, 1, 2)))
        plan.vote = (voted, in_favour, full)

    def sponsors(self, cell: int, worked_since: dt.date, on: dt.date) -> list[tuple[int, dt.date]]:
        """(member, worked with the candidate since) of the members who can sponsor on `on`:
        full members for 12 months, in the cell, with the candidate, for 12 months."""
        params = self.parameters(on)
        months = params.sponsor_min_months_together
        found = []
        for member in self.sponsorable.get(cell, ()):
            since = max(member.in_cell_since, worked_since)
            if (
                rules.full_months(member.full_member_date, on) >= months
                and rules.full_months(since, on) >= months
            ):
                found.append((member.person_id, since))
        return found

    def full_members(self, cell: int, day: dt.date) -> int:
        return MembershipPeriod.objects.filter(
            organization_id=cell, status=MemberStatus.FULL, valid_from__lte=day, valid_to__gt=day
        ).count()

    @staticmethod
    def _number_certificates(plans: list[Plan]) -> None:
        """Numbers per issuing body and year, in the order of issue."""
        issued = sorted(
            (plan.certificate[1], plan.certificate[0], index)
            for index, plan in enumerate(plans)
            if plan.certificate
        )
        seq: dict[tuple[str, int], int] = defaultdict(int)
        for body, day, index in issued:
            seq[(body, day.year)] += 1
            plans[index].certificate_number = f"{seq[(body, day.year)]:03d}-GCN/BTGDV"


# writing ------------------------------------------------------------------------------------------
def check(
    plan: Plan, sponsorable: dict[int, Sponsorable], parameters: Callable[[dt.date], Parameters]
) -> None:
    """The checks the pipeline's services make at each step, with the same rules
    (members.rules), and that the sponsors belong to the candidate's cell: raises
    DomainError when the plan breaks one (a bug of the planner). Dates are judged against
    the horizon, the demo's today."""

    def refuse(code: str, what: str) -> DomainError:
        return DomainError(code, f"Quần chúng ưu tú mẫu {plan.fields['full_name']}: {what}.")

    days = [plan.registered_on, *(on for _, _, on in plan.sponsors)]
    days += [plan.certificate[0]] if plan.certificate else []
    days += [plan.background_check[0]] if plan.background_check else []
    days += [plan.application] if plan.application else []
    days += [plan.vote[0]] if plan.vote else []
    days += [plan.withdrawn[0]] if plan.withdrawn else []
    if max(days) > HORIZON:
        raise refuse("members.CANDIDATE_DATE_IN_FUTURE", f"một bước sau {rules.fmt(HORIZON)}")
    if plan.certificate and not 0 < len(plan.certificate_number) <= 64:
        raise refuse("members.CANDIDATE_CERTIFICATE_REQUIRED", "thiếu số giấy chứng nhận")
    if len(plan.sponsors) > parameters(HORIZON).sponsors_required:
        raise refuse("members.CANDIDATE_SPONSORS_COMPLETE", "thừa người giới thiệu")
    facts = []
    for member, since, on in plan.sponsors:
        if sponsorable[member].cell != plan.cell:
            raise refuse("members.CANDIDATE_SPONSOR_OTHER_CELL", "người giới thiệu ở chi bộ khác")
        fact = rules.SponsorFacts(
            kind=SponsorKind.MEMBER,
            sponsored_on=on,
            full_member_date=sponsorable[member].full_member_date,
            worked_with_since=since,
        )
        rules.check_sponsor(fact, on, parameters(on))
        facts.append(fact)
    if plan.vote:
        day, in_favour, full = plan.vote
        if day < plan.registered_on:
            raise refuse(
                "members.CANDIDATE_DATE_BEFORE_REGISTRATION", "xét trước khi vào danh sách"
            )
        rules.check_vote(in_favour, full)
        params = parameters(day)
        rules.check_admission_age(plan.birth, day, params)
        background = plan.background_check
        lacks = rules.candidate_missing(
            on=day,
            params=params,
            certificate_date=plan.certificate[0] if plan.certificate else None,
            sponsors=facts,
            background_check_date=background[0] if background else None,
            background_check_result=background[1] if background else "",
            application_date=plan.application,
            vote_date=None,
            votes_in_favour=None,
            full_members=None,
        )
        if [lack for lack in lacks if lack not in rules.VOTE_LACKS]:
            raise refuse("members.CANDIDATE_DOSSIER_INCOMPLETE", "hồ sơ chưa đủ khi chi bộ xét")
    if plan.withdrawn and not (
        plan.registered_on <= plan.withdrawn[0] and plan.withdrawn[1].strip()
    ):
        raise refuse("members.CANDIDATE_REASON_REQUIRED", "dừng xem xét thiếu lý do hoặc ngày")


def _row(model, **values: Any) -> dict[str, Any]:
    """A row with every column: the model's defaults, then `values`."""
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields}
    return defaults | values


def rows(plans: list[Plan]) -> tuple[list[dict], list[dict], list[dict]]:
    """The rows of persons, candidates and sponsors the pipeline's services would write for
    the plans (person_create, then each step's service), ids following those stored."""
    person_id = demo_members._next_id(Person)
    candidate_id = demo_members._next_id(Candidate)
    sponsor_id = demo_members._next_id(Sponsor)
    persons, candidates, sponsors = [], [], []
    for plan in plans:
        parts = split_name(plan.fields["full_name"])
        person = Person(
            **plan.fields,
            family_name=parts.family,
            middle_name=parts.middle,
            given_name=parts.given,
            name_sort_key=sort_key(parts),
            birth_year=plan.birth.year,
            birth_month=plan.birth.month,
            birth_day=plan.birth.day,
            sex=plan.sex,
        )
        person.search_text = search_text(person)
        values = {f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields}
        persons.append(values | {"id": person_id, "organization_id": plan.cell})
        certificate, background = plan.certificate, plan.background_check
        vote, withdrawn = plan.vote, plan.withdrawn
        candidates.append(
            _row(
                Candidate,
                id=candidate_id,
                person_id=person_id,
                organization_id=plan.cell,
                status=CandidateStatus.WITHDRAWN if withdrawn else CandidateStatus.ACTIVE,
                registered_on=plan.registered_on,
                certificate_number=plan.certificate_number,
                certificate_date=certificate[0] if certificate else None,
                certificate_issuer=certificate[1] if certificate else "",
                application_date=plan.application,
                background_check_date=background[0] if background else None,
                background_check_result=background[1] if background else "",
                background_check_note=background[2] if background else "",
                vote_date=vote[0] if vote else None,
                votes_in_favour=vote[1] if vote else None,
                full_members_count=vote[2] if vote else None,
                withdrawn_on=withdrawn[0] if withdrawn else None,
                withdrawal_reason=withdrawn[1] if withdrawn else "",
            )
        )
        for member, since, on in plan.sponsors:
            sponsors.append(
                _row(
                    Sponsor,
                    id=sponsor_id,
                    candidate_id=candidate_id,
                    kind=SponsorKind.MEMBER,
                    person_id=member,
                    worked_with_since=since,
                    sponsored_on=on,
                )
            )
            sponsor_id += 1
        person_id += 1
        candidate_id += 1
    return persons, candidates, sponsors


def write(planner: Planner, plans: list[Plan]) -> Written:
    """Checks every plan with the rules, then inserts the rows in three statements (the
    services, a dozen queries a step, would take several seconds)."""
    for plan in plans:
        check(plan, planner.sponsors_by_id, planner.parameters)
    persons, candidates, sponsors = rows(plans)
    demo_members._insert(Person, persons)
    demo_members._insert(Candidate, candidates)
    demo_members._insert(Sponsor, sponsors)
    return Written(len(candidates), len({p.cell for p in plans}), len(sponsors))


def plan(seed: int = SEED) -> list[Plan]:
    """The demo candidates, from the members in the database."""
    return Planner(seed).plan()


def build(bloc: Organization) -> Written:
    """Plans, checks and writes the demo candidates, with one audit row for the whole load."""
    planner = Planner()
    written = write(planner, planner.plan())
    audit_record(
        actor=None,
        action="candidate.demo_load",
        obj=bloc,
        after=dataclasses.asdict(written) | {"until": HORIZON.isoformat(), "seed": SEED},
    )
    return written


# reading back -------------------------------------------------------------------------------------
def stage_counts() -> dict[str, int]:
    """How many candidates have reached each step (the furthest one), and how many were
    withdrawn: one aggregate."""
    active = Q(status=CandidateStatus.ACTIVE)
    voted = active & Q(vote_date__isnull=False)
    applied = active & Q(vote_date=None, application_date__isnull=False)
    checked = active & Q(vote_date=None, application_date=None, background_check_date__isnull=False)
    before = active & Q(vote_date=None, application_date=None, background_check_date=None)
    sponsored = before & Q(sponsored=True)
    certified = before & Q(sponsored=False, certificate_date__isnull=False)
    registered = before & Q(sponsored=False, certificate_date=None)
    filters = {
        "registered": registered,
        "certificate": certified,
        "sponsors": sponsored,
        "background_check": checked,
        "application": applied,
        "vote": voted,
        "withdrawn": Q(status=CandidateStatus.WITHDRAWN),
        "admitted": Q(status=CandidateStatus.ADMITTED),
    }
    return Candidate.objects.annotate(
        sponsored=Exists(Sponsor.objects.filter(candidate=OuterRef("pk")))
    ).aggregate(**{key: Count("id", filter=q) for key, q in filters.items()})
