"""The member list's "contains" search on PostgreSQL: a trigram index on the folded search text
(members migration 0010) serves `search_text LIKE '%word%'`, which a B-tree cannot."""

import pytest
from django.db import connection

from dangvu.core.names import fold
from dangvu.members.models import MemberStatus, Person
from dangvu.members.selectors import person_list
from dangvu.members.services import search_text
from tests.members.people import add_person

INDEX = "person_search_trgm_idx"
GIVEN = ("An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà", "Khánh", "Lan", "Minh")


@pytest.fixture
def many_members(system, tree):
    """3,000 members of one cell (bulk-created: only the list's columns matter here) and one
    with a rare name."""
    rare = add_person(system, tree["justice"], "Trịnh Thị Xuyến")
    people = []
    for n in range(3000):
        person = Person(
            full_name=f"Nguyễn Văn {GIVEN[n % len(GIVEN)]} {n}",
            given_name=GIVEN[n % len(GIVEN)],
            birth_year=1980,
            sex="male",
            status=MemberStatus.FULL,
            organization=tree["office"],
            name_sort_key=f"{n:06d}",
        )
        person.search_text = search_text(person)
        people.append(person)
    Person.objects.bulk_create(people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # rows inserted after a GIN index was built wait in its pending list, which the
            # planner costs as a full read until a VACUUM (impossible in a transaction) or this
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
            cursor.execute(f"ANALYZE {Person._meta.db_table}")
    return rare


def test_the_folded_search_uses_the_trigram_index(system, many_members):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition and "search_text" in definition
    queryset = person_list(scope=system, q="xuyen")  # folded: "Xuyến" without diacritics
    assert list(queryset) == [many_members]
    assert fold("Xuyến") == "xuyen"
    plan = queryset.explain()
    # one row in 3,000: the planner picks the index by itself
    assert f"Bitmap Index Scan on {INDEX}" in plan, plan
    with connection.cursor() as cursor:
        # a word most names hold is cheaper read whole: rule that out to see the index serves
        cursor.execute("SET LOCAL enable_seqscan = off")
    # two words, two patterns: both answered from the same index
    plan = person_list(scope=system, q="minh 12").explain()
    assert plan.count(INDEX) >= 1 and "~~ '%minh%'" in plan and "~~ '%12%'" in plan, plan
