"""Biến động tổ chức: the rows of an import's organisation-changes sheet applied through the
organisation services (rename, move, convert, dissolve, merge), in date order.

A change already recorded (the same kind, organisation and date, with the same new value) is
skipped, so importing a file again adds nothing; the same date with another value is a
conflict, never overwritten. The merges into one organisation on one day under one decision
are one merge (one decision, one consolidation in the statistics), as the services record it.
"""

import datetime as dt
from collections.abc import Iterable

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.core.formatting import format_date
from dangvu.organizations import rules as organization_rules
from dangvu.organizations import services
from dangvu.organizations.models import EventKind, Organization, OrganizationEvent

from . import values
from .rows import Issue, OrganizationChangeRow, RowRejected
from .selectors import Directory
from .values import CellError

CREATED, SKIPPED = "created", "skipped"
KINDS = {
    "rename": EventKind.RENAME,
    "move": EventKind.MOVE,
    "convert": EventKind.CONVERT,
    "dissolve": EventKind.DISSOLVE,
    "merge": EventKind.MERGE,
}


def in_order(records: Iterable[OrganizationChangeRow]) -> list[list[OrganizationChangeRow]]:
    """The rows by date (then as listed), the merges of one decision gathered at their first."""
    groups: list[list[OrganizationChangeRow]] = []
    merges: dict[tuple, list[OrganizationChangeRow]] = {}
    for record in sorted(records, key=lambda r: (r.effective_date, r.number)):
        if record.change != "merge":
            groups.append([record])
            continue
        symbol = record.decision.symbol if record.decision else ""
        key = (values.key(record.into), record.effective_date, symbol)
        if key not in merges:
            merges[key] = []
            groups.append(merges[key])
        merges[key].append(record)
    return groups


def _find(directory: Directory, scope: Scope, text: str, day: dt.date, column: str):
    """The organisation as it stood the day before the change (a dissolved one still exists
    then), or on the day itself (one established that day)."""
    try:
        return directory.organization(scope=scope, text=text, at=day - dt.timedelta(days=1))
    except CellError:
        pass
    try:
        return directory.organization(scope=scope, text=text, at=day)
    except CellError as error:
        raise RowRejected([Issue(column, error.code, error.message)]) from None


def _recorded(organization: Organization, kind: str, day: dt.date) -> OrganizationEvent | None:
    return (
        OrganizationEvent.objects.filter(organization=organization, kind=kind, effective_date=day)
        .order_by("pk")
        .first()
    )


def _differs(record: OrganizationChangeRow, what: str) -> DomainError:
    return DomainError(
        "exchange.ORGANIZATION_CHANGE_DIFFERS",
        f"«{record.code}» đã có sự kiện «{KINDS[record.change].label}» ngày "
        f"{format_date(record.effective_date)} với {what}: không ghi đè.",
    )


def apply_change(scope: Scope, directory: Directory, record: OrganizationChangeRow) -> str:
    """One rename, move, convert or dissolution."""
    day = record.effective_date
    organization = _find(directory, scope, record.code, day, "code")
    kind = KINDS[record.change]
    recorded = _recorded(organization, kind, day)
    common = {
        "scope": scope,
        "organization": organization,
        "effective_date": day,
        "decision": record.decision,
        "note": record.note,
    }
    if record.change == "rename":
        name = " ".join(record.new_name.split())
        if recorded is not None:
            if recorded.changes.get("name") == name:
                return SKIPPED
            raise _differs(record, f"tên mới «{recorded.changes.get('name')}»")
        services.organization_rename(name=name, **common)
    elif record.change in ("move", "convert"):
        parent = (
            _find(directory, scope, record.new_parent, day, "new_parent")
            if record.new_parent
            else None
        )
        if recorded is not None:
            same_parent = parent is None or recorded.changes.get("parent_id") == parent.pk
            if record.change == "move" and same_parent:
                return SKIPPED
            if record.change == "convert":
                if recorded.changes.get("type") == record.new_type and same_parent:
                    return SKIPPED
                label = organization_rules.label(recorded.changes.get("type"))
                raise _differs(record, f"loại mới «{label}»")
            raise _differs(record, "tổ chức cấp trên khác")
        if record.change == "move":
            services.organization_move(parent=parent, **common)
        else:
            services.organization_convert(type=record.new_type, parent=parent, **common)
    else:  # dissolve
        if recorded is not None:
            return SKIPPED
        services.organization_dissolve(**common)
    directory.forget()
    return CREATED


def apply_merge(scope: Scope, directory: Directory, group: list[OrganizationChangeRow]) -> str:
    """The organisations of the rows merged into the one they name, in one merge. The sources
    already merged there that day are skipped (a file imported again)."""
    first = group[0]
    day = first.effective_date
    target = _find(directory, scope, first.into, day, "into")
    sources = [_find(directory, scope, record.code, day, "code") for record in group]
    merged = set(
        OrganizationEvent.objects.filter(
            organization__in=sources,
            kind=EventKind.DISSOLVE,
            effective_date=day,
            cause__kind=EventKind.MERGE,
            cause__organization=target,
        ).values_list("organization_id", flat=True)
    )
    waiting = [source for source in dict.fromkeys(sources) if source.pk not in merged]
    if not waiting:
        return SKIPPED
    services.organization_merge(
        scope=scope,
        sources=waiting,
        into=target,
        effective_date=day,
        decision=first.decision,
        note=first.note,
    )
    directory.forget()
    return CREATED
