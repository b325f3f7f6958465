"""Reads of the audit log, through the actor's scope."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from dangvu.core.errors import Forbidden, NotFound
from dangvu.organizations.models import Organization

from .models import AuditEntry, Grant
from .scopes import Scope


def audit_for_object(*, scope: Scope, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """The history of one object; organisations must be inside the scope."""
    if object_type == "organizations.organization":
        organization = (
            Organization.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if organization is None:
            raise NotFound("Tổ chức đảng")
        scope.require(organization)
    elif not scope.unrestricted:
        # Other objects (tokens, grants, ...) carry no place in the tree to check a scope against.
        raise NotFound("Đối tượng")
    return AuditEntry.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )


def audit_for_user(*, scope: Scope, username: str) -> QuerySet[AuditEntry]:
    """Everything one user wrote: for administrators, and only for users inside their scope."""
    if not scope.is_administrator:
        raise Forbidden(
            "access.ADMINISTRATOR_REQUIRED", "Chỉ quản trị viên được xem nhật ký của người dùng."
        )
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound("Người dùng")
    if not scope.unrestricted:
        if user.is_superuser or not user.grants.exists():  # no grant: in nobody's scope
            raise NotFound("Người dùng")
        try:
            for grant in Grant.objects.filter(user=user).select_related("organization"):
                scope.require(grant.organization)
        except NotFound:
            raise NotFound("Người dùng") from None
    return AuditEntry.objects.filter(actor=user).select_related("actor")
