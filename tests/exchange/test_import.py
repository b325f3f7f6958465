"""Import of a whole file: tolerant reading, all or nothing, idempotent, in the actor's scope."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dangvu.access.models import Role
from dangvu.core.errors import Forbidden
from dangvu.members.models import MemberStatus, Person
from dangvu.organizations.models import Organization, OrganizationType

from .workbooks import AN, CUONG, DECIDED, HA, NGOC, messy_workbook, simple, to_bytes

PEOPLE_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chi bộ"]


def errors_of(report) -> list[tuple]:
    return [(e.sheet, e.row, e.column, e.code) for e in report.errors]


# the messy workbook -------------------------------------------------------------------------
def test_a_messy_workbook_imports_as_meant(tree, run_import):
    report = run_import(messy_workbook())
    assert report.ok, report.as_text()
    assert report.applied
    assert [(s.name, s.kind, s.header_row) for s in report.sheets] == [
        ("To chuc", "organizations", 3),
        ("Danh sach dang vien", "people", 5),
        ("Qua trinh sinh hoat", "events", 1),
    ]
    assert [(s.rows, s.created, s.rejected) for s in report.sheets] == [
        (3, 3, 0),
        (4, 4, 0),
        (5, 5, 0),
    ]

    # organisations: by code in any case, by full name, children before parents
    edu = Organization.objects.get(code="BD.GD")
    assert (edu.name, edu.type, edu.parent.code) == (
        "Đảng bộ Sở Giáo dục và Đào tạo",
        OrganizationType.GRASSROOTS_COMMITTEE,
        "BD.DUK",
    )
    assert edu.established_on == dt.date(2012, 3, 1)
    school = Organization.objects.get(code="BD.GD.QH")
    assert (school.parent, school.type) == (edu, OrganizationType.SUBORDINATE_CELL)
    nursing = Organization.objects.get(code="BD.YT.DD")
    assert (nursing.name, nursing.parent.code, nursing.established_on) == (
        "Chi bộ Khoa Điều dưỡng",
        "BD.YT",
        dt.date(2012, 5, 1),
    )
    assert str(edu.events.get().decision) == (
        "20-QĐ/ĐUK ngày 25/02/2012 của Ban Thường vụ Đảng ủy Khối"
    )

    # people: names in title case, dates of three kinds, leading zeros back, merged headers
    people = {p.citizen_id: p for p in Person.objects.all()}
    assert set(people) == {AN, NGOC, CUONG, HA}
    an, ngoc, cuong, ha = people[AN], people[NGOC], people[CUONG], people[HA]
    assert [p.full_name for p in (an, ngoc, cuong, ha)] == [
        "Nguyễn Văn An",
        "Trần Thị Bích Ngọc",
        "Lê Hoàng Cường",
        "Phạm Thị Thu Hà",
    ]
    assert (an.family_name, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")
    assert [(p.birth_year, p.birth_month, p.birth_day) for p in (an, ngoc, cuong, ha)] == [
        (1985, 9, 5),
        (1990, 3, 14),
        (1978, None, None),
        (1995, 1, 19),
    ]
    assert [p.sex for p in (an, ngoc, cuong, ha)] == ["male", "female", "male", "female"]
    assert [p.ethnicity for p in (an, ngoc, cuong, ha)] == ["01", "02", "05", "01"]
    assert [p.religion for p in (an, ngoc, cuong, ha)] == ["", "buddhism", "", "catholicism"]
    assert [p.political_theory for p in (an, ngoc, cuong, ha)] == [
        "intermediate",
        "advanced",
        "elementary",
        "",
    ]
    assert [p.general_education for p in (an, ngoc, cuong, ha)] == [
        "12/12",
        "12/12",
        "10/10",
        "12/12",
    ]
    assert an.qualification == "Cử nhân Luật"
    assert an.permanent_residence == "12 Lê Lợi, phường Quy Nhơn, tỉnh Gia Lai"
    assert an.current_residence == "12 Lê Lợi, phường Quy Nhơn"
    assert ngoc.organization.code == "BD.YT.VP"
    assert cuong.organization.code == "BD.YT.TTR"
    assert ha.organization.code == "BD.TP"

    # events: sorted by date, replayed through the lifecycle services
    an.refresh_from_db()
    assert [e.kind for e in an.events.order_by("effective_date", "id")] == [
        "admission",
        "recognition",
        "transfer_out",
        "transfer_in",
    ]
    assert an.status == MemberStatus.FULL
    assert an.full_member_date == dt.date(2016, 6, 10)  # the end of probation, not the decision
    assert an.organization.code == "BD.YT.TTR"
    ngoc.refresh_from_db()
    assert (ngoc.status, ngoc.ceremony_date) == (MemberStatus.PROBATIONARY, dt.date(2021, 11, 2))


def test_a_dry_run_checks_everything_and_writes_nothing(tree, run_import, snapshot):
    before = snapshot()
    report = run_import(messy_workbook(), dry_run=True)
    assert report.ok, report.as_text()
    assert not report.applied
    assert report.sheets[2].created == 5  # the events found the people of the same file
    assert snapshot() == before
    assert "Chạy thử" in report.summary()


def test_importing_the_same_file_again_changes_nothing(tree, run_import, snapshot):
    assert run_import(messy_workbook()).ok
    before = snapshot()
    again = run_import(messy_workbook())
    assert again.ok, again.as_text()
    assert [(s.created, s.updated, s.skipped) for s in again.sheets] == [
        (0, 0, 3),
        (0, 0, 4),
        (0, 0, 5),
    ]
    assert snapshot() == before


def _with_cell(content: bytes, sheet: str, cell: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    workbook[sheet][cell] = value
    return to_bytes(workbook)


def test_one_bad_row_changes_nothing_and_is_reported(tree, run_import, snapshot):
    # Phạm Thị Thu Hà (row 12) given a citizen ID of a man born in 1985
    content = _with_cell(messy_workbook(), "Danh sach dang vien", "G12", "052085009999")
    before = snapshot()
    report = run_import(content)
    assert not report.ok and not report.applied
    assert report.error_count == 1
    (error,) = report.errors
    assert (error.sheet, error.row, error.column, error.cell, error.code) == (
        "Danh sach dang vien",
        12,
        "Số CCCD",
        "G12",
        "members.CITIZEN_ID_MISMATCH",
    )
    assert "chữ số thứ tư" in error.message.lower()
    assert snapshot() == before
    text = report.as_text()
    assert "dòng 12, cột «Số CCCD» (G12)" in text
    assert "không có dữ liệu nào được ghi" in text


def test_every_error_of_a_file_is_listed_by_row_and_column(tree, run_import, snapshot):
    content = simple(
        {
            "Đảng viên": [
                PEOPLE_HEADER,
                ["Võ Thị Mỹ Linh", "31/02/1990", "Nữ", "", "BD.TP"],  # no such day
                ["Đặng Quốc Bảo", "1988", "Nam", "", "Chi bộ Không Có"],  # unknown cell
                ["", "1988", "Nam", "", "BD.TP"],  # no name
                ["Huỳnh Văn Tâm", "1979", "Nam", "05207900001", "BD.TP"],  # 11 digits as text
                ["Bùi Thị Lan", "1992", "Nữ", "052192000001", "BD.TP"],
                ["Bùi Thị Lan", "1992", "Nữ", "052192000001", "BD.TP"],  # twice in the file
                ["Ngô Văn Hùng", "1985", "Nam", "", "BD.YT"],  # a committee is not a cell
            ],
            "Sự kiện": [
                ["Họ và tên", "Số CCCD", "Sự kiện", "Ngày", "Số quyết định", "Ngày quyết định",
                 "Cơ quan ban hành"],
                ["Bùi Thị Lan", "052192000001", "Kết nạp", "05/2015", "1-QĐ/ĐUK", "01/05/2015",
                 DECIDED],  # a month is not a date
                ["Bùi Thị Lan", "052192000001", "Thăng chức", "01/06/2015", "", "", ""],
                ["Bùi Thị Lan", "052192000001", "Kết nạp", "10/06/2010", "2-QĐ/ĐUK",
                 "01/06/2010", DECIDED],  # not 18 yet
            ],
        }
    )  # fmt: skip
    before = snapshot()
    report = run_import(content)
    assert errors_of(report) == [
        ("Đảng viên", 2, "Ngày sinh", "exchange.INVALID_DATE"),
        ("Đảng viên", 3, "Chi bộ", "exchange.UNKNOWN_ORGANIZATION"),
        ("Đảng viên", 4, "Họ và tên", "exchange.REQUIRED"),
        ("Đảng viên", 5, "Số CCCD", "members.INVALID_CITIZEN_ID"),
        ("Đảng viên", 7, "Số CCCD", "exchange.DUPLICATE_IN_FILE"),
        ("Đảng viên", 8, "Chi bộ", "members.NOT_A_CELL"),
        ("Sự kiện", 2, "Ngày", "exchange.DATE_INCOMPLETE"),
        ("Sự kiện", 3, "Sự kiện", "exchange.UNKNOWN_VALUE"),
        ("Sự kiện", 4, "", "members.ADMISSION_UNDER_AGE"),
    ]
    messages = {e.row: e.message for e in report.errors if e.sheet == "Đảng viên"}
    assert "31/02/1990" in messages[2]
    assert "Chi bộ Không Có" in messages[3]
    assert "dòng 6 của trang «Đảng viên»" in messages[7]
    assert report.error_count == 9
    assert snapshot() == before


def test_a_sheet_without_a_required_column_is_not_read(tree, run_import):
    content = simple(
        {"DS": [["Họ và tên", "Ngày sinh", "Chi bộ"], ["Lý Văn Phúc", "1980", "BD.TP"]]}
    )
    report = run_import(content)
    assert errors_of(report) == [("DS", 1, "Giới tính", "exchange.MISSING_COLUMN")]
    assert not Person.objects.exists()


def test_unknown_columns_are_ignored_and_named(tree, run_import):
    content = simple(
        {
            "DS": [
                [*PEOPLE_HEADER, "Sở thích"],
                ["Lý Văn Phúc", "1980", "Nam", "", "BD.TP", "Cờ tướng"],
            ]
        }
    )
    report = run_import(content)
    assert report.ok
    assert report.sheets[0].ignored_columns == ["Sở thích"]
    assert "Bỏ qua các cột không nhận ra: «Sở thích»" in report.as_text()


def test_a_changed_row_corrects_the_file(tree, run_import):
    row = ["Lý Văn Phúc", "1980", "Nam", "052080000777", "BD.TP"]
    assert run_import(simple({"DS": [PEOPLE_HEADER, row]})).ok
    corrected = simple(
        {"DS": [[*PEOPLE_HEADER, "Điện thoại"], [*row[:1], "12/04/1980", *row[2:], 912345678]]}
    )
    report = run_import(corrected)
    assert (report.sheets[0].updated, report.sheets[0].created) == (1, 0)
    person = Person.objects.get()
    assert (person.birth_month, person.birth_day, person.phone) == (4, 12, "0912345678")
    # a year alone does not erase the fuller date now stored
    assert run_import(simple({"DS": [PEOPLE_HEADER, row]})).sheets[0].skipped == 1
    assert Person.objects.get().birth_day == 12


def test_people_without_numbers_are_matched_by_name_birth_and_cell(tree, run_import):
    content = simple({"DS": [PEOPLE_HEADER, ["Lý Văn Phúc", "1980", "Nam", "", "BD.TP"]]})
    assert run_import(content).sheets[0].created == 1
    assert run_import(content).sheets[0].skipped == 1
    assert Person.objects.count() == 1


# events -------------------------------------------------------------------------------------
EVENT_HEADER = [
    "Số CCCD",
    "Sự kiện",
    "Ngày",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
]


def test_events_name_people_by_name_and_birth_date(tree, run_import):
    people = simple({"DS": [PEOPLE_HEADER, ["Lý Văn Phúc", "02/01/1980", "Nam", "", "BD.TP"]]})
    assert run_import(people).ok
    content = simple(
        {
            "SK": [
                ["Họ và tên", "Ngày sinh", *EVENT_HEADER[1:]],
                [
                    "LÝ VĂN PHÚC",
                    "02/01/1980",
                    "Kết nạp",
                    "10/06/2015",
                    "1-QĐ/ĐUK",
                    "01/06/2015",
                    DECIDED,
                ],
                ["Lý Văn Phúc", "1980", "Kỷ luật", "10/08/2015", "2-QĐ/ĐUK", "01/08/2015", DECIDED],
            ]
        }
    )
    report = run_import(content)
    assert errors_of(report) == [("SK", 3, "Hình thức kỷ luật", "exchange.REQUIRED")]


ORG_HEADER = ["Mã tổ chức", "Tên tổ chức đảng", "Loại tổ chức", "Trực thuộc", "Ngày thành lập",
              "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"]  # fmt: skip
OLD_TREE = [
    ORG_HEADER,
    ["NB", "Đảng bộ tỉnh Nghĩa Bình", "Đảng bộ tỉnh", "", "01/01/1976", "1-QĐ/TW", "20/12/1975",
     "Ban Bí thư Trung ương Đảng"],
    ["NB.CB", "Chi bộ Cơ quan Tỉnh ủy", "Chi bộ cơ sở", "NB", "01/01/1980", "5-QĐ/TU",
     "15/12/1979", "Ban Thường vụ Tỉnh ủy"],
]  # fmt: skip


def test_events_of_every_kind_go_through_their_service(db, run_import):
    cid = "052050000321"
    header = [*EVENT_HEADER, "Hình thức kỷ luật", "Mốc Huy hiệu", "Lý do", "Ngày làm đơn",
              "Số thẻ đảng viên"]  # fmt: skip
    rows = [
        [cid, "Kết nạp", "10/06/1985", "1-QĐ/ĐUK", "01/06/1985", DECIDED],
        [cid, "Chính thức", "15/06/1986", "2-QĐ/ĐUK", "", DECIDED],
        [cid, "Phát thẻ", "01/01/1990", "", "", "", "", "", "", "", "52001234"],
        [cid, "Khiển trách", "01/01/1995", "3-QĐ/ĐUK", "01/01/1995", DECIDED],  # not a kind
        [cid, "Kỷ luật", "01/01/1995", "3-QĐ/ĐUK", "01/01/1995", DECIDED, "Khiển trách"],
        [cid, "Đề nghị tặng Huy hiệu", "15/01/2016", "", "", "", "", "30 năm"],
        [cid, "Tặng Huy hiệu Đảng", "03/02/2016", "4-QĐ/TU", "01/02/2016",
         "Ban Thường vụ Tỉnh ủy", "", 30],
        [cid, "Miễn sinh hoạt", "01/03/2021", "", "", "", "", "", "Tuổi cao, sức khỏe yếu",
         "15/02/2021"],
        [cid, "Từ trần", "05/05/2024", "", "", ""],
    ]  # fmt: skip
    people = [PEOPLE_HEADER, ["Lý Văn Phúc", "02/01/1950", "Nam", cid, "NB.CB"]]

    def workbook(events):
        return simple({"Tổ chức": OLD_TREE, "Đảng viên": people, "Sự kiện": [header, *events]})

    report = run_import(workbook(rows))
    assert errors_of(report) == [("Sự kiện", 5, "Sự kiện", "exchange.UNKNOWN_VALUE")]
    del rows[3]
    report = run_import(workbook(rows))
    assert report.ok, report.as_text()
    person = Person.objects.get()
    assert [e.kind for e in person.events.order_by("effective_date")] == [
        "admission",
        "recognition",
        "card_issue",
        "discipline",
        "badge_proposal",
        "badge_award",
        "exemption",
        "death",
    ]
    assert person.card_number == "52001234"
    assert person.status == MemberStatus.DECEASED
    exemption = person.events.get(kind="exemption")
    assert exemption.details["grounds"] == ["old_age", "weak_health"]
    again = run_import(workbook(rows))
    assert [s.skipped for s in again.sheets] == [2, 1, 8]


def test_a_transfer_names_the_receiving_cell_as_it_was_named_then(tree, system, run_import):
    from dangvu.organizations.services import organization_rename
    from tests.conftest import decision

    organization_rename(
        scope=system,
        organization=tree["inspect"],
        name="Chi bộ Thanh tra tỉnh",
        effective_date=dt.date(2022, 1, 1),
        decision=decision(dt.date(2022, 1, 1)),
    )
    people = simple(
        {"DS": [PEOPLE_HEADER, ["Lý Văn Phúc", "1980", "Nam", "052080000321", "BD.TP"]]}
    )
    assert run_import(people).ok
    cid = "052080000321"
    header = [*EVENT_HEADER, "Chi bộ chuyển đến"]
    admission = [cid, "Kết nạp", "10/06/2015", "1-QĐ/ĐUK", "01/06/2015", DECIDED]
    old_name = [cid, "Chuyển đi", "01/03/2020", "", "", "", "Chi bộ Thanh tra Sở"]
    new_name = [cid, "Chuyển đi", "01/03/2020", "", "", "", "Chi bộ Thanh tra tỉnh"]
    report = run_import(simple({"SK": [header, admission, new_name]}))
    assert errors_of(report) == [("SK", 3, "Chi bộ chuyển đến", "exchange.UNKNOWN_ORGANIZATION")]
    assert "01/03/2020" in report.errors[0].message
    report = run_import(simple({"SK": [header, admission, old_name]}))
    assert report.ok, report.as_text()
    assert Person.objects.get().transfer_to == tree["inspect"]


# scope --------------------------------------------------------------------------------------
def test_an_import_only_reaches_the_actors_scope(tree, make_user, scope_of, run_import, snapshot):
    scope = scope_of(make_user("yte", tree["health"], Role.EDITOR))
    before = snapshot()
    content = simple(
        {
            "DS": [
                PEOPLE_HEADER,
                ["Lý Văn Phúc", "1980", "Nam", "", "BD.YT.VP"],
                ["Đinh Thị Hoa", "1982", "Nữ", "", "Chi bộ Sở Tư pháp"],  # outside: not found
            ]
        }
    )
    report = run_import(content, scope=scope)
    assert errors_of(report) == [("DS", 3, "Chi bộ", "exchange.UNKNOWN_ORGANIZATION")]
    assert snapshot() == before
    unknown = run_import(
        simple({"DS": [PEOPLE_HEADER, ["Đinh Thị Hoa", "1982", "Nữ", "", "Chi bộ Không Có"]]}),
        scope=scope,
    )
    assert unknown.errors[0].message.replace("Chi bộ Không Có", "X") == report.errors[
        0
    ].message.replace("Chi bộ Sở Tư pháp", "X")


def test_a_viewer_cannot_import(tree, make_user, scope_of, run_import):
    scope = scope_of(make_user("xem", tree["bloc"], Role.VIEWER))
    with pytest.raises(Forbidden) as raised:
        run_import(messy_workbook(), scope=scope, dry_run=True)
    assert raised.value.code == "access.ROLE_REQUIRED"


def test_the_default_organisation_takes_rows_without_a_cell(tree, run_import):
    content = simple({"DS": [PEOPLE_HEADER[:4], ["Lý Văn Phúc", "1980", "Nam", ""]]})
    assert run_import(content).errors[0].code == "exchange.REQUIRED"
    report = run_import(content, default_organization=tree["justice"])
    assert report.ok
    assert Person.objects.get().organization == tree["justice"]


# other files --------------------------------------------------------------------------------
def test_a_csv_file_with_semicolons_and_a_bom(tree, run_import):
    text = "HO VA TEN;NGAY SINH;GIOI TINH;SO CCCD;CHI BO\r\n\r\nlý văn  phúc;12/04/1980;nam;052080000777;BD.TP\r\n"
    report = run_import(text.encode("utf-8-sig"), filename="danh-sach.csv")
    assert report.ok, report.as_text()
    assert report.sheets[0].name == "danh-sach"
    assert Person.objects.get().full_name == "Lý Văn Phúc"


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "cu.xls",
            "exchange.UNSUPPORTED_FORMAT",
        ),
        (b"PK\x03\x04 not a zip", "hong.xlsx", "exchange.UNREADABLE_FILE"),
        (b"%PDF-1.7", "bao-cao.pdf", "exchange.UNSUPPORTED_FORMAT"),
        (b"a,b,c\n1,2,3\n", "khac.csv", "exchange.NO_DATA_SHEET"),
    ],
)
def test_files_that_are_not_import_files_are_refused(tree, run_import, content, filename, code):
    from dangvu.core.errors import DomainError

    with pytest.raises(DomainError) as raised:
        run_import(content, filename=filename)
    assert raised.value.code == code
