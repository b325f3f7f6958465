"""Reading a workbook: calamine, rows and columns numbered as Excel numbers them, openpyxl when
calamine cannot read the file."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from dangvu.exchange import sheets
from dangvu.members.models import Person

from .workbooks import to_bytes


def offset_workbook() -> bytes:
    """Data that starts at C4, not A1, with a date cell and a number cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS"
    sheet["C4"], sheet["D4"], sheet["E4"], sheet["F4"] = (
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "STT",
    )
    sheet["C5"], sheet["D5"], sheet["E5"], sheet["F5"] = (
        "Lý Văn Phúc",
        dt.datetime(1980, 4, 12),
        "Nam",
        7,
    )
    return to_bytes(workbook)


def test_rows_and_columns_keep_their_excel_numbers():
    (sheet,) = sheets.open_sheets(io.BytesIO(offset_workbook()), "ds.xlsx")
    assert (sheet.header.row, sheet.header.columns) == (
        4,
        {"full_name": 2, "birth_date": 3, "sex": 4},
    )
    assert sheet.header.cell("full_name", 5) == "C5"
    ((number, row),) = list(sheet.iter_rows(5))
    assert number == 5
    assert row[2:5] == ("Lý Văn Phúc", dt.date(1980, 4, 12), "Nam")
    assert row[5] == 7  # every number is a float to calamine: 7.0
    assert sheet.size() == 5 and not sheet.more_rows_than(5) and sheet.more_rows_than(4)
    # read to its end, the sheet is let go and loaded again when read once more
    assert [n for n, _ in sheet.iter_rows()] == [1, 2, 3, 4, 5]


def test_a_workbook_calamine_cannot_read_is_read_by_openpyxl(monkeypatch):
    class Refusing:
        @staticmethod
        def from_filelike(source):
            raise ValueError("a part calamine does not read")

    monkeypatch.setattr(sheets, "CalamineWorkbook", Refusing)
    (sheet,) = sheets.open_sheets(io.BytesIO(offset_workbook()), "ds.xlsx")
    assert (sheet.header.row, sheet.header.columns["full_name"]) == (4, 2)
    ((number, row),) = list(sheet.iter_rows(5))
    assert (number, row[2], row[4]) == (5, "Lý Văn Phúc", "Nam")


def test_a_numbering_row_of_numbers_is_not_data():
    assert sheets.is_numbering_row((1.0, 2.0, 3.0, "", None))
    assert sheets.is_numbering_row(("(1)", "(2)", "(3)"))
    assert not sheets.is_numbering_row((1.0, "Lý Văn Phúc", 3.0))
    assert not sheets.is_numbering_row((1.5, 2.0, 3.0))


@pytest.mark.parametrize("bulk", [False, True], ids=["rows", "bulk"])
def test_column_numbers_typed_as_numbers_under_the_header_are_skipped(tree, system, bulk):
    from dangvu.exchange.imports import import_file

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Chi bộ"])
    sheet.append([1, 2, 3, 4])
    sheet.append(["Lý Văn Phúc", "1980", "Nam", "BD.TP"])
    report = import_file(
        scope=system, source=io.BytesIO(to_bytes(workbook)), filename="a.xlsx", bulk=bulk
    )
    assert report.ok, report.as_text()
    assert (report.sheets[0].rows, report.sheets[0].created) == (1, 1)
    assert Person.objects.get().full_name == "Lý Văn Phúc"
