"""The round trip of the whole demo installation (restructuring, transfers, badges, candidates
and sponsors, committees, targets): the same file and the same figures after an export, an
import into an emptied database and a second export."""

import pytest

from dangvu.demo import build
from dangvu.members.models import MemberEvent, Sponsor

from .test_exchange_round_trip import export, figures, gzip, load, wipe


@pytest.mark.slow
def test_the_demo_round_trip_is_identical(db, system):
    build()
    assert Sponsor.objects.exists()
    assert MemberEvent.objects.filter(kind="transfer_in").exists()
    assert MemberEvent.objects.filter(kind="badge_proposal").exists()
    first = export()
    codes = ["BD", "BD.DUK", "BD.KDCD", "BD.UBND"]
    before = figures(codes)
    wipe()
    report = load(system, first)
    assert report.ok, report.as_text()
    assert gzip.decompress(export()) == gzip.decompress(first)
    assert figures(codes) == before
    again = load(system, first)
    assert again.ok and sum(s.created for s in again.sheets) == 0
