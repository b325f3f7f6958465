"""Scopes: the subtrees of the granted organisations, as the tree stood on each date."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.access.models import Grant, Role
from dangvu.access.scopes import Scope, reference_date, scope_for
from dangvu.core import clock
from dangvu.core.errors import DomainError, Forbidden, NotFound
from dangvu.organizations import selectors, services
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import decision, establish

D = dt.date


def visible(scope: Scope, day: dt.date) -> set[str]:
    return {v.organization.code for v in selectors.versions_on(scope=scope, at=day)}


def below(organization: Organization, day: dt.date) -> set[str]:
    """The subtree of `organization` on `day`, walking parent links (the naive way)."""
    versions = {
        v.organization_id: v
        for v in OrganizationVersion.objects.filter(valid_from__lte=day, valid_to__gt=day)
    }
    found = set()
    for org_id, version in versions.items():
        node = version
        while node is not None:
            if node.organization_id == organization.pk:
                found.add(Organization.objects.get(pk=org_id).code)
                break
            node = versions.get(node.parent_id)
    return found


def test_every_combination_of_grants_sees_the_union_of_subtrees(tree, make_user):
    user = make_user("nhieu-quyen")
    day = D(2020, 1, 1)
    organizations = list(tree.values())
    subtrees = {o.pk: below(o, day) for o in organizations}
    for size in range(len(organizations) + 1):
        for granted in itertools.combinations(organizations, size):
            Grant.objects.filter(user=user).delete()
            for organization in granted:
                Grant.objects.create(user=user, organization=organization, role=Role.VIEWER)
            expected = set().union(*(subtrees[o.pk] for o in granted))
            assert visible(scope_for(user), day) == expected, [o.code for o in granted]


def test_role_for_is_the_highest_role_covering_the_path(tree, make_user):
    user = make_user("hai-quyen", tree["bloc"], Role.VIEWER)
    Grant.objects.create(user=user, organization=tree["health"], role=Role.APPROVER)
    scope = scope_for(user)
    day = D(2020, 1, 1)

    def role(key):
        return scope.role_for(scope.require(tree[key], at=day).path, day)

    assert role("office") == Role.APPROVER
    assert role("health") == Role.APPROVER
    assert role("justice") == Role.VIEWER
    assert role("bloc") == Role.VIEWER
    assert (
        scope.role_for(
            OrganizationVersion.objects.filter(organization=tree["province"])[0].path, day
        )
        is None
    )


def test_require_says_not_found_outside_and_forbidden_inside(tree, make_user):
    scope = scope_for(make_user("xem", tree["health"], Role.VIEWER))
    version = scope.require(tree["office"])
    assert version.organization_id == tree["office"].pk
    with pytest.raises(NotFound) as outside:
        scope.require(tree["justice"])
    assert outside.value.code == "core.NOT_FOUND"
    with pytest.raises(Forbidden) as role:
        scope.require(tree["office"], role=Role.EDITOR)
    assert role.value.code == "access.ROLE_REQUIRED"
    assert "Cập nhật" in role.value.message and "Chi bộ Văn phòng Sở" in role.value.message
    with pytest.raises(NotFound):  # before it existed
        scope.require(tree["office"], at=D(2009, 12, 31))


def test_roles_are_ordered():
    order = [Role.VIEWER, Role.EDITOR, Role.APPROVER, Role.ADMINISTRATOR]
    assert sorted(order, key=Role.rank) == order
    assert [Role.rank(r) for r in order] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("extra", "unrestricted", "grants"),
    [
        ({"is_superuser": True}, True, ()),
        ({"is_active": False}, False, ()),
    ],
    ids=["superuser", "inactive"],
)
def test_scope_for_special_users(tree, make_user, extra, unrestricted, grants):
    user = make_user("dac-biet", tree["bloc"], Role.EDITOR, **extra)
    scope = scope_for(user)
    assert scope.unrestricted is unrestricted
    assert scope.grants == grants


def test_anonymous_and_missing_users_see_nothing(tree):
    for user in (None, AnonymousUser()):
        scope = scope_for(user)
        assert not scope.unrestricted and scope.grants == ()
        assert visible(scope, D(2020, 1, 1)) == set()


def test_system_scope_sees_everything_and_is_administrator(tree, system):
    assert visible(system, D(2020, 1, 1)) == {o.code for o in tree.values()}
    assert system.is_administrator and system.user_id is None


def test_is_administrator_follows_the_grants(tree, make_user):
    assert not scope_for(make_user("a", tree["bloc"], Role.APPROVER)).is_administrator
    assert scope_for(make_user("b", tree["office"], Role.ADMINISTRATOR)).is_administrator


def test_reference_date(tree, system):
    today = clock.today()
    assert reference_date(tree["justice"]) == today
    future = establish(
        system,
        "BD.TL",
        "Chi bộ tương lai",
        T.GRASSROOTS_CELL,
        tree["bloc"],
        today + dt.timedelta(30),
    )
    assert reference_date(future) == today + dt.timedelta(30)
    services.organization_dissolve(
        scope=system,
        organization=tree["inspect"],
        effective_date=D(2020, 1, 1),
        decision=decision(D(2020, 1, 1)),
    )
    tree["inspect"].refresh_from_db()
    assert reference_date(tree["inspect"]) == D(2019, 12, 31)


def test_a_grant_on_a_dissolved_organisation_sees_nothing_after_it_ended(tree, system, make_user):
    scope = scope_for(make_user("ttr", tree["inspect"], Role.EDITOR))
    services.organization_dissolve(
        scope=system,
        organization=tree["inspect"],
        effective_date=D(2020, 1, 1),
        decision=decision(D(2020, 1, 1)),
    )
    assert visible(scope, D(2019, 12, 31)) == {"BD.YT.TTR"}
    assert visible(scope, D(2020, 1, 1)) == set()


def test_a_grant_follows_its_organisation_when_it_moves(tree, system, make_user):
    """A grant on the health committee covers it wherever it sits; a grant on the bloc covers
    it only while it sits in the bloc."""
    bloc2 = establish(system, "BD.DUK2", "Đảng bộ Khối 2", T.UPPER_COMMITTEE, tree["province"])
    services.organization_move(
        scope=system,
        organization=tree["health"],
        parent=bloc2,
        effective_date=D(2020, 1, 1),
        decision=decision(D(2020, 1, 1)),
    )
    health = scope_for(make_user("yte", tree["health"], Role.VIEWER))
    bloc = scope_for(make_user("khoi", tree["bloc"], Role.VIEWER))
    health_codes = {"BD.YT", "BD.YT.VP", "BD.YT.TTR"}
    for day in (D(2015, 1, 1), D(2021, 1, 1)):
        assert visible(health, day) == health_codes
    assert visible(bloc, D(2015, 1, 1)) == {"BD.DUK", "BD.TP"} | health_codes
    assert visible(bloc, D(2021, 1, 1)) == {"BD.DUK", "BD.TP"}


# property: the scope on a date is the subtree on that date ----------------------------------
MOVE_DAYS = st.dates(min_value=D(2011, 1, 1), max_value=D(2030, 12, 31))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["office", "inspect"]), MOVE_DAYS), min_size=1, max_size=4
    ),
    probes=st.lists(
        st.dates(min_value=D(2009, 1, 1), max_value=D(2032, 1, 1)), min_size=1, max_size=4
    ),
)
def test_scope_on_a_date_is_the_subtree_on_that_date(tree, system, make_user, moves, probes):
    """Cells shuttle between two grassroots committees on random dates; a grant on either
    committee sees exactly what sits under it on any date."""
    with transaction.atomic():
        other = establish(
            system, "BD.GD", "Đảng bộ Sở Giáo dục", T.GRASSROOTS_COMMITTEE, tree["bloc"]
        )
        parents = {"office": tree["health"], "inspect": tree["health"]}
        for key, day in sorted(moves, key=lambda m: m[1]):
            target = other if parents[key] == tree["health"] else tree["health"]
            try:
                services.organization_move(
                    scope=system,
                    organization=tree[key],
                    parent=target,
                    effective_date=day,
                    decision=decision(day),
                )
            except DomainError:
                continue  # two moves of one cell on the same day
            parents[key] = target
        for committee in (tree["health"], other):
            user = make_user(f"u{committee.pk}", committee, Role.VIEWER)
            for day in probes:
                assert visible(scope_for(user), day) == below(committee, day)
        transaction.set_rollback(True)
