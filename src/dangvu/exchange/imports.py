"""Import of organisations, personal files and their history from an Excel (XLSX) or CSV file.

Every row is replayed through the services the web, the API and the CLI use (establishment,
personal file, each lifecycle event), so every rule of the Party is enforced as if the rows had
been entered by hand, in the actor's scope. The whole file is applied in one transaction: a
file with any error writes nothing and comes back with every error by sheet, row and column;
a dry run does the same work and rolls it back. Rows already present (an organisation by its
code, a file by its citizen ID or card number, an event of the same kind on the same day) are
skipped, so importing a file again changes nothing.

Sheets are applied in the order their data depends on: organisations, then people, then
events (sorted by date, so a history may be listed in any order). The rows are read one at a
time (sheets.py: one sheet's cells in calamine's memory): only the events (small records) are
held until they are sorted. The people rows are checked for probable duplicates, within the
file and against the stored files (duplicates.py): warnings in the report, never a block.
"""

from collections.abc import Callable
from typing import IO, Any

from django.db import DatabaseError, transaction

from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import DomainError, Forbidden, NotFound
from dangvu.core.formatting import format_date
from dangvu.core.names import fold, split_name
from dangvu.members import lifecycle
from dangvu.members import selectors as member_selectors
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import Person
from dangvu.members.services import PersonInput, PersonUpdate, person_create, person_update
from dangvu.organizations import services as organization_services
from dangvu.organizations.models import Organization
from dangvu.quality.services import person_keys_refresh

from . import org_changes, values
from . import rows as parsing
from .columns import (
    APPLIED_ORDER,
    ORGANIZATION_CHANGES,
    ORGANIZATIONS,
    PEOPLE,
    SHEET_BY_KIND,
)
from .duplicates import DuplicateCheck
from .report import ImportReport, RowError, SheetSummary
from .rows import EventRow, Issue, OrganizationRow, PersonRow, RowRejected
from .selectors import Directory, event_recorded, person_matching, recognition_recorded
from .sheets import Header, SheetSource, is_numbering_row, open_sheets
from .templates import GUIDE
from .values import CellError

Progress = Callable[[str, int], None]  # (sheet name, rows done)
PROGRESS_EVERY = 500
SCOPE_REFRESH_EVERY = 2000  # rows between two fresh scope caches (bounded memory)

# Which column a service's error is about, to point at the cell.
ERROR_COLUMNS = {
    "members.NAME_REQUIRED": "full_name",
    "members.NAME_TOO_LONG": "full_name",
    "members.INVALID_BIRTH_DATE": "birth_date",
    "members.INVALID_SEX": "sex",
    "members.UNKNOWN_ETHNICITY": "ethnicity",
    "members.UNKNOWN_RELIGION": "religion",
    "members.UNKNOWN_LEVEL": "political_theory",
    "members.UNKNOWN_PROVINCE": "permanent_province",
    "members.INVALID_CITIZEN_ID": "citizen_id",
    "members.CITIZEN_ID_MISMATCH": "citizen_id",
    "members.CITIZEN_ID_TAKEN": "citizen_id",
    "members.INVALID_CARD_NUMBER": "card_number",
    "members.CARD_NUMBER_TAKEN": "card_number",
    "members.CARD_NUMBER_BY_EVENT": "card_number",
    "members.CARD_ALREADY_ISSUED": "card_number",
    "members.NOT_A_CELL": "organization",
    "members.TRANSFER_SAME_CELL": "destination",
    "members.DISCIPLINE_FORM_REQUIRED": "form",
    "members.DISCIPLINE_FORM_NOT_ALLOWED": "form",
    "members.UNKNOWN_MILESTONE": "milestone",
    "members.BADGE_NOT_DUE": "milestone",
    "members.EXEMPTION_NOT_REQUESTED": "requested_on",
    "members.EXEMPTION_NO_GROUND": "reason",
    "members.EXEMPTION_NOT_OLD": "reason",
    "members.TEMPORARY_TRANSFER_TOO_LONG": "until",
    "core.DECISION_REQUIRED": "decision_symbol",
    "organizations.INVALID_CODE": "code",
    "organizations.CODE_TAKEN": "code",
    "organizations.NAME_REQUIRED": "name",
    "organizations.UNKNOWN_TYPE": "type",
    "organizations.INVALID_PARENT_TYPE": "parent",
    "organizations.UNKNOWN_PROVINCE": "province",
    "organizations.UNKNOWN_SECTOR": "sector",
    "organizations.EFFECTIVE_BEFORE_DECISION": "decision_date",
}

# Events of one day are applied in the order a life goes.
EVENT_ORDER = {
    kind: position
    for position, kinds in enumerate(
        [
            (E.ADMISSION, E.READMISSION),
            (E.CARD_ISSUE,),
            (E.RECOGNITION,),
            (E.CARD_REPLACE, E.TEMPORARY_RETURN, E.EXEMPTION_END),
            (E.TRANSFER_OUT,),
            (E.TRANSFER_IN,),
            (E.TEMPORARY_TRANSFER_OUT, E.EXEMPTION),
            (E.BADGE_PROPOSAL, E.BADGE_AWARD, E.DISCIPLINE),
            (E.RECOGNITION_REFUSED, E.STRUCK_OFF, E.EXPULSION, E.WITHDRAWAL, E.DEATH),
        ]
    )
    for kind in kinds
}

CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"


class FileRejected(DomainError):
    """A real import refused because the file has errors (the report is in the details)."""

    status = 422


def check_may_import(scope: Scope, default_organization: Organization | None) -> None:
    """An import writes: the actor needs the editor role, over the default organisation when
    one is given, else over at least one organisation."""
    if default_organization is not None:
        scope.require(default_organization, role=Role.EDITOR)
        return
    if scope.unrestricted or any(
        Role.rank(role) >= Role.rank(Role.EDITOR) for _, role in scope.grants
    ):
        return
    raise Forbidden(
        "access.ROLE_REQUIRED",
        f"Nhập dữ liệu cần vai trò «{Role.EDITOR.label}» đối với ít nhất một tổ chức đảng.",
    )


def import_file(
    *,
    scope: Scope,
    source: IO[bytes],
    filename: str,
    dry_run: bool = False,
    default_organization: Organization | None = None,
    progress: Progress | None = None,
    bulk: bool | None = None,
) -> ImportReport:
    """Read, check and apply the whole file, or nothing (see the module's docstring).

    `bulk`: through exchange.bulk (the same checks, set-based look-ups, one write per table)
    or row by row through the services; by default bulk for files of more than
    BULK_THRESHOLD rows."""
    from .bulk import BULK_THRESHOLD, BulkRun

    check_may_import(scope, default_organization)
    sheets = open_sheets(source, filename)
    report = ImportReport(filename=filename, dry_run=dry_run)
    if bulk is None:
        bulk = any(sheet.more_rows_than(BULK_THRESHOLD) for sheet in sheets if sheet.header)
    run = (BulkRun if bulk else _Run)(scope, report, default_organization, progress)
    data_sheets = [sheet for sheet in sheets if sheet.header is not None]
    for sheet in sheets:
        if sheet.header is None and fold(sheet.name) != fold(GUIDE):
            report.notices.append(
                f"Trang «{sheet.name}» không có dòng tiêu đề của trang mẫu nào: bỏ qua."
            )
    if not data_sheets:
        raise DomainError(
            "exchange.NO_DATA_SHEET",
            "Không tìm thấy trang nào có dòng tiêu đề của tệp mẫu (Tổ chức đảng, Biến động tổ "
            "chức, Đảng viên, Sự kiện). Hãy tải tệp mẫu và ghi đúng tiêu đề cột.",
        )
    with transaction.atomic():
        for kind in APPLIED_ORDER:
            for sheet in data_sheets:
                if sheet.header.kind == kind:
                    run.sheet(sheet)
        run.finish()
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    report.applied = not dry_run and report.ok
    order = {summary.name: position for position, summary in enumerate(report.sheets)}
    report.errors.sort(key=lambda error: (order.get(error.sheet, -1), error.row))
    report.warnings.sort(key=lambda warning: (order.get(warning.sheet, -1), warning.row))
    return report


class _Run:
    def __init__(
        self,
        scope: Scope,
        report: ImportReport,
        default_organization: Organization | None,
        progress: Progress | None,
    ) -> None:
        self.base_scope = scope
        self.scope = scope
        self.report = report
        self.default = default_organization
        self.progress = progress
        self.directory = Directory()
        self.today = clock.today()
        self.done = 0
        self.sheet_name = ""
        # the numbers of the people rows so far, to refuse one given twice: number -> where
        self.seen_citizen_ids: dict[str, tuple[str, int]] = {}
        self.seen_cards: dict[str, tuple[str, int]] = {}
        self.duplicates = DuplicateCheck(scope, self.today)
        self.people_headers: dict[str, Header] = {}  # the people sheets read, by name

    # the sheets -------------------------------------------------------------------------------
    def sheet(self, sheet: SheetSource) -> None:
        header = sheet.header
        self.sheet_name = sheet.name
        summary = SheetSummary(
            name=sheet.name,
            kind=header.kind,
            header_row=header.row,
            ignored_columns=[*header.unknown, *header.duplicates],
        )
        self.report.sheets.append(summary)
        missing = [
            column
            for column in SHEET_BY_KIND[header.kind].columns
            if column.required and column.key not in header.columns
        ]
        if missing:
            for column in missing:
                self._error(
                    sheet.name,
                    header,
                    header.row,
                    Issue(
                        column.key,
                        "exchange.MISSING_COLUMN",
                        f"Trang thiếu cột «{column.header}» (bắt buộc): không đọc các dòng của "
                        "trang này.",
                    ),
                )
            return
        if header.kind == PEOPLE:
            if not self.people_headers:
                # the stored files' folded keys brought up to date before a row writes a file:
                # the duplicate check compares the new files with them (and `finish` keys the
                # files the import writes, so it leaves no stale key behind)
                person_keys_refresh()
            self.people_headers[sheet.name] = header
        records = self._records(sheet, summary)
        if header.kind == ORGANIZATIONS:
            self._organizations(sheet, summary, list(records))
        elif header.kind == ORGANIZATION_CHANGES:
            self._organization_changes(sheet, summary, records)
        elif header.kind == PEOPLE:
            self._people(sheet, summary, records)
        else:
            self._events(sheet, summary, records)

    def _people(self, sheet: SheetSource, summary: SheetSummary, records) -> None:
        for record in records:
            outcome = self._apply(sheet, summary, record.number, self._person, record)
            self._accepted(sheet, record, outcome)

    def _accepted(self, sheet: SheetSource, record: PersonRow, outcome: str | None) -> None:
        """A people row applied (`outcome`; None: rejected), kept for the duplicate check."""
        if outcome is not None:
            self.duplicates.add(sheet.name, record.number, record.data, outcome == CREATED)

    def _events(self, sheet: SheetSource, summary: SheetSummary, records) -> None:
        for record in sorted(records, key=event_order):
            self._apply(sheet, summary, record.number, self._event, record)

    def finish(self) -> None:
        """After the last sheet, inside the import's transaction (the bulk path writes here)."""
        self._warn_duplicates()
        if self.people_headers:
            person_keys_refresh()  # the files this import created or changed

    def _warn_duplicates(self) -> None:
        """The probable duplicates among the people rows, as warnings on their name's cell."""
        for sheet_name, number, code, message in self.duplicates.warnings():
            header = self.people_headers[sheet_name]
            self.report.add_warning(
                RowError(
                    sheet=sheet_name,
                    row=number,
                    column=header.label("full_name"),
                    cell=header.cell("full_name", number),
                    code=code,
                    message=message,
                )
            )

    def _records(self, sheet: SheetSource, summary: SheetSummary):
        """The sheet's data rows parsed, blank and repeated header rows left out; a row that
        cannot be read is reported here and not applied."""
        header = sheet.header
        parse = parsing.PARSERS[header.kind]
        for number, row in sheet.iter_rows(header.row + 1):
            if parsing.is_blank_row(row) or is_numbering_row(row):
                continue
            if parsing.repeats_header(header, row):
                continue
            summary.rows += 1
            try:
                yield parse(header, number, row)
            except RowRejected as rejected:
                summary.rejected += 1
                for issue in rejected.issues:
                    self._error(sheet.name, header, number, issue)
                self._tick(sheet)

    def _apply(
        self,
        sheet: SheetSource,
        summary: SheetSummary,
        number: int,
        apply,
        record,
        *,
        savepoint: bool = True,
    ) -> str | None:
        """One row in its own savepoint: a row that fails leaves nothing behind, and the rows
        after it are still checked. Without `savepoint`, for an `apply` that writes nothing.
        The row's outcome, or None when it was rejected."""
        outcome = None
        try:
            if savepoint:
                with transaction.atomic():
                    outcome = apply(record)
            else:
                outcome = apply(record)
        except RowRejected as rejected:
            summary.rejected += 1
            for issue in rejected.issues:
                self._error(sheet.name, sheet.header, number, issue)
        except (CellError, DomainError) as error:
            issue = Issue(ERROR_COLUMNS.get(error.code, ""), error.code, error.message)
            self._reject(sheet, summary, number, issue)
        except DatabaseError as error:
            issue = Issue(
                "",
                "exchange.DATABASE_REFUSED",
                f"Cơ sở dữ liệu không nhận dòng này ({type(error).__name__}).",
            )
            self._reject(sheet, summary, number, issue)
        else:
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        self._tick(sheet)
        return outcome

    def _reject(self, sheet: SheetSource, summary: SheetSummary, number: int, issue: Issue) -> None:
        summary.rejected += 1
        self._error(sheet.name, sheet.header, number, issue)

    def _error(self, sheet_name: str, header: Header, number: int, issue: Issue) -> None:
        known = issue.key in header.columns
        self.report.add_error(
            RowError(
                sheet=sheet_name,
                row=number,
                column=header.label(issue.key)
                if issue.key and _is_column(header, issue.key)
                else "",
                cell=header.cell(issue.key, number) if known else "",
                code=issue.code,
                message=issue.message,
            )
        )

    def _tick(self, sheet: SheetSource) -> None:
        self.done += 1
        if self.done % SCOPE_REFRESH_EVERY == 0:
            self._renew_scope()  # the scope's caches grow with each date asked about
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(sheet.name, self.done)

    def _renew_scope(self) -> None:
        base = self.base_scope
        self.scope = Scope(user=base.user, grants=base.grants, unrestricted=base.unrestricted)

    # organisations ----------------------------------------------------------------------------
    def _organizations(
        self, sheet: SheetSource, summary: SheetSummary, records: list[OrganizationRow]
    ) -> None:
        """Parents before children, whatever the order of the rows."""
        waiting = {record.code: record for record in records}
        names = {values.key(record.name): record.code for record in records}
        pending = list(records)
        while pending:
            later = []
            for record in pending:
                parent = record.parent
                parent_code = parent if parent in waiting else names.get(values.key(parent))
                if parent and parent_code in waiting and parent_code != record.code:
                    later.append(record)
                    continue
                self._apply(sheet, summary, record.number, self._organization, record)
                waiting.pop(record.code, None)
            if len(later) == len(pending):  # parents that never come: a cycle
                for record in later:
                    self._reject(
                        sheet,
                        summary,
                        record.number,
                        Issue(
                            "parent",
                            "exchange.PARENT_CYCLE",
                            f"Tổ chức cấp trên «{record.parent}» lại trực thuộc tổ chức này "
                            "(vòng lặp trong cột Trực thuộc).",
                        ),
                    )
                break
            pending = later

    def _organization(self, record: OrganizationRow) -> str:
        day = record.established_on
        parent = None
        if record.parent:
            try:
                parent = self.directory.organization(scope=self.scope, text=record.parent, at=day)
            except CellError as error:
                raise RowRejected([Issue("parent", error.code, error.message)]) from None
        elif self.default is not None:
            parent = self.default
        existing = self.directory.by_code(record.code)
        if existing is not None:
            return self._existing_organization(existing, record, parent)
        organization = organization_services.organization_establish(
            scope=self.scope,
            spec=organization_services.NewOrganization(
                code=record.code,
                name=record.name,
                type=record.type,
                parent=parent,
                sector=record.sector,
                province_code=record.province_code,
                address=record.address,
            ),
            effective_date=day,
            decision=record.decision,
            note=record.note,
        )
        self.directory.added(organization, organization.name, day)
        return CREATED

    def _existing_organization(
        self, organization: Organization, record: OrganizationRow, parent: Organization | None
    ) -> str:
        """Present already: the same organisation is skipped, a different one is a conflict."""
        try:
            version = self.scope.require(organization, at=record.established_on)
        except NotFound:
            raise DomainError(
                "organizations.CODE_TAKEN", f"Mã tổ chức «{record.code}» đã được dùng."
            ) from None
        differences = []
        if organization.established_on != record.established_on:
            differences.append(f"ngày thành lập {format_date(organization.established_on)}")
        if version.type != record.type:
            differences.append(f"loại «{organization_services.rules.label(version.type)}»")
        if (parent.pk if parent else None) != version.parent_id:
            differences.append("tổ chức cấp trên khác")
        if " ".join(record.name.split()) != version.name:
            differences.append(f"tên «{version.name}»")
        if differences:
            raise DomainError(
                "exchange.ORGANIZATION_DIFFERS",
                f"Mã «{record.code}» đã có với " + ", ".join(differences) + ": không ghi đè; "
                "việc đổi tên, chuyển trực thuộc, chuyển đổi được ghi bằng sự kiện của tổ chức.",
            )
        return SKIPPED

    def _organization_changes(self, sheet: SheetSource, summary: SheetSummary, records) -> None:
        """In date order; a merge of several rows is applied once, its problems reported on
        its first row and each of its rows counted."""
        for group in org_changes.in_order(records):
            self._renew_scope()  # its caches hold the versions before the last change
            if group[0].change != "merge":
                self._apply(sheet, summary, group[0].number, self._organization_change, group[0])
                continue
            before = (summary.created, summary.skipped, summary.rejected)
            self._apply(sheet, summary, group[0].number, self._organization_merge, group)
            extra = len(group) - 1
            if summary.rejected > before[2]:
                summary.rejected += extra
            elif summary.created > before[0]:
                summary.created += extra
            else:
                summary.skipped += extra

    def _organization_change(self, record) -> str:
        return org_changes.apply_change(self.scope, self.directory, record)

    def _organization_merge(self, group) -> str:
        return org_changes.apply_merge(self.scope, self.directory, group)

    # people -----------------------------------------------------------------------------------
    def _person(self, record: PersonRow) -> str:
        self._check_seen(record)
        return self._person_seen(record)

    def _check_seen(self, record: PersonRow) -> None:
        """The citizen ID or card number of an earlier row of the file again: refused."""
        data = record.data
        for field, seen in (
            ("citizen_id", self.seen_citizen_ids),
            ("card_number", self.seen_cards),
        ):
            number = data.get(field)
            if number:
                if number in seen:
                    raise RowRejected(
                        [
                            Issue(
                                field,
                                "exchange.DUPLICATE_IN_FILE",
                                f"Số {number} đã có ở dòng {seen[number][1]} của trang "
                                f"«{seen[number][0]}».",
                            )
                        ]
                    )
                seen[number] = (self.sheet_name, record.number)

    def _person_seen(self, record: PersonRow) -> str:
        data = record.data
        organization = self._cell(record)
        existing = person_matching(
            citizen_id=data.get("citizen_id"),
            card_number=data.get("card_number"),
            full_name=data["full_name"],
            birth=(data["birth_year"], data.get("birth_month"), data.get("birth_day")),
            sex=data["sex"],
            organization=organization,
        )
        if existing is not None:
            try:
                person = member_selectors.person_get(scope=self.scope, pk=existing)
            except NotFound:
                person = None  # someone else's file: the service says the number is taken
            if person is not None:
                return self._existing_person(person, data)
        if organization is None:
            raise RowRejected(
                [Issue("organization", "exchange.REQUIRED", "Cần ghi chi bộ (mã hoặc tên).")]
            )
        person_create(scope=self.scope, organization=organization, data=PersonInput(**data))
        return CREATED

    def _cell(self, record: PersonRow) -> Organization | None:
        if not record.organization:
            return self.default
        try:
            return self.directory.organization(
                scope=self.scope, text=record.organization, at=self.today
            )
        except CellError as error:
            raise RowRejected([Issue("organization", error.code, error.message)]) from None

    def _existing_person(self, person: Person, data: dict[str, Any]) -> str:
        """The file is there: what the row gives and differs is corrected (the service checks
        and audits it); the same row again changes nothing."""
        birth = ("birth_year", "birth_month", "birth_day")
        given = {
            key: value
            for key, value in data.items()
            if value not in (None, "") and key not in birth
        }
        given["full_name"] = split_name(given["full_name"]).full
        changed = {key: value for key, value in given.items() if getattr(person, key) != value}
        row_birth = tuple(data.get(key) for key in birth)
        stored = tuple(getattr(person, key) for key in birth)
        less_precise = row_birth[0] == stored[0] and all(
            mine is None or mine == theirs
            for mine, theirs in zip(row_birth[1:], stored[1:], strict=True)
        )
        if not less_precise:  # a year alone never erases a fuller date already stored
            changed.update(zip(birth, row_birth, strict=True))
        if not changed:
            return SKIPPED
        try:
            person_update(scope=self.scope, person=person, data=PersonUpdate(**changed))
        except DomainError as error:
            if error.code == "members.NOTHING_CHANGED":
                return SKIPPED
            raise
        return UPDATED

    # events -----------------------------------------------------------------------------------
    def _event(self, record: EventRow) -> str:
        person = self.directory.person(
            scope=self.scope,
            citizen_id=record.citizen_id,
            card_number=None if record.kind in parsing.CARD_KINDS else record.card_number,
            full_name=record.full_name,
            birth=record.birth,
        )
        if self._recorded(person, record):
            return SKIPPED
        kind, day = record.kind, record.date
        if kind == E.ADMISSION:
            lifecycle.member_admit(
                scope=self.scope,
                person=person,
                ceremony_date=day,
                decision=record.decision,
                vote_date=record.vote_date,
                override_reason=record.override_reason,
            )
        elif kind == E.RECOGNITION:
            if record.decision is None:
                raise RowRejected(
                    [
                        Issue(
                            "decision_symbol",
                            "core.DECISION_REQUIRED",
                            "Cần có quyết định công nhận (số, ngày, cơ quan ban hành).",
                        )
                    ]
                )
            lifecycle.member_recognize(scope=self.scope, person=person, decision=record.decision)
        elif kind in (E.TRANSFER_OUT, E.TEMPORARY_TRANSFER_OUT):
            destination = self._destination(record)
            if kind == E.TRANSFER_OUT:
                lifecycle.member_transfer_out(
                    scope=self.scope,
                    person=person,
                    to=destination,
                    effective_date=day,
                    decision=record.decision,
                    note=record.note,
                )
            else:
                lifecycle.member_temporary_transfer_out(
                    scope=self.scope,
                    person=person,
                    to=destination,
                    effective_date=day,
                    until=record.until,
                    for_study=record.for_study,
                    decision=record.decision,
                    note=record.note,
                )
        elif kind == E.TRANSFER_IN:
            lifecycle.member_transfer_in(
                scope=self.scope,
                person=person,
                effective_date=day,
                decision=record.decision,
                override_reason=record.override_reason,
            )
        else:
            lifecycle.SIMPLE_SERVICES[kind](
                scope=self.scope,
                person=person,
                effective_date=day,
                decision=record.decision,
                details=record.details,
                override_reason=record.override_reason,
            )
        return CREATED

    def _recorded(self, person: Person, record: EventRow) -> bool:
        if record.kind == E.RECOGNITION:
            # its day is the end of probation, whatever the row says: one per admission
            return recognition_recorded(person, record.date)
        return event_recorded(person, record.kind, record.date)

    def _destination(self, record: EventRow) -> Organization:
        try:
            destination = self.directory.organization(
                scope=self.scope, text=record.destination, at=record.date, any_code=True
            )
        except CellError as error:
            raise RowRejected([Issue("destination", error.code, error.message)]) from None
        return destination


def event_order(record: EventRow) -> tuple:
    """The order the events of a file are applied in: by date, a day's events in the order a
    life goes, then as listed."""
    return (record.date, EVENT_ORDER[record.kind], record.number)


def _is_column(header: Header, key: str) -> bool:
    return any(column.key == key for column in SHEET_BY_KIND[header.kind].columns)
