"""Writes on accounts and scopes: granting and revoking roles, with the audit trail."""

from django.db import transaction

from dangvu.core.errors import DomainError, Forbidden
from dangvu.organizations.models import Organization

from .audit import audit_record
from .models import Grant, Role
from .scopes import Scope


def _require_administrator(scope: Scope, organization: Organization) -> None:
    scope.require(organization, role=Role.ADMINISTRATOR)


@transaction.atomic
def grant_assign(*, scope: Scope, user, organization: Organization, role: str) -> Grant:
    """Give `user` a role over the subtree of `organization` (or change the role they hold)."""
    if role not in Role.values:
        raise DomainError("access.UNKNOWN_ROLE", f"Vai trò «{role}» không hợp lệ.")
    _require_administrator(scope, organization)
    if user.is_superuser and not scope.unrestricted:
        raise Forbidden(
            "access.ROLE_REQUIRED", "Chỉ quản trị hệ thống được phân quyền cho quản trị hệ thống."
        )
    grant = Grant.objects.filter(user=user, organization=organization).first()
    before = {"role": grant.role} if grant else None
    if grant is None:
        grant = Grant.objects.create(user=user, organization=organization, role=role)
    elif grant.role != role:
        grant.role = role
        grant.save(update_fields=["role"])
    audit_record(
        actor=scope.user,
        action="grant.assign",
        obj=grant,
        before=before,
        after={"user": user.get_username(), "organization": organization.code, "role": role},
    )
    return grant


@transaction.atomic
def grant_revoke(*, scope: Scope, grant: Grant) -> None:
    _require_administrator(scope, grant.organization)
    audit_record(
        actor=scope.user,
        action="grant.revoke",
        obj=grant,
        before={
            "user": grant.user.get_username(),
            "organization": grant.organization.code,
            "role": grant.role,
        },
    )
    grant.delete()
