"""Fixtures of the data-quality tests."""

import pytest

from dangvu.members.models import PersonPhoto
from tests.members.people import add_person

from .support import PNG, D, member


@pytest.fixture
def twins(system, tree):
    """A full member entered in the office cell, and the same man entered again in the
    justice cell (without diacritics) with his citizen ID and a photo."""
    kept = member(system, tree["office"], "Nguyễn Văn Đức", D(2015, 3, 10), birth_year=1980,
                  birth_month=5, birth_day=3, hometown="Tuy Phước, Bình Định")  # fmt: skip
    removed = add_person(
        system, tree["justice"], "NGUYEN VAN DUC", birth_year=1980, birth_month=5, birth_day=3,
        citizen_id="052080001234", phone="0905123456",
    )  # fmt: skip
    PersonPhoto.objects.create(person=removed, content=PNG, content_type="image/png")
    return kept, removed
