"""The citizen ID structure (Thông tư 59/2021/TT-BCA, Điều 7)."""

import pytest

from dangvu.core.errors import DomainError
from dangvu.members.identity import century_sex_digit, check_citizen_id


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [
        (1900, "male", 0),
        (1985, "female", 1),
        (1999, "male", 0),
        (2000, "male", 2),
        (2005, "female", 3),
        (2100, "male", 4),
        (2199, "female", 5),
    ],
)
def test_century_and_sex_digit(year, sex, digit):
    assert century_sex_digit(year, sex) == digit


@pytest.mark.parametrize(
    ("number", "year", "sex"),
    [
        ("052085001234", 1985, "male"),  # Bình Định, a man born in 1985
        ("001190123456", 1990, "female"),  # Hà Nội, a woman born in 1990
        ("079203000001", 2003, "male"),  # TP Hồ Chí Minh, 21st century
        ("096301999999", 2001, "female"),  # Cà Mau, the last code
        (" 038099000777 ", 1999, "male"),  # spaces around are dropped
    ],
)
def test_valid_numbers_pass(number, year, sex):
    assert check_citizen_id(number, birth_year=year, sex=sex) == number.strip()


@pytest.mark.parametrize(
    "number",
    [
        "05208500123",
        "0520850012345",
        "05208500123a",
        "0520 8500123",
        "",
        "０５２０８５００１２３４",
    ],
)
def test_twelve_ascii_digits_are_required(number):
    with pytest.raises(DomainError) as error:
        check_citizen_id(number, birth_year=1985, sex="male")
    assert error.value.code == "members.INVALID_CITIZEN_ID"


@pytest.mark.parametrize("number", ["000085001234", "097085001234", "999085001234"])
def test_the_province_code_is_001_to_096(number):
    with pytest.raises(DomainError) as error:
        check_citizen_id(number, birth_year=1985, sex="male")
    assert error.value.code == "members.INVALID_CITIZEN_ID"


@pytest.mark.parametrize(
    ("number", "year", "sex"),
    [
        ("052185001234", 1985, "male"),  # female digit for a man
        ("052085001234", 1985, "female"),  # male digit for a woman
        ("052285001234", 1985, "male"),  # 21st century digit for a 1985 birth
        ("052084001234", 1985, "male"),  # year digits 84 for 1985
        ("052003001234", 2003, "male"),  # 20th century digit for 2003
    ],
)
def test_mismatch_with_birth_year_or_sex(number, year, sex):
    with pytest.raises(DomainError) as error:
        check_citizen_id(number, birth_year=year, sex=sex)
    assert error.value.code == "members.CITIZEN_ID_MISMATCH"
    assert error.value.message
