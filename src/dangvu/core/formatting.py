"""Vietnamese formats: dd/mm/yyyy dates, 5.016 thousands, 33,42% decimals."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def parse_date(text: str) -> dt.date:
    """Accepts dd/mm/yyyy (what users type) and ISO yyyy-mm-dd (what machines send)."""
    text = text.strip()
    if "/" in text:
        day, month, year = (int(part) for part in text.split("/"))
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)
