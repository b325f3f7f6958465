"""Party document numbers and symbols (số và ký hiệu), per 36-HD/VPTW: `<number>-<TYPE>/<ISSUER>`.

Users type them loosely ("35-NQ/TW", "35/NQ-TW", "NQ 35", "số 45-bc/đuk"); we store one
normalised form.
"""

import re
from dataclasses import dataclass

TYPE_CODES = (
    "NQ", "CT", "KL", "QĐi", "QĐ", "HD", "CV", "BC", "KH", "TB", "CTr", "TTr", "QC", "TT",
)  # fmt: skip
_TYPE_BY_UPPER = {code.upper(): code for code in TYPE_CODES}
_SYMBOL = re.compile(
    r"^\s*(?:s[oố]\s*:?\s*)?(?P<number>\d+)\s*[-/ ]\s*(?P<type>[^\W\d_]+)(?:\s*[-/ ]\s*(?P<issuer>[^\s/-][\w-]*))?\s*$",
    re.IGNORECASE,
)
_TYPE_FIRST = re.compile(
    r"^\s*(?P<type>[^\W\d_]+)\s*[- ]?\s*(?P<number>\d+)(?:\s*[-/ ]\s*(?P<issuer>[\w-]+))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentSymbol:
    number: int
    type_code: str
    issuer: str

    def __str__(self) -> str:
        issuer = f"/{self.issuer}" if self.issuer else ""
        return f"{self.number:02d}-{self.type_code}{issuer}"


def parse_document_symbol(text: str) -> DocumentSymbol | None:
    """Returns the symbol, or None when the text does not look like one."""
    match = _SYMBOL.match(text) or _TYPE_FIRST.match(text)
    if not match:
        return None
    type_code = _TYPE_BY_UPPER.get(match["type"].upper())
    if type_code is None:
        return None
    issuer = (match["issuer"] or "").upper()
    return DocumentSymbol(int(match["number"]), type_code, issuer)


def normalize_document_symbol(text: str) -> str:
    """The normalised symbol, or the trimmed text itself when it cannot be parsed."""
    symbol = parse_document_symbol(text)
    return str(symbol) if symbol else " ".join(text.split())
