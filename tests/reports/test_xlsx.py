import io
from decimal import Decimal

import openpyxl
import pytest

from dangvu.reports.xlsx import Sheet, render_xlsx, sheet_title

ORGANISATIONS = Sheet(
    title="Quý I/2021",
    caption="Tổ chức cơ sở đảng và đảng viên đến 31/03/2021",
    columns=("Đơn vị", "Tổ chức cơ sở đảng", "Đảng viên", "Tỷ lệ nữ (%)"),
    rows=(
        ("Đảng bộ Sở Y tế", 12, 1204, Decimal("41.20")),
        ("Đảng bộ Sở Giáo dục và Đào tạo", 20, 2310, Decimal("55.10")),
        ("Chi bộ Sở Tư pháp", 44, 1502, Decimal("38.75")),
    ),
    totals=(1, "Đảng viên"),
)


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(io.BytesIO(render_xlsx([ORGANISATIONS])))


def test_title_row_is_merged_and_bold(workbook):
    ws = workbook.worksheets[0]
    assert ws["A1"].value == "Tổ chức cơ sở đảng và đảng viên đến 31/03/2021"
    assert ws["A1"].font.b
    assert "A1:D1" in {str(cells) for cells in ws.merged_cells.ranges}


def test_header_is_bold_wrapped_and_boxed(workbook):
    ws = workbook.worksheets[0]
    header = ws[2]
    assert [c.value for c in header] == list(ORGANISATIONS.columns)
    assert all(c.font.b and c.alignment.wrap_text for c in header)
    assert all(c.border.left.style == "thin" for c in header)


def test_figures_are_numbers_not_text(workbook):
    ws = workbook.worksheets[0]
    assert ws["B3"].value == 12
    assert ws["C4"].value == 2310
    assert isinstance(ws["C4"].value, int)
    assert ws["D5"].value == pytest.approx(38.75)
    assert ws["C4"].number_format == "#,##0"
    assert ws["D5"].number_format == "#,##0.00"


def test_total_row_sums_the_data_rows_with_formulas(workbook):
    ws = workbook.worksheets[0]
    assert ws["A6"].value == "Tổng cộng"
    assert ws["B6"].value == "=SUM(B3:B5)"
    assert ws["C6"].value == "=SUM(C3:C5)"
    assert ws["D6"].value is None  # a ratio is not summed
    assert ws["B6"].font.b


def test_sheet_layout(workbook):
    ws = workbook.worksheets[0]
    assert ws.freeze_panes == "A3"
    assert ws["B3"].font.name == "Times New Roman"
    assert ws["B3"].font.sz == 12
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width >= 8


def test_sheet_titles_are_sanitised_and_unique():
    sheets = [
        Sheet("Quý I/2021", "a", ("A",), ()),
        Sheet("quý i/2021", "b", ("A",), ()),
        Sheet("[Tổng hợp]: đảng viên *mới*? theo tổ chức cơ sở đảng", "c", ("A",), ()),
        Sheet("'History'", "d", ("A",), ()),
        Sheet("", "e", ("A",), ()),
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(sheets)))
    titles = workbook.sheetnames
    assert titles[:2] == ["Quý I-2021", "quý i-2021 (2)"]
    assert titles[2] == "Tổng hợp- đảng viên mới theo tổ"
    assert titles[3] == "History (1)"
    assert titles[4] == "Trang"
    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles)


def test_long_duplicate_titles_stay_within_31_characters():
    long = "Danh sách đảng viên được kết nạp trong quý"
    first = sheet_title(long)
    second = sheet_title(long, {first.casefold()})
    assert len(first) == len(second) == 31
    assert second.endswith(" (2)")


def test_a_sheet_without_rows_totals_to_zero():
    empty = Sheet("Trống", "Không có số liệu", ("Đơn vị", "Số"), (), totals=(1,))
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx([empty]))).worksheets[0]
    assert ws["A3"].value == "Tổng cộng"
    assert ws["B3"].value == 0


def test_rows_must_fit_the_columns():
    with pytest.raises(ValueError):
        render_xlsx([Sheet("Sai", "", ("A", "B"), (("x",),))])
    with pytest.raises(ValueError):
        render_xlsx([Sheet("Sai", "", ("A", "B"), (), totals=("C",))])
