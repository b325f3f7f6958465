"""Probable duplicates in an import: warnings on the row, the import still applied."""

from dangvu.access.models import Role
from dangvu.exchange.duplicates import IN_FILE, STORED
from dangvu.members.models import Person

from .workbooks import citizen_id, simple

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Quê quán", "Số CCCD", "Chi bộ"]
DUC = ["Nguyễn Văn Đức", "05/09/1985", "Nam", "xã Phước Hòa, huyện Tuy Phước, tỉnh Bình Định",
       citizen_id(1985, "male", 1234), "BD.TP"]  # fmt: skip
# the same man typed again elsewhere: Đ as D, the old address without the words "xã, huyện",
# and another citizen ID (a typo in one of the two)
DUC_AGAIN = ["NGUYEN VAN DUC", "05/09/1985", "Nam", "Phước Hòa - Tuy Phước - Bình Định",
             citizen_id(1985, "male", 4321), "BD.YT.VP"]  # fmt: skip
NGOC = ["Trần Thị Bích Ngọc", "14/03/1990", "Nữ", "phường Quy Nhơn, tỉnh Gia Lai",
        citizen_id(1990, "female", 4567), "BD.TP"]  # fmt: skip


def warnings_of(report) -> list[tuple]:
    return [(w.sheet, w.row, w.column, w.cell, w.code) for w in report.warnings]


def test_a_person_stored_under_another_citizen_id_is_warned_of(tree, run_import):
    assert run_import(simple({"DS": [HEADER, DUC]})).ok
    content = simple({"DS": [HEADER, NGOC, DUC_AGAIN]})
    for dry_run in (True, False):
        report = run_import(content, dry_run=dry_run)
        assert report.ok, report.as_text()  # a warning does not stop the import
        assert warnings_of(report) == [("DS", 3, "Họ và tên", "A3", STORED)]
        (warning,) = report.warnings
        assert "«Nguyễn Văn Đức», sinh 05/09/1985, thuộc «Chi bộ Sở Tư pháp»" in warning.message
        assert f"số CCCD {DUC[4]}" in warning.message
        assert "1 cảnh báo nghi trùng lý lịch" in report.summary()
        assert f"dòng 3, cột «Họ và tên» (A3): {warning.message} [{STORED}]" in report.as_text()
    assert report.applied
    assert Person.objects.filter(full_name__in=["Nguyễn Văn Đức", "Nguyen Van Duc"]).count() == 2
    # the file again: its rows are the stored files now, nothing to warn of
    again = run_import(content)
    assert again.ok and again.warnings == [], again.as_text()


def test_a_stored_person_without_citizen_id_is_warned_of(tree, run_import):
    assert run_import(simple({"DS": [HEADER, [*DUC[:4], "", "BD.TP"]]})).ok
    report = run_import(simple({"DS": [HEADER, DUC_AGAIN]}))
    assert warnings_of(report) == [("DS", 2, "Họ và tên", "A2", STORED)]
    assert "lý lịch đó chưa có số CCCD" in report.warnings[0].message


def test_the_same_person_twice_in_a_file_is_warned_of(tree, run_import):
    dao = ["Lê Thị Đào", "12/03/1990", "Nữ", "Hoài Nhơn, Bình Định", citizen_id(1990, "female", 77)]
    content = simple(
        {
            "DS": [
                HEADER,
                [*dao, "BD.TP"],
                NGOC,
                # no diacritics, no citizen ID, a fuller hometown, another cell
                ["LE THI DAO", "12/03/1990", "Nữ", "xã Hoài Thanh, huyện Hoài Nhơn, tỉnh Bình Định",
                 "", "BD.YT.TTR"],
                # her namesake born another year is someone else
                ["Lê Thị Đào", "1975", "Nữ", "Hoài Nhơn, Bình Định", "", "BD.TP"],
                # a namesake of Ngọc born the same day elsewhere, with her own citizen ID:
                # similar, but two numbers are two people unless all else is the same
                ["Trần Thị Ngọc", "14/03/1990", "Nữ", "xã Cát Tân, huyện Phù Cát, tỉnh Gia Lai",
                 citizen_id(1990, "female", 9876), "BD.TP"],
            ]
        }
    )  # fmt: skip
    report = run_import(content, dry_run=True)
    assert report.ok, report.as_text()
    assert warnings_of(report) == [("DS", 4, "Họ và tên", "A4", IN_FILE)]
    message = report.warnings[0].message
    assert "dòng 2 («Lê Thị Đào», sinh 12/03/1990)" in message
    assert "một dòng không ghi số CCCD" in message
    applied = run_import(content)
    assert applied.applied and len(applied.warnings) == 1
    assert Person.objects.count() == 5


def test_a_stored_file_outside_the_scope_is_not_shown(tree, make_user, scope_of, run_import):
    assert run_import(simple({"DS": [HEADER, DUC]})).ok  # in Chi bộ Sở Tư pháp
    scope = scope_of(make_user("yte", tree["health"], Role.EDITOR))
    report = run_import(simple({"DS": [HEADER, DUC_AGAIN]}), scope=scope)
    assert report.ok and report.applied, report.as_text()
    assert report.warnings == []
