"""The rules of the candidates pipeline: sponsors, the awareness-course certificate, the cell's
two-thirds vote and what a candidate still lacks (Điều lệ Đảng 2011, Điều 4; Quy định
294-QĐ/TW; Hướng dẫn 06-HD/TW 2025)."""

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.errors import DomainError
from dangvu.members import rules
from dangvu.members.models import SponsorKind
from dangvu.members.parameters import Parameters
from dangvu.members.rules import CandidateLack as L
from dangvu.members.rules import SponsorFacts

D = dt.date
P = Parameters()
SPONSORED, SINCE, FULL = D(2024, 3, 1), D(2023, 3, 1), D(2016, 3, 1)
VOTED = D(2024, 5, 10)


def member(sponsored_on=SPONSORED, *, since=SINCE, full=FULL, left=None):
    return SponsorFacts(
        kind=SponsorKind.MEMBER,
        sponsored_on=sponsored_on,
        full_member_date=full,
        left_on=left,
        worked_with_since=since,
        name="Trần Văn Hùng",
    )


def resolution(kind=SponsorKind.YOUTH_UNION, sponsored_on=SPONSORED):
    return SponsorFacts(kind=kind, sponsored_on=sponsored_on)


def code_of(call) -> str:
    with pytest.raises(DomainError) as info:
        call()
    return info.value.code


# sponsors -------------------------------------------------------------------------------------
def test_the_parameters_default_to_the_charter_numbers():
    assert (P.sponsors_required, P.sponsor_min_months_together) == (2, 12)
    assert (P.admission_vote_numerator, P.admission_vote_denominator) == (2, 3)
    assert P.awareness_certificate_valid_months == 60


def test_sponsor_with_twelve_months_together_qualifies_dieu_le_dieu_4():
    """01/03/2023 → 01/03/2024: exactly the 12 months, the first day the sponsor qualifies."""
    sponsor = member(sponsored_on=D(2024, 3, 1), since=D(2023, 3, 1))
    assert rules.full_months(sponsor.worked_with_since, sponsor.sponsored_on) == 12
    assert rules.check_sponsor(sponsor, D(2024, 3, 1), P) is None  # no error: qualifies


def test_sponsor_with_eleven_months_together_is_refused_dieu_le_dieu_4():
    """01/03/2023 → 29/02/2024 is 11 full months: one day short of the year."""
    sponsor = member(sponsored_on=D(2024, 2, 29), since=D(2023, 3, 1))
    with pytest.raises(DomainError) as info:
        rules.check_sponsor(sponsor, D(2024, 2, 29), P)
    assert info.value.code == "members.CANDIDATE_SPONSOR_TOO_SHORT"
    assert "12 tháng" in info.value.message and "mới được 11 tháng" in info.value.message


def test_sponsor_months_are_counted_to_the_recommendation_not_to_the_vote_294_qd_tw():
    """Eleven months when recommending, thirteen at the vote: still too short."""
    sponsor = member(sponsored_on=D(2024, 2, 1), since=D(2023, 3, 1))
    assert code_of(lambda: rules.check_sponsor(sponsor, D(2024, 4, 1), P)) == (
        "members.CANDIDATE_SPONSOR_TOO_SHORT"
    )


def test_sponsor_months_at_a_month_end_follow_add_months():
    assert rules.sponsor_valid(member(D(2024, 2, 29), since=D(2023, 2, 28)), D(2024, 2, 29), P)
    assert not rules.sponsor_valid(member(D(2024, 1, 30), since=D(2023, 1, 31)), D(2024, 3, 1), P)
    assert rules.sponsor_valid(member(D(2024, 1, 31), since=D(2023, 1, 31)), D(2024, 3, 1), P)


def test_sponsor_months_follow_the_parameter():
    sponsor = member(sponsored_on=D(2024, 3, 1), since=D(2023, 9, 1))
    assert not rules.sponsor_valid(sponsor, D(2024, 3, 1), P)
    assert rules.sponsor_valid(
        sponsor, D(2024, 3, 1), dataclasses.replace(P, sponsor_min_months_together=6)
    )


def test_a_probationary_member_cannot_sponsor_dieu_le_dieu_4():
    sponsor = member(full=None)
    with pytest.raises(DomainError) as info:
        rules.check_sponsor(sponsor, D(2024, 3, 1), P)
    assert info.value.code == "members.CANDIDATE_SPONSOR_NOT_FULL_MEMBER"
    assert "Trần Văn Hùng" in info.value.message and "01/03/2024" in info.value.message


def test_a_sponsor_must_be_full_on_the_day_of_the_recommendation():
    """Recognised the day after recommending: the recommendation does not count."""
    assert not rules.sponsor_valid(member(D(2024, 3, 1), full=D(2024, 3, 2)), D(2024, 5, 10), P)
    assert rules.sponsor_valid(member(D(2024, 3, 1), full=D(2024, 3, 1)), D(2024, 5, 10), P)


def test_a_sponsor_out_of_the_party_by_the_vote_no_longer_counts():
    """Struck off (or deceased) on 10/05/2024: valid until the day before only."""
    sponsor = member(left=D(2024, 5, 10))
    assert rules.sponsor_valid(sponsor, D(2024, 5, 9), P)
    assert code_of(lambda: rules.check_sponsor(sponsor, D(2024, 5, 10), P)) == (
        "members.CANDIDATE_SPONSOR_NOT_FULL_MEMBER"
    )


def test_a_recommendation_after_the_vote_does_not_count():
    assert code_of(lambda: rules.check_sponsor(member(D(2024, 5, 11)), D(2024, 5, 10), P)) == (
        "members.CANDIDATE_SPONSOR_AFTER_VOTE"
    )
    assert not rules.sponsor_valid(resolution(sponsored_on=D(2024, 5, 11)), D(2024, 5, 10), P)


def test_full_member_on_a_day_needs_the_full_date_and_no_exit():
    assert not rules.is_full_member_on(None, None, D(2024, 1, 1))
    assert rules.is_full_member_on(D(2024, 1, 1), None, D(2024, 1, 1))
    assert not rules.is_full_member_on(D(2024, 1, 2), None, D(2024, 1, 1))
    assert not rules.is_full_member_on(D(2020, 1, 1), D(2024, 1, 1), D(2024, 1, 1))


@pytest.mark.parametrize(
    ("sponsors", "enough"),
    [
        ([member(), member()], True),
        ([member()], False),
        ([], False),
        ([member(), resolution()], True),
        ([member(), resolution(SponsorKind.TRADE_UNION)], True),
        ([resolution()], False),
        ([resolution(), resolution(SponsorKind.TRADE_UNION)], False),
        ([member(), member(full=None)], False),
        ([member(full=None), resolution()], False),
        ([member(), resolution(sponsored_on=D(2024, 6, 1))], False),
    ],
    ids=[
        "two full members",
        "one member",
        "nobody",
        "one member and the Youth Union",
        "one member and the trade union",
        "a resolution alone",
        "two resolutions and no member",
        "one of two not a full member",
        "a resolution and a probationary member",
        "a resolution dated after the vote",
    ],
)
def test_two_full_members_or_one_and_a_union_resolution_dieu_le_dieu_4(sponsors, enough):
    assert rules.sponsors_sufficient(sponsors, D(2024, 5, 10), P) is enough


# the awareness-course certificate -------------------------------------------------------------
def test_certificate_is_valid_on_its_last_day_and_expired_the_day_after_hd_06():
    """Issued 15/03/2021, 60 months (uncertain parameter): valid to 14/03/2026 inclusive."""
    issued = D(2021, 3, 15)
    assert rules.certificate_expires(issued, P) == D(2026, 3, 14)
    assert rules.certificate_valid_on(issued, D(2026, 3, 14), P)
    assert not rules.certificate_valid_on(issued, D(2026, 3, 15), P)


def test_certificate_counts_from_its_day_of_issue():
    issued = D(2021, 3, 15)
    assert rules.certificate_valid_on(issued, issued, P)
    assert not rules.certificate_valid_on(issued, D(2021, 3, 14), P)
    assert not rules.certificate_valid_on(None, issued, P)


def test_certificate_of_29_february_ends_with_the_clamped_month():
    assert rules.certificate_expires(D(2020, 2, 29), P) == D(2025, 2, 27)


def test_certificate_validity_follows_the_parameter():
    short = dataclasses.replace(P, awareness_certificate_valid_months=36)
    assert rules.certificate_expires(D(2021, 3, 15), short) == D(2024, 3, 14)


# the cell's vote ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("in_favour", "full", "passes"),
    [
        (6, 9, True),
        (5, 9, False),
        (6, 8, True),
        (5, 8, False),
        (2, 3, True),
        (1, 3, False),
        (100, 150, True),
        (99, 150, False),
        (1, 1, True),
        (0, 1, False),
    ],
)
def test_the_cell_needs_two_thirds_of_its_full_members_294_qd_tw(in_favour, full, passes):
    assert rules.vote_passes(in_favour, full, P) is passes


@pytest.mark.parametrize(("full", "needed"), [(1, 1), (3, 2), (7, 5), (8, 6), (9, 6), (12, 8)])
def test_votes_needed_is_two_thirds_rounded_up(full, needed):
    assert rules.votes_needed(full, P) == needed


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_vote_passes_is_exact_two_thirds_in_integers(full, data):
    in_favour = data.draw(st.integers(min_value=0, max_value=full))
    assert rules.vote_passes(in_favour, full, P) is (Fraction(in_favour, full) >= Fraction(2, 3))
    assert rules.vote_passes(in_favour, full, P) is (in_favour >= rules.votes_needed(full, P))


@pytest.mark.parametrize(("in_favour", "full"), [(10, 9), (-1, 9), (0, 0), (1, 0)])
def test_impossible_vote_counts_are_refused(in_favour, full):
    assert code_of(lambda: rules.vote_passes(in_favour, full, P)) == (
        "members.CANDIDATE_VOTE_INVALID"
    )


# what a candidate lacks -----------------------------------------------------------------------
def lacks(on=VOTED, **changes):
    values = {
        "certificate_date": D(2023, 10, 15),
        "sponsors": [member(), member()],
        "background_check_date": D(2024, 4, 20),
        "background_check_result": "passed",
        "application_date": D(2024, 3, 10),
        "vote_date": D(2024, 5, 10),
        "votes_in_favour": 9,
        "full_members": 12,
        **changes,
    }
    return rules.candidate_missing(on=on, params=P, **values)


def test_a_complete_dossier_with_a_passed_vote_lacks_nothing():
    assert lacks() == []


def test_an_empty_dossier_lacks_everything_in_the_order_of_the_dossier():
    missing = lacks(
        certificate_date=None,
        sponsors=[],
        background_check_date=None,
        background_check_result="",
        application_date=None,
        vote_date=None,
        votes_in_favour=None,
        full_members=None,
    )
    assert missing == [L.CERTIFICATE, L.SPONSORS, L.BACKGROUND_CHECK, L.APPLICATION, L.VOTE]
    assert [lack.label for lack in missing] == [
        "Chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
        "Thiếu người giới thiệu",
        "Chưa thẩm tra lý lịch",
        "Chưa có đơn xin vào Đảng",
        "Chi bộ chưa biểu quyết",
    ]


def test_an_expired_certificate_is_named_as_such():
    missing = lacks(on=D(2028, 10, 15), certificate_date=D(2023, 10, 15), vote_date=None)
    assert missing[0] == L.CERTIFICATE_EXPIRED
    assert missing[0].label == "Giấy chứng nhận đã hết hạn"
    assert lacks(on=D(2028, 10, 14), vote_date=None)[0] != L.CERTIFICATE_EXPIRED


def test_a_failed_background_check_and_a_failed_vote_are_lacks_of_their_own():
    assert lacks(background_check_result="failed") == [L.BACKGROUND_CHECK_FAILED]
    assert lacks(votes_in_favour=7, full_members=12) == [L.VOTE_FAILED]
    assert lacks(background_check_result="") == [L.BACKGROUND_CHECK]


def test_papers_dated_after_the_day_judged_are_not_there_yet():
    """Judged on the vote date: an application written the day after does not count."""
    assert lacks(application_date=D(2024, 5, 11)) == [L.APPLICATION]
    assert lacks(certificate_date=D(2024, 5, 11)) == [L.CERTIFICATE]
    assert lacks(background_check_date=D(2024, 5, 11)) == [L.BACKGROUND_CHECK]


def test_one_member_and_a_youth_union_resolution_lack_no_sponsor():
    assert lacks(sponsors=[member(), resolution()]) == []
    assert lacks(sponsors=[member()]) == [L.SPONSORS]
