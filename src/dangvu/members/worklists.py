"""The lists staff open every week, each a query through the actor's scope.

The rules give deadlines as functions of a date (the ceremony, the admission); they rise with
it, so each list turns its rule into a range of those dates once, in Python, and lets the
database filter the members with it: no member is loaded to be tested one by one.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from dangvu.access.scopes import Scope
from dangvu.organizations.models import Organization

from . import rules
from .candidates import waiting_candidates
from .events import MemberEventKind as E
from .models import Candidate, MemberEvent, MemberStatus, Person
from .parameters import HOLIDAYS, load_parameters
from .selectors import person_list, temporary_members, transfers_incoming

SEARCH_SPAN = dt.timedelta(days=366 * 10)


def last_date(holds: Callable[[dt.date], bool], low: dt.date, high: dt.date) -> dt.date | None:
    """The latest day in [low, high] for which `holds` is true, for a `holds` that is true up
    to some day and false after it; None when it holds nowhere."""
    if not holds(low):
        return None
    while low < high:
        middle = low + (high - low + dt.timedelta(days=1)) / 2
        if holds(middle):
            low = middle
        else:
            high = middle - dt.timedelta(days=1)
    return low


def probation_ending(
    *, scope: Scope, today: dt.date, within_days: int = 60, organization: Organization | None = None
) -> QuerySet[Person]:
    """Probationary members whose 12 months end between today and `within_days` from now."""
    params = load_parameters(today)
    horizon = today + dt.timedelta(days=within_days)

    def ends_before(day: dt.date) -> Callable[[dt.date], bool]:
        return lambda ceremony: rules.probation_end(ceremony, params) < day

    low, high = today - SEARCH_SPAN, today
    before_today = last_date(ends_before(today), low, high)
    until = last_date(ends_before(horizon + dt.timedelta(days=1)), low, high)
    people = person_list(scope=scope, organization=organization, status=MemberStatus.PROBATIONARY)
    if until is None:
        return people.none()
    if before_today is not None:
        people = people.filter(ceremony_date__gt=before_today)
    return people.filter(ceremony_date__lte=until).order_by("ceremony_date", "name_sort_key")


def recognition_overdue(
    *, scope: Scope, today: dt.date, organization: Organization | None = None
) -> QuerySet[Person]:
    """Probationary members with no decision on recognition past the committee's deadline
    (30 + 30 working days after probation ends; Điều lệ Đảng, Điều 5; 294-QĐ/TW)."""
    params = load_parameters(today)
    cutoff = last_date(
        lambda ceremony: rules.is_recognition_overdue(ceremony, today, params, HOLIDAYS),
        today - SEARCH_SPAN,
        today,
    )
    people = person_list(scope=scope, organization=organization, status=MemberStatus.PROBATIONARY)
    if cutoff is None:
        return people.none()
    return people.filter(ceremony_date__lte=cutoff).order_by("ceremony_date", "name_sort_key")


def badge_candidates(
    *, scope: Scope, award_date: dt.date, organization: Organization | None = None
) -> dict[int, QuerySet[Person]]:
    """For each badge milestone, the full members whose party age reaches it by `award_date`
    and who have no proposal or award for it or a higher one (Hướng dẫn 01-HD/TW 2021, mục 18).

    Party age is counted from the first admission decision (or the ceremony, per the
    parameter) moved on by the gaps so far (`Person.party_age_from`).
    """
    params = load_parameters(award_date)
    badges = MemberEvent.objects.filter(
        person=OuterRef("pk"), kind__in=(E.BADGE_PROPOSAL, E.BADGE_AWARD)
    ).annotate(milestone=Cast(KeyTextTransform("milestone", "details"), IntegerField()))
    people = person_list(scope=scope, organization=organization, status=MemberStatus.FULL)
    lists = {}
    for years in params.badge_milestones:
        reached_by = rules.add_months(award_date, -12 * years)
        lists[years] = (
            people.filter(party_age_from__lte=reached_by)
            .exclude(Exists(badges.filter(milestone__gte=years)))
            .order_by("party_age_from", "name_sort_key")
        )
    # a member appears under the highest milestone reached only
    for lower, higher in zip(params.badge_milestones, params.badge_milestones[1:], strict=False):
        reached_higher = rules.add_months(award_date, -12 * higher)
        lists[lower] = lists[lower].filter(party_age_from__gt=reached_higher)
    return lists


def transfers_past_deadline(*, scope: Scope, today: dt.date) -> QuerySet[Person]:
    """Members who left a cell and were not received within 30 working days of leaving
    (294-QĐ/TW): flagged for the committee, never struck off automatically."""
    params = load_parameters(today)
    cutoff = last_date(
        lambda left: (
            rules.add_working_days(left, params.transfer_present_working_days, HOLIDAYS) < today
        ),
        today - SEARCH_SPAN,
        today,
    )
    pending = Person.objects.filter(transfer_to__isnull=False)
    if cutoff is None:
        return pending.none()
    # seen by the sending cell and by the receiving one
    sending = person_list(scope=scope).filter(transfer_to__isnull=False).values("pk")
    receiving = transfers_incoming(scope=scope).values("pk")
    return (
        pending.filter(transfer_left_on__lte=cutoff)
        .filter(Q(pk__in=sending) | Q(pk__in=receiving))
        .select_related("organization", "transfer_to")
        .order_by("transfer_left_on", "name_sort_key")
    )


def temporary_transfers_ended(*, scope: Scope, today: dt.date) -> QuerySet[Person]:
    """Members whose temporary transfer ended before today with no return recorded: the home
    cell records the return, or an official transfer if the member stays (Quy định 29-QĐ/TW)."""
    home = person_list(scope=scope).filter(temporary_until__lt=today).values("pk")
    host = temporary_members(scope=scope).filter(temporary_until__lt=today).values("pk")
    return (
        Person.objects.filter(Q(pk__in=home) | Q(pk__in=host))
        .select_related("organization", "temporary_at")
        .order_by("temporary_until", "name_sort_key")
    )


def certificates_expiring(
    *, scope: Scope, today: dt.date, within_days: int = 60, organization: Organization | None = None
) -> QuerySet[Candidate]:
    """Active candidates whose awareness-course certificate expires by `within_days` from today
    (rules.certificate_expires, 60 months by default, uncertain), soonest first.

    Certificates already expired are listed too, first: the candidate must take the course
    again before the cell can vote. Candidates the cell has already voted to admit are left
    out, since the certificate only has to be valid on the day of the vote.
    """
    params = load_parameters(today)
    horizon = today + dt.timedelta(days=within_days)
    until = last_date(
        lambda issued: rules.certificate_expires(issued, params) <= horizon,
        today - SEARCH_SPAN,
        horizon,
    )
    candidates = waiting_candidates(scope=scope, params=params, organization=organization)
    if until is None:
        return candidates.none()
    return candidates.filter(certificate_date__lte=until).order_by(
        "certificate_date", "person__name_sort_key", "id"
    )
