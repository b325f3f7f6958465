"""XLSX statistics tables, with openpyxl: numbers stay numbers, totals stay formulas.

Each sheet: a title row (merged), the header row, the data rows from row 3, then the total row
whose cells are real `=SUM(...)` formulas, so that a user who corrects a figure sees the total
follow. Thousands separators come from the number format ("#,##0"), which Excel shows with the
reader's locale: 5.016 on a Vietnamese Windows.
"""

import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dangvu.reports.document import Cell, cell_text, is_number

FONT_NAME = "Times New Roman"
FONT_SIZE = 12
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3
MAX_TITLE_LENGTH = 31  # Excel's limit for a sheet name
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_TITLES = {"history"}  # Excel keeps "History" for its change tracking

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Sheet:
    """One table. `totals` names the columns (0-based index or header text) that get a SUM
    formula in the total row; without any, the sheet has no total row."""

    title: str
    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    total_label: str = "Tổng cộng"
    totals: Sequence[int | str] = ()


def render_xlsx(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for sheet in sheets:
        title = sheet_title(sheet.title, taken)
        taken.add(title.casefold())
        _write(workbook.create_sheet(title), sheet)
    if not sheets:
        workbook.create_sheet("Trang 1")
    workbook.properties.creator = "dangvu"
    workbook.properties.language = "vi-VN"
    if sheets:
        workbook.properties.title = sheets[0].caption
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str, taken: Collection[str] = ()) -> str:
    """A valid, unused Excel sheet name: at most 31 characters, none of []:*?/\\, not starting
    or ending with an apostrophe, not "History". `taken` holds the case-folded names in use:
    "Quý I/2021" -> "Quý I-2021", a second "Tổng hợp" -> "Tổng hợp (2)"."""
    title = _FORBIDDEN.sub(lambda m: "-" if m[0] in "/\\:" else "", text)
    title = " ".join(title.split()).strip("'").strip()
    title = title[:MAX_TITLE_LENGTH].rstrip("' ") or "Trang"
    if title.casefold() in _RESERVED_TITLES:
        title = f"{title} (1)"
    base, count = title, 1
    while title.casefold() in taken:
        count += 1
        suffix = f" ({count})"
        title = base[: MAX_TITLE_LENGTH - len(suffix)].rstrip("' ") + suffix
    return title


def _font(*, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=FONT_SIZE, bold=bold)


def _total_columns(sheet: Sheet) -> set[int]:
    indexes = set()
    for column in sheet.totals:
        if isinstance(column, str):
            if column not in sheet.columns:
                raise ValueError(f"no column {column!r} to total")
            indexes.add(list(sheet.columns).index(column))
        elif 0 <= column < len(sheet.columns):
            indexes.add(column)
        else:
            raise ValueError(f"no column {column} to total")
    return indexes


def _write(ws: Worksheet, sheet: Sheet) -> None:
    width = len(sheet.columns)
    if width == 0:
        raise ValueError("a sheet needs at least one column")
    totals = _total_columns(sheet)

    title = ws.cell(TITLE_ROW, 1, sheet.caption)
    title.font = Font(name=FONT_NAME, size=FONT_SIZE + 2, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if width > 1:
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    ws.row_dimensions[TITLE_ROW].height = 36

    for index, name in enumerate(sheet.columns, start=1):
        cell = ws.cell(HEADER_ROW, index, name)
        cell.font = _font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX

    for offset, values in enumerate(sheet.rows):
        if len(values) != width:
            raise ValueError(f"row {offset + 1} has {len(values)} cells, the sheet {width}")
        for index, value in enumerate(values, start=1):
            _data_cell(ws.cell(FIRST_DATA_ROW + offset, index), value)

    last_data_row = FIRST_DATA_ROW + len(sheet.rows) - 1
    if totals:
        _total_row(ws, sheet, totals, last_data_row + 1, last_data_row)

    _column_widths(ws, sheet)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _data_cell(cell, value: Cell, *, bold: bool = False) -> None:
    cell.font = _font(bold=bold)
    cell.border = _BOX
    if is_number(value):
        cell.value = value
        cell.number_format = _number_format(value)
        cell.alignment = Alignment(horizontal="right", vertical="center")
    else:
        cell.value = None if value is None else str(value)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _number_format(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            return "#,##0." + "0" * -exponent
    return "#,##0"


def _total_row(ws: Worksheet, sheet: Sheet, totals: set[int], row: int, last: int) -> None:
    """The label in the first column (unless that one is totalled too), SUM formulas over the
    data rows in the totalled columns, shown with as many decimals as their figures."""
    for index in range(len(sheet.columns)):
        cell = ws.cell(row, index + 1)
        cell.font = _font(bold=True)
        cell.border = _BOX
        if index in totals:
            letter = get_column_letter(index + 1)
            cell.value = f"=SUM({letter}{FIRST_DATA_ROW}:{letter}{last})" if sheet.rows else 0
            formats = [_number_format(r[index]) for r in sheet.rows if is_number(r[index])]
            cell.number_format = max(formats, key=len, default="#,##0")
            cell.alignment = Alignment(horizontal="right", vertical="center")
        elif index == 0:
            cell.value = sheet.total_label
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _column_widths(ws: Worksheet, sheet: Sheet) -> None:
    for index, name in enumerate(sheet.columns):
        longest_word = max((len(word) for word in name.split()), default=0)
        texts = [cell_text(row[index]) for row in sheet.rows]
        if index == 0 and sheet.totals:
            texts.append(sheet.total_label)
        data = max((len(text) for text in texts), default=0)
        # Headers wrap, so they only need room for their longest word and a sensible share
        needed = max(data, longest_word, min(len(name), 14))
        ws.column_dimensions[get_column_letter(index + 1)].width = min(max(needed + 3, 8), 60)
