"""API tokens: `dv_` + 40 random characters, shown once; only their SHA-256 is stored."""

import hashlib
import secrets

from django.db import transaction

from dangvu.core import clock

from .audit import audit_record
from .models import APIToken

PREFIX = "dv_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[APIToken, str]:
    key = PREFIX + secrets.token_urlsafe(30)
    token = APIToken.objects.create(
        user=user, name=name.strip() or "API", prefix=key[:10], digest=_digest(key)
    )
    audit_record(actor=user, action="token.create", obj=token, after={"name": token.name})
    return token, key


def token_authenticate(key: str):
    """The active user owning `key`, or None."""
    if not key.startswith(PREFIX):
        return None
    token = APIToken.objects.select_related("user").filter(digest=_digest(key)).first()
    now = clock.now()
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at and token.expires_at <= now)
        or not token.user.is_active
    ):
        return None
    APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
