import datetime as dt
from decimal import Decimal

import pytest

from dangvu.reports.document import Table, cell_text, is_number, number_line, place_date_line


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 4, 9), "Quy Nhơn, ngày 09 tháng 4 năm 2021"),
        (dt.date(2021, 1, 5), "Quy Nhơn, ngày 05 tháng 01 năm 2021"),
        (dt.date(2021, 2, 28), "Quy Nhơn, ngày 28 tháng 02 năm 2021"),
        (dt.date(2021, 3, 1), "Quy Nhơn, ngày 01 tháng 3 năm 2021"),
        (dt.date(2021, 12, 25), "Quy Nhơn, ngày 25 tháng 12 năm 2021"),
    ],
)
def test_place_and_date_pad_days_below_10_and_months_below_3(day, expected):
    assert place_date_line("Quy Nhơn", day) == expected


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("45-BC/ĐUK", "Số 45-BC/ĐUK"),
        ("5-bc/đuk", "Số 05-BC/ĐUK"),
        ("-BC/ĐUK", "Số     -BC/ĐUK"),
        ("BC/ĐUK", "Số     -BC/ĐUK"),
        ("- bc/đuk", "Số     -BC/ĐUK"),
    ],
)
def test_number_line_normalises_and_leaves_a_draft_number_blank(symbol, expected):
    assert number_line(symbol) == expected


def test_cells_print_in_vietnamese_number_format():
    assert cell_text(5016) == "5.016"
    assert cell_text(Decimal("94.57")) == "94,57"
    assert cell_text(Decimal("100.00")) == "100,00"
    assert cell_text(Decimal("1234567")) == "1.234.567"
    assert cell_text(None) == ""
    assert cell_text("Đảng viên") == "Đảng viên"
    assert is_number(39) and is_number(Decimal("1.5"))
    assert not is_number("39") and not is_number(True)


def test_table_total_row_is_the_last_row_or_an_appended_one():
    rows = (("Đảng bộ cơ sở", 44), ("Chi bộ cơ sở", 32), ("Cộng", 76))
    last = Table("", ("Loại", "Số"), rows, total_row=True)
    assert last.body_rows() == list(rows[:2])
    assert last.footer_row() == rows[2]
    appended = Table("", ("Loại", "Số"), rows[:2], total_row=("Cộng", 76))
    assert appended.body_rows() == list(rows[:2])
    assert appended.footer_row() == ("Cộng", 76)
    assert Table("", ("Loại", "Số"), rows).footer_row() is None
