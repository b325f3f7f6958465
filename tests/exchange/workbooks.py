"""Workbooks for the import tests, built the way real ones look: titles above the header,
merged group cells, headers with and without diacritics, blank rows, dates typed three ways."""

import datetime as dt
import io

from openpyxl import Workbook

DECIDED = "Ban Thường vụ Đảng ủy Khối"


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple(sheets: dict[str, list[list]]) -> bytes:
    """A plain workbook: each sheet's first row is its header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return to_bytes(workbook)


def citizen_id(birth_year: int, sex: str, serial: int, province: str = "052") -> str:
    """A citizen ID that fits the structure (Thông tư 59/2021/TT-BCA): province, century and
    sex, the year's last two digits, six digits."""
    century_sex = 2 * (birth_year // 100 - 19) + (1 if sex == "female" else 0)
    return f"{province}{century_sex}{birth_year % 100:02d}{serial:06d}"


AN = citizen_id(1985, "male", 1234)
NGOC = citizen_id(1990, "female", 4567)
CUONG = citizen_id(1978, "male", 8)
HA = citizen_id(1995, "female", 310)


def messy_workbook() -> bytes:
    """Three sheets as a bloc office would send them (see test_import.py for what they hold)."""
    workbook = Workbook()
    orgs = workbook.active
    orgs.title = "To chuc"
    orgs["A1"] = "DANH SÁCH TỔ CHỨC ĐẢNG THÀNH LẬP MỚI"
    orgs.merge_cells("A1:I1")
    orgs.append([])
    # headers without diacritics, in capitals
    orgs.append(
        [
            "STT",
            "MA TO CHUC",
            "TEN TO CHUC DANG",
            "LOAI TO CHUC",
            "TRUC THUOC",
            "NGAY THANH LAP",
            "SO QUYET DINH",
            "NGAY QUYET DINH",
            "CO QUAN BAN HANH",
        ]
    )
    # the child is listed before its parent
    orgs.append(
        [
            1,
            "BD.GD.QH",
            "Chi bộ Trường THPT Quốc Học",
            "chi bo truc thuoc",
            "BD.GD",
            "15/09/2012",
            "21-QĐ/ĐUK",
            dt.datetime(2012, 9, 10),
            DECIDED,
        ]
    )
    orgs.append([])
    orgs.append(
        [
            2,
            "BD.GD",
            "Đảng bộ Sở Giáo dục và Đào tạo",
            "Đảng bộ cơ sở",
            "bd.duk",  # a code in the wrong case
            dt.datetime(2012, 3, 1),
            "20-QĐ/ĐUK ngày 25/02/2012",  # the date written in the number cell
            None,
            DECIDED,
        ]
    )
    orgs.append(
        [
            3,
            "BD.YT.DD",
            "Chi bộ  Khoa Điều dưỡng ",
            "Chi bộ trực thuộc",
            "Đảng bộ Sở Y tế",  # the parent by its full name
            41030,  # an Excel serial: 01/05/2012
            "22-QĐ/ĐUK",
            "20/04/2012",
            DECIDED,
        ]
    )

    people = workbook.create_sheet("Danh sach dang vien")
    people["A1"] = "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"
    people.merge_cells("A1:M1")
    people["A2"] = "DANH SÁCH ĐẢNG VIÊN"
    people.merge_cells("A2:M2")
    # a header of two rows: single headers merged down, groups merged across
    top = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Tôn giáo",
        "Số CCCD",
        "Trình độ",
        None,
        None,
        "Nơi ở",
        None,
        "Chi bộ",
    ]
    bottom = [
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "Giáo dục phổ thông",
        "Chuyên môn",
        "Lý luận chính trị",
        "Thường trú",
        "Hiện nay",
        None,
    ]
    people.append([])
    people.append(top)
    people.append(bottom)
    for column in "ABCDEFGM":
        people.merge_cells(f"{column}4:{column}5")
    people.merge_cells("H4:J4")
    people.merge_cells("K4:L4")
    people.append([f"({n})" for n in range(1, 14)])  # the column numbers some forms carry
    people.append(
        [
            1,
            "  NGUYỄN   VĂN  AN ",
            "05/09/1985",  # typed as text
            "Nam",
            "Kinh",
            "Không",
            int(AN),  # stored as a number: the leading 0 is lost
            dt.datetime(2026, 12, 12),  # "12/12" turned into a date by Excel
            "Cử nhân Luật",
            "Trung cấp",
            "12 Lê Lợi, phường Quy Nhơn, tỉnh Gia Lai",
            "12  Lê Lợi, phường Quy Nhơn",
            "BD.TP",
        ]
    )
    people.append([])
    people.append(
        [
            2,
            "trần thị bích ngọc",
            dt.datetime(1990, 3, 14),  # an Excel date
            "nữ",
            "Tày",
            "Phật giáo",
            NGOC,
            "12/12",
            "Thạc sĩ Quản lý công",
            "Cao cấp",
            "",
            "",
            "Chi bộ Văn phòng Sở",  # the cell by its full name
        ]
    )
    people.append(
        [
            3,
            "LÊ HOÀNG CƯỜNG",
            1978,  # the year only
            "NAM",
            "Khơ-me",
            "",
            CUONG,
            "10/10",
            "",
            "so cap",
            "",
            "",
            "BD.YT.TTR",
        ]
    )
    people.append([None] * 13)
    people.append(
        [
            4,
            "Phạm Thị Thu Hà",
            34718,  # an Excel serial: 19/01/1995
            "Nu",
            "01",
            "Công giáo",
            HA,
            "12/12",
            "Kỹ sư Xây dựng",
            "",
            "",
            "",
            "BD.TP",
        ]
    )

    events = workbook.create_sheet("Qua trinh sinh hoat")
    events.append(
        [
            "Họ và tên",
            "Số CCCD",
            "Loại sự kiện",
            "Ngày",
            "Số quyết định",
            "Ngày quyết định",
            "Cơ quan ban hành",
            "Chi bộ chuyển đến",
            "Ngày chi bộ xét",
        ]
    )
    # out of order on purpose: the history is sorted by date
    events.append(
        [
            "Nguyễn Văn An",
            AN,
            "Công nhận chính thức",
            "25/06/2016",
            "31-QĐ/ĐUK",
            None,
            DECIDED,
            None,
            None,
        ]
    )
    events.append(
        [
            "Nguyễn Văn An",
            AN,
            "Kết nạp",
            dt.datetime(2015, 6, 10),
            "12-QĐ/ĐUK",
            "01/06/2015",
            DECIDED,
            None,
            "20/05/2015",
        ]
    )
    events.append([])
    events.append(
        [
            "Nguyễn Văn An",
            AN,
            "Chuyển đi",
            "01/03/2020",
            "05-QĐ/ĐUK",
            "25/02/2020",
            DECIDED,
            "Chi bộ Thanh tra Sở",
            None,
        ]
    )
    events.append(["Nguyễn Văn An", AN, "Tiếp nhận", "10/03/2020", None, None, None, None, None])
    events.append(
        [
            "TRẦN THỊ BÍCH NGỌC",
            NGOC,
            "ket nap",
            "02/11/2021",
            "40-QĐ/ĐUK",
            "20/10/2021",
            DECIDED,
            None,
            "01/10/2021",
        ]
    )
    return to_bytes(workbook)
