"""A Party document (văn bản của Đảng, Hướng dẫn 36-HD/VPTW) as plain values.

The report assembly builds a `PartyDocument`; the renderers (`docx`, `pdf`) turn it into files.
Nothing here knows about Django models, so a document can be built from any source and rendered
the same way.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from dangvu.core.formatting import format_number
from dangvu.core.symbols import parse_document_symbol

PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"

Cell = str | int | Decimal | None
"""A table cell: text as given, numbers formatted the Vietnamese way (5.016; 94,57)."""

DRAFT_NUMBER_GAP = " " * 5
"""Where a draft leaves the number blank, to be written in by hand once it is issued."""


@dataclass(frozen=True)
class Heading:
    """A section heading, numbered by the author: "I. KẾT QUẢ ..." (level 1), "1. ..." (level 2)."""

    text: str
    level: int = 1
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Table:
    """A figures table. `total_row` True makes the last row the total (set in bold); a sequence
    of cells appends it as the total row instead."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    total_row: bool | Sequence[Cell] = False
    kind: ClassVar[str] = "table"

    def body_rows(self) -> list[Sequence[Cell]]:
        rows = list(self.rows)
        return rows[:-1] if self.total_row is True and rows else rows

    def footer_row(self) -> Sequence[Cell] | None:
        if self.total_row is True:
            return self.rows[-1] if self.rows else None
        if self.total_row is False:
            return None
        return self.total_row


@dataclass(frozen=True)
class Chart:
    """A chart as a PNG picture (see `charts`), `width_cm` wide on the page."""

    title: str
    png: bytes = field(repr=False)
    width_cm: float = 15.0
    kind: ClassVar[str] = "chart"


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Signature:
    authority: str  # "T/M BAN THƯỜNG VỤ"
    position: str  # "BÍ THƯ"
    name: str  # "Nguyễn Văn A"


@dataclass(frozen=True)
class PartyDocument:
    """One document. `number_symbol` is "45-BC/ĐUK"; a draft without a number yet gives only the
    type and issuer ("-BC/ĐUK" or "BC/ĐUK") and prints "Số     -BC/ĐUK"."""

    superior_body: str  # "ĐẢNG BỘ TỈNH BÌNH ĐỊNH"; empty for the Central Committee
    issuing_body: str  # "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"
    number_symbol: str
    place: str
    date: dt.date
    doc_type: str  # "BÁO CÁO"
    abstract: str  # trích yếu
    blocks: Sequence[Block]
    recipients: Sequence[str]
    signature: Signature

    @property
    def number_line(self) -> str:
        return number_line(self.number_symbol)

    @property
    def place_date_line(self) -> str:
        return place_date_line(self.place, self.date)

    @property
    def title(self) -> str:
        """The document's title as one line (for file properties): "BÁO CÁO sơ kết ..."."""
        return f"{self.doc_type} {self.abstract}".strip()


def number_line(number_symbol: str) -> str:
    """ "Số 45-BC/ĐUK"; a draft's "-BC/ĐUK" gives "Số     -BC/ĐUK"."""
    text = number_symbol.strip()
    symbol = parse_document_symbol(text)
    if symbol is not None:
        return f"Số {symbol}"
    # A draft: borrow a number to reuse the lenient parser, then leave the number blank.
    draft = parse_document_symbol(f"0{text}" if text.startswith("-") else f"0-{text}")
    if draft is not None:
        issuer = f"/{draft.issuer}" if draft.issuer else ""
        return f"Số{DRAFT_NUMBER_GAP}-{draft.type_code}{issuer}"
    return f"Số {text}"


def place_date_line(place: str, day: dt.date) -> str:
    """ "Quy Nhơn, ngày 09 tháng 4 năm 2021".

    document-format.md says "day and month with two digits" but its own example reads
    "ngày 09 tháng 4": official practice (also Nghị định 30/2020/NĐ-CP for state documents) pads
    days 1-9 and months 1-2 only, so that nobody can turn "ngày 1" into "ngày 15" or "tháng 1"
    into "tháng 11"; "tháng 3" .. "tháng 9" cannot become another month and stay unpadded.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def is_number(value: Cell) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def cell_text(value: Cell) -> str:
    """A cell as printed: 5016 -> "5.016", Decimal("94.57") -> "94,57", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return format_number(value, decimals)
    if is_number(value):
        return format_number(value)
    return str(value)
