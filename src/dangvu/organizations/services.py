"""Writes on the organisation tree and committees: one business action, one transaction each.

Each service checks the actor's scope, applies the rules, records the dated event with its
decision, recomputes the versions it touches and writes the audit row, or changes nothing.
"""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core.decisions import DecisionInput, decision_record
from dangvu.core.errors import Conflict, DomainError, Forbidden
from dangvu.core.models import Decision
from dangvu.core.places import check_province_code

from . import rules
from .history import rebuild
from .models import (
    OPEN_END,
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Position,
    Sector,
)
from .paths import path_ids
from .selectors import term_on

CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")


@dataclass
class NewOrganization:
    """What an establishment needs (also the parts of a split and the result of a merge)."""

    code: str
    name: str
    type: str
    parent: Organization | None = None
    sector: str = ""
    province_code: int | None = None
    address: str = ""
    children: list[Organization] = field(default_factory=list)  # moved in on establishment


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("organizations.NAME_REQUIRED", "Tên tổ chức không được để trống.")
    return name


def _check_province(province_code: int | None) -> None:
    check_province_code(province_code, error_code="organizations.UNKNOWN_PROVINCE")


def _check_sector(sector: str | None) -> None:
    if sector and sector not in Sector.values:
        raise DomainError("organizations.UNKNOWN_SECTOR", f"Loại hình «{sector}» không hợp lệ.")


def _decision(data: DecisionInput | None, effective: dt.date) -> Decision:
    decision = decision_record(data)
    rules.check_effective_after_decision(effective, decision.date)
    return decision


def _record(
    *,
    scope: Scope,
    kind: str,
    organization: Organization,
    effective_date: dt.date,
    decision: Decision | None,
    changes: dict[str, Any],
    previous: dict[str, Any],
    note: str = "",
    cause: OrganizationEvent | None = None,
    subtree: bool,
) -> OrganizationEvent:
    event = OrganizationEvent.objects.create(
        kind=kind,
        organization=organization,
        effective_date=effective_date,
        decision=decision,
        changes=changes,
        previous=previous,
        note=note.strip(),
        cause=cause,
        recorded_by=scope.user if scope.user_id else None,
    )
    # Merge and split are composite: the establish/move/dissolve they cause shape the versions.
    if kind not in (EventKind.MERGE, EventKind.SPLIT):
        rebuild(organization, subtree=subtree)
    organization.refresh_from_db()
    audit_record(
        actor=scope.user,
        action=f"organization.{kind}",
        obj=organization,
        before=previous or None,
        after={
            **changes,
            "effective_date": effective_date,
            "decision": str(decision) if decision else None,
            "event_id": event.pk,
        },
    )
    return event


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _establish(
    *,
    scope: Scope,
    spec: NewOrganization,
    effective_date: dt.date,
    decision: Decision,
    note: str = "",
    cause: OrganizationEvent | None = None,
) -> Organization:
    code = spec.code.strip()
    if not CODE_PATTERN.match(code):
        raise DomainError(
            "organizations.INVALID_CODE",
            "Mã tổ chức gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang; tối đa 32 ký tự.",
        )
    if Organization.objects.filter(code=code).exists():
        raise Conflict("organizations.CODE_TAKEN", f"Mã tổ chức «{code}» đã được dùng.")
    if spec.type not in rules.ALLOWED_PARENTS:
        raise DomainError("organizations.UNKNOWN_TYPE", f"Loại tổ chức «{spec.type}» không hợp lệ.")
    _check_province(spec.province_code)
    _check_sector(spec.sector)
    if spec.parent is None:
        if not scope.unrestricted:
            raise Forbidden(
                "access.ROLE_REQUIRED", "Chỉ quản trị hệ thống mới lập được tổ chức cấp cao nhất."
            )
    else:
        scope.require(spec.parent, at=effective_date, role=Role.EDITOR)
    state = {
        "name": _clean_name(spec.name),
        "type": spec.type,
        "parent_id": spec.parent.pk if spec.parent else None,
        "sector": spec.sector,
        "province_code": spec.province_code,
        "address": spec.address.strip(),
    }
    organization = Organization.objects.create(
        code=code,
        established_on=effective_date,
        **{k: v for k, v in state.items() if k != "parent_id"},
        parent=spec.parent,
    )
    _record(
        scope=scope,
        kind=EventKind.ESTABLISH,
        organization=organization,
        effective_date=effective_date,
        decision=decision,
        changes=state,
        previous={},
        note=note,
        cause=cause,
        subtree=True,
    )
    for child in spec.children:
        _move(
            scope=scope,
            organization=child,
            parent=organization,
            effective_date=effective_date,
            decision=decision,
            cause=cause,
        )
    return organization


def _move(
    *,
    scope: Scope,
    organization: Organization,
    parent: Organization,
    effective_date: dt.date,
    decision: Decision,
    note: str = "",
    cause: OrganizationEvent | None = None,
) -> OrganizationEvent:
    organization = _lock(organization)
    version = scope.require(organization, at=effective_date, role=Role.EDITOR)
    parent_version = scope.require(parent, at=effective_date, role=Role.EDITOR)
    if organization.pk in path_ids(parent_version.path):
        raise DomainError(
            "organizations.MOVE_CREATES_CYCLE",
            f"«{version.name}» không thể trực thuộc «{parent_version.name}», một tổ chức nằm "
            "dưới chính nó.",
        )
    if version.parent_id == parent.pk:
        raise DomainError(
            "organizations.MOVE_SAME_PARENT",
            f"«{version.name}» đã trực thuộc «{parent.name}».",
        )
    return _record(
        scope=scope,
        kind=EventKind.MOVE,
        organization=organization,
        effective_date=effective_date,
        decision=decision,
        changes={"parent_id": parent.pk},
        previous={"parent_id": version.parent_id},
        note=note,
        cause=cause,
        subtree=True,
    )


def _dissolve(
    *,
    scope: Scope,
    organization: Organization,
    effective_date: dt.date,
    decision: Decision,
    note: str = "",
    cause: OrganizationEvent | None = None,
) -> OrganizationEvent:
    organization = _lock(organization)
    scope.require(organization, at=effective_date - dt.timedelta(days=1), role=Role.EDITOR)
    remaining = list(
        OrganizationVersion.objects.filter(parent=organization, valid_to__gt=effective_date)
        .values_list("name", flat=True)
        .distinct()[:5]
    )
    if remaining:
        raise DomainError(
            "organizations.DISSOLVE_HAS_CHILDREN",
            f"«{organization.name}» còn tổ chức trực thuộc sau ngày "
            f"{effective_date:%d/%m/%Y}: {', '.join(remaining)}. Hãy chuyển hoặc giải thể "
            "các tổ chức này trước.",
        )
    event = _record(
        scope=scope,
        kind=EventKind.DISSOLVE,
        organization=organization,
        effective_date=effective_date,
        decision=decision,
        changes={},
        previous={"name": organization.name},
        note=note,
        cause=cause,
        subtree=True,
    )
    _end_committee(organization, effective_date, decision)
    return event


def _end_committee(organization: Organization, end: dt.date, decision: Decision) -> None:
    """An organisation that ends takes its committee with it: the open term and seats end too."""
    terms = CommitteeTerm.objects.filter(organization=organization)
    later = terms.filter(start_date__gte=end).first()
    if later is not None:
        raise DomainError(
            "organizations.TERM_AFTER_END",
            f"«{organization.name}» có nhiệm kỳ {later.name} bắt đầu từ ngày "
            f"{later.start_date:%d/%m/%Y}, không thể kết thúc tổ chức trước ngày đó.",
        )
    open_terms = terms.filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
    seats = CommitteeSeat.objects.filter(term__in=open_terms).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end)
    )
    if seats.filter(start_date__gte=end).exists():
        raise DomainError(
            "organizations.TERM_AFTER_END",
            f"«{organization.name}» có cấp ủy viên được bổ sung từ ngày {end:%d/%m/%Y} trở về "
            "sau, không thể kết thúc tổ chức trước đó.",
        )
    seats.update(end_date=end, end_decision=decision)
    open_terms.update(end_date=end)


# public services ---------------------------------------------------------------------------
@transaction.atomic
def organization_establish(
    *,
    scope: Scope,
    spec: NewOrganization,
    effective_date: dt.date,
    decision: DecisionInput,
    note: str = "",
) -> Organization:
    return _establish(
        scope=scope,
        spec=spec,
        effective_date=effective_date,
        decision=_decision(decision, effective_date),
        note=note,
    )


@transaction.atomic
def organization_rename(
    *,
    scope: Scope,
    organization: Organization,
    name: str,
    effective_date: dt.date,
    decision: DecisionInput,
    note: str = "",
) -> Organization:
    organization = _lock(organization)
    version = scope.require(organization, at=effective_date, role=Role.EDITOR)
    name = _clean_name(name)
    if name == version.name:
        raise DomainError("organizations.NAME_UNCHANGED", f"Tổ chức đã mang tên «{name}».")
    _record(
        scope=scope,
        kind=EventKind.RENAME,
        organization=organization,
        effective_date=effective_date,
        decision=_decision(decision, effective_date),
        changes={"name": name},
        previous={"name": version.name},
        note=note,
        subtree=False,
    )
    return organization


@transaction.atomic
def organization_move(
    *,
    scope: Scope,
    organization: Organization,
    parent: Organization,
    effective_date: dt.date,
    decision: DecisionInput,
    note: str = "",
) -> Organization:
    _move(
        scope=scope,
        organization=organization,
        parent=parent,
        effective_date=effective_date,
        decision=_decision(decision, effective_date),
        note=note,
    )
    organization.refresh_from_db()
    return organization


@transaction.atomic
def organization_convert(
    *,
    scope: Scope,
    organization: Organization,
    type: str,  # noqa: A002 - the glossary's name
    effective_date: dt.date,
    decision: DecisionInput,
    parent: Organization | None = None,
    note: str = "",
) -> Organization:
    """Chuyển đổi. A conversion that changes level (a grassroots cell into a subordinate cell of
    a grassroots committee, and back) moves the organisation in the same event: give `parent`,
    since neither the move alone nor the conversion alone fits the type rules."""
    organization = _lock(organization)
    version = scope.require(organization, at=effective_date, role=Role.EDITOR)
    rules.check_conversion(version.type, type)
    changes: dict[str, Any] = {"type": type}
    previous: dict[str, Any] = {"type": version.type}
    if parent is not None and parent.pk != version.parent_id:
        scope.require(parent, at=effective_date, role=Role.EDITOR)
        changes["parent_id"] = parent.pk
        previous["parent_id"] = version.parent_id
    _record(
        scope=scope,
        kind=EventKind.CONVERT,
        organization=organization,
        effective_date=effective_date,
        decision=_decision(decision, effective_date),
        changes=changes,
        previous=previous,
        note=note,
        subtree="parent_id" in changes,
    )
    return organization


@transaction.atomic
def organization_update_details(
    *,
    scope: Scope,
    organization: Organization,
    effective_date: dt.date,
    sector: str | None = None,
    province_code: int | None = None,
    address: str | None = None,
    decision: DecisionInput | None = None,
    note: str = "",
) -> Organization:
    """Sector, province and address: facts about the unit, recorded with the date they hold from."""
    organization = _lock(organization)
    version = scope.require(organization, at=effective_date, role=Role.EDITOR)
    _check_province(province_code)
    _check_sector(sector)
    wanted = {
        "sector": sector,
        "province_code": province_code,
        "address": address.strip() if address is not None else None,
    }
    changes = {k: v for k, v in wanted.items() if v is not None and v != getattr(version, k)}
    if not changes:
        raise DomainError("organizations.NOTHING_CHANGED", "Không có thông tin nào thay đổi.")
    _record(
        scope=scope,
        kind=EventKind.UPDATE,
        organization=organization,
        effective_date=effective_date,
        decision=decision_record(decision) if decision else None,
        changes=changes,
        previous={k: getattr(version, k) for k in changes},
        note=note,
        subtree=False,
    )
    return organization


@transaction.atomic
def organization_dissolve(
    *,
    scope: Scope,
    organization: Organization,
    effective_date: dt.date,
    decision: DecisionInput,
    note: str = "",
) -> Organization:
    """Giải thể: the organisation ends the day before `effective_date`."""
    _dissolve(
        scope=scope,
        organization=organization,
        effective_date=effective_date,
        decision=_decision(decision, effective_date),
        note=note,
    )
    organization.refresh_from_db()
    return organization


@transaction.atomic
def organization_merge(
    *,
    scope: Scope,
    sources: list[Organization],
    effective_date: dt.date,
    decision: DecisionInput,
    into: Organization | None = None,
    new: NewOrganization | None = None,
    note: str = "",
) -> Organization:
    """Sáp nhập (`into` an existing organisation) or hợp nhất (into a `new` one).

    The sources' subordinate organisations move under the result and the sources end.
    """
    if (into is None) == (new is None):
        raise DomainError(
            "organizations.MERGE_TARGET",
            "Chọn một tổ chức nhận sáp nhập hoặc khai báo tổ chức mới hợp nhất.",
        )
    source_ids = {s.pk for s in sources} - ({into.pk} if into else set())
    rules.check_merge_size(len(source_ids) + (1 if into else 0))
    decision_obj = _decision(decision, effective_date)
    if into is not None:
        target = _lock(into)
        scope.require(target, at=effective_date, role=Role.EDITOR)
        establish_event = None
    else:
        # Children named on the new organisation move after the merge event exists, as its effects.
        target = _establish(
            scope=scope,
            spec=dataclasses.replace(new, children=[]),
            effective_date=effective_date,
            decision=decision_obj,
        )
        establish_event = target.events.get(kind=EventKind.ESTABLISH)
    merge_event = _record(
        scope=scope,
        kind=EventKind.MERGE,
        organization=target,
        effective_date=effective_date,
        decision=decision_obj,
        changes={"sources": sorted(source_ids)},
        previous={},
        note=note,
        subtree=False,
    )
    if establish_event:
        establish_event.cause = merge_event
        establish_event.save(update_fields=["cause"])
    sources = list(Organization.objects.filter(pk__in=source_ids).order_by("pk"))
    moving = list(new.children) if new else []
    moving += Organization.objects.filter(
        pk__in=OrganizationVersion.objects.filter(
            parent__in=sources, valid_from__lte=effective_date, valid_to__gt=effective_date
        ).values("organization_id")
    ).order_by("pk")
    for child in moving:
        _move(
            scope=scope,
            organization=child,
            parent=target,
            effective_date=effective_date,
            decision=decision_obj,
            cause=merge_event,
        )
    for source in sources:
        _dissolve(
            scope=scope,
            organization=source,
            effective_date=effective_date,
            decision=decision_obj,
            cause=merge_event,
        )
    target.refresh_from_db()
    return target


@transaction.atomic
def organization_split(
    *,
    scope: Scope,
    organization: Organization,
    parts: list[NewOrganization],
    effective_date: dt.date,
    decision: DecisionInput,
    dissolve_source: bool,
    note: str = "",
) -> list[Organization]:
    """Chia tách: new organisations are formed from `organization`, each taking the subordinate
    organisations listed in its part; the source ends or carries on with the rest."""
    rules.check_split_parts(len(parts), keeps_source=not dissolve_source)
    source = _lock(organization)
    version = scope.require(source, at=effective_date, role=Role.EDITOR)
    decision_obj = _decision(decision, effective_date)
    split_event = _record(
        scope=scope,
        kind=EventKind.SPLIT,
        organization=source,
        effective_date=effective_date,
        decision=decision_obj,
        changes={"parts": [p.code for p in parts], "dissolve_source": dissolve_source},
        previous={},
        note=note,
        subtree=False,
    )
    for child in (child for part in parts for child in part.children):
        if not OrganizationVersion.objects.filter(
            organization=child,
            parent=source,
            valid_from__lte=effective_date,
            valid_to__gt=effective_date,
        ).exists():
            raise DomainError(
                "organizations.SPLIT_CHILD_ELSEWHERE",
                f"«{child.name}» không trực thuộc «{version.name}» vào ngày {effective_date:%d/%m/%Y}.",
            )
    source_parent = Organization.objects.filter(pk=version.parent_id).first()
    created = []
    for part in parts:
        part = dataclasses.replace(part, parent=part.parent or source_parent)
        created.append(
            _establish(
                scope=scope,
                spec=part,
                effective_date=effective_date,
                decision=decision_obj,
                cause=split_event,
            )
        )
    if dissolve_source:
        _dissolve(
            scope=scope,
            organization=source,
            effective_date=effective_date,
            decision=decision_obj,
            cause=split_event,
        )
    return created


# committees ---------------------------------------------------------------------------------
@dataclass
class SeatInput:
    full_name: str
    position: str


def _active_seats(term: CommitteeTerm, at: dt.date) -> list[CommitteeSeat]:
    return list(
        term.seats.filter(start_date__lte=at).exclude(end_date__lte=at).order_by("start_date", "id")
    )


def _new_seats(
    term: CommitteeTerm,
    seats: list[SeatInput],
    start: dt.date,
    decision: Decision,
    consolidation: CommitteeConsolidation | None = None,
) -> list[CommitteeSeat]:
    created = []
    for seat in seats:
        name = " ".join(seat.full_name.split())
        if not name:
            raise DomainError(
                "organizations.SEAT_NAME_REQUIRED", "Họ và tên cấp ủy viên không được trống."
            )
        if seat.position not in Position.values:
            raise DomainError(
                "organizations.UNKNOWN_POSITION", f"Chức vụ «{seat.position}» không hợp lệ."
            )
        created.append(
            CommitteeSeat(
                term=term,
                full_name=name,
                position=seat.position,
                start_date=start,
                decision=decision,
                consolidation=consolidation,
            )
        )
    return CommitteeSeat.objects.bulk_create(created)


@transaction.atomic
def committee_term_open(
    *,
    scope: Scope,
    organization: Organization,
    name: str,
    start_date: dt.date,
    decision: DecisionInput,
    seats: list[SeatInput],
) -> CommitteeTerm:
    """A new term from a congress (đại hội) or an appointment; the previous term ends that day."""
    organization = _lock(organization)
    version = scope.require(organization, at=start_date, role=Role.EDITOR)
    decision_obj = decision_record(decision)
    name = name.strip()
    if not name:
        raise DomainError("organizations.TERM_NAME_REQUIRED", "Cần ghi nhiệm kỳ, ví dụ 2020–2025.")
    if CommitteeTerm.objects.filter(organization=organization, start_date__gte=start_date).exists():
        raise DomainError(
            "organizations.TERM_OVERLAPS",
            f"«{version.name}» đã có nhiệm kỳ bắt đầu từ ngày {start_date:%d/%m/%Y} trở về sau.",
        )
    rules.check_committee(version.type, [s.position for s in seats])
    previous = term_on(organization, start_date)
    later = (
        CommitteeConsolidation.objects.filter(term=previous, effective_date__gte=start_date)
        .order_by("effective_date")
        .first()
        if previous is not None
        else None
    )
    if later is not None:
        # Its seats start or end on that day, after the new term would have ended them.
        raise DomainError(
            "organizations.TERM_OVERLAPS",
            f"Nhiệm kỳ {previous.name} của «{version.name}» được kiện toàn ngày "
            f"{later.effective_date:%d/%m/%Y}, sau ngày bắt đầu nhiệm kỳ mới "
            f"{start_date:%d/%m/%Y}.",
        )
    if previous is not None:
        previous.end_date = start_date
        previous.save(update_fields=["end_date"])
        previous.seats.filter(end_date__isnull=True).update(end_date=start_date)
    term = CommitteeTerm.objects.create(
        organization=organization, name=name, start_date=start_date, decision=decision_obj
    )
    _new_seats(term, seats, start_date, decision_obj)
    audit_record(
        actor=scope.user,
        action="committee.term_open",
        obj=organization,
        before={"term": previous.name} if previous else None,
        after={
            "term": name,
            "start_date": start_date,
            "decision": str(decision_obj),
            "seats": [(s.full_name, s.position) for s in seats],
        },
    )
    return term


@transaction.atomic
def committee_consolidate(
    *,
    scope: Scope,
    organization: Organization,
    effective_date: dt.date,
    decision: DecisionInput,
    appoint: list[SeatInput] = (),  # type: ignore[assignment]
    relieve: list[int] = (),  # type: ignore[assignment]
    note: str = "",
) -> CommitteeConsolidation:
    """Kiện toàn cấp ủy: relieve some seats and fill others under one decision."""
    organization = _lock(organization)
    version = scope.require(organization, at=effective_date, role=Role.EDITOR)
    term = term_on(organization, effective_date)
    if term is None:
        raise DomainError(
            "organizations.NO_TERM",
            f"«{version.name}» chưa có nhiệm kỳ cấp ủy vào ngày {effective_date:%d/%m/%Y}.",
        )
    if not appoint and not relieve:
        raise DomainError(
            "organizations.NOTHING_CHANGED", "Kiện toàn cần bổ sung hoặc thôi ít nhất một đồng chí."
        )
    decision_obj = decision_record(decision)
    active = {seat.pk: seat for seat in _active_seats(term, effective_date)}
    unknown = [pk for pk in relieve if pk not in active]
    if unknown:
        raise DomainError(
            "organizations.SEAT_NOT_ACTIVE",
            "Đồng chí được cho thôi không còn trong cấp ủy vào ngày hiệu lực.",
            seats=unknown,
        )
    remaining = [seat.position for pk, seat in active.items() if pk not in relieve]
    rules.check_committee(version.type, remaining + [s.position for s in appoint])
    consolidation = CommitteeConsolidation.objects.create(
        organization=organization,
        term=term,
        effective_date=effective_date,
        decision=decision_obj,
        note=note.strip(),
        recorded_by=scope.user if scope.user_id else None,
    )
    for pk in relieve:
        seat = active[pk]
        if seat.start_date >= effective_date:
            raise DomainError(
                "organizations.SEAT_NOT_ACTIVE",
                f"Đồng chí {seat.full_name} bắt đầu từ ngày {seat.start_date:%d/%m/%Y}.",
            )
        seat.end_date = effective_date
        seat.end_decision = decision_obj
        seat.save(update_fields=["end_date", "end_decision"])
    _new_seats(term, list(appoint), effective_date, decision_obj, consolidation)
    audit_record(
        actor=scope.user,
        action="committee.consolidate",
        obj=organization,
        before={"seats": [(active[pk].full_name, active[pk].position) for pk in relieve]},
        after={
            "effective_date": effective_date,
            "decision": str(decision_obj),
            "seats": [(s.full_name, s.position) for s in appoint],
            "consolidation_id": consolidation.pk,
        },
    )
    return consolidation


__all__ = [
    "OPEN_END",
    "NewOrganization",
    "SeatInput",
    "committee_consolidate",
    "committee_term_open",
    "organization_convert",
    "organization_dissolve",
    "organization_establish",
    "organization_merge",
    "organization_move",
    "organization_rename",
    "organization_split",
    "organization_update_details",
]
