"""Streaming the sheets of a workbook (XLSX, read-only) or a CSV file, and finding which sheet
holds what: the header row is looked for in the first rows, with titles above it, headers of
one or two rows (merged group cells), with or without diacritics.

Workbooks are read with calamine (Rust, python-calamine): ten times faster than openpyxl,
which spent half of a 100,000-row import parsing XML cell by cell. Calamine holds one sheet's
cells at a time (about 100 MB for 100,000 rows of 14 columns) and lets them go once the sheet
has been read to its end; openpyxl (streaming, read-only) stays as the fallback for a workbook
calamine cannot read.
"""

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook, SheetTypeEnum

from dangvu.core.errors import DomainError

from .columns import HEADER_INDEX, IGNORED, SHEET_BY_KIND, SHEETS, normalize_header

HEADER_SEARCH_ROWS = 25
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


@dataclass
class Header:
    """Where a sheet's data starts and which column holds what."""

    kind: str
    row: int  # the last header row (1-based); data starts below it
    columns: dict[str, int]  # key -> 0-based column index
    labels: dict[str, str]  # key -> the header as written in the file
    unknown: list[str] = field(default_factory=list)  # headers not recognised (ignored)
    duplicates: list[str] = field(default_factory=list)

    def label(self, key: str) -> str:
        return self.labels.get(key) or SHEET_BY_KIND[self.kind].column(key).header

    def cell(self, key: str, row: int) -> str:
        index = self.columns.get(key)
        return f"{get_column_letter(index + 1)}{row}" if index is not None else ""


@dataclass
class SheetSource:
    """One sheet of the file: its name and a way to read its rows again from the start."""

    name: str
    rows: object  # callable(min_row) -> iterator of (row number, tuple of values)
    header: Header | None = None
    size: object = None  # callable() -> the rows the sheet has, as the file records it
    last_row: object = None  # callable() -> the last row's number, when known without reading

    def more_rows_than(self, count: int) -> bool:
        """Whether the sheet has more than `count` rows (reads at most that many)."""
        if self.last_row is not None:
            return self.last_row() > count
        rows = self.iter_rows()
        try:
            return any(number > count for number, _ in rows)
        finally:
            rows.close()

    def iter_rows(self, min_row: int = 1) -> Iterator[tuple[int, tuple]]:
        return self.rows(min_row)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine reads every number as a float: "1", not "1.0"
    return " ".join(str(value).split())


def _match(kind: str, top: list[str], bottom: list[str]) -> Header:
    """The columns of `kind` recognised in a header whose lower row is `bottom` and upper row
    (for merged group cells, carried to the right) is `top`."""
    index = HEADER_INDEX[kind]
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    carried = ""
    width = max(len(top), len(bottom))
    for position in range(width):
        own_top = top[position] if position < len(top) else ""
        carried = own_top or carried
        below = bottom[position] if position < len(bottom) else ""
        tries = []
        if below:
            tries.append(below)
            if carried:
                tries += [f"{carried} {below}", f"{below} {carried}"]
        elif own_top:
            tries.append(own_top)  # merged down over both header rows
        found = None
        for label in tries:
            found = index.get(normalize_header(label))
            if found is not None:
                label_used = label
                break
        if found is None:
            if below or own_top:
                unknown.append(below or own_top)
            continue
        if found == IGNORED:
            continue
        if found in columns:
            duplicates.append(label_used)
            continue
        columns[found] = position
        labels[found] = label_used
    return Header(kind, 0, columns, labels, unknown, duplicates)


def find_header(rows: list[tuple[int, tuple]]) -> Header | None:
    """The best header among the first rows: the one recognising the most columns of a kind
    whose signature column (code, full name, event) it has."""
    best: tuple[int, int, Header] | None = None
    texts = [(number, [_cell_text(v) for v in values]) for number, values in rows]
    for position, (number, bottom) in enumerate(texts):
        if not any(bottom):
            continue
        above = texts[position - 1][1] if position > 0 else []
        for sheet in SHEETS:
            for top in ([], above) if above else ([],):
                header = _match(sheet.kind, top, bottom)
                if sheet.signature not in header.columns or len(header.columns) < 2:
                    continue
                # an events sheet also has names and birth dates: the richer kind wins ties
                score = (len(header.columns), -SHEETS.index(sheet))
                if best is None or score > best[:2]:
                    header.row = number
                    best = (*score, header)
    return best[2] if best else None


def is_numbering_row(values: tuple) -> bool:
    """The row of column numbers some forms put under the header: (1) (2) (3) ...
    Asked of every data row: it stops at the first cell that is not a column number."""
    filled = 0
    for value in values:
        text = _cell_text(value)
        if not text:
            continue
        if not _NUMBERING.match(text):
            return False
        filled += 1
    return filled >= 3


# files --------------------------------------------------------------------------------------
class _CalamineSheet:
    """One sheet of a calamine workbook, loaded when first read and kept until a read reaches
    its end (the header search, the bulk threshold and the import then share one load)."""

    def __init__(self, workbook: CalamineWorkbook, name: str) -> None:
        self.workbook = workbook
        self.name = name
        self.loaded = None

    def _sheet(self):
        if self.loaded is None:
            self.loaded = self.workbook.get_sheet_by_name(self.name)
        return self.loaded

    def rows(self, min_row: int = 1) -> Iterator[tuple[int, tuple]]:
        sheet = self._sheet()
        start = sheet.start
        if start is None:  # an empty sheet
            self.loaded = None
            return
        # calamine's columns start at the first filled one: padded to be numbered as in Excel.
        # Its rows start at row 1 in this version (the empty ones above given), at the first
        # filled one in others: told apart by that first row, always filled in the latter
        top, left = start
        pad = ("",) * left
        rows = sheet.iter_rows()
        first = next(rows, None)
        number = 0 if top and first is not None and not any(first) else top
        for values in itertools.chain([first] if first is not None else [], rows):
            number += 1
            if number >= min_row:
                yield number, (*pad, *values) if left else tuple(values)
        self.loaded = None  # read to the end: the next read loads it again

    def last_row(self) -> int:
        end = self._sheet().end
        return end[0] + 1 if end is not None else 0


def _calamine_sheets(source: IO[bytes]) -> list[SheetSource]:
    source.seek(0)
    workbook = CalamineWorkbook.from_filelike(source)
    sheets = []
    for meta in workbook.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # a chart sheet, a macro sheet
        sheet = _CalamineSheet(workbook, meta.name)
        sheet.last_row()  # loaded here, where a cell calamine cannot read falls back to openpyxl
        sheets.append(
            SheetSource(meta.name, sheet.rows, size=sheet.last_row, last_row=sheet.last_row)
        )
    return sheets


def _xlsx_sheets(source: IO[bytes]) -> list[SheetSource]:
    try:
        return _calamine_sheets(source)
    except Exception:  # what calamine cannot read, openpyxl may (or it says why not)
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # a damaged zip, a file that is not a workbook, ...
        raise DomainError(
            "exchange.UNREADABLE_FILE", f"Không đọc được tệp Excel: {type(error).__name__}."
        ) from None
    sheets = []
    for worksheet in workbook.worksheets:
        if not hasattr(worksheet, "iter_rows"):
            continue  # a chart sheet

        def rows(min_row: int = 1, worksheet=worksheet):
            worksheet.reset_dimensions()  # some writers record a wrong size
            yield from enumerate(
                worksheet.iter_rows(min_row=min_row, values_only=True), start=min_row
            )

        def size(worksheet=worksheet) -> int:
            return worksheet.max_row or 0  # without a recorded dimension: reads the sheet

        sheets.append(SheetSource(worksheet.title, rows, size=size))
    return sheets


def _decoder(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1258"  # what Excel on a Vietnamese Windows saves as "CSV"
    return "utf-8"


def _delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines most consistently (Excel writes ";" where the
    decimal mark is a comma, as in Vietnamese)."""
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t"):
        counts = Counter(
            len(row)
            for row in csv.reader(lines, delimiter=candidate)
            if any(c.strip() for c in row)
        )
        if not counts:
            continue
        width, frequency = counts.most_common(1)[0]
        score = (frequency if width > 1 else 0, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_sheet(source: IO[bytes], name: str) -> SheetSource:
    head = source.read(65536)
    encoding = _decoder(head)
    delimiter = _delimiter(head.decode(encoding, errors="ignore").splitlines()[:30])

    def rows(min_row: int = 1):
        source.seek(0)
        stream = io.TextIOWrapper(source, encoding=encoding, newline="")
        try:
            for number, values in enumerate(csv.reader(stream, delimiter=delimiter), start=1):
                if number >= min_row:
                    yield number, tuple(values)
        except UnicodeDecodeError:
            raise DomainError(
                "exchange.UNREADABLE_FILE",
                "Tệp CSV có ký tự không đọc được: hãy lưu lại theo bảng mã UTF-8.",
            ) from None
        finally:
            stream.detach()

    def size() -> int:
        source.seek(0)
        lines = sum(block.count(b"\n") for block in iter(lambda: source.read(1 << 20), b""))
        source.seek(0)
        return lines

    return SheetSource(name, rows, size=size)


def open_sheets(source: IO[bytes], filename: str) -> list[SheetSource]:
    """The sheets of an XLSX workbook or the one sheet of a CSV file, each with its header
    found (None for a sheet that holds no import data, such as a guide)."""
    head = source.read(8)
    source.seek(0)
    if head.startswith(OLE_MAGIC):
        raise DomainError(
            "exchange.UNSUPPORTED_FORMAT",
            "Tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dạng .xlsx.",
        )
    if head.startswith(ZIP_MAGIC):
        sheets = _xlsx_sheets(source)
    elif filename.lower().endswith((".csv", ".txt")) or not filename:
        sheets = [_csv_sheet(source, Path(filename).stem or "CSV")]
    else:
        raise DomainError(
            "exchange.UNSUPPORTED_FORMAT", "Chỉ nhập được tệp Excel (.xlsx) hoặc CSV (.csv)."
        )
    for sheet in sheets:
        first = []
        rows = sheet.iter_rows()
        try:
            for number, values in rows:
                first.append((number, values))
                if len(first) >= HEADER_SEARCH_ROWS:
                    break
        finally:
            rows.close()
        sheet.header = find_header(first)
    return sheets
