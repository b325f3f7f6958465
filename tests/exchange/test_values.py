"""Reading single cells and headers: tolerant of form, strict of meaning."""

import datetime as dt

import pytest

from dangvu.exchange import values
from dangvu.exchange.columns import HEADER_INDEX, PEOPLE, normalize_header
from dangvu.exchange.sheets import find_header, is_numbering_row
from dangvu.exchange.values import CellError


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("05/09/1985", (1985, 9, 5)),
        ("5/9/1985", (1985, 9, 5)),
        (" 05-09-1985 ", (1985, 9, 5)),
        ("05.09.1985", (1985, 9, 5)),
        ("1985-09-05", (1985, 9, 5)),
        (dt.datetime(1985, 9, 5), (1985, 9, 5)),
        (dt.date(1985, 9, 5), (1985, 9, 5)),
        (31295, (1985, 9, 5)),  # an Excel serial
        (31295.0, (1985, 9, 5)),
        ("31295", (1985, 9, 5)),  # a serial saved as text in a CSV
        ("09/1985", (1985, 9, None)),
        (1985, (1985, None, None)),
        ("1985", (1985, None, None)),
        ("ngày 05 tháng 9 năm 1985", (1985, 9, 5)),
        ("tháng 9 năm 1985", (1985, 9, None)),
    ],
)
def test_dates_are_read_in_the_forms_users_write(cell, expected):
    assert values.partial_date(cell) == expected


@pytest.mark.parametrize(
    "cell", ["31/02/1990", "13/13/1990", "05/09/85", "mùng 5", "1/2", True, 12]
)
def test_doubtful_dates_are_refused(cell):
    with pytest.raises(CellError) as raised:
        values.partial_date(cell)
    assert raised.value.code == "exchange.INVALID_DATE"


def test_an_event_date_needs_day_month_and_year():
    assert values.date("10/06/2015") == dt.date(2015, 6, 10)
    with pytest.raises(CellError) as raised:
        values.date("2015")
    assert raised.value.code == "exchange.DATE_INCOMPLETE"


def test_names_come_out_in_vietnamese_title_case():
    assert values.name("  NGUYỄN   VĂN  an ") == "Nguyễn Văn An"
    assert values.name("đặng thị ánh tuyết") == "Đặng Thị Ánh Tuyết"


def test_numbers_excel_stored_as_numbers_get_their_zeros_back():
    assert values.citizen_id(52085001234) == "052085001234"
    assert values.citizen_id(52085001234.0) == "052085001234"
    assert values.citizen_id(" 052 085 001 234 ") == "052085001234"
    assert values.citizen_id("5208500123") == "5208500123"  # text is kept: the service refuses it
    assert values.phone(912345678) == "0912345678"
    assert values.card_number(52001234.0) == "52001234"
    assert values.general_education(dt.datetime(2026, 12, 12)) == "12/12"
    assert values.general_education(dt.datetime(2026, 12, 9)) == "9/12"


@pytest.mark.parametrize(
    ("function", "cell", "expected"),
    [
        (values.sex, "NỮ", "female"),
        (values.sex, "nu", "female"),
        (values.ethnicity, "Khmer", "05"),
        (values.ethnicity, "Khơ - me", "05"),
        (values.ethnicity, "H'Mông", "08"),
        (values.ethnicity, 3, "03"),
        (values.ethnicity, "ê đê", "12"),
        (values.religion, "Thiên Chúa giáo", "catholicism"),
        (values.religion, "Hoà Hảo", "hoa_hao"),
        (values.political_theory, "CAO CẤP LÝ LUẬN CHÍNH TRỊ", "advanced"),
        (values.organization_type, "chi bo co so", "grassroots_cell"),
        (values.organization_type, "Đảng ủy khối", "upper_committee"),
        (values.sector, "Doanh nghiệp ngoài nhà nước", "private_enterprise"),
        (values.province, "TP. Hồ Chí Minh", 79),
        (values.province, "tỉnh Gia Lai", 52),
        (values.event_kind, "Kết nạp Đảng", "admission"),
        (values.event_kind, "chuyen sinh hoat tam thoi", "temporary_transfer_out"),
        (values.event_kind, "Xóa tên", "struck_off"),
        (values.discipline_form, "cảnh cáo", "warning"),
        (values.exit_reason, "tự ý bỏ sinh hoạt đảng", "abandoned_activity"),
        (values.boolean, "x", True),
    ],
)
def test_catalogue_values_in_any_case_with_or_without_diacritics(function, cell, expected):
    assert function(cell) == expected


def test_numbers_are_ascii_digits():
    with pytest.raises(CellError):
        values.whole_number("³⁰", "Mốc Huy hiệu")
    with pytest.raises(CellError):
        values.province("⁵²")


def test_a_value_outside_the_catalogue_is_refused_with_the_choices():
    with pytest.raises(CellError) as raised:
        values.sex("Khác")
    assert raised.value.code == "exchange.UNKNOWN_VALUE"
    assert "Nam, Nữ" in raised.value.message


def test_a_decision_may_carry_its_date_in_the_number_cell():
    decision = values.decision("12-QĐ/ĐUK ngày 05/03/2021", None, "Ban Thường vụ Đảng ủy Khối")
    assert (decision.symbol, decision.date) == ("12-QĐ/ĐUK", dt.date(2021, 3, 5))
    assert values.decision(None, None, " ") is None
    with pytest.raises(CellError) as raised:
        values.decision("12-QĐ/ĐUK", None, "")
    assert raised.value.code == "core.DECISION_REQUIRED"


def test_headers_compare_without_diacritics_case_and_hints():
    assert normalize_header("Ngày sinh (dd/mm/yyyy)*") == "ngay sinh"
    assert HEADER_INDEX[PEOPLE][normalize_header("HO VA TEN")] == "full_name"
    assert HEADER_INDEX[PEOPLE][normalize_header("Số CCCD/CMND")] == "citizen_id"


def test_the_header_is_found_under_titles_and_over_two_rows():
    rows = [
        (1, ("DANH SÁCH ĐẢNG VIÊN", None, None, None)),
        (2, ()),
        (3, ("Họ và tên", "Ngày sinh", "Nơi ở", None, "Giới tính")),
        (4, (None, None, "Thường trú", "Hiện nay", None)),
        (5, ("Nguyễn Văn An", "1985", "Quy Nhơn", "Quy Nhơn", "Nam")),
    ]
    header = find_header(rows)
    assert (header.kind, header.row) == ("people", 4)
    assert header.columns == {
        "full_name": 0,
        "birth_date": 1,
        "permanent_residence": 2,
        "current_residence": 3,
        "sex": 4,
    }
    assert header.label("current_residence") == "Nơi ở Hiện nay"


def test_an_events_sheet_is_not_taken_for_a_people_sheet():
    rows = [(1, ("Họ và tên", "Ngày sinh", "Số CCCD", "Sự kiện", "Ngày"))]
    assert find_header(rows).kind == "events"


def test_a_row_of_column_numbers_is_not_data():
    assert is_numbering_row(("(1)", "(2)", "(3)", None, "(5)"))
    assert is_numbering_row((1, 2, 3))
    assert not is_numbering_row(("Nguyễn Văn An", 1985, 1))
