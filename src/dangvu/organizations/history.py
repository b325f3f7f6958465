"""Derives the dated versions of organisations from their restructuring events.

The events are the truth; versions are their projection. After an event is recorded, the
versions of every organisation it can touch (the subject, and for changes of place in the
tree every organisation that was ever below it) are recomputed from the events and replaced,
and the type rules are checked on the result, so a back-dated event that would break a later
state is refused with the date and names of the conflict.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from dangvu.core.errors import DomainError

from . import rules
from .models import (
    ELEMENTARY_KINDS,
    OPEN_END,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from .paths import depth, segment, subtree_end

STATE_FIELDS = ("name", "type", "parent_id", "sector", "province_code", "address")

# Bumped by every rewrite of versions, so caches of tree positions (Scope) know they are stale.
generation = 0


@dataclass(frozen=True)
class Row:
    start: dt.date
    end: dt.date
    path: str
    state: tuple[tuple[str, Any], ...]

    @property
    def attrs(self) -> dict[str, Any]:
        return dict(self.state)


def _freeze(state: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, state.get(name)) for name in STATE_FIELDS)


def replay(org_id: int, events: Iterable[OrganizationEvent]) -> list[tuple[dt.date, dt.date, dict]]:
    """The organisation's own states over time: [(start, end, state)], from its events."""
    segments: list[tuple[dt.date, dt.date, dict]] = []
    state: dict[str, Any] | None = None
    start = dt.date.min
    last_change: dt.date | None = None  # of an event after the establishment
    ended = False
    for event in sorted(events, key=lambda e: (e.effective_date, e.pk or 0)):
        when = f"{event.effective_date:%d/%m/%Y}"
        if ended:
            raise DomainError(
                "organizations.EVENT_AFTER_DISSOLUTION",
                f"Sự kiện «{event.get_kind_display()}» ngày {when} sau khi tổ chức đã kết thúc.",
                organization_id=org_id,
            )
        if state is None:
            if event.kind != EventKind.ESTABLISH:
                raise DomainError(
                    "organizations.EVENT_BEFORE_ESTABLISHMENT",
                    f"Sự kiện «{event.get_kind_display()}» ngày {when} trước ngày thành lập tổ chức.",
                    organization_id=org_id,
                )
            state, start = dict(event.changes), event.effective_date
            continue
        if event.kind == EventKind.ESTABLISH:
            raise DomainError(
                "organizations.ALREADY_ESTABLISHED",
                "Tổ chức đã có sự kiện thành lập.",
                organization_id=org_id,
            )
        if event.effective_date > start:
            segments.append((start, event.effective_date, dict(state)))
            start = event.effective_date
        if event.kind == EventKind.DISSOLVE:
            if not segments:
                raise DomainError(
                    "organizations.DISSOLVED_ON_ESTABLISHMENT",
                    "Tổ chức không thể kết thúc ngay trong ngày thành lập.",
                    organization_id=org_id,
                )
            if last_change == event.effective_date:
                raise DomainError(
                    "organizations.EVENT_ON_END_DAY",
                    f"Tổ chức kết thúc ngày {when}; không thể có thay đổi khác hiệu lực cùng ngày.",
                    organization_id=org_id,
                )
            ended = True
        else:
            state.update(event.changes)
            last_change = event.effective_date
    if state is not None and not ended:
        segments.append((start, OPEN_END, dict(state)))
    return segments


class TreeBuilder:
    """Recomputes the versions of a set of organisations; the rest of the tree is read as stored."""

    def __init__(self, affected: set[int]) -> None:
        self.affected = affected
        events = OrganizationEvent.objects.filter(
            organization_id__in=affected, kind__in=ELEMENTARY_KINDS
        ).order_by("organization_id", "effective_date", "id")
        by_org: dict[int, list[OrganizationEvent]] = {org_id: [] for org_id in affected}
        for event in events:
            by_org[event.organization_id].append(event)
        self.segments = {org_id: replay(org_id, evs) for org_id, evs in by_org.items()}
        self._stored: dict[int, list[Row]] = {}
        self._memo: dict[tuple[int, dt.date, dt.date], list[Row]] = {}
        self._names: dict[int, str] = {}

    # reading ------------------------------------------------------------------------------
    def _stored_rows(self, org_id: int) -> list[Row]:
        if org_id not in self._stored:
            self._stored[org_id] = [
                Row(v.valid_from, v.valid_to, v.path, _freeze(v.__dict__))
                for v in OrganizationVersion.objects.filter(organization_id=org_id).order_by(
                    "valid_from"
                )
            ]
        return self._stored[org_id]

    def _name(self, org_id: int) -> str:
        if org_id not in self._names:
            self._names[org_id] = Organization.objects.filter(pk=org_id).values_list(
                "name", flat=True
            ).first() or str(org_id)
        return self._names[org_id]

    def rows(
        self, org_id: int, start: dt.date, end: dt.date, chain: tuple[int, ...] = ()
    ) -> list[Row]:
        """The organisation's versions clipped to [start, end)."""
        key = (org_id, start, end)
        if key in self._memo:
            return self._memo[key]
        if org_id in chain:
            # Intervals only shrink up the chain, so meeting the same node again is a real cycle.
            raise DomainError(
                "organizations.MOVE_CREATES_CYCLE",
                f"«{self._name(org_id)}» không thể trực thuộc một tổ chức nằm dưới chính nó.",
            )
        if org_id not in self.affected:
            result = [
                Row(max(r.start, start), min(r.end, end), r.path, r.state)
                for r in self._stored_rows(org_id)
                if r.start < end and r.end > start
            ]
        else:
            result = self._compute(org_id, start, end, (*chain, org_id))
        self._memo[key] = result
        return result

    def _compute(
        self, org_id: int, start: dt.date, end: dt.date, chain: tuple[int, ...]
    ) -> list[Row]:
        rows: list[Row] = []
        for seg_start, seg_end, state in self.segments[org_id]:
            s, e = max(seg_start, start), min(seg_end, end)
            if s >= e:
                continue
            parent_id = state.get("parent_id")
            if parent_id is None:
                rules.check_placement(state["type"], None, child_name=state["name"])
                rows.append(Row(s, e, segment(org_id), _freeze(state)))
                continue
            parent_rows = self.rows(parent_id, s, e, chain)
            self._check_cover(parent_rows, s, e, state["name"], parent_id)
            for parent in parent_rows:
                rules.check_placement(state["type"], parent.attrs["type"], child_name=state["name"])
                rows.append(
                    Row(parent.start, parent.end, parent.path + segment(org_id), _freeze(state))
                )
        return _coalesce(rows)

    def _check_cover(
        self, parent_rows: list[Row], start: dt.date, end: dt.date, child_name: str, parent_id: int
    ) -> None:
        cursor = start
        for row in parent_rows:
            if row.start != cursor:
                break
            cursor = row.end
        if cursor < end:
            raise DomainError(
                "organizations.PARENT_NOT_ACTIVE",
                f"«{child_name}» trực thuộc «{self._name(parent_id)}» vào ngày "
                f"{cursor:%d/%m/%Y}, nhưng «{self._name(parent_id)}» không tồn tại vào ngày đó.",
                date=cursor.isoformat(),
                parent_id=parent_id,
            )

    # writing ------------------------------------------------------------------------------
    def write(self) -> None:
        new_versions = []
        projections = {}
        for org_id, segments in self.segments.items():
            if not segments:
                continue
            rows = self.rows(org_id, segments[0][0], segments[-1][1])
            for row in rows:
                new_versions.append(
                    OrganizationVersion(
                        organization_id=org_id,
                        valid_from=row.start,
                        valid_to=row.end,
                        path=row.path,
                        depth=depth(row.path),
                        **row.attrs,
                    )
                )
            last = rows[-1].attrs
            projections[org_id] = {
                **last,
                "established_on": rows[0].start,
                "dissolved_on": None if rows[-1].end == OPEN_END else rows[-1].end,
            }
        self._check_outside_children()
        OrganizationVersion.objects.filter(organization_id__in=self.affected).delete()
        OrganizationVersion.objects.bulk_create(new_versions, batch_size=2000)
        organizations = list(Organization.objects.filter(pk__in=projections))
        changed = []
        for organization in organizations:
            values = projections[organization.pk]
            if any(getattr(organization, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(organization, k, v)
                changed.append(organization)
        if changed:
            Organization.objects.bulk_update(
                changed, [*STATE_FIELDS, "established_on", "dissolved_on"], batch_size=2000
            )

    def _check_outside_children(self) -> None:
        """Organisations whose versions were kept must still fit under the recomputed ones."""
        kept_children = OrganizationVersion.objects.filter(parent_id__in=self.affected).exclude(
            organization_id__in=self.affected
        )
        for version in kept_children:
            parent_rows = self.rows(version.parent_id, version.valid_from, version.valid_to)
            self._check_cover(
                parent_rows, version.valid_from, version.valid_to, version.name, version.parent_id
            )
            for parent in parent_rows:
                rules.check_placement(version.type, parent.attrs["type"], child_name=version.name)


def _coalesce(rows: list[Row]) -> list[Row]:
    merged: list[Row] = []
    for row in rows:
        last = merged[-1] if merged else None
        if last and last.end == row.start and last.path == row.path and last.state == row.state:
            merged[-1] = Row(last.start, row.end, row.path, row.state)
        else:
            merged.append(row)
    return merged


def ever_below(organization: Organization) -> set[int]:
    """The organisation and every organisation that was ever in its subtree."""
    paths = set(
        OrganizationVersion.objects.filter(organization=organization).values_list("path", flat=True)
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__gte=path, path__lt=subtree_end(path))
    below = set(
        OrganizationVersion.objects.filter(condition).values_list("organization_id", flat=True)
    )
    return below | {organization.pk}


def rebuild(organization: Organization, *, subtree: bool) -> None:
    """Recompute the versions after an event on `organization`.

    subtree=False for events that leave its place in the tree alone (rename, convert, update);
    the children are still checked against its new type.
    """
    global generation
    affected = ever_below(organization) if subtree else {organization.pk}
    TreeBuilder(affected).write()
    generation += 1
