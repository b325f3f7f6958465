"""The XLSX template users fill in: one sheet per kind of data with the Vietnamese headers the
importer reads, and a guide (what each column holds, the accepted values)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangvu.members import rules as member_rules
from dangvu.members.events import MemberEventKind
from dangvu.members.reference import ETHNICITIES, POLITICAL_THEORY, RELIGIONS
from dangvu.organizations.models import OrganizationType, Sector

from .columns import IGNORED, SHEETS_APPLIED
from .values import CHANGE_LABELS

GUIDE = "Hướng dẫn"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(name="Times New Roman", bold=True, color="C00000")
HEADER_FONT = Font(name="Times New Roman", bold=True)
BODY_FONT = Font(name="Times New Roman")
TEXT_COLUMNS = {"citizen_id", "card_number", "phone", "general_education", "code"}
MAX_ROWS = 100_000  # rows the validations cover

LISTS = {
    "Loại tổ chức": [str(label) for label in OrganizationType.labels],
    "Loại hình": [str(label) for label in Sector.labels],
    "Sự kiện": [str(label) for label in MemberEventKind.labels],
    "Biến động tổ chức": list(CHANGE_LABELS),
    "Hình thức kỷ luật": [
        str(label)
        for value, label in member_rules.DisciplineForm.choices
        if value != member_rules.DisciplineForm.DISSOLUTION
    ],
    "Lý do ra khỏi Đảng": [str(label) for label in member_rules.ExitReason.labels],
    "Lý do miễn sinh hoạt": [str(label) for label in member_rules.ExemptionGround.labels],
    "Tôn giáo": [label for _, label in RELIGIONS],
    "Lý luận chính trị": [label for value, label in POLITICAL_THEORY if value],
    "Dân tộc": [f"{code} {label}" for code, label in ETHNICITIES],
}
VALIDATED = {
    "type": "Loại tổ chức",
    "new_type": "Loại tổ chức",
    "sector": "Loại hình",
    "kind": "Sự kiện",
    "change": "Biến động tổ chức",
}

FORMATS = (
    "Ngày: dd/mm/yyyy (05/09/1985); ô kiểu ngày của Excel cũng được. Ngày sinh có thể chỉ "
    "ghi tháng và năm (09/1985) hoặc năm (1985).",
    "Họ tên viết hoa hay thường đều được; khoảng trắng thừa được bỏ.",
    "Tổ chức đảng ghi bằng mã hoặc tên đầy đủ (tên như vào ngày của dòng).",
    "Tiêu đề cột có dấu hay không dấu đều được; có thể có dòng tiêu đề lớn ở trên, dòng đánh "
    "số cột (1), (2), ... ở dưới và dòng trống ở giữa.",
    "Các cột tô đỏ là bắt buộc. Cột không nhận ra được bỏ qua (báo trong kết quả).",
    "Nhập lại cùng một tệp không tạo bản ghi trùng: lý lịch nhận ra theo số CCCD hoặc số thẻ, "
    "sự kiện đã có (cùng loại, cùng ngày) được bỏ qua.",
    "Tệp có lỗi thì không ghi gì: sửa các dòng được báo rồi nhập lại. Nên chạy thử trước.",
)


def import_template() -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    guide = workbook.create_sheet(GUIDE)
    list_ranges = _write_guide(guide)
    for spec in SHEETS_APPLIED:
        sheet = workbook.create_sheet(spec.title, index=len(workbook.sheetnames) - 1)
        for position, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=1, column=position, value=column.header)
            cell.font = REQUIRED_FONT if column.required else HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = column.width if column.key != IGNORED else 6
            if column.key in TEXT_COLUMNS:  # keep leading zeros, and 12/12 as text
                sheet.column_dimensions[letter].number_format = "@"
            if column.key in VALIDATED:
                validation = DataValidation(
                    type="list",
                    formula1=list_ranges[VALIDATED[column.key]],
                    allow_blank=True,
                    showErrorMessage=False,  # a synonym is accepted too: only a suggestion
                )
                validation.add(f"{letter}2:{letter}{MAX_ROWS}")
                sheet.add_data_validation(validation)
            if column.key == "sex":
                validation = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
                validation.add(f"{letter}2:{letter}{MAX_ROWS}")
                sheet.add_data_validation(validation)
        sheet.row_dimensions[1].height = 32
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet) -> dict[str, str]:
    """The guide; returns where each list of values sits (for the sheets' validations)."""
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 100
    row = 1
    sheet.cell(row=row, column=1, value="HƯỚNG DẪN NHẬP DỮ LIỆU").font = Font(
        name="Times New Roman", bold=True, size=14
    )
    row += 2
    for line in FORMATS:
        sheet.cell(row=row, column=1, value=f"• {line}").font = BODY_FONT
        row += 1
    for spec in SHEETS_APPLIED:
        row += 1
        sheet.cell(row=row, column=1, value=f"Trang «{spec.title}»").font = HEADER_FONT
        row += 1
        for position, title in enumerate(("Cột", "Bắt buộc", "Nội dung"), start=1):
            cell = sheet.cell(row=row, column=position, value=title)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        row += 1
        for column in spec.columns:
            if column.key == IGNORED:
                continue
            sheet.cell(row=row, column=1, value=column.header).font = BODY_FONT
            sheet.cell(row=row, column=2, value="Có" if column.required else "").font = BODY_FONT
            help_cell = sheet.cell(row=row, column=3, value=column.help)
            help_cell.font = BODY_FONT
            help_cell.alignment = Alignment(wrap_text=True)
            row += 1
    ranges = {}
    row += 1
    for title, entries in LISTS.items():
        sheet.cell(row=row, column=1, value=f"Danh mục: {title}").font = HEADER_FONT
        row += 1
        first = row
        for entry in entries:
            sheet.cell(row=row, column=1, value=entry).font = BODY_FONT
            row += 1
        ranges[title] = f"'{GUIDE}'!$A${first}:$A${row - 1}"
        row += 1
    return ranges
