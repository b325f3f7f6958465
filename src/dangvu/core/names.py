"""Vietnamese names: parts, the Vietnamese sort order, and diacritics-free search text.

Sorting follows Vietnamese practice: given name, then middle name, then family name, each by
the Vietnamese alphabet (a ă â b c d đ e ê ...), through ICU's `vi` collation. The sort key is
stored as digits (three per byte), so both databases order it the same under any collation.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import icu


@dataclass(frozen=True)
class NameParts:
    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part)


def clean_name(text: str) -> str:
    """Collapsed spaces, NFC, each word capitalised ("nguyễn  văn AN" -> "Nguyễn Văn An")."""
    words = unicodedata.normalize("NFC", text).split()
    return " ".join(word[:1].upper() + word[1:].lower() for word in words)


def split_name(full_name: str) -> NameParts:
    """Family name first, given name last, the rest is the middle name."""
    words = clean_name(full_name).split()
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", "", words[0])
    return NameParts(words[0], " ".join(words[1:-1]), words[-1])


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("vi"))


def sort_key(parts: NameParts) -> str:
    """Given, middle, family by the Vietnamese collation, as a string of digits."""
    collator = _collator()
    key = b"".join(collator.getSortKey(part) for part in (parts.given, parts.middle, parts.family))
    return "".join(f"{byte:03d}" for byte in key)


def fold(text: str) -> str:
    """Lower case without diacritics, đ as d: "Nguyễn Đức Ấn" -> "nguyen duc an"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
