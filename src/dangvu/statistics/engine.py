"""The statistics engine: every indicator of the catalogue for an organisation's subtree, by SQL
aggregates over indexed columns (a few queries per report, none per member or organisation).

Members are counted from their membership periods (members.MembershipPeriod: where each member
was counted, day by day), organisations from their dated versions; the subtree is the path
range of the root's version on the day concerned, so a report for a past period reads the same
after later restructuring. The root may itself have moved during a period: each flow is counted
piece by piece over the root's versions.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear

from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import Candidate, MemberEvent, MembershipPeriod, MemberStatus
from dangvu.members.parameters import load_parameters
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
from dangvu.organizations.paths import subtree_end

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


def root_segments(root: Organization, first: dt.date, last: dt.date) -> list[Segment]:
    versions = OrganizationVersion.objects.filter(
        organization=root, valid_from__lte=last, valid_to__gt=first
    ).order_by("valid_from")
    return [
        Segment(max(first, v.valid_from), min(last, v.valid_to - ONE_DAY), v.path)
        for v in versions.only("valid_from", "valid_to", "path")
    ]


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


# --- stocks ------------------------------------------------------------------------------------


def _organizations_on(path: str, at: dt.date) -> QuerySet[OrganizationVersion]:
    return OrganizationVersion.objects.filter(
        valid_from__lte=at, valid_to__gt=at, path__gte=path, path__lt=subtree_end(path)
    )


def _age(at_field: str | dt.date):
    """Full years of age of the period's member on a day (a date, or a date column), taking
    the latest birth date the file allows when the day or the month is missing."""
    if isinstance(at_field, dt.date):
        year, month_day = Value(at_field.year), Value(at_field.month * 100 + at_field.day)
    else:
        year = ExtractYear(at_field)
        month_day = ExtractMonth(at_field) * 100 + ExtractDay(at_field)
    born = Coalesce("person__birth_month", 12) * 100 + Coalesce("person__birth_day", 31)
    return (
        year
        - Cast("person__birth_year", IntegerField())
        - Case(When(Q(born_md__gt=month_day), then=Value(1)), default=Value(0))
    ), born


def member_stocks(path: str, at: dt.date) -> dict[str, int]:
    """Members counted in the subtree at the end of `at`, with their breakdowns: one query."""
    age, born = _age(at)
    periods = (
        MembershipPeriod.objects.filter(
            valid_from__lte=at,
            valid_to__gt=at,
            organization_id__in=_organizations_on(path, at).values("organization_id"),
        )
        .annotate(born_md=born)
        .annotate(age=age)
    )
    counts = {
        "members.total": Count("id"),
        "members.full": Count("id", filter=Q(status=MemberStatus.FULL)),
        "members.probationary": Count("id", filter=Q(status=MemberStatus.PROBATIONARY)),
        "members.female": Count("id", filter=Q(person__sex="female")),
        "members.ethnic_minority": Count("id", filter=~Q(person__ethnicity=KINH)),
        "members.religious": Count("id", filter=~Q(person__religion="")),
        "members.exempt": Count("id", filter=Q(exempt=True)),
    }
    for band, low, high in AGE_BANDS:
        q = Q()
        if low is not None:
            q &= Q(age__gte=low)
        if high is not None:
            q &= Q(age__lte=high)
        counts[f"members.age.{band}"] = Count("id", filter=q)
    return {key: value or 0 for key, value in periods.aggregate(**counts).items()}


def organization_stocks(path: str, at: dt.date) -> dict[str, int]:
    versions = _organizations_on(path, at)
    counts = versions.aggregate(
        committee=Count("id", filter=Q(type=T.GRASSROOTS_COMMITTEE)),
        cell=Count("id", filter=Q(type=T.GRASSROOTS_CELL)),
        sub=Count("id", filter=Q(type=T.SUB_COMMITTEE)),
        subordinate=Count("id", filter=Q(type=T.SUBORDINATE_CELL)),
        private=Count(
            "id",
            filter=Q(type__in=(T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL))
            & Q(sector=Sector.PRIVATE_ENTERPRISE),
        ),
    )
    return {
        "orgs.grassroots": counts["committee"] + counts["cell"],
        "orgs.grassroots_committee": counts["committee"],
        "orgs.grassroots_cell": counts["cell"],
        "orgs.sub_committee": counts["sub"],
        "orgs.subordinate_cell": counts["subordinate"],
        "orgs.grassroots.private_enterprise": counts["private"],
    }


def candidate_stocks(path: str, at: dt.date) -> dict[str, int]:
    active = Candidate.objects.filter(
        registered_on__lte=at,
        organization_id__in=_organizations_on(path, at).values("organization_id"),
    ).exclude(Q(admission__effective_date__lte=at) | Q(withdrawn_on__lte=at))
    return {"candidates.active": active.count()}


def stocks(root: Organization, at: dt.date) -> dict[str, int]:
    """Every stock of the catalogue for the root's subtree at the end of `at` (empty figures
    when the root did not exist that day)."""
    segments = root_segments(root, at, at)
    if not segments:
        return dict.fromkeys((i.code for i in INDICATORS if i.kind == STOCK), 0)
    path = segments[0].path
    return member_stocks(path, at) | organization_stocks(path, at) | candidate_stocks(path, at)


# --- flows -------------------------------------------------------------------------------------


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + (value or 0)


def member_flows(segment: Segment) -> dict[str, int]:
    """Movements in and out of the subtree (the terms of the balance identity) and the other
    period starts and ends, from the membership periods: two queries."""
    first, last = segment.first, segment.last
    age, born = _age("valid_from")
    starts = (
        MembershipPeriod.objects.filter(valid_from__gte=first, valid_from__lte=last)
        .filter(_in_subtree(segment.path, "valid_from"))
        .annotate(born_md=born)
        .annotate(age=age)
    )
    admitted = Q(start_reason=E.ADMISSION)
    # the cell, or the grassroots committee it belongs to, sits in a private enterprise
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
    private = Exists(cell.filter(Q(sector=Sector.PRIVATE_ENTERPRISE) | Q(Exists(parent_private))))
    start_counts = {
        code: Count("id", filter=Q(start_reason__in=kinds)) for code, kinds in STARTS.items()
    }
    start_counts |= {
        "admissions.female": Count("id", filter=admitted & Q(person__sex="female")),
        "admissions.youth": Count("id", filter=admitted & Q(age__lte=30)),
        "admissions.ethnic_minority": Count("id", filter=admitted & ~Q(person__ethnicity=KINH)),
        "admissions.private_enterprise": Count("id", filter=admitted & Q(private=True)),
        "recognitions": Count("id", filter=Q(start_reason=E.RECOGNITION)),
        "starts.all": Count("id"),
    }
    started = starts.annotate(private=private).aggregate(**start_counts)
    ends = MembershipPeriod.objects.filter(valid_to__gt=first, valid_to__lte=last + ONE_DAY).filter(
        _in_subtree(segment.path, "valid_to", day_before=True)
    )
    # an end on day T is the member's last counted day T-1; the segment holds T-1
    ended = ends.aggregate(
        **{code: Count("id", filter=Q(end_reason__in=kinds)) for code, kinds in ENDS.items()},
        **{"ends.all": Count("id")},
    )
    return started | ended


def event_flows(segment: Segment, badge_kind: str) -> dict[str, int]:
    events = MemberEvent.objects.filter(
        effective_date__gte=segment.first, effective_date__lte=segment.last
    ).filter(_in_subtree(segment.path, "effective_date"))
    figures = events.aggregate(
        disciplined=Count("person", filter=Q(kind=E.DISCIPLINE), distinct=True),
        badges=Count("id", filter=Q(kind=badge_kind)),
    )
    by_milestone = (
        events.filter(kind=badge_kind)
        .annotate(milestone=Cast(KeyTextTransform("milestone", "details"), IntegerField()))
        .values("milestone")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = {"discipline.members": figures["disciplined"], "badges.total": figures["badges"]}
    for row in by_milestone:
        result[f"badges.{row['milestone']}"] = row["n"]
    return result


def organization_flows(segment: Segment) -> dict[str, int]:
    events = OrganizationEvent.objects.filter(
        effective_date__gte=segment.first, effective_date__lte=segment.last
    )
    within = events.filter(_in_subtree(segment.path, "effective_date"))
    # a dissolved organisation has no version on its last day: it was last there the day before
    ending = events.filter(_in_subtree(segment.path, "effective_date", day_before=True))
    figures = within.aggregate(
        established=Count("id", filter=Q(kind=EventKind.ESTABLISH)),
        converted=Count("id", filter=Q(kind=EventKind.CONVERT)),
        merged=Count("id", filter=Q(kind=EventKind.MERGE)),
    )
    dissolved = ending.filter(kind=EventKind.DISSOLVE, cause__isnull=True).count()
    consolidated = (
        CommitteeConsolidation.objects.filter(
            effective_date__gte=segment.first, effective_date__lte=segment.last
        )
        .filter(_in_subtree(segment.path, "effective_date"))
        .values("organization_id")
        .distinct()
        .count()
    )
    return {
        "orgs.established": figures["established"],
        "orgs.dissolved": dissolved,
        "orgs.converted": figures["converted"],
        "orgs.merged": figures["merged"],
        "committees.consolidated": consolidated,
    }


# Members of an organisation whose version changes on day T (its path moves) and who are
# counted there both on T-1 and on T: moved out when the old path lay in the root's subtree
# of T-1 and the new one does not lie in the root's subtree of T; moved in, the other way.
# Portable SQL (SQLite and PostgreSQL): no date arithmetic, substr/length on both.
_MOVED_SQL = """
SELECT COUNT(*) FROM {version} v1
JOIN {version} v2 ON v2.organization_id = v1.organization_id AND v2.valid_from = v1.valid_to
JOIN {version} r1 ON r1.organization_id = %(root)s
  AND r1.valid_from < v1.valid_to AND r1.valid_to >= v1.valid_to
JOIN {version} r2 ON r2.organization_id = %(root)s
  AND r2.valid_from <= v1.valid_to AND r2.valid_to > v1.valid_to
JOIN {period} p ON p.organization_id = v1.organization_id
  AND p.valid_from < v1.valid_to AND p.valid_to > v1.valid_to
WHERE v1.valid_to >= %(first)s AND v1.valid_to <= %(last)s
  AND {near}.path >= %(low)s AND {near}.path < %(high)s
  AND {inside} AND NOT {outside}
"""
_WITHIN = "substr({v}.path, 1, length({r}.path)) = {r}.path"


def moved_with_organizations(root: Organization, segments: list[Segment]) -> dict[str, int]:
    if not segments:
        return {"moved_in_with_org": 0, "moved_out_with_org": 0}
    first, last = segments[0].first, segments[-1].last
    low = min(s.path for s in segments)
    high = max(s.end for s in segments)
    tables = {
        "version": connection.ops.quote_name(OrganizationVersion._meta.db_table),
        "period": connection.ops.quote_name(MembershipPeriod._meta.db_table),
    }
    params = {"root": root.pk, "first": first, "last": last, "low": low, "high": high}
    result = {}
    for code, near, inside, outside in (
        ("moved_out_with_org", "v1", ("v1", "r1"), ("v2", "r2")),
        ("moved_in_with_org", "v2", ("v2", "r2"), ("v1", "r1")),
    ):
        sql = _MOVED_SQL.format(
            **tables,
            near=near,
            inside=_WITHIN.format(v=inside[0], r=inside[1]),
            outside=f"({_WITHIN.format(v=outside[0], r=outside[1])})",
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result[code] = cursor.fetchone()[0]
    return result


def flows(root: Organization, period: Period) -> dict[str, int]:
    """Every flow of the catalogue for the root's subtree over the period."""
    params = load_parameters(period.end)
    badge_kind = E.BADGE_PROPOSAL if params.badge_counted_by == "proposal" else E.BADGE_AWARD
    total: dict[str, int] = {f"badges.{m}": 0 for m in params.badge_milestones}
    segments = root_segments(root, period.start, period.end)
    for segment in segments:
        _add(total, member_flows(segment))
        _add(total, event_flows(segment, badge_kind))
        _add(total, organization_flows(segment))
    _add(total, moved_with_organizations(root, segments))
    return total


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
