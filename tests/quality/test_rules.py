"""The pure duplicate rules: Vietnamese-aware keys, the score of a pair, ranking, the score
of an organisation."""

from dangvu.quality import rules
from dangvu.quality.rules import MatchKind, PersonFacts

HOMETOWN = "xã Phước Hòa, huyện Tuy Phước, tỉnh Bình Định"


def facts(key, name, year=1980, month=5, day=3, hometown=HOMETOWN, **extra):
    return PersonFacts(key, name, year, month, day, extra.pop("sex", "male"), hometown, **extra)


def test_name_key_folds_diacritics_d_case_and_spaces():
    assert rules.name_key("  Nguyễn   Văn  ĐỨC ") == "nguyen van duc"
    assert rules.name_key("NGUYEN VAN DUC") == "nguyen van duc"
    assert rules.name_key("Lê Thị Thu-Hà") == "le thi thu ha"


def test_hometown_key_drops_the_kind_of_unit_where_it_opens_a_part():
    assert rules.hometown_key(HOMETOWN) == "phuoc hoa tuy phuoc binh dinh"
    assert (
        rules.hometown_key("Phước Hòa - Tuy Phước - Bình Định") == "phuoc hoa tuy phuoc binh dinh"
    )
    assert rules.hometown_key("huyện Quan Hóa, tỉnh Thanh Hóa") == "quan hoa thanh hoa"
    assert rules.hometown_key("TP. Hồ Chí Minh") == "ho chi minh"


def test_the_same_name_without_diacritics_born_the_same_day_and_place_is_a_match():
    match = rules.match(
        facts(1, "Nguyễn Văn Đức"),
        facts(2, "NGUYEN VAN DUC", hometown="Phước Hòa, Tuy Phước, Bình Định"),
    )
    assert match is not None
    assert match.kind == MatchKind.IDENTICAL
    assert match.score == 1.0


def test_namesakes_born_twelve_years_apart_are_not_a_match():
    assert rules.match(facts(1, "Nguyễn Văn Đức", 1980), facts(2, "Nguyễn Văn Đức", 1992)) is None
    assert (
        rules.find_duplicates([facts(1, "Nguyễn Văn Đức", 1980), facts(2, "Nguyễn Văn Đức", 1992)])
        == []
    )


def test_a_missing_middle_name_or_birth_day_is_still_suspect():
    missing_middle = rules.match(facts(1, "Nguyễn Văn Đức"), facts(2, "Nguyễn Đức"))
    assert missing_middle is not None and missing_middle.kind == MatchKind.SIMILAR
    year_only = rules.match(
        facts(1, "Trần Thị Mỹ Hạnh"), facts(2, "Tran Thi My Hanh", month=None, day=None)
    )
    assert year_only is not None and year_only.score >= rules.SUSPECT_THRESHOLD


def test_different_given_names_born_the_same_day_in_the_same_place_are_two_people():
    assert rules.match(facts(1, "Nguyễn Ngọc Sang"), facts(2, "Nguyễn Văn Sơn")) is None
    assert rules.match(facts(1, "Huỳnh Thị Hạnh"), facts(2, "Nguyễn Thị Hạnh")) is None


def test_the_same_name_and_year_born_on_other_days_are_namesakes():
    assert (
        rules.match(facts(1, "Lê Văn Hùng", day=3), facts(2, "Lê Văn Hùng", month=9, day=21))
        is None
    )


def test_two_different_citizen_ids_are_two_people_whatever_the_rest():
    a = facts(1, "Phạm Minh Tuấn", citizen_id="052080001234")
    b = facts(2, "Phạm Minh Tuấn", citizen_id="052080009999")
    assert rules.match(a, b) is None


def test_citizen_id_duplicates_rank_first_then_identical_then_by_score():
    rows = [
        facts("r1", "Nguyễn Văn Đức"),
        facts("r2", "NGUYEN VAN DUC"),  # identical once folded
        facts("r3", "Võ Thị Lan", 1975, 1, 1, sex="female", hometown=""),
        facts("r4", "Vo Thi Lan", 1975, None, None, sex="female", hometown=""),  # similar
        facts("r5", "Đặng Quốc Bảo", 1990, 2, 2, citizen_id="052090001111"),
        facts("r6", "Đặng Bảo", 1991, 7, 7, hometown="Hà Nội", citizen_id="052090001111"),
    ]
    found = rules.find_duplicates(rows)
    assert [(m.first, m.second, m.kind) for m in found] == [
        ("r5", "r6", MatchKind.CITIZEN_ID),
        ("r1", "r2", MatchKind.IDENTICAL),
        ("r3", "r4", MatchKind.SIMILAR),
    ]


def test_rows_of_an_import_are_read_with_the_person_input_names():
    rows = [
        PersonFacts.from_row(7, {"full_name": "Nguyễn Văn Đức", "birth_year": 1980, "birth_month": 5,
                                 "birth_day": 3, "sex": "male", "hometown": HOMETOWN}),
        PersonFacts.from_row(9, {"full_name": "nguyen van  duc", "birth_year": 1980, "birth_month": 5,
                                 "birth_day": 3, "sex": "male", "hometown": "Phước Hòa, Tuy Phước"}),
    ]  # fmt: skip
    [found] = rules.find_duplicates(rows)
    assert (found.first, found.second, found.kind) == (7, 9, MatchKind.SIMILAR)


def test_a_block_larger_than_the_limit_is_not_scored():
    rows = [facts(i, "Nguyễn Văn Hùng", hometown="") for i in range(rules.MAX_BLOCK + 1)]
    assert rules.find_duplicates(rows) == []


def test_organization_score_is_100_minus_weighted_problems_per_100_members():
    assert rules.organization_score(50, {}) == 100.0
    assert rules.organization_score(50, {"quality.MISSING_CITIZEN_ID": 5}) == 90.0
    assert rules.organization_score(20, {"quality.MEMBER_IN_ENDED_ORGANIZATION": 2}) == 50.0
    assert rules.organization_score(1, {"quality.STALE_RECORD": 10}) == 0.0
    assert rules.organization_score(0, {"quality.DUPLICATE_SUSPECT": 1}) == 0.0
