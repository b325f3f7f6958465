"""The synthetic data in a database: the bloc loaded by `dangvu synth` in the test database
(SQLite, or PostgreSQL when DATABASE_URL says so), every sampled person's events replayed by the rules
(the services' `person_state`) into exactly the stored file and periods, figures that
reconcile."""

import io
import random
from collections import defaultdict

import pytest
from django.db import connection, transaction

from dangvu.core.errors import DomainError
from dangvu.members.lifecycle import PROJECTION, person_state
from dangvu.members.models import MemberEvent, MembershipPeriod, Person
from dangvu.members.services import search_text
from dangvu.organizations.models import Organization
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period
from dangvu.synth.build import SCALES, synth

pytestmark = pytest.mark.django_db

PERIOD_FIELDS = ("organization_id", "status", "exempt", "valid_from", "valid_to")
PERIOD_FIELDS += ("start_reason", "end_reason")


@pytest.fixture(scope="module")
def bloc(django_db_setup, django_db_blocker):
    """One load for the module, rolled back at its end (as in tests/test_demo_members.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        result = synth(scale=SCALES["bloc"], out=lambda line: out.write(line + "\n"))
        yield result, out.getvalue()
        transaction.set_rollback(True)


def sample(size: int, seed: int = 1) -> list[Person]:
    """Random persons, and a few with each kind of event."""
    rng = random.Random(seed)
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    chosen = set(rng.sample(ids, min(size, len(ids))))
    by_kind = defaultdict(list)
    for kind, person in MemberEvent.objects.values_list("kind", "person_id").order_by("id"):
        by_kind[kind].append(person)
    for persons in by_kind.values():
        chosen |= set(rng.sample(persons, min(15, len(persons))))
    return list(Person.objects.filter(id__in=chosen).order_by("id"))


def test_replayed_by_the_rules_each_sampled_person_is_the_stored_one(bloc):
    persons = sample(400)
    assert len(persons) >= 400
    for person in persons:
        try:
            state = person_state(person)
        except DomainError as error:  # pragma: no cover - the message names the event
            pytest.fail(f"person {person.pk}: {error.code}: {error.message}")
        assert {f: getattr(state, f) for f in PROJECTION} == {
            f: getattr(person, f) for f in PROJECTION
        }, person.pk
        stored = list(
            MembershipPeriod.objects.filter(person=person)
            .order_by("valid_from", "id")
            .values_list(*PERIOD_FIELDS)
        )
        replayed = [tuple(getattr(p, f) for f in PERIOD_FIELDS) for p in state.periods]
        assert stored == replayed, person.pk
        assert state.card_number == person.card_number
        assert person.search_text == search_text(person)


@pytest.mark.parametrize(
    ("code", "root"),
    [("2016-Q3", "bloc"), ("2021-Q1", "bloc"), ("2024", "bloc"), ("2025-Q3", "central")],
)
def test_the_figures_reconcile(bloc, code, root):
    """The bloc (a district committee, dissolved on 01/07/2025), and the root through the
    reorganisation."""
    result, _ = bloc
    period = parse_period(code)
    root = Organization.objects.get(pk=result.roots[root])
    opening = engine.stocks(root, period.day_before)["members.total"]
    closing = engine.stocks(root, period.end)["members.total"]
    assert closing > 1000
    check = engine.balance(opening, closing, engine.flows(root, period))
    assert check.holds, (code, check)


def test_the_summary_is_in_vietnamese(bloc):
    result, text = bloc
    assert result.loaded and result.counts["members_person"] == 5000
    assert "Tạo dữ liệu tổng hợp quy mô cấp khối: 5.000 người" in text
    assert "Lý lịch" in text and "5.000" in text and "Tổng thời gian:" in text
    if connection.vendor == "postgresql":
        assert "Dung lượng cơ sở dữ liệu (pg_database_size):" in text


def test_on_postgresql_the_load_is_copy_and_the_size_is_reported(bloc):
    if connection.vendor != "postgresql":
        pytest.skip("COPY and pg_database_size: PostgreSQL only")
    result, text = bloc
    assert "(COPY, kèm chỉ mục)" in text
    assert result.database_bytes > 5 * 2**20
    with connection.cursor() as cursor:  # the indexes and foreign keys are back
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'members_memberevent'::regclass "
            "AND contype = 'f'"
        )
        assert cursor.fetchone()[0] >= 3
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'members_person'")
        assert cursor.fetchone()[0] >= 5
