"""The rows behind a figure: the members, organisations or events an indicator counts.

Each list is built from the same queryset and the same filter as the figure in the engine
(engine.MEMBER_STOCKS, START_FLOWS, ...), so it has exactly as many rows as the figure.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dangvu.core.errors import DomainError
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import Candidate, MemberEvent, MembershipPeriod
from dangvu.members.parameters import load_parameters
from dangvu.organizations.models import (
    CommitteeConsolidation,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)

from . import catalogue, engine
from .periods import Period


@dataclass(frozen=True)
class Items:
    """What a figure counts: `kind` says what the rows are (member periods, organisation
    versions, candidates, member events, organisation events or consolidations)."""

    kind: str
    rows: QuerySet


def _union(model, querysets: list[QuerySet]) -> QuerySet:
    if not querysets:
        return model.objects.none()
    condition = Q()
    for queryset in querysets:
        condition |= Q(pk__in=queryset.values("pk"))
    return model.objects.filter(condition)


def items(
    root: Organization, code: str, *, at: dt.date | None = None, period: Period | None = None
) -> Items:
    """The rows behind `code` for the root's subtree: at the end of `at` for a stock, over
    `period` for a flow."""
    try:
        indicator = catalogue.indicator(code)
    except KeyError:
        raise DomainError(
            "statistics.UNKNOWN_INDICATOR", f"Không có chỉ tiêu thống kê mã «{code}»."
        ) from None
    if indicator.kind == catalogue.STOCK:
        if at is None:
            raise DomainError(
                "statistics.DATE_REQUIRED", "Chỉ tiêu tại một thời điểm cần ngày tính (at)."
            )
        return _stock(root, code, at)
    if period is None:
        raise DomainError(
            "statistics.PERIOD_REQUIRED", "Chỉ tiêu trong một kỳ cần kỳ báo cáo (period)."
        )
    return _flow(root, code, period)


def _stock(root: Organization, code: str, at: dt.date) -> Items:
    segments = engine.root_segments(root, at, at)
    path = segments[0].path if segments else None
    if code in engine.MEMBER_STOCKS:
        rows = (
            engine.alive_periods(path, at).filter(engine.MEMBER_STOCKS[code])
            if path
            else MembershipPeriod.objects.none()
        )
        return Items("member_periods", rows.select_related("person", "organization"))
    if code in engine.ORGANIZATION_STOCKS:
        rows = (
            engine.organizations_on(path, at).filter(engine.ORGANIZATION_STOCKS[code])
            if path
            else OrganizationVersion.objects.none()
        )
        return Items("organization_versions", rows.select_related("organization"))
    rows = engine.active_candidates(path, at) if path else Candidate.objects.none()
    return Items("candidates", rows.select_related("person", "organization"))


def _flow(root: Organization, code: str, period: Period) -> Items:
    segments = engine.root_segments(root, period.start, period.end)
    if code in engine.START_FLOWS:
        rows = _union(
            MembershipPeriod,
            [engine.started_periods(s).filter(engine.START_FLOWS[code]) for s in segments],
        )
        return Items("member_periods", rows.select_related("person", "organization"))
    if code in engine.END_FLOWS:
        rows = _union(
            MembershipPeriod,
            [
                engine.ended_periods(s).filter(engine.END_FLOWS[code])
                for s in engine.end_segments(root, period)
            ],
        )
        return Items("member_periods", rows.select_related("person", "organization"))
    if code in engine.MOVED:
        ids = engine.moved_period_ids(root, period, code)
        rows = MembershipPeriod.objects.filter(pk__in=ids)
        return Items("member_periods", rows.select_related("person", "organization"))
    if code.startswith("badges."):
        params = load_parameters(period.end)
        kind = E.BADGE_PROPOSAL if params.badge_counted_by == "proposal" else E.BADGE_AWARD
        parts = []
        for segment in segments:
            events = engine.badge_events(segment, kind)
            if code != "badges.total":
                events = events.filter(milestone=int(code.split(".")[1]))
            parts.append(events)
        rows = _union(MemberEvent, parts)
        return Items("member_events", rows.select_related("person", "organization"))
    if code == "discipline.members":
        # one row per member: their first discipline of the period
        events = _union(
            MemberEvent,
            [engine.member_events(s).filter(kind=E.DISCIPLINE) for s in segments],
        ).order_by("person_id", "effective_date", "id")
        first_ids = {}
        for pk, person_id in events.values_list("pk", "person_id"):
            first_ids.setdefault(person_id, pk)
        rows = MemberEvent.objects.filter(pk__in=first_ids.values())
        return Items("member_events", rows.select_related("person", "organization"))
    if code in engine.ORGANIZATION_FLOWS:
        ending, condition = engine.ORGANIZATION_FLOWS[code]
        rows = _union(
            OrganizationEvent,
            [engine.organization_events(s, ending=ending).filter(condition) for s in segments],
        )
        return Items("organization_events", rows.select_related("organization", "decision"))
    if code == "committees.consolidated":
        consolidations = _union(
            CommitteeConsolidation, [engine.consolidations(s) for s in segments]
        ).order_by("organization_id", "effective_date", "id")
        first = {}
        for pk, organization_id in consolidations.values_list("pk", "organization_id"):
            first.setdefault(organization_id, pk)
        rows = CommitteeConsolidation.objects.filter(pk__in=first.values())
        return Items("consolidations", rows.select_related("organization"))
    raise DomainError("statistics.NO_DRILLDOWN", f"Chỉ tiêu «{code}» chưa có danh sách chi tiết.")
