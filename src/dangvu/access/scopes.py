"""A user's scope: the subtrees of the organisations they hold a role over.

Every selector and service takes a Scope. Whether an organisation is inside it depends on the
date: the scope on date D is the subtree of each granted organisation as the tree stood on D.
Anything outside is reported as "not found", never as "forbidden".
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from dangvu.core import clock
from dangvu.core.errors import Forbidden, NotFound
from dangvu.organizations import history
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.paths import subtree_end

from .models import Grant, Role


@dataclass(frozen=True)
class Scope:
    user: Any  # the acting user (None for the system itself: demo data, migrations)
    grants: tuple[tuple[int, str], ...] = ()  # (organization id, role)
    unrestricted: bool = False
    _prefixes: dict[dt.date, list[tuple[str, str]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _versions: dict[tuple[int, dt.date], OrganizationVersion | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _generation: list[int] = field(default_factory=lambda: [-1], compare=False, repr=False)

    def _fresh(self) -> None:
        """Drop the cached tree positions once any write has rewritten versions."""
        if self._generation[0] != history.generation:
            self._prefixes.clear()
            self._versions.clear()
            self._generation[0] = history.generation

    @classmethod
    def system(cls) -> "Scope":
        return cls(user=None, unrestricted=True)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def is_administrator(self) -> bool:
        return self.unrestricted or any(role == Role.ADMINISTRATOR for _, role in self.grants)

    def prefixes(self, at: dt.date) -> list[tuple[str, str]]:
        """(path, role) of each granted organisation that exists on `at`."""
        self._fresh()
        if at not in self._prefixes:
            roles = dict(self.grants)
            rows = OrganizationVersion.objects.filter(
                organization_id__in=roles, valid_from__lte=at, valid_to__gt=at
            ).values_list("organization_id", "path")
            self._prefixes[at] = [(path, roles[org_id]) for org_id, path in rows]
        return self._prefixes[at]

    def path_filter(self, at: dt.date, field_name: str = "path") -> Q:
        """A Q on a path column that keeps the rows inside the scope on `at`."""
        if self.unrestricted:
            return Q()
        condition = Q(pk__in=[])
        for path, _ in self.prefixes(at):
            condition |= Q(**{f"{field_name}__gte": path, f"{field_name}__lt": subtree_end(path)})
        return condition

    def role_for(self, path: str, at: dt.date) -> str | None:
        """The highest role that covers the organisation at `path` on `at`."""
        if self.unrestricted:
            return Role.ADMINISTRATOR
        roles = [role for prefix, role in self.prefixes(at) if path.startswith(prefix)]
        return max(roles, key=Role.rank, default=None)

    def prefetch(self, organization_ids, at: dt.date) -> None:
        """Reads the versions on `at` of many organisations in one query per thousand, for
        `require` to find (a loader checking many rows against a few thousand cells)."""
        self._fresh()
        missing = sorted({pk for pk in organization_ids if (pk, at) not in self._versions})
        for index in range(0, len(missing), 1000):
            chunk = missing[index : index + 1000]
            found = {
                version.organization_id: version
                for version in OrganizationVersion.objects.filter(
                    organization_id__in=chunk, valid_from__lte=at, valid_to__gt=at
                ).only("path", "type", "name", "parent_id", "organization_id", "valid_from")
            }
            for pk in chunk:
                self._versions[(pk, at)] = found.get(pk)

    def require(
        self,
        organization: Organization,
        *,
        at: dt.date | None = None,
        role: str = Role.VIEWER,
    ) -> OrganizationVersion:
        """The organisation's version on `at` (default: its reference date), if in scope with
        at least `role`; NotFound when outside the scope or not existing then."""
        at = at or reference_date(organization)
        self._fresh()
        key = (organization.pk, at)
        if key not in self._versions:  # one request asks about the same node several times
            self._versions[key] = (
                OrganizationVersion.objects.filter(
                    organization=organization, valid_from__lte=at, valid_to__gt=at
                )
                .only("path", "type", "name", "parent_id", "organization_id", "valid_from")
                .first()
            )
        version = self._versions[key]
        held = version and self.role_for(version.path, at)
        if not held:
            raise NotFound("Tổ chức đảng")
        if Role.rank(held) < Role.rank(role):
            raise Forbidden(
                "access.ROLE_REQUIRED",
                f"Thao tác này cần vai trò «{Role(role).label}» đối với «{version.name}».",
            )
        return version


def reference_date(organization: Organization) -> dt.date:
    """The date an organisation is judged by when no date is given: today while it exists,
    else its last day (dissolved) or its first day (established later)."""
    today = clock.today()
    if organization.established_on > today:
        return organization.established_on
    if organization.dissolved_on and organization.dissolved_on <= today:
        return organization.dissolved_on - dt.timedelta(days=1)
    return today


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user=None)
    if user.is_superuser:
        return Scope(user=user, unrestricted=True)
    grants = tuple(Grant.objects.filter(user=user).values_list("organization_id", "role"))
    return Scope(user=user, grants=grants)
