"""Properties of the dated tree under random restructuring, entered in any order of dates.

Hypothesis draws a sequence of establishments, moves, renames, conversions and dissolutions
with dates in 2010-2025 and applies them through the services. A refusal must leave the
database exactly as it was; after the sequence, the stored versions must form a valid tree on
every date, agree with the events read naively, and equal a full recomputation from the events.
"""

import datetime as dt
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dangvu.access.models import AuditEntry
from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.organizations import history, rules, selectors
from dangvu.organizations.models import (
    ELEMENTARY_KINDS,
    OPEN_END,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.paths import SEGMENT, segment
from tests.conftest import establish

from .support import convert, dissolve, move, rename, snapshot

START = dt.date(2010, 1, 1)
END = dt.date(2025, 12, 31)
STATE = ("name", "type", "parent_id", "sector", "province_code", "address")

# Mostly whole years, so that events on the same organisations meet and their order matters.
years = [(dt.date(y, 1, 1) - START).days for y in range(2011, 2026)]
days = st.one_of(st.sampled_from(years), st.integers(min_value=1, max_value=(END - START).days))
picks = st.integers(min_value=0, max_value=1000)
operation = st.tuples(
    st.sampled_from(["establish"] * 3 + ["move"] * 2 + ["dissolve"] * 2 + ["rename", "convert"]),
    picks,
    picks,
    days,
)
NAMES = ["Chi bộ Thôn Đông Hòa", "Đảng bộ Xã Phước Sơn", "Chi bộ Trường Tiểu học Nhơn Lý",
         "Đảng bộ Công ty Điện lực", "Chi bộ Khu phố Quang Trung", "Đảng bộ Phường Ghềnh Ráng"]  # fmt: skip


def on(day: dt.date) -> list[OrganizationVersion]:
    return list(
        OrganizationVersion.objects.filter(valid_from__lte=day, valid_to__gt=day).order_by(
            "organization_id"
        )
    )


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


class Runner:
    """Turns drawn numbers into service calls on whatever exists on the drawn date."""

    def __init__(self, scope: Scope, root: Organization) -> None:
        self.scope = scope
        self.root = root
        self.serial = 0
        self.applied = 0
        self.refused = 0

    def _organization(self, version: OrganizationVersion) -> Organization:
        return Organization.objects.get(pk=version.organization_id)

    def call(self, kind: str, a: int, b: int, day: dt.date):
        present = on(day)
        below_root = [v for v in present if v.organization_id != self.root.pk]
        self.serial += 1
        name = f"{_pick(NAMES, self.serial)} {self.serial}"
        if kind == "establish":
            parents = [v for v in present if v.type not in rules.CELL_TYPES]
            parent = _pick(parents, a)
            if parent is None:
                return None
            types = [t for t in T.values if parent.type in rules.ALLOWED_PARENTS[t]]
            return lambda: establish(
                self.scope,
                f"X{self.serial}",
                name,
                _pick(types, b),
                self._organization(parent),
                day,
            )
        if kind == "move":
            child = _pick(below_root, a)
            if child is None:
                return None
            fitting = [
                v
                for v in present
                if v.type in rules.ALLOWED_PARENTS[child.type]
                and v.organization_id not in (child.organization_id, child.parent_id)
            ]
            parent = _pick(fitting or present, b)
            return lambda: move(
                self.scope, self._organization(child), self._organization(parent), day
            )
        if kind == "rename":
            target = _pick(below_root, a)
            if target is None:
                return None
            return lambda: rename(self.scope, self._organization(target), name, day)
        if kind == "convert":
            target = _pick(below_root, a)
            if target is None:
                return None
            new_types = sorted(n for o, n in rules.ALLOWED_CONVERSIONS if o == target.type)
            new_type = _pick(new_types, b)
            if new_type is None:
                return None
            parent_type = next(
                (v.type for v in present if v.organization_id == target.parent_id), None
            )
            extra = {}
            if parent_type not in rules.ALLOWED_PARENTS[new_type]:
                fitting = [v for v in present if v.type in rules.ALLOWED_PARENTS[new_type]]
                if fitting:
                    extra["parent"] = self._organization(_pick(fitting, a + b))
            return lambda: convert(self.scope, self._organization(target), new_type, day, **extra)
        parents = {v.parent_id for v in present}
        leaves = [v for v in below_root if v.organization_id not in parents]
        target = _pick(leaves, a)  # a leaf on the day; it may still have children later
        if target is None:
            return None
        return lambda: dissolve(self.scope, self._organization(target), day)

    def apply(self, kind: str, a: int, b: int, day: dt.date) -> None:
        action = self.call(kind, a, b, day)
        if action is not None:
            self.guard(action, f"{kind} on {day}")

    def guard(self, action, label: str) -> None:
        """Runs one service call: either it lands whole (one event, one audit row) or nothing."""
        before = snapshot()
        try:
            action()
        except DomainError:
            self.refused += 1
            assert snapshot() == before, f"refused {label} wrote rows"
            return
        self.applied += 1
        assert OrganizationEvent.objects.count() == before["events"] + 1
        assert AuditEntry.objects.count() == before["audit"] + 1


def naive_state(events: list[OrganizationEvent], day: dt.date) -> dict | None:
    """The organisation on `day` read straight from its events, with no versions involved."""
    state = None
    for event in sorted(events, key=lambda e: (e.effective_date, e.pk)):
        if event.effective_date > day:
            break
        if event.kind == EventKind.ESTABLISH:
            state = dict(event.changes)
        elif event.kind == EventKind.DISSOLVE:
            state = None
        else:
            state.update(event.changes)
    return state


def check_tree(scope: Scope, check_days: set[dt.date]) -> None:
    organizations = {o.pk: o for o in Organization.objects.all()}
    versions = defaultdict(list)
    for version in OrganizationVersion.objects.order_by("organization_id", "valid_from"):
        versions[version.organization_id].append(version)
    events = defaultdict(list)
    for event in OrganizationEvent.objects.filter(kind__in=ELEMENTARY_KINDS):
        events[event.organization_id].append(event)

    # One organisation's versions never overlap, leave no gap, and each differs from the last.
    for org_id, rows in versions.items():
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier.valid_to == later.valid_from, (org_id, earlier, later)
            assert (earlier.path, *(getattr(earlier, f) for f in STATE)) != (
                later.path,
                *(getattr(later, f) for f in STATE),
            )
        organization = organizations[org_id]
        assert organization.established_on == rows[0].valid_from
        assert organization.dissolved_on == (
            None if rows[-1].valid_to == OPEN_END else rows[-1].valid_to
        )
        assert [getattr(organization, f) for f in STATE] == [getattr(rows[-1], f) for f in STATE]
    assert set(versions) == set(organizations)

    for day in sorted(check_days):
        alive = {
            pk
            for pk, o in organizations.items()
            if o.established_on <= day and (o.dissolved_on is None or day < o.dissolved_on)
        }
        valid = [v for rows in versions.values() for v in rows if v.valid_from <= day < v.valid_to]
        by_org = {v.organization_id: v for v in valid}
        # exactly one version for each organisation that exists on the day, none for the others,
        # whether "exists" is read from the projection or straight from the events
        assert len(by_org) == len(valid)
        assert set(by_org) == alive, day
        assert alive == {pk for pk in organizations if naive_state(events[pk], day) is not None}
        for version in valid:
            assert version.depth == len(version.path) // SEGMENT
            assert len(version.path) % SEGMENT == 0
            assert naive_state(events[version.organization_id], day) == {
                f: getattr(version, f) for f in STATE
            }, (version, day)
            if version.parent_id is None:
                assert version.path == segment(version.organization_id)
                rules.check_placement(version.type, None)
                continue
            parent = by_org[version.parent_id]  # the parent has a version on the day
            assert version.path == parent.path + segment(version.organization_id)
            rules.check_placement(version.type, parent.type)
            seen, cursor = set(), version
            while cursor.parent_id is not None:  # no cycles
                assert cursor.organization_id not in seen
                seen.add(cursor.organization_id)
                cursor = by_org[cursor.parent_id]
        for org_id in list(by_org)[:3]:
            subtree = selectors.organization_subtree(
                scope=scope, organization=organizations[org_id], at=day
            )
            members = {v.organization_id for v in subtree}
            expected = {v.organization_id for v in valid if v.path.startswith(by_org[org_id].path)}
            assert members == expected
            for member in members:
                o = organizations[member]
                assert o.established_on <= day
                assert o.dissolved_on is None or o.dissolved_on > day


def check_replay() -> None:
    """Recomputing every organisation from its events gives exactly the stored versions."""
    builder = history.TreeBuilder(set(Organization.objects.values_list("pk", flat=True)))
    recomputed = []
    for org_id, segments in builder.segments.items():
        for row in builder.rows(org_id, segments[0][0], segments[-1][1]):
            attrs = row.attrs
            recomputed.append((org_id, row.start, row.end, row.path, *(attrs[f] for f in STATE)))
    stored = [
        (v.organization_id, v.valid_from, v.valid_to, v.path, *(getattr(v, f) for f in STATE))
        for v in OrganizationVersion.objects.all()
    ]
    assert sorted(recomputed, key=repr) == sorted(stored, key=repr)


def skeleton(scope: Scope) -> Organization:
    """A province with two blocs, a grassroots committee with two cells and a grassroots cell."""
    root = establish(scope, "BD", "Đảng bộ tỉnh Bình Định", T.PROVINCIAL_COMMITTEE, None, START)
    blocs = [
        establish(scope, f"K{i}", f"Đảng bộ Khối {name}", T.UPPER_COMMITTEE, root, START)
        for i, name in enumerate(["các cơ quan tỉnh", "Doanh nghiệp tỉnh"])
    ]
    committee = establish(
        scope, "K0.YT", "Đảng bộ Sở Y tế", T.GRASSROOTS_COMMITTEE, blocs[0], START
    )
    for i, name in enumerate(["Văn phòng Sở", "Thanh tra Sở"]):
        establish(scope, f"K0.YT.{i}", f"Chi bộ {name}", T.SUBORDINATE_CELL, committee, START)
    establish(scope, "K1.NH", "Chi bộ Ngân hàng Phát triển", T.GRASSROOTS_CELL, blocs[1], START)
    return root


def days_to_check(extra: list[int]) -> set[dt.date]:
    event_days = set(OrganizationEvent.objects.values_list("effective_date", flat=True))
    result = {START, END} | {START + dt.timedelta(days=d) for d in extra}
    return result | event_days | {d - dt.timedelta(days=1) for d in event_days}


class TreeHistoryProperties(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        operations=st.lists(operation, min_size=4, max_size=14),
        extra_days=st.lists(days, max_size=4),
    )
    def test_random_restructuring_keeps_a_valid_tree_on_every_date(self, operations, extra_days):
        scope = Scope.system()
        runner = Runner(scope, skeleton(scope))
        for kind, a, b, offset in operations:
            runner.apply(kind, a, b, START + dt.timedelta(days=offset))
        check_tree(scope, days_to_check(extra_days))
        check_replay()

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(moves=st.lists(st.tuples(picks, picks, days), min_size=2, max_size=8))
    def test_random_moves_of_subtrees_in_any_date_order_keep_paths_consistent(self, moves):
        scope = Scope.system()
        runner = Runner(scope, skeleton(scope))
        for a, b, offset in moves:
            runner.apply("move", a, b, START + dt.timedelta(days=offset))
        check_tree(scope, days_to_check([]))
        check_replay()

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        end=days,
        attempts=st.lists(st.tuples(st.booleans(), picks, days), min_size=1, max_size=6),
    )
    def test_nothing_placed_under_an_organisation_outlives_its_dissolution(self, end, attempts):
        """Establishments and moves into a bloc, entered after its dissolution with any dates."""
        scope = Scope.system()
        runner = Runner(scope, skeleton(scope))
        bloc = establish(scope, "K9", "Đảng bộ Khối 3", T.UPPER_COMMITTEE, runner.root, START)
        runner.guard(lambda: dissolve(scope, bloc, START + dt.timedelta(days=end)), "dissolve")
        for is_move, pick, offset in attempts:
            day = START + dt.timedelta(days=offset)
            runner.serial += 1
            if is_move:
                grassroots = [v for v in on(day) if rules.is_grassroots(v.type)]
                if not grassroots:
                    continue
                child = Organization.objects.get(pk=_pick(grassroots, pick).organization_id)
                runner.guard(lambda c=child, d=day: move(scope, c, bloc, d), f"move on {day}")
            else:
                code, name = f"N{runner.serial}", f"Chi bộ Tổ dân phố {runner.serial}"
                runner.guard(
                    lambda c=code, n=name, d=day: establish(
                        scope, c, n, T.GRASSROOTS_CELL, bloc, d
                    ),
                    f"establish on {day}",
                )
        check_tree(scope, days_to_check([end]))
        check_replay()
