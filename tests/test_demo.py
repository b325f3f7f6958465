"""The demo data (`dangvu demo`): the scenario's figures, a valid tree on every date, the 2025
restructuring recorded as events, and the same content on every run."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from dangvu.access.models import Grant, Role
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.demo import PASSWORD, URL, build
from dangvu.demo.organizations import FAMILY_NAMES, PARTY_SIDE, UNITS
from dangvu.members.models import RuleParameter
from dangvu.members.parameter_rows import migration_rows
from dangvu.organizations import rules, selectors
from dangvu.organizations.models import (
    OPEN_END,
    CommitteeConsolidation,
    CommitteeSeat,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Position,
)
from dangvu.organizations.models import OrganizationType as T
from dangvu.organizations.paths import segment
from dangvu.organizations.selectors import term_on

D = dt.date
Q1_START, Q1_END = D(2021, 1, 1), D(2021, 3, 31)
GRASSROOTS = (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One build for the module, inside a transaction rolled back at its end; each test runs
    in a savepoint inside it (the `db` fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        result = build(out)
        yield result, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def tree(demo):
    return demo[0].tree


@pytest.fixture
def system():
    return Scope.system()


def count(system, root, at, *types):
    return selectors.organization_count(scope=system, at=at, root=root, types=types)


def content() -> list[tuple[str, ...]]:
    """The demo's content without ids or recording times: versions, events and seats."""
    versions = OrganizationVersion.objects.values_list(
        "organization__code", "name", "type", "parent__code", "sector", "valid_from", "valid_to"
    )
    events = OrganizationEvent.objects.values_list(
        "organization__code",
        "kind",
        "effective_date",
        "decision__symbol",
        "decision__date",
        "decision__issuing_body",
        "cause__kind",
    )
    seats = CommitteeSeat.objects.values_list(
        "term__organization__code",
        "term__name",
        "full_name",
        "position",
        "start_date",
        "end_date",
        "decision__symbol",
    )
    rows = [("v", *map(str, row)) for row in versions]
    rows += [("e", *map(str, row)) for row in events]
    rows += [("s", *map(str, row)) for row in seats]
    return sorted(rows)


# the command ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_command_empties_the_database_rebuilds_the_same_content_and_prints_the_accounts(demo):
    first = content()
    get_user_model().objects.create_user(username="cu", password="x")
    # PostgreSQL refuses TRUNCATE while deferred foreign-key checks of this transaction are
    # pending; run them now (what a real `dangvu demo` never meets: it starts outside one).
    connection.check_constraints()
    out = io.StringIO()
    call_command("demo", stdout=out)
    ContentType.objects.clear_cache()  # flush recreated the content types inside this test

    text = out.getvalue()
    assert URL in text
    assert PASSWORD in text
    for username in ("admin", "khoi", "chibo"):
        assert f"  {username} " in text
    assert "76 tổ chức cơ sở đảng (44 đảng bộ cơ sở, 32 chi bộ cơ sở)" in text
    assert not get_user_model().objects.filter(username="cu").exists()
    assert content() == first
    # the migrations' rule parameters survive the flush (the rules cite their sources)
    assert RuleParameter.objects.count() == len(migration_rows())
    assert len(first) > 1000


# the scenario's figures ------------------------------------------------------------------------
def test_the_bloc_has_43_committees_and_33_cells_at_the_end_of_2020(system, tree):
    end_2020 = D(2020, 12, 31)
    assert count(system, tree.bloc, end_2020, T.GRASSROOTS_COMMITTEE) == 43
    assert count(system, tree.bloc, end_2020, T.GRASSROOTS_CELL) == 33
    assert count(system, tree.bloc, end_2020, *GRASSROOTS) == 76


def test_the_bloc_has_44_committees_and_32_cells_at_the_end_of_q1_2021(system, tree):
    assert count(system, tree.bloc, Q1_END, T.GRASSROOTS_COMMITTEE) == 44
    assert count(system, tree.bloc, Q1_END, T.GRASSROOTS_CELL) == 32
    assert count(system, tree.bloc, Q1_END, *GRASSROOTS) == 76


def test_q1_2021_holds_one_conversion_the_psychiatric_hospital(system, tree):
    events = selectors.organization_events_between(
        scope=system, start=Q1_START, end=Q1_END, root=tree.bloc, kinds=[EventKind.CONVERT]
    )
    (event,) = events
    hospital = tree.psychiatric_hospital
    assert event.organization == hospital
    assert event.previous == {"type": T.GRASSROOTS_CELL}
    assert event.changes == {"type": T.GRASSROOTS_COMMITTEE}
    assert event.decision.symbol == "125-QĐ/ĐUK"
    assert event.decision.issuing_body == "Ban Thường vụ Đảng ủy Khối"
    before = selectors.version_on(
        scope=system, organization=hospital, at=event.effective_date - dt.timedelta(days=1)
    )
    after = selectors.version_on(scope=system, organization=hospital, at=Q1_END)
    assert (before.name, before.type) == ("Chi bộ Bệnh viện Tâm thần tỉnh", T.GRASSROOTS_CELL)
    assert (after.name, after.type) == ("Đảng bộ Bệnh viện Tâm thần tỉnh", T.GRASSROOTS_COMMITTEE)
    cells = selectors.versions_on(
        scope=system, at=Q1_END, root=hospital, types=[T.SUBORDINATE_CELL]
    )
    assert {c.organization.established_on for c in cells} == {event.effective_date}
    assert 3 <= len(cells) <= 8
    # The quarter changed nothing else among the grassroots organisations.
    diff = selectors.tree_diff(scope=system, start=D(2020, 12, 31), end=Q1_END, root=tree.bloc)
    assert [(a.name, b.name) for a, b in diff.converted] == [(before.name, after.name)]
    assert all(v.type == T.SUBORDINATE_CELL for v in diff.established)
    assert diff.ended == [] and diff.moved == []


def test_q1_2021_holds_eight_consolidations_of_eight_grassroots_organisations(system, tree):
    consolidations = selectors.consolidations_between(
        scope=system, start=Q1_START, end=Q1_END, root=tree.bloc
    )
    assert consolidations.count() == 8
    organizations = {c.organization_id for c in consolidations}
    assert len(organizations) == 8
    grassroots = {
        v.organization_id
        for v in selectors.versions_on(scope=system, at=Q1_END, root=tree.bloc, types=GRASSROOTS)
    }
    assert organizations <= grassroots
    in_q1 = CommitteeConsolidation.objects.filter(effective_date__range=(Q1_START, Q1_END))
    assert in_q1.count() == 8
    assert CommitteeConsolidation.objects.count() > 8  # other quarters have theirs


# the tree ----------------------------------------------------------------------------------------
def check_tree(at: dt.date) -> list[str]:
    """Every version valid on `at` hangs under a parent valid that day, with a consistent path
    and an allowed type; returns the codes of the roots."""
    versions = {
        v.organization_id: v
        for v in OrganizationVersion.objects.filter(
            valid_from__lte=at, valid_to__gt=at
        ).select_related("organization")
    }
    assert (
        len(versions)
        == OrganizationVersion.objects.filter(valid_from__lte=at, valid_to__gt=at).count()
    )
    roots = []
    for version in versions.values():
        if version.parent_id is None:
            roots.append(version.organization.code)
            assert version.path == segment(version.organization_id)
            rules.check_placement(version.type, None)
            continue
        parent = versions.get(version.parent_id)
        assert parent is not None, f"{version.name} has no parent on {at}"
        assert version.path == parent.path + segment(version.organization_id)
        rules.check_placement(version.type, parent.type, child_name=version.name)
        seen, node = {version.organization_id}, parent
        while node.parent_id is not None:
            assert node.organization_id not in seen, f"cycle through {node.name} on {at}"
            seen.add(node.organization_id)
            node = versions[node.parent_id]
    return roots


@pytest.mark.usefixtures("tree")
@pytest.mark.parametrize("year", range(2009, 2027))
def test_the_tree_is_valid_on_every_first_of_january(year):
    roots = check_tree(D(year, 1, 1))
    assert roots == (["BD"] if year <= 2025 else ["GL"])


@pytest.mark.usefixtures("tree")
def test_the_tree_is_valid_on_the_days_of_the_2025_restructuring_and_today():
    for day in (D(2025, 1, 31), D(2025, 2, 1), D(2025, 6, 30)):
        assert check_tree(day) == ["BD"]
    for day in (D(2025, 7, 1), clock.today()):
        assert check_tree(day) == ["GL"]
    assert check_tree(D(2000, 1, 1)) == ["BD"]
    assert check_tree(D(1989, 6, 30)) == []


def test_grassroots_committees_have_3_to_8_subordinate_cells(system, tree):
    for day in (D(2009, 1, 1), D(2017, 7, 1), D(2020, 12, 31), Q1_END, D(2025, 1, 31)):
        committees = selectors.versions_on(
            scope=system, at=day, root=tree.bloc, types=[T.GRASSROOTS_COMMITTEE]
        )
        cells = Counter(
            v.parent_id
            for v in selectors.versions_on(
                scope=system, at=day, root=tree.bloc, types=[T.SUBORDINATE_CELL]
            )
        )
        for committee in committees:
            assert 3 <= cells[committee.organization_id] <= 8, (committee.name, day)
    subs = selectors.versions_on(scope=system, at=Q1_END, root=tree.bloc, types=[T.SUB_COMMITTEE])
    assert len(subs) >= 3


def test_the_bloc_was_formed_in_2008_by_a_merge(system, tree):
    assert tree.bloc.established_on == D(2008, 4, 1)
    assert tree.province.established_on == D(1989, 7, 1)
    assert tree.province.province_code == 52
    merge = OrganizationEvent.objects.get(organization=tree.bloc, kind=EventKind.MERGE)
    assert len(merge.changes["sources"]) == 2
    assert count(system, tree.bloc, D(2008, 4, 1), *GRASSROOTS) == 75


def test_ten_years_of_history_are_recorded_as_decision_backed_events(system, tree):
    events = OrganizationEvent.objects.filter(
        effective_date__range=(D(2009, 1, 1), D(2020, 12, 31))
    )
    kinds = Counter(events.values_list("kind", flat=True))
    assert kinds[EventKind.SPLIT] == 1
    assert kinds[EventKind.MERGE] == 1
    assert kinds[EventKind.RENAME] >= 4
    assert kinds[EventKind.MOVE] >= 2
    assert kinds[EventKind.DISSOLVE] >= 2
    assert kinds[EventKind.CONVERT] >= 4
    assert all(e.decision_id for e in events.exclude(kind=EventKind.UPDATE))
    split = events.get(kind=EventKind.SPLIT)
    assert split.organization.name == "Đảng bộ Sở Văn hóa, Thể thao và Du lịch"
    parts = Organization.objects.filter(code__in=split.changes["parts"]).order_by("code")
    assert [p.name for p in parts] == ["Chi bộ Sở Du lịch", "Đảng bộ Sở Văn hóa và Thể thao"]
    merge = events.get(kind=EventKind.MERGE)
    assert len(merge.changes["sources"]) == 3
    assert merge.decision.issuing_body == "Ban Thường vụ Đảng ủy Khối"
    years = {e.effective_date.year for e in events}
    assert len(years) >= 10


# the 2025 restructuring ---------------------------------------------------------------------------
def test_the_bloc_ends_on_1_february_2025_and_its_organisations_move(system, tree):
    assert tree.bloc.dissolved_on == D(2025, 2, 1)
    assert not OrganizationVersion.objects.filter(
        organization=tree.bloc, valid_to__gt=D(2025, 2, 1)
    ).exists()
    with pytest.raises(Exception, match="không tồn tại"):
        selectors.version_on(scope=system, organization=tree.bloc, at=D(2025, 2, 1))
    before = count(system, tree.bloc, D(2025, 1, 31), *GRASSROOTS)
    party = count(system, tree.party_agencies, D(2025, 2, 1), *GRASSROOTS)
    government = count(system, tree.government, D(2025, 2, 1), *GRASSROOTS)
    assert party + government == before
    assert party > 10 and government > 40
    moves = OrganizationEvent.objects.filter(kind=EventKind.MOVE, effective_date=D(2025, 2, 1))
    assert moves.count() == before
    for code, unit in UNITS.items():
        version = OrganizationVersion.objects.filter(
            organization__code=f"BD.{code}",
            valid_from__lte=D(2025, 2, 1),
            valid_to__gt=D(2025, 2, 1),
        ).first()
        if version is not None:
            expected = tree.party_agencies if unit.side == PARTY_SIDE else tree.government
            assert version.parent_id == expected.pk, version.name
    assert tree.party_agencies.name == "Đảng bộ các cơ quan Đảng tỉnh"
    assert tree.government.name == "Đảng bộ UBND tỉnh"


def test_the_province_joins_gia_lai_on_1_july_2025(system, tree):
    day = D(2025, 7, 1)
    assert tree.province.dissolved_on == day
    gia_lai = tree.gia_lai
    assert (gia_lai.code, gia_lai.type, gia_lai.parent_id) == ("GL", T.PROVINCIAL_COMMITTEE, None)
    assert gia_lai.province_code == 52
    children = selectors.versions_on(scope=system, at=day, root=gia_lai).filter(depth=2)
    assert {v.organization.code for v in children} == {"BD.CQD", "BD.UBND"}
    assert count(system, gia_lai, clock.today(), *GRASSROOTS) == count(
        system, tree.province, D(2025, 6, 30), *GRASSROOTS
    )
    # The report for Q1 2021 reads the same after the restructuring.
    assert count(system, tree.bloc, Q1_END, *GRASSROOTS) == 76


# committees and people ---------------------------------------------------------------------
def test_every_grassroots_organisation_has_a_2020_2025_committee(system, tree):
    for version in selectors.versions_on(
        scope=system, at=D(2020, 12, 31), root=tree.bloc, types=GRASSROOTS
    ):
        term = term_on(version.organization, D(2020, 12, 31))
        assert term is not None and term.name == "2020–2025", version.name
        assert D(2020, 4, 1) <= term.start_date <= D(2020, 8, 31)
        _, seats = selectors.committee_on(
            scope=system, organization=version.organization, at=D(2020, 12, 31)
        )
        positions = Counter(s.position for s in seats)
        assert positions[Position.SECRETARY] == 1, version.name
        if version.type == T.GRASSROOTS_COMMITTEE:
            assert positions[Position.DEPUTY_SECRETARY] >= 1
            assert positions[Position.STANDING_MEMBER] >= 1
            assert len(seats) >= 9
        else:
            assert set(positions) <= {Position.SECRETARY, Position.DEPUTY_SECRETARY}


def test_people_have_vietnamese_names_in_the_right_order():
    names = list(CommitteeSeat.objects.values_list("full_name", flat=True))
    assert len(names) > 1000
    for name in names:
        parts = name.split()
        assert 3 <= len(parts) <= 4, name
        assert parts[0] in FAMILY_NAMES, name
    assert Counter(n.split()[0] for n in names).most_common(1)[0][0] == "Nguyễn"


def test_organisation_names_are_vietnamese_with_diacritics():
    for name in Organization.objects.values_list("name", flat=True):
        assert name.startswith(("Đảng bộ ", "Chi bộ ")), name


# accounts ----------------------------------------------------------------------------------------
def test_the_demo_accounts_log_in_with_the_published_password(tree):
    users = get_user_model().objects
    admin, khoi, chibo = (users.get(username=u) for u in ("admin", "khoi", "chibo"))
    for user in (admin, khoi, chibo):
        assert user.check_password(PASSWORD)
        # hashed by the installation's first hasher (argon2; pytest-django swaps in MD5)
        assert identify_hasher(user.password).algorithm == get_hasher().algorithm
    assert admin.is_superuser and admin.is_staff
    assert khoi.is_staff and not khoi.is_superuser
    assert not chibo.is_staff and not chibo.is_superuser
    assert Grant.objects.get(user=khoi).organization == tree.bloc
    assert Grant.objects.get(user=khoi).role == Role.ADMINISTRATOR
    grant = Grant.objects.get(user=chibo)
    assert grant.role == Role.EDITOR
    assert grant.organization.type == T.GRASSROOTS_CELL
    assert grant.organization.dissolved_on is None


def test_versions_are_open_ended_only_for_living_organisations():
    for organization in Organization.objects.all():
        last = organization.versions.order_by("valid_from").last()
        assert (last.valid_to == OPEN_END) == (organization.dissolved_on is None)
