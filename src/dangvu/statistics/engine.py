"""The statistics engine: every indicator of the catalogue for an organisation's subtree, by SQL
aggregates over indexed columns (a few queries per report, none per member or organisation).

Members are counted from their membership periods (members.MembershipPeriod: where each member
was counted, day by day), organisations from their dated versions; the subtree is the path
range of the root's version on the day concerned, so a report for a past period reads the same
after later restructuring. The root may itself have moved during a period: each flow is counted
piece by piece over the root's versions.
"""

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Substr,
)

from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import (
    Candidate,
    MemberEvent,
    MembershipPeriod,
    MemberStatus,
    Person,
    RuleParameter,
)
from dangvu.members.parameters import KEY_PREFIX, ParameterRow, Parameters, parameters_on
from dangvu.members.reference import KINH
from dangvu.organizations.models import (
    CommitteeConsolidation,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Sector,
)
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.paths import SEGMENT, depth, subtree_end

from . import compiled
from .catalogue import AGE_BANDS, INDICATORS, STOCK
from .periods import Period

ONE_DAY = dt.timedelta(days=1)

# period starts and ends that are movements in and out of the subtree; the others (recognition,
# exemption and its end) end one period and start the next in the same cell on the same day
STARTS = {"admissions": (E.ADMISSION,), "readmissions": (E.READMISSION,),
          "transfers.in": (E.TRANSFER_IN,)}  # fmt: skip
ENDS = {
    "transfers.out": (E.TRANSFER_OUT,),
    "deaths": (E.DEATH,),
    "struck_off": (E.STRUCK_OFF, E.RECOGNITION_REFUSED),
    "expelled": (E.EXPULSION,),
    "withdrawn": (E.WITHDRAWAL,),
}
INFLOWS = ("admissions", "readmissions", "transfers.in", "moved_in_with_org")
OUTFLOWS = ("transfers.out", "moved_out_with_org", "deaths", "struck_off", "expelled",
            "withdrawn")  # fmt: skip


@dataclass(frozen=True)
class Segment:
    """A stretch [first, last] of days in which the root had one path."""

    first: dt.date
    last: dt.date
    path: str

    @property
    def end(self) -> str:
        return subtree_end(self.path)


def _small(path: str) -> bool:
    """A subtree below the top of the tree: a small part of the tables (compiled.cursor)."""
    return depth(path) > 1


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _root_versions(root: Organization, first: dt.date, last: dt.date) -> list[tuple]:
    """(valid_from, valid_to, path) of the root's versions over the days [first, last]."""

    def build(root_id: int, first: dt.date, last: dt.date):
        versions = OrganizationVersion.objects.filter(
            organization_id=root_id, valid_from__lte=last, valid_to__gt=first
        )
        return list(versions.order_by("valid_from").values_list("valid_from", "valid_to", "path"))

    rows = compiled.run(
        ("root_versions",), build, small=True, root_id=root.pk, first=first, last=last
    )
    return [(_day(start), _day(end), path) for start, end, path in rows]


def _clip(versions: list[tuple], first: dt.date, last: dt.date) -> list[Segment]:
    return [
        Segment(max(first, start), min(last, end - ONE_DAY), path)
        for start, end, path in versions
        if start <= last and end > first
    ]


def root_segments(root: Organization, first: dt.date, last: dt.date) -> list[Segment]:
    return _clip(_root_versions(root, first, last), first, last)


def _in_subtree(path: str, day_field: str, *, day_before: bool = False) -> Exists:
    """The row's organisation lay in the subtree of `path` on the row's day (or the day before
    it, for the end of a period: the member was last counted then)."""
    versions = OrganizationVersion.objects.filter(
        organization_id=OuterRef("organization_id"), path__gte=path, path__lt=subtree_end(path)
    )
    if day_before:
        versions = versions.filter(
            valid_from__lt=OuterRef(day_field), valid_to__gte=OuterRef(day_field)
        )
    else:
        versions = versions.filter(
            valid_from__lte=OuterRef(day_field), valid_to__gt=OuterRef(day_field)
        )
    return Exists(versions)


def _during(segment: "Segment", *, day_before: bool = False) -> Q:
    """The row's organisation had a version in the subtree at some time in the segment: implied
    by _in_subtree for a row of one of the segment's days (or, at an end, of the day before it,
    which the segment holds), and uncorrelated, so PostgreSQL can drive the query from the
    subtree's versions (an index on the row's organisation) instead of scanning every row of
    the segment's days in the country: the cost follows the subtree. `day_before`: for rows
    judged on the day before their own, which for the segment's first day lies before it."""
    versions = OrganizationVersion.objects.filter(
        path__gte=segment.path, path__lt=segment.end, valid_from__lte=segment.last
    )
    if day_before:
        versions = versions.filter(valid_to__gte=segment.first)
    else:
        versions = versions.filter(valid_to__gt=segment.first)
    return Q(organization_id__in=versions.values("organization_id"))


# --- stocks ------------------------------------------------------------------------------------


def organizations_on(path: str, at: dt.date) -> QuerySet[OrganizationVersion]:
    return OrganizationVersion.objects.filter(
        valid_from__lte=at, valid_to__gt=at, path__gte=path, path__lt=subtree_end(path)
    )


def _age(day_field: str):
    """Full years of age of the period's member on the day of a date column, taking the latest
    birth date the file allows when the day or the month is missing."""
    # as integers: PostgreSQL extracts numerics, whose arithmetic is slow
    year = Cast(ExtractYear(day_field), IntegerField())
    month_day = Cast(ExtractMonth(day_field), IntegerField()) * 100 + Cast(
        ExtractDay(day_field), IntegerField()
    )
    born = Coalesce("person__birth_month", 12) * 100 + Coalesce("person__birth_day", 31)
    return (
        year
        - Cast("person__birth_year", IntegerField())
        - Case(When(Q(born_md__gt=month_day), then=Value(1)), default=Value(0))
    ), born


# Age bands on a day without working out each member's age: a member is at least A years old
# on day D when born on or before the same day A years earlier, which compares the birth date
# (the latest the file allows) as a number yyyymmdd with (D.year - A) * 10000 + D's mmdd.
AGE_LIMITS = tuple(low for _, low, _ in AGE_BANDS if low is not None)  # 31, 41, ... 71


def _born_by(at: dt.date) -> dict[str, Any]:
    """The annotations the age bands on `at` compare: the birth number and each limit's."""
    birth = (
        F("person__birth_year") * 10000
        + Coalesce("person__birth_month", 12) * 100
        + Coalesce("person__birth_day", 31)
    )
    limits = {
        f"born_by_{age}": (Value(at.year) - age) * 10000 + Value(at.month * 100 + at.day)
        for age in AGE_LIMITS
    }
    return {"birth": birth, **limits}


def _at_least(age: int | None) -> Q:
    return Q(birth__lte=F(f"born_by_{age}")) if age is not None else Q()


def _band(low: int | None, high: int | None) -> Q:
    older = high + 1 if high is not None else None
    return _at_least(low) & (~_at_least(older) if older is not None else Q())


def _age_band() -> Case:
    """The band's name, for the rows annotated with _born_by (a GROUP BY)."""
    whens = [When(_band(low, high), then=Value(band)) for band, low, high in AGE_BANDS]
    return Case(*whens, output_field=CharField())


# Each figure is a filter over one family of rows: the counts aggregate with it and the
# drill-down lists the rows it selects, so a figure and its list always agree.
MEMBER_STOCKS: dict[str, Q] = {
    "members.total": Q(),
    "members.full": Q(status=MemberStatus.FULL),
    "members.probationary": Q(status=MemberStatus.PROBATIONARY),
    "members.female": Q(person__sex="female"),
    "members.ethnic_minority": ~Q(person__ethnicity=KINH),
    "members.religious": ~Q(person__religion=""),
    "members.exempt": Q(exempt=True),
    **{f"members.age.{band}": _band(low, high) for band, low, high in AGE_BANDS},
}


def alive_periods(path: str, at: dt.date) -> QuerySet[MembershipPeriod]:
    """The membership periods counted in the subtree of `path` at the end of `at`, with what
    the age bands of that day compare."""
    return MembershipPeriod.objects.filter(
        valid_from__lte=at,
        valid_to__gt=at,
        organization_id__in=organizations_on(path, at).values("organization_id"),
    ).annotate(**_born_by(at))


def _aggregate(queryset: QuerySet, filters: dict[str, Q]) -> dict[str, int]:
    return queryset.aggregate(**{code: Count("id", filter=q) for code, q in filters.items()})


def _zeros(counts: dict[str, int | None]) -> dict[str, int]:
    return {key: value or 0 for key, value in counts.items()}


def _one(part: compiled.Part, path: str) -> dict[str, int]:
    return _zeros(compiled.run_all([part], small=_small(path))[0])


def _member_stocks(path: str, at: dt.date) -> compiled.Part:
    def build(path: str, at: dt.date):
        return _aggregate(alive_periods(path, at), MEMBER_STOCKS)

    return compiled.Part(("member_stocks",), build, {"path": path, "at": at})


def member_stocks(path: str, at: dt.date) -> dict[str, int]:
    """Members counted in the subtree at the end of `at`, with their breakdowns: one query."""
    return _one(_member_stocks(path, at), path)


GRASSROOTS = (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL)
ORGANIZATION_STOCKS: dict[str, Q] = {
    "orgs.grassroots": Q(type__in=GRASSROOTS),
    "orgs.grassroots_committee": Q(type=T.GRASSROOTS_COMMITTEE),
    "orgs.grassroots_cell": Q(type=T.GRASSROOTS_CELL),
    "orgs.sub_committee": Q(type=T.SUB_COMMITTEE),
    "orgs.subordinate_cell": Q(type=T.SUBORDINATE_CELL),
    "orgs.grassroots.private_enterprise": Q(type__in=GRASSROOTS, sector=Sector.PRIVATE_ENTERPRISE),
}


def _organization_stocks(path: str, at: dt.date) -> compiled.Part:
    def build(path: str, at: dt.date):
        return _aggregate(organizations_on(path, at), ORGANIZATION_STOCKS)

    return compiled.Part(("organization_stocks",), build, {"path": path, "at": at})


def organization_stocks(path: str, at: dt.date) -> dict[str, int]:
    return _one(_organization_stocks(path, at), path)


def active_candidates(path: str, at: dt.date) -> QuerySet[Candidate]:
    return Candidate.objects.filter(
        registered_on__lte=at,
        organization_id__in=organizations_on(path, at).values("organization_id"),
    ).exclude(Q(admission__effective_date__lte=at) | Q(withdrawn_on__lte=at))


def _candidate_stocks(path: str, at: dt.date) -> compiled.Part:
    def build(path: str, at: dt.date):
        return _aggregate(active_candidates(path, at), {"candidates.active": Q()})

    return compiled.Part(("candidate_stocks",), build, {"path": path, "at": at})


def candidate_stocks(path: str, at: dt.date) -> dict[str, int]:
    return _one(_candidate_stocks(path, at), path)


def stocks(root: Organization, at: dt.date) -> dict[str, int]:
    """Every stock of the catalogue for the root's subtree at the end of `at` (empty figures
    when the root did not exist that day)."""
    segments = root_segments(root, at, at)
    if not segments:
        return _no_stocks()
    path = segments[0].path
    figures: dict[str, int] = {}
    for result in compiled.run_all(_stock_parts(path, at), small=_small(path)):  # one statement
        figures |= _zeros(result)
    return figures


def _stock_parts(path: str, at: dt.date) -> list[compiled.Part]:
    return [_member_stocks(path, at), _organization_stocks(path, at), _candidate_stocks(path, at)]


def _no_stocks() -> dict[str, int]:
    return dict.fromkeys((i.code for i in INDICATORS if i.kind == STOCK), 0)


# --- flows -------------------------------------------------------------------------------------


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + (value or 0)


_ADMITTED = Q(start_reason=E.ADMISSION)
START_FLOWS: dict[str, Q] = {
    **{code: Q(start_reason__in=kinds) for code, kinds in STARTS.items()},
    "admissions.female": _ADMITTED & Q(person__sex="female"),
    "admissions.youth": _ADMITTED & Q(age__lte=30),
    "admissions.ethnic_minority": _ADMITTED & ~Q(person__ethnicity=KINH),
    "admissions.private_enterprise": _ADMITTED & Q(private=True),
    "recognitions": Q(start_reason=E.RECOGNITION),
    "starts.all": Q(),
}
END_FLOWS: dict[str, Q] = {
    **{code: Q(end_reason__in=kinds) for code, kinds in ENDS.items()},
    "ends.all": Q(),
}


def started_periods(segment: Segment) -> QuerySet[MembershipPeriod]:
    """Periods that began in the segment in the subtree, with the member's age that day and
    whether the cell, or the grassroots committee above it, sits in a private enterprise."""
    age, born = _age("valid_from")
    on_the_day = {"valid_from__lte": OuterRef("valid_from"), "valid_to__gt": OuterRef("valid_from")}
    cell = OrganizationVersion.objects.filter(
        organization_id=OuterRef("organization_id"), **on_the_day
    )
    parent_private = OrganizationVersion.objects.filter(
        organization_id=OuterRef("parent_id"),
        sector=Sector.PRIVATE_ENTERPRISE,
        valid_from__lte=OuterRef(OuterRef("valid_from")),
        valid_to__gt=OuterRef(OuterRef("valid_from")),
    )
    # looked up for admissions only: the other period starts never need it
    private = Case(
        When(
            _ADMITTED,
            then=Exists(
                cell.filter(Q(sector=Sector.PRIVATE_ENTERPRISE) | Q(Exists(parent_private)))
            ),
        ),
        default=Value(False),
    )
    return _started(segment).annotate(born_md=born).annotate(age=age).annotate(private=private)


def _started(segment: Segment) -> QuerySet[MembershipPeriod]:
    """started_periods without what only the breakdowns of admissions read (the member's age,
    the private sector), which cost a join to every period's person."""
    return MembershipPeriod.objects.filter(
        valid_from__gte=segment.first, valid_from__lte=segment.last
    ).filter(_during(segment), _in_subtree(segment.path, "valid_from"))


def ended_periods(segment: Segment) -> QuerySet[MembershipPeriod]:
    """Periods that ended in the segment in the subtree: an end on day T is the member's last
    counted day T-1, which the segment holds."""
    return MembershipPeriod.objects.filter(
        valid_to__gt=segment.first, valid_to__lte=segment.last + ONE_DAY
    ).filter(_during(segment), _in_subtree(segment.path, "valid_to", day_before=True))


def end_segments(root: Organization, period: Period) -> list[Segment]:
    """The segments the ends of the period are judged in: an end on day T belongs to the period
    holding T (the member is in the stock of T-1, not in that of T) and is judged where the
    member was last counted, on T-1: so over the days from the day before the period to the
    day before its last."""
    return root_segments(root, period.day_before, period.end - ONE_DAY)


def _segment_part(key: str, segment: Segment, build) -> compiled.Part:
    """An aggregate over a segment, `build(segment)`, compiled with the segment's values."""

    def compile_(first: dt.date, last: dt.date, path: str):
        return build(Segment(first, last, path))

    values = {"first": segment.first, "last": segment.last, "path": segment.path}
    return compiled.Part((key,), compile_, values)


def started_flows(segment: Segment) -> compiled.Part:
    """The period starts of the segment: admissions, transfers in, changes of status."""
    return _segment_part("started", segment, lambda s: _aggregate(started_periods(s), START_FLOWS))


def ended_flows(segment: Segment) -> compiled.Part:
    """The period ends judged in the segment, one of end_segments."""
    return _segment_part("ended", segment, lambda s: _aggregate(ended_periods(s), END_FLOWS))


def member_events(segment: Segment) -> QuerySet[MemberEvent]:
    """Member events of the segment whose cell lay in the subtree on the event's day."""
    return MemberEvent.objects.filter(
        effective_date__gte=segment.first, effective_date__lte=segment.last
    ).filter(_during(segment), _in_subtree(segment.path, "effective_date"))


def _with_milestone(events: QuerySet[MemberEvent]) -> QuerySet[MemberEvent]:
    return events.annotate(milestone=Cast(KeyTextTransform("milestone", "details"), IntegerField()))


def badge_events(segment: Segment, badge_kind: str) -> QuerySet[MemberEvent]:
    return _with_milestone(member_events(segment).filter(kind=badge_kind))


def event_flows(segment: Segment, badge_kind: str, milestones: tuple[int, ...]) -> compiled.Part:
    """Members disciplined and badges counted (by milestone) in the segment, over the two
    kinds of event only."""

    def build(segment: Segment):
        events = _with_milestone(member_events(segment).filter(kind__in=(E.DISCIPLINE, badge_kind)))
        return events.aggregate(
            **{
                "discipline.members": Count("person", filter=Q(kind=E.DISCIPLINE), distinct=True),
                "badges.total": Count("id", filter=Q(kind=badge_kind)),
            },
            **{
                f"badges.{m}": Count("id", filter=Q(kind=badge_kind, milestone=m))
                for m in milestones
            },
        )

    return _segment_part(f"events:{badge_kind}:{milestones}", segment, build)


def organization_events(segment: Segment, *, ending: bool = False) -> QuerySet[OrganizationEvent]:
    """Organisation events of the segment in the subtree; `ending`: those of organisations
    that end with the event (no version on that day: they were last there the day before)."""
    return OrganizationEvent.objects.filter(
        effective_date__gte=segment.first, effective_date__lte=segment.last
    ).filter(
        _during(segment, day_before=ending),
        _in_subtree(segment.path, "effective_date", day_before=ending),
    )


ORGANIZATION_FLOWS: dict[str, tuple[bool, Q]] = {  # code: (ending, filter)
    "orgs.established": (False, Q(kind=EventKind.ESTABLISH)),
    "orgs.dissolved": (True, Q(kind=EventKind.DISSOLVE, cause__isnull=True)),
    "orgs.converted": (False, Q(kind=EventKind.CONVERT)),
    "orgs.merged": (False, Q(kind=EventKind.MERGE)),
}


def consolidations(segment: Segment) -> QuerySet[CommitteeConsolidation]:
    return CommitteeConsolidation.objects.filter(
        effective_date__gte=segment.first, effective_date__lte=segment.last
    ).filter(_during(segment), _in_subtree(segment.path, "effective_date"))


def organization_flows(segment: Segment) -> list[compiled.Part]:
    parts = []
    for ending in (False, True):
        filters = {code: q for code, (e, q) in ORGANIZATION_FLOWS.items() if e == ending}
        parts.append(
            _segment_part(
                f"organization_events:{ending}",
                segment,
                lambda s, e=ending, f=filters: _aggregate(organization_events(s, ending=e), f),
            )
        )

    def consolidated(segment: Segment):
        return consolidations(segment).aggregate(
            **{"committees.consolidated": Count("organization_id", distinct=True)}
        )

    return [*parts, _segment_part("consolidations", segment, consolidated)]


# Members of an organisation whose version changes on day T (its path moves) and who are
# counted there both on T-1 and on T: moved out when the old path lay in the root's subtree
# of T-1 and the new one does not lie in the root's subtree of T; moved in, the other way.
# The root need not exist on the far side: a committee formed on T with the cells it takes
# over (they move in), or one merged away on T whose cells go elsewhere (they move out).
# Portable SQL (SQLite and PostgreSQL): no date arithmetic, substr/length on both.
_MOVED_SQL = """
SELECT {select} FROM {version} v1
JOIN {version} v2 ON v2.organization_id = v1.organization_id AND v2.valid_from = v1.valid_to
{join1} JOIN {version} r1 ON r1.organization_id = %s
  AND r1.valid_from < v1.valid_to AND r1.valid_to >= v1.valid_to
{join2} JOIN {version} r2 ON r2.organization_id = %s
  AND r2.valid_from <= v1.valid_to AND r2.valid_to > v1.valid_to
JOIN {period} p ON p.organization_id = v1.organization_id
  AND p.valid_from < v1.valid_to AND p.valid_to > v1.valid_to
WHERE v1.valid_to >= %s AND v1.valid_to <= %s
  AND v2.valid_from >= %s AND v2.valid_from <= %s
  AND {near}.path >= %s AND {near}.path < %s
  AND {inside} AND NOT {outside}
"""
_WITHIN = "({r}.path IS NOT NULL AND substr({v}.path, 1, length({r}.path)) = {r}.path)"


MOVED = {  # code: (the path limited to the subtree, (inside, its root), (outside, its root))
    "moved_out_with_org": ("v1", ("v1", "r1"), ("v2", "r2")),
    "moved_in_with_org": ("v2", ("v2", "r2"), ("v1", "r1")),
}


def _moved_sql(
    root: Organization,
    period: Period,
    segments: list[Segment],
    code: str,
    select: str,
    select_params: tuple = (),
) -> tuple[str, tuple]:
    """The moves of the days T of the period; `segments`: the root's paths from the day
    before the period to its end; `select_params`: the values of `select`'s placeholders."""
    near, inside, outside = MOVED[code]
    sql = _MOVED_SQL.format(
        select=select,
        version=connection.ops.quote_name(OrganizationVersion._meta.db_table),
        period=connection.ops.quote_name(MembershipPeriod._meta.db_table),
        # the root must be there on the near side; on the far side it may not exist yet/any more
        join1="" if inside[1] == "r1" else "LEFT",
        join2="" if inside[1] == "r2" else "LEFT",
        near=near,
        inside=_WITHIN.format(v=inside[0], r=inside[1]),
        outside=_WITHIN.format(v=outside[0], r=outside[1]),
    )
    low, high = min(s.path for s in segments), max(s.end for s in segments)
    # the days twice: on v1's end and on v2's start (equal), so either side can drive the query
    days = (period.start, period.end)
    return sql, (*select_params, root.pk, root.pk, *days, *days, low, high)


def moved_with_organizations(
    root: Organization, period: Period, segments: list[Segment]
) -> list[compiled.Raw]:
    """Members moved in and out of the subtree with their organisation (one row each)."""
    if not segments:
        return []
    parts = []
    for code in MOVED:
        sql, params = _moved_sql(root, period, segments, code, f"COUNT(*) AS {code}")
        parts.append(compiled.Raw(sql, params, (code,)))
    return parts


def moved_period_ids(root: Organization, period: Period, code: str) -> list[int]:
    """The membership periods behind a moved_* figure (its drill-down)."""
    segments = root_segments(root, period.day_before, period.end)
    if not segments:
        return []
    sql, params = _moved_sql(root, period, segments, code, "p.id")
    with compiled.cursor(small=all(_small(s.path) for s in segments)) as cursor:
        return [row[0] for row in compiled.execute(cursor, sql, params)]


def _parameters(day: dt.date) -> Parameters:
    """members.parameters.load_parameters(day), read by a compiled statement."""

    def build(day: dt.date):
        rows = RuleParameter.objects.filter(key__startswith=KEY_PREFIX, effective_from__lte=day)
        return list(rows.values_list("key", "effective_from", "value"))

    field = RuleParameter._meta.get_field("value")
    rows = compiled.run(("rule_parameters",), build, small=True, day=day)
    return parameters_on(
        day,
        [
            ParameterRow(key, _day(start), field.from_db_value(value, None, connection))
            for key, start, value in rows
        ],
    )


def flows(root: Organization, period: Period) -> dict[str, int]:
    """Every flow of the catalogue for the root's subtree over the period."""
    versions = _root_versions(root, period.day_before, period.end)
    total, parts, small = _flow_parts(root, period, versions)
    if parts:  # one statement
        for result in compiled.run_all(parts, small=small):
            _add(total, result)
    return total


def figures(root: Organization, period: Period) -> dict[str, int]:
    """stocks(root, period.end) | flows(root, period), the whole set of a periodic report, in
    one statement (and the root's versions and the rule parameters read before it)."""
    versions = _root_versions(root, period.day_before, period.end)
    total, parts, small = _flow_parts(root, period, versions)
    on_end = _clip(versions, period.end, period.end)
    stock_parts = _stock_parts(on_end[0].path, period.end) if on_end else []
    small = small and all(_small(s.path) for s in on_end)
    results = compiled.run_all(stock_parts + parts, small=small) if stock_parts or parts else []
    stock: dict[str, int] = {} if on_end else _no_stocks()
    for result in results[: len(stock_parts)]:
        stock |= _zeros(result)
    for result in results[len(stock_parts) :]:
        _add(total, result)
    return stock | total


def _flow_parts(
    root: Organization, period: Period, versions: list[tuple]
) -> tuple[dict[str, int], list[compiled.Part | compiled.Raw], bool]:
    """The flows' starting figures (zeros), their statement's parts and whether they read a
    small part of the tables, from the root's versions over the period and the day before."""
    params = _parameters(period.end)
    badge_kind = E.BADGE_PROPOSAL if params.badge_counted_by == "proposal" else E.BADGE_AWARD
    milestones = tuple(params.badge_milestones)
    total: dict[str, int] = {f"badges.{m}": 0 for m in milestones}
    segments = _clip(versions, period.start, period.end)
    parts: list[compiled.Part | compiled.Raw] = []
    for segment in segments:
        parts += [started_flows(segment), event_flows(segment, badge_kind, milestones)]
        parts += organization_flows(segment)
    _add(total, dict.fromkeys(END_FLOWS, 0) | dict.fromkeys(MOVED, 0))
    # ends: where the member was last counted (end_segments)
    ends = _clip(versions, period.day_before, period.end - ONE_DAY)
    parts += [ended_flows(segment) for segment in ends]
    parts += moved_with_organizations(root, period, _clip(versions, period.day_before, period.end))
    return total, parts, all(_small(s.path) for s in segments + ends)


# --- an overview: a few stocks of a day, the flows of the parts of a period, members over time


# MEMBER_STOCKS's figures a dashboard shows besides members.total (the count of the day); the
# female members as a semi-join on the persons, the same rows without joining every period of
# the span to its person
OVERVIEW_MEMBER_STOCKS: dict[str, Q] = {
    "members.full": MEMBER_STOCKS["members.full"],
    "members.probationary": MEMBER_STOCKS["members.probationary"],
    "members.female": Q(person_id__in=Person.objects.filter(sex="female").values("pk")),
}
BADGES = "badges.total"


@dataclass(frozen=True)
class Overview:
    stocks: dict[str, int]  # members.total, OVERVIEW_MEMBER_STOCKS, the organisations', candidates
    flows: list[dict[str, int]]  # the flows asked for, in each part of the period
    members: list[tuple[dt.date, int]]  # members.total at the end of each day asked for


def _members_on(path: str, days: list[dt.date], stocks: dict[str, Q]) -> compiled.Part:
    """members.total at the end of each of `days` (ascending; keys d0, d1, ...) and `stocks`
    at the end of the last, in the subtree of `path` on those days: one aggregate over the
    periods of the days' span joined with their organisation's versions of the span in the
    subtree. An organisation has one version a day, so a period counts at most once a day; and
    the join replaces a subquery of the subtree's organisations per day and per period."""
    names = tuple(f"d{n}" for n in range(len(days)))

    def build(path: str, **on: dt.date):
        first, last = on[names[0]], on[names[-1]]
        version = "organization__versions__"
        periods = MembershipPeriod.objects.filter(
            valid_from__lte=last,
            valid_to__gt=first,
            **{
                f"{version}path__gte": path,
                f"{version}path__lt": subtree_end(path),
                f"{version}valid_from__lte": last,
                f"{version}valid_to__gt": first,
            },
        )

        def alive(day: dt.date) -> Q:  # the period and its organisation's version that day
            return Q(
                valid_from__lte=day,
                valid_to__gt=day,
                **{f"{version}valid_from__lte": day, f"{version}valid_to__gt": day},
            )

        counts = {name: Count("id", filter=alive(on[name])) for name in names}
        counts |= {code: Count("id", filter=alive(last) & q) for code, q in stocks.items()}
        return periods.aggregate(**counts)

    values = {"path": path, **dict(zip(names, days, strict=True))}
    return compiled.Part(("members_on", len(days), tuple(stocks)), build, values)


def _by_part(field: str, cuts: int, filters: dict[str, Q], on: dict[str, dt.date]) -> dict:
    """Each filter counted in each part of a period (keys "n:code"): part n from the cut n-1
    (the values c0, c1, ... in `on`) to the day before cut n, judged on the row's `field`."""
    counts = {}
    for n in range(cuts + 1):
        part = Q()
        if n > 0:
            part &= Q(**{f"{field}__gte": on[f"c{n - 1}"]})
        if n < cuts:
            part &= Q(**{f"{field}__lt": on[f"c{n}"]})
        for code, q in filters.items():
            counts[f"{n}:{code}"] = Count("id", filter=q & part)
    return counts


def _any(filters: dict[str, Q]) -> Q:
    """The rows of any of the filters: the statement reads only those (by the index on the
    start or end reason), not every period starting or ending in the segment."""
    return reduce(operator.or_, filters.values())


def _split_part(key: str, segment: Segment, cuts: list[dt.date], build) -> compiled.Part:
    """An aggregate over a segment split at `cuts`: build(segment, on) with on = the cuts."""
    names = tuple(f"c{n}" for n in range(len(cuts)))

    def compile_(first: dt.date, last: dt.date, path: str, **on: dt.date):
        return build(Segment(first, last, path), on)

    values = {"first": segment.first, "last": segment.last, "path": segment.path}
    values |= dict(zip(names, cuts, strict=True))
    return compiled.Part((key, len(cuts)), compile_, values)


def _split_flow_parts(
    root: Organization, period: Period, cuts: list[dt.date], codes: tuple[str, ...], versions
) -> list[compiled.Part | compiled.Raw]:
    """The statement's parts counting `codes` in each part of the period (split at `cuts`)."""
    starts = {c: START_FLOWS[c] for c in codes if c in START_FLOWS}
    ends = {c: END_FLOWS[c] for c in codes if c in END_FLOWS}
    unknown = set(codes) - set(starts) - set(ends) - set(MOVED) - {BADGES}
    if unknown:
        raise ValueError(f"not counted by an overview: {sorted(unknown)}")
    n, parts = len(cuts), []

    def started(s: Segment, on: dict) -> dict:
        return _started(s).filter(_any(starts)).aggregate(**_by_part("valid_from", n, starts, on))

    def badges(s: Segment, on: dict) -> dict:
        counts = _by_part("effective_date", n, {BADGES: Q()}, on)
        return member_events(s).filter(kind=kind).aggregate(**counts)

    def ended(s: Segment, on: dict) -> dict:
        return ended_periods(s).filter(_any(ends)).aggregate(**_by_part("valid_to", n, ends, on))

    kind = _badge_kind(period.end) if BADGES in codes else ""
    for segment in _clip(versions, period.start, period.end):
        if starts:
            parts.append(_split_part(f"started:{tuple(starts)}", segment, cuts, started))
        if kind:
            parts.append(_split_part(f"badges:{kind}", segment, cuts, badges))
    # an end on day T is judged on T-1, where the member was last counted (end_segments)
    for segment in _clip(versions, period.day_before, period.end - ONE_DAY) if ends else []:
        parts.append(_split_part(f"ended:{tuple(ends)}", segment, cuts, ended))
    moved = _clip(versions, period.day_before, period.end)
    for code in (c for c in MOVED if c in codes and moved):
        # the day T of the move in each part, as the column aliases the counts' keys
        bounds = [period.start, *cuts, period.end + ONE_DAY]
        select = ", ".join(
            f"COUNT(*) FILTER (WHERE v1.valid_to >= %s AND v1.valid_to < %s) AS m{i}"
            for i in range(n + 1)
        )
        between = tuple(day for i in range(n + 1) for day in bounds[i : i + 2])
        sql, params = _moved_sql(root, period, moved, code, select, between)
        parts.append(compiled.Raw(sql, params, tuple(f"{i}:{code}" for i in range(n + 1))))
    return parts


def _badge_kind(day: dt.date) -> str:
    """The badge events the figures count, by the installation's setting on `day`."""
    by = _parameters(day).badge_counted_by
    return E.BADGE_PROPOSAL if by == "proposal" else E.BADGE_AWARD


def overview(
    root: Organization,
    at: dt.date,
    period: Period,
    cuts: list[dt.date],
    codes: tuple[str, ...],
    days: list[dt.date],
) -> Overview:
    """What a dashboard shows, in one statement: the stocks of `at` (OVERVIEW_MEMBER_STOCKS
    and the organisations and candidates), the flows `codes` (of START_FLOWS, END_FLOWS, MOVED
    and badges.total) in each part of `period` split at `cuts` (each a part's first day), and
    members.total at the end of each of `days` (before `at`), each figure as stocks() and
    flows() count it."""
    days = sorted(days)
    if days and days[-1] >= at:
        raise ValueError("the days of the members' series come before the stocks' day")
    first = min([period.day_before, *days[:1]])
    versions = _root_versions(root, first, max(at, period.end))
    paths = _days_by_path(versions, [*days, at])
    parts: list[compiled.Part | compiled.Raw] = []
    for path, on in paths.items():
        parts.append(_members_on(path, on, OVERVIEW_MEMBER_STOCKS if at in on else {}))
    stock_path = next((p for p, on in paths.items() if at in on), None)
    if stock_path is not None:
        parts += [_organization_stocks(stock_path, at), _candidate_stocks(stock_path, at)]
    members_parts = len(paths)
    parts += _split_flow_parts(root, period, cuts, codes, versions)
    small = all(_small(v[2]) for v in versions)
    results = compiled.run_all(parts, small=small) if parts else []
    counted: dict[dt.date, int] = {}
    stocks = dict.fromkeys(
        ("members.total", *OVERVIEW_MEMBER_STOCKS, *ORGANIZATION_STOCKS, "candidates.active"), 0
    )
    for on, result in zip(paths.values(), results[:members_parts], strict=True):
        counted |= {day: result[f"d{n}"] or 0 for n, day in enumerate(on)}
        stocks |= {c: result[c] or 0 for c in OVERVIEW_MEMBER_STOCKS if c in result}
    flows = [dict.fromkeys(codes, 0) for _ in range(len(cuts) + 1)]
    rest = results[members_parts:]
    if stock_path is not None:
        stocks |= _zeros(rest[0]) | _zeros(rest[1])
        rest = rest[2:]
    for result in rest:
        for key, value in result.items():
            n, code = key.split(":", 1)
            flows[int(n)][code] += value or 0
    stocks["members.total"] = counted.get(at, 0)
    return Overview(stocks, flows, [(day, counted.get(day, 0)) for day in days])


def _days_by_path(versions: list[tuple], days: list[dt.date]) -> dict[str, list[dt.date]]:
    """The days (ascending) by the root's path on each: one part of members each (one path,
    unless the root moved); the days the root did not exist are left out."""
    paths: dict[str, list[dt.date]] = {}
    for day in days:
        on_day = _clip(versions, day, day)
        if on_day:
            paths.setdefault(on_day[0].path, []).append(day)
    return paths


def members_on(root: Organization, days: list[dt.date]) -> list[tuple[dt.date, int]]:
    """members.total of the root's subtree at the end of each day, as stocks() counts it, in
    one statement (the root's versions read before it)."""
    days = sorted(days)
    if not days:
        return []
    paths = _days_by_path(_root_versions(root, days[0], days[-1]), days)
    parts = [_members_on(path, on, {}) for path, on in paths.items()]
    counted: dict[dt.date, int] = {}
    if parts:
        results = compiled.run_all(parts, small=all(_small(p) for p in paths))
        for on, result in zip(paths.values(), results, strict=True):
            counted |= {day: result[f"d{n}"] or 0 for n, day in enumerate(on)}
    return [(day, counted.get(day, 0)) for day in days]


# --- the balance identity (DESIGN.md, principle 3) ---------------------------------------------


@dataclass(frozen=True)
class Balance:
    start: int
    end: int
    inflows: dict[str, int]
    outflows: dict[str, int]
    changes_within: tuple[int, int]  # period starts and ends that are changes of status

    @property
    def expected_end(self) -> int:
        within_in, within_out = self.changes_within
        return (
            self.start + sum(self.inflows.values()) - sum(self.outflows.values())
            + within_in - within_out
        )  # fmt: skip

    @property
    def holds(self) -> bool:
        return self.expected_end == self.end


def balance(start: int, end: int, flow: dict[str, int]) -> Balance:
    inflows = {code: flow.get(code, 0) for code in INFLOWS}
    outflows = {code: flow.get(code, 0) for code in OUTFLOWS}
    within_in = flow.get("starts.all", 0) - sum(flow.get(c, 0) for c in STARTS)
    within_out = flow.get("ends.all", 0) - sum(flow.get(c, 0) for c in ENDS)
    return Balance(start, end, inflows, outflows, (within_in, within_out))


# --- breakdowns --------------------------------------------------------------------------------

DIMENSIONS = ("child", "sex", "age_band", "ethnicity", "general_education", "political_theory")


def members_by(root: Organization, at: dt.date, dimension: str) -> dict[str, int]:
    """Members counted in the root's subtree at the end of `at`, grouped by one dimension: the
    root's direct child organisation (its id), sex, age band, ethnicity, general education or
    political theory level. One GROUP BY query; the groups add up to members.total."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    segments = root_segments(root, at, at)
    if not segments:
        return {}
    path = segments[0].path
    periods = MembershipPeriod.objects.filter(
        valid_from__lte=at,
        valid_to__gt=at,
        organization_id__in=organizations_on(path, at).values("organization_id"),
    )
    if dimension == "child":
        version_path = OrganizationVersion.objects.filter(
            organization_id=OuterRef("organization_id"), valid_from__lte=at, valid_to__gt=at
        ).values("path")[:1]
        # the id of the root's child on the member's path (the root itself for its own members)
        child = Substr(Subquery(version_path), len(path) + 1, SEGMENT)
        rows = periods.annotate(group=child).values("group").annotate(n=Count("id")).order_by()
        return {str(int(row["group"]) if row["group"] else root.pk): row["n"] for row in rows}
    if dimension == "age_band":
        rows = (
            periods.annotate(**_born_by(at))
            .annotate(group=_age_band())
            .values("group")
            .annotate(n=Count("id"))
            .order_by()
        )
    else:
        rows = periods.values(group=F(f"person__{dimension}")).annotate(n=Count("id")).order_by()
    return {row["group"] or "": row["n"] for row in rows}


def conversions(root: Organization, period: Period) -> dict[tuple[str, str], int]:
    """The conversions of the period by (type before, type after), for the narrative."""
    result: dict[tuple[str, str], int] = {}
    for segment in root_segments(root, period.start, period.end):
        events = OrganizationEvent.objects.filter(
            kind=EventKind.CONVERT,
            effective_date__gte=segment.first,
            effective_date__lte=segment.last,
        ).filter(_during(segment), _in_subtree(segment.path, "effective_date"))
        for previous, changes in events.values_list("previous", "changes"):
            key = (previous.get("type", ""), changes.get("type", ""))
            result[key] = result.get(key, 0) + 1
    return result
