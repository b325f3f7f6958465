"""The members list as an XLSX sheet: the rows the page's filters select, in the same
Vietnamese order, read as plain values in one pass (no model instance per member)."""

import io

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dangvu.members.models import MemberStatus, Person, Sex
from dangvu.members.reference import ETHNICITIES, POLITICAL_THEORY

# (header, value column, how to show it)
COLUMNS = (
    ("Họ và tên", "full_name", None),
    ("Năm sinh", "birth_year", None),
    ("Ngày sinh", "birth", None),
    ("Giới tính", "sex", dict(Sex.choices)),
    ("Dân tộc", "ethnicity", dict(ETHNICITIES)),
    ("Chi bộ", "organization__name", None),
    ("Mã chi bộ", "organization__code", None),
    ("Tình trạng", "status", dict(MemberStatus.choices)),
    ("Ngày quyết định kết nạp", "admission_decision_date", None),
    ("Ngày lễ kết nạp", "ceremony_date", None),
    ("Ngày chính thức", "full_member_date", None),
    ("Số thẻ đảng viên", "card_number", None),
    ("Lý luận chính trị", "political_theory", dict(POLITICAL_THEORY)),
    ("Chuyên môn, nghiệp vụ", "qualification", None),
    ("Chức vụ", "job_position", None),
    ("Đơn vị công tác", "work_unit", None),
)
FIELDS = [
    "full_name", "birth_year", "birth_month", "birth_day", "sex", "ethnicity",
    "organization__name", "organization__code", "status", "admission_decision_date",
    "ceremony_date", "full_member_date", "card_number", "political_theory", "qualification",
    "job_position", "work_unit",
]  # fmt: skip
DATE_FORMAT = "DD/MM/YYYY"
WIDTHS = (28, 9, 12, 9, 10, 34, 14, 22, 14, 14, 14, 16, 16, 24, 20, 30)


def _birth(row: dict) -> str:
    if row["birth_month"] is None:
        return ""
    if row["birth_day"] is None:
        return f"{row['birth_month']:02d}/{row['birth_year']:04d}"
    return f"{row['birth_day']:02d}/{row['birth_month']:02d}/{row['birth_year']:04d}"


def members_xlsx(people: QuerySet[Person]) -> bytes:
    """One sheet «Danh sách đảng viên»: a header row in Vietnamese, one row per person, dates
    as real dates shown dd/mm/yyyy."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách đảng viên")
    sheet.column_dimensions["A"].width = 6
    for index, width in enumerate(WIDTHS, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    header = [WriteOnlyCell(sheet, value="STT")]
    header += [WriteOnlyCell(sheet, value=title) for title, _, _ in COLUMNS]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    rows = people.select_related(None).values(*FIELDS).iterator(chunk_size=2000)
    for number, row in enumerate(rows, start=1):
        row["birth"] = _birth(row)
        cells = [number]
        for _, key, labels in COLUMNS:
            value = row[key]
            if labels is not None:
                value = labels.get(value, value)
            if hasattr(value, "year") and not isinstance(value, int):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                value = cell
            cells.append(value if value is not None else "")
        sheet.append(cells)
    workbook.properties.creator = "dangvu"
    workbook.properties.language = "vi-VN"
    workbook.properties.title = "Danh sách đảng viên"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
