"""The citizen identity number (số định danh cá nhân, printed on the CCCD): a national ID rule,
not a Party rule, so it lives here and not in `rules.py`. Pure: no database, no clock.
"""

from dangvu.core.errors import DomainError

LENGTH = 12
PROVINCE_CODES = range(1, 97)  # 001..096: birth-registration province codes of the Ministry


def century_sex_digit(birth_year: int, sex: str) -> int:
    """The 4th digit: 0/1 for a man/woman born in the 20th century (1900–1999), 2/3 in the
    21st, 4/5 in the 22nd, 6/7 in the 23rd, 8/9 in the 24th."""
    century = birth_year // 100 - 19
    return 2 * century + (1 if sex == "female" else 0)


def check_citizen_id(number: str, *, birth_year: int, sex: str) -> str:
    """The citizen ID, checked against its structure and the person's birth year and sex.

    Thông tư 59/2021/TT-BCA, Điều 7 (cấu trúc số định danh cá nhân): 12 digits; the first 3
    are the code of the province where the birth was registered (001–096), the 4th the
    century-and-sex code, the 5th and 6th the last two digits of the birth year, the last 6 a
    random number.
    """
    number = number.strip()
    if len(number) != LENGTH or not number.isascii() or not number.isdigit():
        raise DomainError(
            "members.INVALID_CITIZEN_ID", "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số."
        )
    if int(number[:3]) not in PROVINCE_CODES:
        raise DomainError(
            "members.INVALID_CITIZEN_ID",
            f"Ba chữ số đầu của số CCCD ({number[:3]}) không phải mã tỉnh nơi đăng ký khai sinh "
            "(001–096).",
        )
    if not 1900 <= birth_year <= 2399:
        raise DomainError(
            "members.CITIZEN_ID_MISMATCH",
            f"Số CCCD không áp dụng cho năm sinh {birth_year}.",
        )
    expected = century_sex_digit(birth_year, sex)
    if int(number[3]) != expected:
        raise DomainError(
            "members.CITIZEN_ID_MISMATCH",
            f"Chữ số thứ tư của số CCCD ({number[3]}) phải là {expected} với người "
            f"{'nữ' if sex == 'female' else 'nam'} sinh năm {birth_year}.",
        )
    if number[4:6] != f"{birth_year % 100:02d}":
        raise DomainError(
            "members.CITIZEN_ID_MISMATCH",
            f"Chữ số thứ năm và thứ sáu của số CCCD ({number[4:6]}) phải là hai số cuối của năm "
            f"sinh ({birth_year % 100:02d}).",
        )
    return number
