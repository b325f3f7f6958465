import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from dangvu.access.models import Grant, Role
from dangvu.access.scopes import Scope, scope_for
from dangvu.core.decisions import DecisionInput
from dangvu.organizations import services
from dangvu.organizations.models import OrganizationType as T


def decision(
    day: dt.date, symbol: str = "01-QĐ/TU", body: str = "Ban Thường vụ Tỉnh ủy"
) -> DecisionInput:
    return DecisionInput(symbol=symbol, date=day, issuing_body=body)


def establish(scope, code, name, type_, parent=None, day=dt.date(2010, 1, 1), **extra):
    return services.organization_establish(
        scope=scope,
        spec=services.NewOrganization(code=code, name=name, type=type_, parent=parent, **extra),
        effective_date=day,
        decision=decision(day),
    )


@pytest.fixture
def system() -> Scope:
    return Scope.system()


@pytest.fixture
def tree(db, system):
    """A small province: a bloc with a grassroots committee (two cells) and a grassroots cell."""
    province = establish(system, "BD", "Đảng bộ tỉnh Bình Định", T.PROVINCIAL_COMMITTEE)
    bloc = establish(system, "BD.DUK", "Đảng bộ Khối các cơ quan tỉnh", T.UPPER_COMMITTEE, province)
    health = establish(system, "BD.YT", "Đảng bộ Sở Y tế", T.GRASSROOTS_COMMITTEE, bloc)
    office = establish(system, "BD.YT.VP", "Chi bộ Văn phòng Sở", T.SUBORDINATE_CELL, health)
    inspect = establish(system, "BD.YT.TTR", "Chi bộ Thanh tra Sở", T.SUBORDINATE_CELL, health)
    justice = establish(system, "BD.TP", "Chi bộ Sở Tư pháp", T.GRASSROOTS_CELL, bloc)
    return {
        "province": province,
        "bloc": bloc,
        "health": health,
        "office": office,
        "inspect": inspect,
        "justice": justice,
    }


@pytest.fixture
def make_user(db):
    def make(username: str, organization=None, role: str = Role.EDITOR, **extra):
        user = get_user_model().objects.create_user(
            username=username, password="Mật-khẩu-2026", **extra
        )
        if organization is not None:
            Grant.objects.create(user=user, organization=organization, role=role)
        return user

    return make


@pytest.fixture
def scope_of():
    return scope_for


def pytest_configure(config):
    """Argon2 is slow on purpose; tests hash passwords with MD5. The production setting is
    checked in tests/access/test_tokens.py."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client_for(db):
    """A Django test client, logged in (session) as `user` when one is given."""
    from django.test import Client

    def make(user=None, **kwargs):
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make
