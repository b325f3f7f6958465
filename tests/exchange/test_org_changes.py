"""The organisation-changes sheet (Biến động tổ chức): renames, moves, conversions, merges and
dissolutions imported as the tree's history, through the organisation services."""

import datetime as dt

from dangvu.members.models import Person
from dangvu.organizations.models import EventKind, Organization, OrganizationEvent
from dangvu.organizations.models import OrganizationVersion as V

from .workbooks import simple

D = dt.date
TU = "Ban Thường vụ Tỉnh ủy"
ORGS = [
    ["Mã tổ chức", "Tên tổ chức đảng", "Loại tổ chức", "Trực thuộc", "Ngày thành lập",
     "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"],
    ["BDH", "Đảng bộ tỉnh Bình Định", "Đảng bộ tỉnh", "", "01/07/1989", "1-QĐ/TW", "20/06/1989",
     "Ban Bí thư Trung ương Đảng"],
    ["BDH.K1", "Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ khối", "BDH", "01/01/1990", "2-QĐ/TU",
     "20/12/1989", TU],
    ["BDH.K2", "Đảng bộ Khối Doanh nghiệp tỉnh", "Đảng bộ khối", "BDH", "01/01/1990", "3-QĐ/TU",
     "20/12/1989", TU],
    ["BDH.CT", "Chi bộ Sở Thương mại", "Chi bộ cơ sở", "BDH.K1", "01/03/1995", "10-QĐ/ĐUK",
     "20/02/1995", "Ban Thường vụ Đảng ủy Khối"],
    ["BDH.KH", "Chi bộ Sở Kế hoạch và Đầu tư", "Chi bộ cơ sở", "BDH.K1", "01/03/1995",
     "11-QĐ/ĐUK", "20/02/1995", "Ban Thường vụ Đảng ủy Khối"],
    ["BDH.TC", "Chi bộ Sở Tài chính", "Chi bộ cơ sở", "BDH.K1", "01/03/1995", "12-QĐ/ĐUK",
     "20/02/1995", "Ban Thường vụ Đảng ủy Khối"],
    ["BDH.XD", "Chi bộ Công ty Xây dựng số 1", "Chi bộ cơ sở", "BDH.K2", "01/03/1996",
     "13-QĐ/ĐUK", "20/02/1996", "Ban Thường vụ Đảng ủy Khối Doanh nghiệp"],
    ["BDH.VT", "Chi bộ Công ty Vận tải Bình Định", "Chi bộ cơ sở", "BDH.K2", "01/03/1996",
     "14-QĐ/ĐUK", "20/02/1996", "Ban Thường vụ Đảng ủy Khối Doanh nghiệp"],
]  # fmt: skip
CHANGES_HEADER = ["STT", "Mã tổ chức", "Biến động", "Ngày hiệu lực", "Tên mới", "Trực thuộc mới",
                  "Loại mới", "Sáp nhập vào", "Số quyết định", "Ngày quyết định",
                  "Cơ quan ban hành"]  # fmt: skip
# listed out of date order: the importer sorts them
CHANGES = [
    [1, "BDH.VT", "Giải thể", "01/03/2018", "", "", "", "", "30-QĐ/TU", "20/02/2018", TU],
    [2, "Chi bộ Sở Thương mại", "đổi tên", "01/04/2008", "Chi bộ Sở Công Thương", "", "", "",
     "20-QĐ/TU", "25/03/2008", TU],
    [3, "BDH.XD", "Chuyển trực thuộc", "01/07/2010", "", "Đảng bộ Khối các cơ quan tỉnh", "", "",
     "21-QĐ/TU", "20/06/2010", TU],
    [4, "BDH.TC", "Chuyển đổi", "01/01/2012", "", "", "Đảng bộ cơ sở", "", "22-QĐ/TU",
     "20/12/2011", TU],
    [5, "BDH.KH", "Sáp nhập", "01/10/2015", "", "", "", "Chi bộ Sở Công Thương", "23-QĐ/TU",
     "20/09/2015", TU],
    [6, "BDH.XD", "Sáp nhập", "01/10/2015", "", "", "", "Chi bộ Sở Công Thương", "23-QĐ/TU",
     "20/09/2015", TU],
]  # fmt: skip
PEOPLE = [
    ["Họ và tên", "Ngày sinh", "Giới tính", "Chi bộ"],
    ["Trương Thị Mỹ Duyên", "12/08/1991", "Nữ", "Chi bộ Sở Công Thương"],  # the name of today
]


def workbook(changes=CHANGES) -> bytes:
    # the changes sheet comes first in the file: the import applies the organisations first
    return simple({"Biến động": [CHANGES_HEADER, *changes], "Tổ chức": ORGS, "Đảng viên": PEOPLE})


def version(code: str, day: dt.date) -> V:
    return V.objects.get(organization__code=code, valid_from__lte=day, valid_to__gt=day)


def test_the_history_of_the_tree_is_imported(db, run_import):
    report = run_import(workbook())
    assert report.ok, report.as_text()
    summary = {s.kind: s for s in report.sheets}["organization_changes"]
    assert (summary.rows, summary.created, summary.rejected) == (6, 6, 0)
    assert version("BDH.CT", D(2008, 3, 31)).name == "Chi bộ Sở Thương mại"
    assert version("BDH.CT", D(2008, 4, 1)).name == "Chi bộ Sở Công Thương"
    k1, k2 = Organization.objects.get(code="BDH.K1"), Organization.objects.get(code="BDH.K2")
    assert version("BDH.XD", D(2010, 6, 30)).parent_id == k2.pk
    assert version("BDH.XD", D(2010, 7, 1)).parent_id == k1.pk
    assert version("BDH.TC", D(2012, 1, 1)).type == "grassroots_committee"
    # the two rows of decision 23-QĐ/TU are one merge into the Department of Industry and Trade
    [merge] = OrganizationEvent.objects.filter(kind=EventKind.MERGE)
    assert merge.organization.code == "BDH.CT" and merge.effective_date == D(2015, 10, 1)
    merged = Organization.objects.filter(code__in=["BDH.KH", "BDH.XD"])
    assert sorted(merge.changes["sources"]) == sorted(o.pk for o in merged)
    assert {o.dissolved_on for o in merged} == {D(2015, 10, 1)}
    assert not V.objects.filter(organization__code="BDH.KH", valid_to__gt=D(2015, 10, 1)).exists()
    assert Organization.objects.get(code="BDH.VT").dissolved_on == D(2018, 3, 1)
    person = Person.objects.get()  # the people sheet names the cell by its new name
    assert person.organization.code == "BDH.CT"


def test_importing_it_again_changes_nothing(db, run_import, snapshot):
    assert run_import(workbook()).ok
    before = snapshot()
    again = run_import(workbook())
    assert again.ok, again.as_text()
    summary = {s.kind: s for s in again.sheets}["organization_changes"]
    assert (summary.created, summary.skipped) == (0, 6)
    assert snapshot() == before


def test_a_dry_run_writes_nothing(db, run_import, snapshot):
    before = snapshot()
    report = run_import(workbook(), dry_run=True)
    assert report.ok, report.as_text()
    assert {s.kind: s.created for s in report.sheets}["organization_changes"] == 6
    assert snapshot() == before


def test_bad_rows_are_reported_and_nothing_is_written(db, run_import, snapshot):
    rows = [
        *CHANGES,
        [7, "BDH.TC", "Đổi tên", "01/05/2019", "", "", "", "", "31-QĐ/TU", "20/04/2019", TU],
        [8, "BDH.ZZ", "Giải thể", "01/05/2019", "", "", "", "", "32-QĐ/TU", "20/04/2019", TU],
        [9, "BDH.TC", "Tách đôi", "01/05/2019", "", "", "", "", "33-QĐ/TU", "20/04/2019", TU],
        [10, "BDH.VT", "Đổi tên", "01/06/2019", "Chi bộ Vận tải", "", "", "", "34-QĐ/TU",
         "20/05/2019", TU],  # dissolved in 2018
    ]  # fmt: skip
    before = snapshot()
    report = run_import(workbook(rows))
    assert not report.ok
    found = {(e.row, e.column, e.code) for e in report.errors}
    assert (8, "Tên mới", "exchange.REQUIRED") in found
    assert (10, "Biến động", "exchange.UNKNOWN_VALUE") in found
    assert any(row == 9 and column == "Mã tổ chức" for row, column, _ in found)
    assert any(row == 11 for row, _, _ in found)
    messages = " ".join(e.message for e in report.errors)
    assert "cần cột «Tên mới»" in messages and "BDH.ZZ" in messages
    assert snapshot() == before


def test_a_different_change_on_a_recorded_date_is_a_conflict(db, run_import):
    assert run_import(workbook()).ok
    renamed = [row[:] for row in CHANGES]
    renamed[1] = [2, "BDH.CT", "Đổi tên", "01/04/2008", "Chi bộ Sở Công nghiệp", "", "", "",
                  "20-QĐ/TU", "25/03/2008", TU]  # fmt: skip
    report = run_import(workbook(renamed))
    assert [(e.row, e.code) for e in report.errors] == [(3, "exchange.ORGANIZATION_CHANGE_DIFFERS")]
    assert "Chi bộ Sở Công Thương" in report.errors[0].message
    assert version("BDH.CT", D(2009, 1, 1)).name == "Chi bộ Sở Công Thương"
