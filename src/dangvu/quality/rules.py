"""Data quality: the same person entered twice, and the score of an organisation's records.

Pure functions over plain values: no ORM, no clock. The duplicate search of the database
(selectors.duplicate_suspects) and of an imported file before it is applied (find_duplicates
over its rows) share the keys, the blocks and the scoring below.

A citizen ID (số định danh cá nhân, Luật Căn cước 2023) belongs to one person only, so the same
number is the same person and two different numbers are two people. Without it, the name,
the birth date and the hometown decide, compared without diacritics (đ as d), case or extra
spaces: "NGUYEN VAN DUC" is "Nguyễn Văn Đức".
"""

import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dangvu.core.names import fold

# --- keys -----------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_SEGMENTS = re.compile(r"[,;/\-\u2013\u2014()]+")
# the words that open a part of an address and say the kind of unit, not which one; dropped
# only where they open a part ("huyện Quan Hóa" keeps "quan hoa")
UNIT_WORDS = (
    ("thanh", "pho"), ("thi", "xa"), ("thi", "tran"), ("dac", "khu"), ("xa",), ("phuong",),
    ("huyen",), ("quan",), ("tinh",), ("tp",), ("tx",), ("tt",), ("ap",), ("thon",), ("xom",),
    ("ban",), ("to", "dan", "pho"), ("khu", "pho"),
)  # fmt: skip


def name_key(full_name: str) -> str:
    """The name folded: lower case, no diacritics, đ as d, single spaces, no punctuation."""
    return " ".join(_NOT_WORD.sub(" ", fold(full_name or "")).split())


def _without_unit(words: list[str]) -> list[str]:
    for unit in UNIT_WORDS:
        if len(words) > len(unit) and tuple(words[: len(unit)]) == unit:
            return words[len(unit) :]
    return words


def hometown_key(text: str) -> str:
    """The place folded, each part without the words naming its kind of unit ("xã", "huyện",
    "tỉnh"): "xã Phước Hòa, huyện Tuy Phước, tỉnh Bình Định" and "Phước Hòa - Tuy Phước -
    Bình Định" give the same key."""
    return _hometown_key(text or "")


@functools.lru_cache(maxsize=8192)
def _hometown_key(text: str) -> str:
    # a file's people come from a few hundred places: each folded once (the import keys
    # 100,000 rows)
    words: list[str] = []
    for part in _SEGMENTS.split(fold(text or "")):
        words += _without_unit(_NOT_WORD.sub(" ", part).split())
    return " ".join(words)


def family_and_given(key: str) -> tuple[str, str]:
    """The first and the last word of a folded name (a one-word name is a given name only)."""
    words = key.split()
    if not words:
        return "", ""
    return (words[0] if len(words) > 1 else ""), words[-1]


@dataclass(frozen=True)
class PersonFacts:
    """What the duplicate search compares of one personal file or one row of a file.

    `key` identifies it to the caller: a Person id, or the row number of an imported sheet.
    """

    key: Hashable
    full_name: str
    birth_year: int | None
    birth_month: int | None = None
    birth_day: int | None = None
    sex: str = ""
    hometown: str = ""
    citizen_id: str | None = None
    name_key: str = field(init=False)
    family_key: str = field(init=False)
    given_key: str = field(init=False)
    hometown_key: str = field(init=False)

    def __post_init__(self) -> None:
        folded = name_key(self.full_name)
        family, given = family_and_given(folded)
        object.__setattr__(self, "name_key", folded)
        object.__setattr__(self, "family_key", family)
        object.__setattr__(self, "given_key", given)
        object.__setattr__(self, "hometown_key", hometown_key(self.hometown))
        object.__setattr__(self, "citizen_id", (self.citizen_id or "").strip() or None)

    @classmethod
    def from_row(cls, key: Hashable, data: Mapping[str, Any]) -> "PersonFacts":
        """From the fields of a personal file as the import reads them (PersonInput names)."""
        return cls(
            key=key,
            full_name=data.get("full_name") or "",
            birth_year=data.get("birth_year"),
            birth_month=data.get("birth_month"),
            birth_day=data.get("birth_day"),
            sex=str(data.get("sex") or ""),
            hometown=data.get("hometown") or "",
            citizen_id=data.get("citizen_id"),
        )

    @property
    def full_birth_date(self) -> bool:
        return None not in (self.birth_year, self.birth_month, self.birth_day)


# --- blocks -----------------------------------------------------------------------------------


def blocks(facts: PersonFacts) -> list[tuple[Any, ...]]:
    """The blocks a record falls in; only records sharing a block are compared.

    A: the same citizen ID. B: the same folded name, born the same year. C: the same family and
    given name and full birth date (the middle name differs or is missing). D: the same full
    birth date and hometown (a typo in the name). The database runs B, C and D as grouped
    self-joins on the indexed keys of quality.PersonKey (A is unique there).
    """
    found: list[tuple[Any, ...]] = []
    if facts.citizen_id:
        found.append(("citizen_id", facts.citizen_id))
    if facts.name_key and facts.birth_year:
        found.append(("name", facts.name_key, facts.birth_year))
    if facts.full_birth_date and facts.given_key:
        found.append(
            ("given", facts.family_key, facts.given_key, facts.birth_year, facts.birth_month,
             facts.birth_day)
        )  # fmt: skip
    if facts.full_birth_date and facts.hometown_key:
        found.append(
            ("born", facts.birth_year, facts.birth_month, facts.birth_day, facts.hometown_key)
        )
    return found


# A block larger than this is a very common name or an empty key, not a duplicate: the pairs
# inside it are not scored (the search stays linear in the number of records).
MAX_BLOCK = 200


# --- scoring ----------------------------------------------------------------------------------


class MatchKind:
    """How a pair was matched, strongest first (the order of the list)."""

    CITIZEN_ID = "citizen_id"  # the same citizen ID
    IDENTICAL = "identical"  # the same folded name, full birth date and hometown
    SIMILAR = "similar"  # close enough on name, birth date and hometown

    ORDER = (CITIZEN_ID, IDENTICAL, SIMILAR)
    LABELS = {
        CITIZEN_ID: "Trùng số CCCD",
        IDENTICAL: "Trùng họ tên, ngày sinh và quê quán",
        SIMILAR: "Gần giống họ tên, ngày sinh, quê quán",
    }


WEIGHT_NAME, WEIGHT_BIRTH, WEIGHT_HOMETOWN = 0.5, 0.3, 0.2
SEX_PENALTY = 0.15
UNKNOWN_HOMETOWN = 0.5  # neither for nor against when a file lacks it
SUSPECT_THRESHOLD = 0.8  # a pair scoring this or more is worth a look
TYPO_RATIO = 0.75  # two given (or family) names closer than this may be one with a typo


def name_similarity(a: PersonFacts, b: PersonFacts) -> float:
    """1 for the same folded name; a missing or different middle name keeps 0.9 when the
    family and given names agree; else the closeness of the two folded names (typos)."""
    if not a.name_key or not b.name_key:
        return 0.0
    if a.name_key == b.name_key:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a.name_key, b.name_key).ratio()
    if a.family_key == b.family_key and a.given_key == b.given_key:
        return max(ratio, 0.9)
    for mine, theirs in ((a.given_key, b.given_key), (a.family_key, b.family_key)):
        # "Sang" and "Sơn" are two names, "Hùng" and "Hùnh" a typo
        if difflib.SequenceMatcher(None, mine, theirs).ratio() < TYPO_RATIO:
            return ratio / 2
    return ratio


def birth_similarity(a: PersonFacts, b: PersonFacts) -> float:
    """1 for the same full date; 0 for different years; in between when a file lacks the day
    or the month (0.7 when what both know agrees), when day and month look swapped (0.7), or
    when they disagree (0.2 for the same month, 0.1 otherwise)."""
    if a.birth_year is None or b.birth_year is None or a.birth_year != b.birth_year:
        return 0.0
    if a.full_birth_date and b.full_birth_date:
        if (a.birth_month, a.birth_day) == (b.birth_month, b.birth_day):
            return 1.0
        if (a.birth_month, a.birth_day) == (b.birth_day, b.birth_month):
            return 0.7
        return 0.2 if a.birth_month == b.birth_month else 0.1
    for mine, theirs in ((a.birth_month, b.birth_month), (a.birth_day, b.birth_day)):
        if mine is not None and theirs is not None and mine != theirs:
            return 0.1
    return 0.7


def hometown_similarity(a: PersonFacts, b: PersonFacts) -> float:
    """The share of the shorter place's words found in the other (old addresses name a
    district the 2025 units no longer have); 0.5 when either file lacks it."""
    if not a.hometown_key or not b.hometown_key:
        return UNKNOWN_HOMETOWN
    if a.hometown_key == b.hometown_key:
        return 1.0
    mine, theirs = set(a.hometown_key.split()), set(b.hometown_key.split())
    return len(mine & theirs) / min(len(mine), len(theirs))


@dataclass(frozen=True)
class DuplicateMatch:
    """Two records that may be the same person: `first` and `second` are their keys."""

    first: Hashable
    second: Hashable
    kind: str
    score: float
    name: float
    birth: float
    hometown: float

    @property
    def label(self) -> str:
        return MatchKind.LABELS[self.kind]

    def rank(self) -> tuple[int, float, str, str]:
        """Exact matches first (citizen ID, then identical facts), then by score."""
        return (MatchKind.ORDER.index(self.kind), -self.score, str(self.first), str(self.second))


def match(a: PersonFacts, b: PersonFacts) -> DuplicateMatch | None:
    """The match of two records, or None when they are two people: different citizen IDs, or
    a score under SUSPECT_THRESHOLD (namesakes born the same year are common)."""
    name, birth, place = name_similarity(a, b), birth_similarity(a, b), hometown_similarity(a, b)
    score = WEIGHT_NAME * name + WEIGHT_BIRTH * birth + WEIGHT_HOMETOWN * place
    if a.sex and b.sex and a.sex != b.sex:
        score -= SEX_PENALTY
    score = round(max(score, 0.0), 4)
    first, second = sorted((a.key, b.key), key=str)
    if a.citizen_id and b.citizen_id:
        if a.citizen_id != b.citizen_id:
            return None
        return DuplicateMatch(first, second, MatchKind.CITIZEN_ID, score, name, birth, place)
    if score < SUSPECT_THRESHOLD:
        return None
    identical = (
        a.name_key == b.name_key
        and a.full_birth_date
        and birth == 1.0
        and bool(a.hometown_key)
        and a.hometown_key == b.hometown_key
    )
    kind = MatchKind.IDENTICAL if identical else MatchKind.SIMILAR
    return DuplicateMatch(first, second, kind, score, name, birth, place)


def match_block(members: list[PersonFacts], seen: set[tuple[Any, Any]]) -> list[DuplicateMatch]:
    """The matches among the records of one block, skipping the pairs in `seen` (a pair can
    share several blocks); a block over MAX_BLOCK records is skipped."""
    found: list[DuplicateMatch] = []
    if len(members) > MAX_BLOCK:
        return found
    for index, a in enumerate(members):
        for b in members[index + 1 :]:
            if a.key == b.key:
                continue
            pair = tuple(sorted((a.key, b.key), key=str))
            if pair in seen:
                continue
            seen.add(pair)
            result = match(a, b)
            if result is not None:
                found.append(result)
    return found


def rank(matches: Iterable[DuplicateMatch]) -> list[DuplicateMatch]:
    return sorted(matches, key=DuplicateMatch.rank)


def find_duplicates(records: Iterable[PersonFacts]) -> list[DuplicateMatch]:
    """The pairs among `records` (e.g. the rows of a file before it is applied) that may be
    the same person, exact matches first, then by score. Records are grouped by block in one
    pass and compared only inside a block."""
    grouped: dict[tuple[Any, ...], list[PersonFacts]] = defaultdict(list)
    for facts in records:
        for block in blocks(facts):
            grouped[block].append(facts)
    seen: set[tuple[Any, Any]] = set()
    found: list[DuplicateMatch] = []
    for members in grouped.values():
        if len(members) > 1:
            found += match_block(members, seen)
    return rank(found)


# --- problems and the score of an organisation -------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    label: str  # Vietnamese, for the table's column and the page
    message: str  # Vietnamese, one record: what is wrong and what to do
    weight: float  # how much one record with the problem lowers the score


PROBLEMS: dict[str, Problem] = {
    problem.code: problem
    for problem in (
        Problem(
            "quality.MISSING_CITIZEN_ID",
            "Thiếu số CCCD",
            "Đảng viên chưa có số định danh cá nhân (CCCD) trong lý lịch.",
            1.0,
        ),
        Problem(
            "quality.RECOGNISED_BEFORE_PROBATION_END",
            "Công nhận chính thức trước hạn",
            "Ngày chính thức trước khi hết 12 tháng dự bị tính từ ngày lễ kết nạp.",
            3.0,
        ),
        Problem(
            "quality.ADMITTED_UNDER_AGE",
            "Kết nạp khi chưa đủ 18 tuổi",
            "Ngày chi bộ xét kết nạp khi người vào Đảng chưa đủ 18 tuổi theo ngày sinh.",
            3.0,
        ),
        Problem(
            "quality.BORN_AFTER_ADMISSION",
            "Ngày sinh sau ngày kết nạp",
            "Ngày sinh ghi trong lý lịch sau ngày quyết định kết nạp.",
            3.0,
        ),
        Problem(
            "quality.CEREMONY_BEFORE_DECISION",
            "Lễ kết nạp trước quyết định",
            "Ngày lễ kết nạp trước ngày quyết định kết nạp.",
            3.0,
        ),
        Problem(
            "quality.MEMBER_IN_ENDED_ORGANIZATION",
            "Còn trong tổ chức đã kết thúc",
            "Đảng viên vẫn được tính trong một tổ chức đảng đã giải thể, hợp nhất hoặc sáp nhập.",
            5.0,
        ),
        Problem(
            "quality.TRANSFER_NOT_RECEIVED",
            "Chuyển đi chưa được tiếp nhận",
            "Đã chuyển sinh hoạt đảng đi quá 30 ngày làm việc mà nơi đến chưa tiếp nhận.",
            2.0,
        ),
        Problem(
            "quality.STALE_RECORD",
            "Lâu không cập nhật",
            "Đảng viên không có sự kiện nào được ghi nhận trong nhiều năm.",
            0.5,
        ),
        Problem(
            "quality.DUPLICATE_SUSPECT",
            "Nghi trùng lý lịch",
            "Lý lịch có thể trùng với một lý lịch khác (cùng CCCD, hoặc gần giống họ tên, "
            "ngày sinh, quê quán).",
            2.0,
        ),
    )
}

# "No event for N years while still a member": the default N, an installation may pass another.
STALE_YEARS = 10


def organization_score(members: int, counts: Mapping[str, int]) -> float:
    """100 minus the weighted problems per 100 members (at least 0); an organisation with no
    member is judged as if it had one (its problems still count)."""
    weighted = sum(PROBLEMS[code].weight * count for code, count in counts.items())
    return round(max(0.0, 100.0 - 100.0 * weighted / max(members, 1)), 1)
