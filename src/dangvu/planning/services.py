"""Writes on targets (chỉ tiêu): one business action, one transaction each.

Each service checks the actor's scope (editor on the organisation as it stood on the day the
target is judged by), applies the rules, saves and writes the audit row, or changes nothing.
A changed target is the same row with the new value; the audit row keeps the old one.
"""

from typing import Any

from django.db import IntegrityError, transaction

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.decisions import DecisionInput, decision_record
from dangvu.core.errors import Conflict, DomainError, NotFound
from dangvu.organizations.models import Organization, OrganizationVersion

from . import rules
from .models import Target

FIELDS = ("value", "decision", "note")


def _require_editor(scope: Scope, organization: Organization, year: int) -> OrganizationVersion:
    """The organisation's version on the day a target of `year` is judged by, if the actor
    edits it then. One that did not exist in the year is out of range (said only to those who
    may edit it today: to anyone else it is not found)."""
    rules.check_target_year(year, today=clock.today())
    at = rules.target_reference_date(
        year, established_on=organization.established_on, dissolved_on=organization.dissolved_on
    )
    if at is None:
        version = scope.require(organization, role=Role.EDITOR)
        raise DomainError(
            "planning.YEAR_OUT_OF_RANGE",
            f"«{version.name}» không hoạt động trong năm {year}: không giao chỉ tiêu được.",
            year=year,
        )
    return scope.require(organization, at=at, role=Role.EDITOR)


def _snapshot(target: Target) -> dict[str, Any]:
    return {
        "organization": target.organization.code,
        "year": target.year,
        "indicator": target.indicator,
        "value": target.value,
        "decision": str(target.decision) if target.decision_id else None,
        "note": target.note,
    }


@transaction.atomic
def target_set(
    *,
    scope: Scope,
    organization: Organization,
    year: int,
    indicator: str,
    value: int,
    decision: DecisionInput | None = None,
    note: str = "",
) -> Target:
    """Set the target of `organization` for `year` on `indicator`: a new row the first time,
    else the same row with the new value, decision and note (the audit row keeps the old)."""
    indicator = rules.check_indicator(indicator)
    rules.check_target_value(value)
    _require_editor(scope, organization, year)
    note = " ".join(note.split())
    if len(note) > 500:
        raise DomainError("planning.NOTE_TOO_LONG", "Ghi chú không quá 500 ký tự.")
    record = decision_record(decision) if decision is not None else None
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("organization", "decision")
        .filter(organization=organization, year=year, indicator=indicator)
        .first()
    )
    actor = scope.user if scope.user_id else None
    if target is None:
        target = Target(
            organization=organization,
            year=year,
            indicator=indicator,
            value=value,
            decision=record,
            note=note,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError:  # another writer set the same target at the same time
            raise Conflict(
                "planning.TARGET_CHANGED",
                "Chỉ tiêu này vừa được ghi bởi người khác; hãy tải lại rồi thử lại.",
            ) from None
        audit_record(actor=scope.user, action="target.create", obj=target, after=_snapshot(target))
        return target
    before = _snapshot(target)
    target.value, target.decision, target.note = value, record, note
    after = _snapshot(target)
    changed = [key for key in FIELDS if before[key] != after[key]]
    if not changed:  # setting what is already there writes nothing
        return target
    target.recorded_by, target.recorded_at = actor, clock.now()
    target.save(update_fields=[*FIELDS, "recorded_by", "recorded_at"])
    audit_record(
        actor=scope.user,
        action="target.update",
        obj=target,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return target


@transaction.atomic
def target_remove(*, scope: Scope, organization: Organization, year: int, indicator: str) -> Target:
    """Remove the target of `organization` for `year` on `indicator` (set by mistake); the
    audit row keeps what it was. Returns the removed target (no longer stored)."""
    rules.check_indicator(indicator)
    _require_editor(scope, organization, year)
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("organization", "decision")
        .filter(organization=organization, year=year, indicator=indicator)
        .first()
    )
    if target is None:
        raise NotFound("Chỉ tiêu")
    audit_record(actor=scope.user, action="target.remove", obj=target, before=_snapshot(target))
    target.delete()
    return target
