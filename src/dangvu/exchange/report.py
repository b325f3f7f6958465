"""The report of an import: what each sheet did, and every problem by sheet, row and column."""

from dataclasses import asdict, dataclass, field

from dangvu.core.formatting import format_number

MAX_LISTED_ERRORS = 1000  # a file where every row is wrong still gets a readable report

KIND_LABELS = {
    "organizations": "tổ chức đảng",
    "people": "lý lịch",
    "events": "sự kiện",
    "organization_changes": "biến động tổ chức",
}


@dataclass
class RowError:
    sheet: str
    row: int  # as Excel numbers it (0: the sheet or file as a whole)
    column: str  # the header as written in the file ("" for the row as a whole)
    cell: str  # "D7", or ""
    code: str
    message: str


@dataclass
class SheetSummary:
    name: str
    kind: str
    header_row: int
    rows: int = 0  # data rows read (blank rows are not counted)
    created: int = 0
    updated: int = 0
    skipped: int = 0  # already present: nothing to do
    rejected: int = 0  # rows with at least one error
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    applied: bool = False
    sheets: list[SheetSummary] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    notices: list[str] = field(default_factory=list)
    # what the import writes but someone should look at (probable duplicates): never blocks
    warnings: list[RowError] = field(default_factory=list)
    warning_count: int = 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(error)

    def add_warning(self, warning: RowError) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED_ERRORS:
            self.warnings.append(warning)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "ok": self.ok,
            "errors_listed": len(self.errors),
            "warnings_listed": len(self.warnings),
        }

    def summary(self) -> str:
        """One sentence: what happened to the file."""
        if not self.ok:
            return (
                f"Tệp có {format_number(self.error_count)} lỗi: không có dữ liệu nào được ghi."
                + (" (Chạy thử.)" if self.dry_run else "")
            )
        doubts = (
            f" Có {format_number(self.warning_count)} cảnh báo nghi trùng lý lịch: hãy xem lại."
            if self.warning_count
            else ""
        )
        if self.dry_run:
            return "Chạy thử: tệp không có lỗi, có thể nhập. Chưa có dữ liệu nào được ghi." + doubts
        return "Đã nhập toàn bộ tệp." + doubts

    def as_text(self) -> str:
        """The report as the command line prints it."""
        lines = [f"Tệp: {self.filename}" + (" (chạy thử, không ghi)" if self.dry_run else "")]
        for sheet in self.sheets:
            what = KIND_LABELS[sheet.kind]
            lines.append(
                f"Trang «{sheet.name}» ({what}, tiêu đề ở dòng {sheet.header_row}): "
                f"{format_number(sheet.rows)} dòng; {format_number(sheet.created)} thêm mới, "
                f"{format_number(sheet.updated)} cập nhật, {format_number(sheet.skipped)} đã có, "
                f"{format_number(sheet.rejected)} dòng lỗi."
            )
            if sheet.ignored_columns:
                columns = ", ".join(f"«{label}»" for label in sheet.ignored_columns)
                lines.append(f"  Bỏ qua các cột không nhận ra: {columns}.")
        lines += [f"Lưu ý: {notice}" for notice in self.notices]
        if self.errors:
            lines.append(f"Lỗi ({format_number(self.error_count)}):")
            for error in self.errors:
                lines.append(f"  {_where(error)}: {error.message} [{error.code}]")
            if self.error_count > len(self.errors):
                rest = self.error_count - len(self.errors)
                lines.append(f"  … và {format_number(rest)} lỗi khác.")
        if self.warnings:
            lines.append(f"Cảnh báo ({format_number(self.warning_count)}):")
            lines += [
                f"  {_where(warning)}: {warning.message} [{warning.code}]"
                for warning in self.warnings
            ]
            if self.warning_count > len(self.warnings):
                rest = self.warning_count - len(self.warnings)
                lines.append(f"  … và {format_number(rest)} cảnh báo khác.")
        lines.append(self.summary())
        return "\n".join(lines)


def _where(line: RowError) -> str:
    where = f"Trang «{line.sheet}»"
    if line.row:
        where += f", dòng {line.row}"
    if line.column:
        where += f", cột «{line.column}»" + (f" ({line.cell})" if line.cell else "")
    return where
