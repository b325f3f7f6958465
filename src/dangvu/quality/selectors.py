"""Reads of data quality, each through the actor's scope: the duplicate suspects, and the
problems of each organisation's records with its score.

Every count is an SQL aggregate grouped by organisation; only the records of a duplicate block
(a handful of people sharing a folded name and birth year, ...) are compared in Python.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThan, LessThan, LessThanOrEqual

from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.members import rules as member_rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent, MemberStatus, Person, RuleParameter
from dangvu.members.parameters import (
    HOLIDAYS,
    KEY_PREFIX,
    Parameters,
    load_parameters,
    parameters_on,
)
from dangvu.members.worklists import SEARCH_SPAN, last_date
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.paths import subtree_end

from . import expressions as x
from . import rules, services
from .models import PersonKey
from .rules import PROBLEMS, DuplicateMatch, PersonFacts

COUNTED = (MemberStatus.PROBATIONARY, MemberStatus.FULL)
DUPLICATE = "quality.DUPLICATE_SUSPECT"


# --- the organisations looked at ------------------------------------------------------------


def organization_versions(
    *, scope: Scope, organization: Organization | None = None, today: dt.date
) -> QuerySet[OrganizationVersion]:
    """One version per organisation of the scope (in `organization`'s subtree): as it stands
    today, or its last one for an organisation that has ended (its members must have left)."""
    current = Q(valid_from__lte=today, valid_to__gt=today)
    ended = Q(organization__dissolved_on__lte=today, valid_to=F("organization__dissolved_on"))
    versions = OrganizationVersion.objects.filter(scope.path_filter(today)).filter(current | ended)
    if organization is not None:
        root = scope.require(organization).path
        versions = versions.filter(path__gte=root, path__lt=subtree_end(root))
    return versions


# --- duplicates -------------------------------------------------------------------------------

# The blocks of rules.blocks run in SQL on quality.PersonKey: (key columns, the rows that can
# be in the block). The citizen ID block is the unique column of Person: never two there.
BLOCKS: tuple[tuple[tuple[str, ...], Q], ...] = (
    (("name_key", "birth_year"), ~Q(name_key="")),
    (
        ("family_key", "given_key", "birth_year", "birth_month", "birth_day"),
        ~Q(given_key="") & Q(birth_month__isnull=False, birth_day__isnull=False),
    ),
    (
        ("birth_year", "birth_month", "birth_day", "hometown_key"),
        ~Q(hometown_key="") & Q(birth_month__isnull=False, birth_day__isnull=False),
    ),
)
PERSON_FIELDS = ("full_name", "birth_year", "birth_month", "birth_day", "sex", "hometown",
                 "citizen_id")  # fmt: skip


@dataclass(frozen=True)
class PersonBrief:
    id: int
    full_name: str
    birth: str
    hometown: str
    citizen_id: str | None
    organization_id: int
    organization_code: str
    organization_name: str


@dataclass(frozen=True)
class Suspect:
    """Two personal files that may be the same person."""

    match: DuplicateMatch
    first: PersonBrief
    second: PersonBrief

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.match.kind,
            "label": self.match.label,
            "score": self.match.score,
            "first": dataclasses.asdict(self.first),
            "second": dataclasses.asdict(self.second),
        }


def _birth_text(person: dict[str, Any]) -> str:
    year, month, day = person["birth_year"], person["birth_month"], person["birth_day"]
    if day:
        return f"{day:02d}/{month:02d}/{year}"
    return f"{month:02d}/{year}" if month else str(year)


def duplicate_suspects(
    *,
    scope: Scope,
    organization: Organization | None = None,
    today: dt.date | None = None,
    refresh: bool = True,
) -> list[Suspect]:
    """Pairs of files in the scope that may be the same person, exact matches first, then by
    score; with `organization`, the pairs with at least one file in its subtree.

    Candidates come from SQL: for each block, the keys that share the block's columns with
    another key (a self-join on the composite index), in the block's order; the pairs are
    scored in Python only inside a block (rules.match_block)."""
    today = today or clock.today()
    if refresh:
        services.person_keys_refresh()
    visible = organization_versions(scope=scope, today=today).values("organization_id")
    keys = PersonKey.objects.filter(person__organization_id__in=visible)
    seen: set[tuple[Any, Any]] = set()
    found: list[DuplicateMatch] = []
    for columns, possible in BLOCKS:
        base = keys.filter(possible)
        twins = base.filter(**{name: OuterRef(name) for name in columns}).exclude(pk=OuterRef("pk"))
        rows = (
            base.filter(Exists(twins))
            .order_by(*columns, "pk")
            .values_list(*columns, "pk", *(f"person__{name}" for name in PERSON_FIELDS))
        )
        block: list[PersonFacts] = []
        current: tuple[Any, ...] | None = None
        for row in rows.iterator(chunk_size=2000):
            values = row[: len(columns)]
            if values != current:
                found += rules.match_block(block, seen)
                block, current = [], values
            person = row[len(columns) + 1 :]
            block.append(PersonFacts(row[len(columns)], *person))
        found += rules.match_block(block, seen)
    people = _briefs({key for match in found for key in (match.first, match.second)})
    if organization is not None:
        inside = set(
            organization_versions(scope=scope, organization=organization, today=today).values_list(
                "organization_id", flat=True
            )
        )
        found = [
            m
            for m in found
            if people[m.first].organization_id in inside
            or people[m.second].organization_id in inside
        ]
    return [Suspect(m, people[m.first], people[m.second]) for m in rules.rank(found)]


def _briefs(ids: set[Any]) -> dict[Any, PersonBrief]:
    rows = Person.objects.filter(pk__in=ids).values(
        "pk", *PERSON_FIELDS, "organization_id", "organization__code", "organization__name"
    )
    return {
        row["pk"]: PersonBrief(
            id=row["pk"],
            full_name=row["full_name"],
            birth=_birth_text(row),
            hometown=row["hometown"],
            citizen_id=row["citizen_id"],
            organization_id=row["organization_id"],
            organization_code=row["organization__code"],
            organization_name=row["organization__name"],
        )
        for row in rows
    }


# --- problems of the records ------------------------------------------------------------------


def _stretches(name: str) -> list[tuple[dt.date | None, Any]]:
    """The values a member-rule parameter took, each from its start (first one open below)."""
    rows = list(RuleParameter.objects.filter(key=f"{KEY_PREFIX}{name}").order_by("effective_from"))
    default = getattr(Parameters(), name)
    values = [(dt.date.min, default)]
    values += [
        (row.effective_from, getattr(parameters_on(row.effective_from, rows), name)) for row in rows
    ]
    return x.segments(values)


def _recognised_early() -> Q:
    """Full from a day before the end of probation counted from the ceremony (Điều lệ Đảng,
    Điều 5): the probation as long as the rules said at the ceremony."""
    ceremony = x.date_parts("ceremony_date")
    full = x.key(x.date_parts("full_member_date"))
    return Q(ceremony_date__isnull=False, full_member_date__isnull=False) & x.by_segment(
        x.key(ceremony),
        _stretches("probation_months"),
        lambda months: Q(LessThan(full, x.key(x.add_months(ceremony, months)))),
    )


def _born_after_admission() -> Q:
    decided = x.key(x.date_parts("admission_decision_date"))
    return Q(admission_decision_date__isnull=False) & Q(
        GreaterThan(x.key(x.birth_earliest()), decided)
    )


def _admissions_under_age() -> QuerySet[MemberEvent]:
    """Admissions and readmissions voted before the person's 18th birthday (the latest birth
    date the file allows; Điều lệ Đảng, Điều 1), leaving out a birth after the vote (its own
    problem)."""
    voted = x.key(x.iso_text_parts(x.json_date("details", "vote_date", "decision_date")))
    latest, earliest = x.birth_latest("person__"), x.birth_earliest("person__")
    return MemberEvent.objects.filter(
        Q(kind__in=(E.ADMISSION, E.READMISSION))
        & Q(LessThanOrEqual(x.key(earliest), voted))
        & x.by_segment(
            voted,
            _stretches("admission_min_age_years"),
            lambda years: Q(GreaterThan(x.key(x.add_months(latest, 12 * years)), voted)),
        )
    )


def _stale(today: dt.date, years: int) -> Q:
    since = member_rules.add_months(today, -12 * years)
    recent = MemberEvent.objects.filter(person=OuterRef("pk"), effective_date__gte=since)
    return Q(status__in=COUNTED) & ~Q(Exists(recent))


def _transfer_cutoff(today: dt.date, params: Parameters) -> dt.date | None:
    """The latest day of leaving whose 30 working days to be received are over by today."""
    return last_date(
        lambda left: (
            member_rules.add_working_days(left, params.transfer_present_working_days, HOLIDAYS)
            < today
        ),
        today - SEARCH_SPAN,
        today,
    )


def problem_conditions(today: dt.date, stale_years: int) -> dict[str, Q]:
    """The condition on Person of each problem code (the duplicates excepted)."""
    cutoff = _transfer_cutoff(today, load_parameters(today))
    admitted_young = _admissions_under_age().values("person_id")
    return {
        "quality.MISSING_CITIZEN_ID": Q(status__in=COUNTED)
        & (Q(citizen_id__isnull=True) | Q(citizen_id="")),
        "quality.RECOGNISED_BEFORE_PROBATION_END": _recognised_early(),
        "quality.ADMITTED_UNDER_AGE": Q(pk__in=admitted_young),
        "quality.BORN_AFTER_ADMISSION": _born_after_admission(),
        "quality.CEREMONY_BEFORE_DECISION": Q(
            ceremony_date__lt=F("admission_decision_date"), admission_decision_date__isnull=False
        ),
        "quality.MEMBER_IN_ENDED_ORGANIZATION": Q(
            status__in=COUNTED, transfer_to__isnull=True, organization__dissolved_on__lte=today
        ),
        "quality.TRANSFER_NOT_RECEIVED": (
            Q(transfer_to__isnull=False, transfer_left_on__lte=cutoff)
            if cutoff is not None
            else Q(pk__in=[])
        ),
        "quality.STALE_RECORD": _stale(today, stale_years),
    }


@dataclass
class OrganizationQuality:
    organization_id: int
    code: str
    name: str
    ended: bool
    members: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    score: float = 100.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "ended": self.ended,
            "members": self.members,
            "score": self.score,
            "problems": [
                {"code": code, "label": PROBLEMS[code].label, "count": count}
                for code, count in self.counts.items()
            ],
        }


@dataclass
class QualityReport:
    today: dt.date
    stale_years: int
    root: str | None  # the code of the subtree's root, None for the whole scope
    organizations: list[OrganizationQuality]
    members: int
    counts: dict[str, int]
    score: float
    duplicates: list[Suspect]

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "stale_years": self.stale_years,
            "organization": self.root,
            "members": self.members,
            "score": self.score,
            "problems": [
                {
                    "code": code,
                    "label": PROBLEMS[code].label,
                    "message": PROBLEMS[code].message,
                    "weight": PROBLEMS[code].weight,
                    "count": self.counts.get(code, 0),
                }
                for code in PROBLEMS
            ],
            "organizations": [row.as_dict() for row in self.organizations],
            "duplicates": [suspect.as_dict() for suspect in self.duplicates],
        }


def quality_report(
    *,
    scope: Scope,
    organization: Organization | None = None,
    today: dt.date | None = None,
    stale_years: int = rules.STALE_YEARS,
) -> QualityReport:
    """The problems of the records of each organisation in the scope (in `organization`'s
    subtree) with its score, worst first; the same data `dangvu check` prints."""
    today = today or clock.today()
    versions = organization_versions(scope=scope, organization=organization, today=today)
    rows = {
        org_id: OrganizationQuality(
            org_id, code, name, dissolved is not None and dissolved <= today
        )
        for org_id, code, name, dissolved, _ in versions.values_list(
            "organization_id", "organization__code", "name", "organization__dissolved_on", "path"
        ).order_by("path")
    }
    people = Person.objects.filter(organization_id__in=versions.values("organization_id"))
    for org_id, count in _grouped(people.filter(status__in=COUNTED)):
        rows[org_id].members = count
    for code, condition in problem_conditions(today, stale_years).items():
        for org_id, count in _grouped(people.filter(condition)):
            rows[org_id].counts[code] = count
    duplicates = duplicate_suspects(scope=scope, organization=organization, today=today)
    suspected: dict[int, set[int]] = defaultdict(set)
    for suspect in duplicates:
        for person in (suspect.first, suspect.second):
            suspected[person.organization_id].add(person.id)
    for org_id, ids in suspected.items():
        if org_id in rows:
            rows[org_id].counts[DUPLICATE] = len(ids)
    totals: dict[str, int] = defaultdict(int)
    for row in rows.values():
        row.counts = {code: row.counts[code] for code in PROBLEMS if row.counts.get(code)}
        row.score = rules.organization_score(row.members, row.counts)
        for code, count in row.counts.items():
            totals[code] += count
    listed = [row for row in rows.values() if row.members or row.counts]
    members = sum(row.members for row in listed)
    return QualityReport(
        today=today,
        stale_years=stale_years,
        root=organization.code if organization is not None else None,
        organizations=sorted(listed, key=lambda row: row.score),
        members=members,
        counts=dict(totals),
        score=rules.organization_score(members, totals),
        duplicates=duplicates,
    )


def _grouped(people: QuerySet[Person]) -> list[tuple[int, int]]:
    return list(
        people.order_by()
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )


def problem_people(
    *,
    scope: Scope,
    code: str,
    organization: Organization | None = None,
    today: dt.date | None = None,
    stale_years: int = rules.STALE_YEARS,
) -> QuerySet[Person]:
    """The files behind one problem's count (for a page to list them)."""
    today = today or clock.today()
    versions = organization_versions(scope=scope, organization=organization, today=today)
    people = Person.objects.filter(organization_id__in=versions.values("organization_id"))
    if code == DUPLICATE:
        ids = {
            person.id
            for suspect in duplicate_suspects(scope=scope, organization=organization, today=today)
            for person in (suspect.first, suspect.second)
        }
        condition: Q = Q(pk__in=ids)
    else:
        conditions = problem_conditions(today, stale_years)
        if code not in conditions:
            raise KeyError(code)
        condition = conditions[code]
    return people.filter(condition).select_related("organization").order_by("name_sort_key", "pk")
