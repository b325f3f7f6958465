"""API tokens: shown once, stored as a digest, refused when revoked, expired or orphaned."""

import datetime as dt
import hashlib
import importlib

import pytest
from django.conf import settings

from dangvu.access.models import APIToken, Role
from dangvu.access.tokens import PREFIX, token_authenticate, token_create
from dangvu.core import clock


@pytest.fixture
def user(tree, make_user):
    return make_user("bientap", tree["bloc"], Role.EDITOR)


def test_key_is_shown_once_and_only_its_digest_is_stored(user):
    token, key = token_create(user=user, name="  Máy chủ báo cáo ")
    assert key.startswith(PREFIX) and len(key) == len(PREFIX) + 40
    stored = APIToken.objects.get(pk=token.pk)
    assert stored.name == "Máy chủ báo cáo"
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:10]
    values = APIToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(value) for value in values.values())


def test_keys_are_unique(user):
    keys = {token_create(user=user, name="k")[1] for _ in range(20)}
    assert len(keys) == 20


def test_blank_name_becomes_api(user):
    token, _ = token_create(user=user, name="   ")
    assert token.name == "API"


def test_a_valid_key_authenticates_its_owner_and_is_marked_used(user):
    token, key = token_create(user=user, name="k")
    assert token.last_used_at is None
    assert token_authenticate(key) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("field", "delta"),
    [("revoked_at", dt.timedelta(0)), ("expires_at", dt.timedelta(0))],
    ids=["revoked", "expired-now"],
)
def test_revoked_or_expired_keys_are_refused(user, field, delta):
    token, key = token_create(user=user, name="k")
    APIToken.objects.filter(pk=token.pk).update(**{field: clock.now() - delta})
    assert token_authenticate(key) is None


def test_a_key_with_a_future_expiry_works(user):
    token, key = token_create(user=user, name="k")
    APIToken.objects.filter(pk=token.pk).update(expires_at=clock.now() + dt.timedelta(hours=1))
    assert token_authenticate(key) == user


def test_a_deactivated_owner_is_refused(user):
    _, key = token_create(user=user, name="k")
    user.is_active = False
    user.save()
    assert token_authenticate(key) is None


@pytest.mark.parametrize("key", ["", "dv_", "dv_khongco", "Bearer dv_x", "xx_" + "a" * 40])
def test_unknown_keys_are_refused(user, key):
    token_create(user=user, name="k")
    assert token_authenticate(key) is None


def test_a_key_is_not_accepted_by_its_prefix_alone(user):
    token, key = token_create(user=user, name="k")
    assert token_authenticate(token.prefix) is None
    assert token_authenticate(key[:-1]) is None


def test_the_token_endpoint_returns_the_key_once(user, client_for):
    client = client_for(user)
    response = client.post("/api/tokens", {"name": "CI"}, content_type="application/json")
    assert response.status_code == 201
    key = response.json()["key"]
    assert token_authenticate(key) == user
    assert key not in client.get("/api/me").content.decode()


# passwords ----------------------------------------------------------------------------------
def test_production_hashes_passwords_with_argon2():
    production = importlib.import_module("dangvu.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    importlib.import_module("argon2")  # the hasher's library is installed


def test_tests_hash_with_md5_for_speed(user):
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert user.password.startswith("md5$")
    assert user.check_password("Mật-khẩu-2026")
