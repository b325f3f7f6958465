"""One row of a sheet read into what the services take: every cell parsed, every problem
collected with its column, before anything is written."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dangvu.core.decisions import DecisionInput
from dangvu.members.events import MemberEventKind as E

from . import values
from .columns import EVENTS, ORGANIZATION_CHANGES, ORGANIZATIONS, PEOPLE
from .sheets import Header
from .values import CellError


@dataclass
class Issue:
    key: str  # the column's key ("" for the row as a whole)
    code: str
    message: str


class RowRejected(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(issue.code for issue in issues))
        self.issues = issues


class Cells:
    """The cells of one row by column key, parsed one by one with their problems noted."""

    def __init__(self, header: Header, row: tuple) -> None:
        self.header = header
        self.row = row
        self.issues: list[Issue] = []

    def raw(self, key: str):
        index = self.header.columns.get(key)
        if index is None or index >= len(self.row):
            return None
        return self.row[index]

    def has(self, key: str) -> bool:
        return not values.is_blank(self.raw(key))

    def get(self, key: str, parse: Callable[[Any], Any] = values.text, *, required: bool = False):
        # raw() inlined: a parser asks for each of its columns, for every row of the file
        index = self.header.columns.get(key)
        raw = self.row[index] if index is not None and index < len(self.row) else None
        if values.is_blank(raw):
            if required:
                what = self.header.label(key)
                self.issues.append(
                    Issue(key, "exchange.REQUIRED", f"Cột «{what}» không được để trống.")
                )
            return None
        try:
            return parse(raw)
        except CellError as error:
            self.issues.append(Issue(key, error.code, error.message))
            return None

    def text(self, key: str, max_length: int, *, required: bool = False) -> str:
        value = self.get(key, required=required) or ""
        if len(value) > max_length:
            self.issues.append(
                Issue(
                    key,
                    "exchange.TOO_LONG",
                    f"Cột «{self.header.label(key)}» dài quá {max_length} ký tự.",
                )
            )
        return value

    def decision(self, *, default_date: dt.date | None = None) -> DecisionInput | None:
        try:
            return values.decision(
                self.raw("decision_symbol"),
                self.raw("decision_date"),
                self.raw("decision_body"),
                default_date=default_date,
            )
        except CellError as error:
            self.issues.append(Issue("decision_symbol", error.code, error.message))
            return None

    def done(self) -> None:
        if self.issues:
            raise RowRejected(self.issues)


def is_blank_row(row: tuple) -> bool:
    # values.is_blank inlined: asked of every row, and most stop at their first cell
    for value in row:
        if value is None or value == "":
            continue
        if not isinstance(value, str) or value.strip():
            return False
    return True


def repeats_header(header: Header, row: tuple) -> bool:
    """A header row repeated inside the data (a sheet pasted page by page)."""
    needed = max(2, len(header.columns) // 2)
    matched, left = 0, len(header.columns)
    for key, index in header.columns.items():
        left -= 1
        value = row[index] if index < len(row) else None
        # every recognised header has letters: a number, a date or a blank never repeats one
        # (asked of every data row, so those are not formatted as text to be compared)
        if isinstance(value, str) and value and values.text(value) == header.labels[key]:
            matched += 1
        elif matched + left < needed:
            return False  # a data row: the columns left cannot make it a header
    return matched >= needed


# organisations ------------------------------------------------------------------------------
@dataclass
class OrganizationRow:
    number: int
    code: str
    name: str
    type: str
    parent: str  # code or full name, "" for none
    established_on: dt.date
    sector: str
    province_code: int | None
    address: str
    decision: DecisionInput | None
    note: str


def organization_row(header: Header, number: int, row: tuple) -> OrganizationRow:
    cells = Cells(header, row)
    record = OrganizationRow(
        number=number,
        code=cells.text("code", 32, required=True),
        name=cells.text("name", 255, required=True),
        type=cells.get("type", values.organization_type, required=True),
        parent=cells.text("parent", 255),
        established_on=cells.get("established_on", values.date, required=True),
        sector=cells.get("sector", values.sector) or "",
        province_code=cells.get("province", values.province),
        address=cells.text("address", 255),
        decision=None,
        note=cells.text("note", 2000),
    )
    record.decision = cells.decision()
    cells.done()
    return record


# people -------------------------------------------------------------------------------------
PERSON_TEXT = {  # key -> max length, as the model stores them
    "other_names": 128,
    "hometown": 255,
    "birthplace": 255,
    "permanent_residence": 255,
    "current_residence": 255,
    "qualification": 128,
    "state_management": 64,
    "foreign_language": 64,
    "occupation": 128,
    "work_unit": 255,
    "job_position": 128,
}


@dataclass
class PersonRow:
    number: int
    organization: str  # code or full name of the cell, "" for the import's default
    data: dict[str, Any] = field(default_factory=dict)  # PersonInput fields the row gives


def person_row(header: Header, number: int, row: tuple) -> PersonRow:
    cells = Cells(header, row)
    data: dict[str, Any] = {}
    full_name = cells.get("full_name", values.name, required=True)
    if full_name and len(full_name) > 128:
        cells.issues.append(Issue("full_name", "exchange.TOO_LONG", "Họ và tên quá dài."))
    data["full_name"] = full_name
    birth = cells.get("birth_date", values.partial_date, required=True)
    if birth:
        data["birth_year"], data["birth_month"], data["birth_day"] = birth
    data["sex"] = cells.get("sex", values.sex, required=True)
    for key, parse in (
        ("ethnicity", values.ethnicity),
        ("religion", values.religion),
        ("political_theory", values.political_theory),
        ("citizen_id", values.citizen_id),
        ("card_number", values.card_number),
        ("phone", values.phone),
        ("general_education", values.general_education),
    ):
        if cells.has(key):
            data[key] = cells.get(key, parse)
    for key, column in (
        ("permanent_province_code", "permanent_province"),
        ("current_province_code", "current_province"),
    ):
        if cells.has(column):
            data[key] = cells.get(column, values.province)
    for key, max_length in PERSON_TEXT.items():
        if cells.has(key):
            data[key] = cells.text(key, max_length)
    for key, max_length in (("phone", 20), ("general_education", 16), ("citizen_id", 12)):
        if len(data.get(key) or "") > max_length:
            what = header.label(key)
            cells.issues.append(
                Issue(key, "exchange.TOO_LONG", f"Cột «{what}» dài quá {max_length} ký tự.")
            )
    if len(data.get("card_number") or "") > 16:
        cells.issues.append(Issue("card_number", "exchange.TOO_LONG", "Số thẻ quá dài."))
    organization = cells.text("organization", 255)
    cells.done()
    return PersonRow(number, organization, data)


# events -------------------------------------------------------------------------------------
@dataclass(slots=True)
class EventRow:
    number: int
    kind: str
    date: dt.date
    citizen_id: str | None
    card_number: str | None
    full_name: str
    birth: tuple[int, int | None, int | None] | None
    destination: str
    until: dt.date | None
    vote_date: dt.date | None
    decision: DecisionInput | None
    details: dict[str, Any]
    for_study: bool
    override_reason: str
    note: str


CARD_KINDS = (E.CARD_ISSUE, E.CARD_REPLACE)
LEAVING_KINDS = (E.STRUCK_OFF, E.EXPULSION, E.WITHDRAWAL, E.RECOGNITION_REFUSED)


def event_row(header: Header, number: int, row: tuple) -> EventRow:
    cells = Cells(header, row)
    kind = cells.get("kind", values.event_kind, required=True)
    day = cells.get("date", values.date, required=True)
    citizen_id = cells.get("citizen_id", values.citizen_id)
    card_number = cells.get("card_number", values.card_number)
    full_name = cells.get("full_name", values.name) or ""
    birth = cells.get("birth_date", values.partial_date)
    if not (citizen_id or full_name or (card_number and kind not in CARD_KINDS)):
        cells.issues.append(
            Issue(
                "citizen_id",
                "exchange.PERSON_REQUIRED",
                "Cần ghi số CCCD, số thẻ đảng viên hoặc họ tên và ngày sinh của người.",
            )
        )
    details: dict[str, Any] = {}
    if kind == E.DISCIPLINE:
        details["form"] = cells.get("form", values.discipline_form, required=True)
    elif kind in (E.BADGE_PROPOSAL, E.BADGE_AWARD):
        details["milestone"] = cells.get(
            "milestone", lambda v: values.whole_number(v, "Mốc Huy hiệu"), required=True
        )
    elif kind in CARD_KINDS:
        if not card_number:
            cells.issues.append(
                Issue("card_number", "exchange.REQUIRED", "Cần ghi số thẻ đảng viên được cấp.")
            )
        details["card_number"] = card_number
    elif kind == E.EXEMPTION:
        details["grounds"] = cells.get("reason", values.exemption_grounds, required=True)
        requested = cells.get("requested_on", values.date)
        if requested:
            details["requested_on"] = requested.isoformat()
    elif kind in LEAVING_KINDS and cells.has("reason"):
        details["exit_reason"] = cells.get("reason", values.exit_reason)
    vote_date = cells.get("vote_date", values.date)
    if vote_date and kind in (E.ADMISSION, E.READMISSION):
        details["vote_date"] = vote_date.isoformat()
    record = EventRow(
        number=number,
        kind=kind,
        date=day,
        citizen_id=citizen_id,
        card_number=card_number,
        full_name=full_name,
        birth=birth,
        destination=cells.text("destination", 255),
        until=cells.get("until", values.date),
        vote_date=vote_date,
        decision=cells.decision(default_date=day if kind == E.RECOGNITION else None),
        details=details,
        for_study=bool(cells.get("for_study", values.boolean)),
        override_reason=cells.text("override_reason", 1000),
        note=cells.text("note", 1000),
    )
    if kind in (E.TRANSFER_OUT, E.TEMPORARY_TRANSFER_OUT) and not record.destination:
        cells.issues.append(
            Issue("destination", "exchange.REQUIRED", "Cần ghi chi bộ chuyển đến (mã hoặc tên).")
        )
    if kind == E.TEMPORARY_TRANSFER_OUT and record.until is None:
        cells.issues.append(
            Issue("until", "exchange.REQUIRED", "Cần ghi ngày kết thúc sinh hoạt tạm thời.")
        )
    cells.done()
    return record


# organisation changes -----------------------------------------------------------------------
@dataclass
class OrganizationChangeRow:
    number: int
    code: str  # code or full name of the organisation changed
    change: str  # rename, move, convert, dissolve, merge
    effective_date: dt.date
    new_name: str
    new_parent: str
    new_type: str
    into: str
    decision: DecisionInput | None
    note: str


# what each change cannot do without
CHANGE_NEEDS = {"rename": "new_name", "move": "new_parent", "convert": "new_type", "merge": "into"}


def organization_change_row(header: Header, number: int, row: tuple) -> OrganizationChangeRow:
    cells = Cells(header, row)
    record = OrganizationChangeRow(
        number=number,
        code=cells.text("code", 255, required=True),
        change=cells.get("change", values.organization_change, required=True) or "",
        effective_date=cells.get("effective_date", values.date, required=True),
        new_name=cells.text("new_name", 255),
        new_parent=cells.text("new_parent", 255),
        new_type=cells.get("new_type", values.organization_type) or "",
        into=cells.text("into", 255),
        decision=None,
        note=cells.text("note", 2000),
    )
    needed = CHANGE_NEEDS.get(record.change)
    if needed and not getattr(record, needed) and not any(i.key == needed for i in cells.issues):
        cells.issues.append(
            Issue(
                needed,
                "exchange.REQUIRED",
                f"Biến động «{values.text(cells.raw('change'))}» cần cột «{header.label(needed)}».",
            )
        )
    record.decision = cells.decision()
    cells.done()
    return record


PARSERS = {
    ORGANIZATIONS: organization_row,
    PEOPLE: person_row,
    EVENTS: event_row,
    ORGANIZATION_CHANGES: organization_change_row,
}
