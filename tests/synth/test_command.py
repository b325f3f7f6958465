"""`dangvu synth` at a reduced size on the test database (SQLite, or PostgreSQL when
DATABASE_URL says so): loads, does nothing the second time, refuses over other data, starts
afresh when asked."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dangvu.members.models import Person
from dangvu.organizations.models import Organization
from dangvu.synth.build import META_TABLE

pytestmark = pytest.mark.django_db


def test_the_command_at_a_reduced_size_reuses_refuses_and_starts_afresh():
    out = io.StringIO()
    args = ("synth", "--scale", "bloc", "--members", "600", "--orgs", "120")
    call_command(*args, stdout=out)
    assert Person.objects.count() == 600
    organizations = Organization.objects.count()
    assert 100 <= organizations <= 250
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scale, members, orgs, seed FROM {META_TABLE}")
        assert cursor.fetchall() == [("bloc", 600, 120, 2025)]

    again = io.StringIO()
    call_command(*args, stdout=again)  # the same parameters: nothing to do
    assert "đã có sẵn" in again.getvalue()
    assert Person.objects.count() == 600

    with pytest.raises(CommandError, match="--fresh"):
        call_command(*args, "--seed", "9", stdout=io.StringIO())
    call_command(*args, "--seed", "9", "--fresh", stdout=io.StringIO())
    assert Person.objects.count() == 600
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seed FROM {META_TABLE}")
        assert cursor.fetchall() == [(9,)]
