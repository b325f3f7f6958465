"""The audit log: one append-only row for every write a service makes."""

from typing import Any

from django.db import models

from .models import AuditEntry


def object_label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Called by services inside their transaction, so the row lands with the change or not at all."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_label(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
    )
