"""The demonstration targets (chỉ tiêu): the admissions target of each year from 2016 to 2026
for each upper committee (the bloc, then the two committees that took over its organisations)
and each grassroots organisation existing on 1 January of the year.

Each upper committee's annual resolution (nghị quyết về nhiệm vụ năm, passed in December)
sets its own target and assigns those of its grassroots organisations. The numbers are
plausible: near the admissions the demo holds for that year, in the organisation's subtree as
it stood on 1 January, some above and some below, rounded as a resolution rounds them. The
admissions are counted in one SQL aggregate. Every target is checked with the rules
`planning.services.target_set` applies, then the rows are inserted in one statement;
tests/test_demo_candidates.py sets each again through target_set and finds nothing to change.

Deterministic: a seeded generator over the organisations in the order of their codes.
"""

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import ExtractYear

from dangvu.access.audit import audit_record
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput, decision_record
from dangvu.core.errors import DomainError
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.paths import path_ids
from dangvu.planning import rules
from dangvu.planning.models import Target

from . import members as demo_members

D = dt.date
HORIZON = demo_members.HORIZON
SEED = 2016
YEARS = range(2016, 2027)
INDICATOR = "admissions"
GRASSROOTS = (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL)
SYMBOLS = {"BD.DUK": "NQ/ĐUK"}  # the others: NQ/ĐU


@dataclass(frozen=True)
class PlannedTarget:
    organization: Organization
    year: int
    value: int
    decision: DecisionInput
    note: str = ""
    upper: bool = False  # an upper committee's own target


@dataclass
class Written:
    targets: int
    upper: int  # upper committees with a target
    grassroots: int  # grassroots organisations with a target


def admissions_by_organization() -> dict[tuple[int, int], int]:
    """{(organisation, year): admissions} for every organisation above the cells admitting,
    as the tree stood on each admission day: one aggregate over the admissions by cell path
    and year, spread over the ids of each path."""
    path = OrganizationVersion.objects.filter(
        organization_id=OuterRef("organization_id"),
        valid_from__lte=OuterRef("effective_date"),
        valid_to__gt=OuterRef("effective_date"),
    ).values("path")[:1]
    rows = (
        MemberEvent.objects.filter(
            kind=E.ADMISSION, effective_date__range=(D(YEARS[0], 1, 1), D(YEARS[-1], 12, 31))
        )
        .annotate(path=Subquery(path), year=ExtractYear("effective_date"))
        .values("path", "year")
        .annotate(n=Count("id"))
        .values_list("path", "year", "n")
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for cell_path, year, n in rows:
        for organization_id in path_ids(cell_path or ""):
            counts[(organization_id, year)] += n
    return counts


def _rounded(value: float) -> int:
    """As a resolution writes a target: to the 10 from 200, to the 5 from 40, else whole."""
    step = 10 if value >= 200 else 5 if value >= 40 else 1
    return max(1, round(value / step) * step)


def _key(decision: DecisionInput) -> tuple[str, dt.date, str]:
    return decision.symbol, decision.date, decision.issuing_body


def _issuer(upper: OrganizationVersion) -> tuple[str, str]:
    """(issuing body, symbol) of an upper committee's resolutions."""
    body = upper.name.replace("Đảng bộ", "Đảng ủy", 1)
    return body, SYMBOLS.get(upper.organization.code, "NQ/ĐU")


def _expected(admitted: int, year: int) -> float:
    """The admissions of a whole year from those the demo holds: the horizon's year is
    counted up to the horizon only."""
    if year < HORIZON.year:
        return admitted
    elapsed = (HORIZON - D(year, 1, 1)).days + 1
    return admitted * (D(year + 1, 1, 1) - D(year, 1, 1)).days / elapsed


def plan(seed: int = SEED) -> list[PlannedTarget]:
    """The targets of every year, in the order of the years and the organisations' codes."""
    rng = random.Random(seed)
    admitted = admissions_by_organization()
    planned = []
    for year in YEARS:
        first = D(year, 1, 1)
        on_first = OrganizationVersion.objects.filter(
            valid_from__lte=first, valid_to__gt=first, type__in=(T.UPPER_COMMITTEE, *GRASSROOTS)
        ).select_related("organization")
        versions = sorted(on_first, key=lambda v: v.organization.code)
        grassroots = [v for v in versions if v.type in GRASSROOTS]
        for upper in (v for v in versions if v.type == T.UPPER_COMMITTEE):
            body, symbol = _issuer(upper)
            resolution = DecisionInput(
                symbol=f"{rng.randint(18, 45)}-{symbol}",
                date=D(year - 1, 12, rng.randint(14, 28)),
                issuing_body=body,
                summary=f"Về nhiệm vụ năm {year}",
            )
            under = [g for g in grassroots if g.path.startswith(upper.path)]
            # the plan of the year for the organisations it has on 1 January
            expected = sum(_expected(admitted[(g.organization_id, year)], year) for g in under)
            value = _rounded(expected * rng.uniform(0.88, 1.15))
            planned.append(PlannedTarget(upper.organization, year, value, resolution, upper=True))
            note = f"Giao theo nghị quyết của {body}"
            for version in under:
                expected = _expected(admitted[(version.organization_id, year)], year)
                value = max(1, round(expected * rng.uniform(0.75, 1.3)) + rng.choice((0, 0, 1)))
                planned.append(PlannedTarget(version.organization, year, value, resolution, note))
    return planned


def check(target: PlannedTarget) -> None:
    """The checks of planning.services.target_set, with the same rules."""
    rules.check_indicator(INDICATOR)
    rules.check_target_value(target.value)
    rules.check_target_year(target.year, today=clock.today())
    organization = target.organization
    judged = rules.target_reference_date(
        target.year,
        established_on=organization.established_on,
        dissolved_on=organization.dissolved_on,
    )
    if judged is None or len(target.note) > 500:
        raise DomainError("planning.YEAR_OUT_OF_RANGE", str(target))


def build(bloc: Organization, seed: int = SEED) -> Written:
    """Plans, checks and writes the targets: the resolutions through decision_record, the
    targets in one statement (target_set, five queries a target, would take seconds), one
    audit row for the whole load."""
    planned = plan(seed)
    for target in planned:
        check(target)
    decisions = {}
    for target in planned:
        key = _key(target.decision)
        if key not in decisions:
            decisions[key] = decision_record(target.decision)
    first, now = demo_members._next_id(Target), clock.now()
    rows = [
        {
            "id": first + index,
            "organization_id": target.organization.pk,
            "year": target.year,
            "indicator": INDICATOR,
            "value": target.value,
            "decision_id": decisions[_key(target.decision)].pk,
            "note": target.note,
            "recorded_by_id": None,
            "recorded_at": now,
        }
        for index, target in enumerate(planned)
    ]
    demo_members._insert(Target, rows)
    upper = {t.organization.pk for t in planned if t.upper}
    grassroots = {t.organization.pk for t in planned if not t.upper}
    written = Written(len(rows), len(upper), len(grassroots))
    audit_record(
        actor=None,
        action="target.demo_load",
        obj=bloc,
        after=dataclasses.asdict(written) | {"years": [YEARS[0], YEARS[-1]], "seed": seed},
    )
    return written
