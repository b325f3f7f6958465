"""`dangvu import` and `dangvu import-template` on the command line, and an import killed with
SIGKILL half-way: the database is left exactly as it was."""

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

from dangvu.exchange.sheets import open_sheets
from dangvu.members.models import Person

from .workbooks import citizen_id, messy_workbook


def test_the_template_has_every_column_the_importer_reads(tmp_path):
    output = tmp_path / "mau.xlsx"
    out = StringIO()
    call_command("import-template", "-o", str(output), stdout=out)
    assert "Đã ghi tệp mẫu" in out.getvalue()
    with output.open("rb") as source:
        sheets = open_sheets(source, output.name)
    found = {sheet.name: sheet.header for sheet in sheets}
    assert found["Hướng dẫn"] is None
    assert [found[name].kind for name in ("Tổ chức đảng", "Đảng viên", "Sự kiện")] == [
        "organizations",
        "people",
        "events",
    ]
    from dangvu.exchange.columns import SHEETS

    for sheet in SHEETS:
        header = found[sheet.title]
        assert set(header.columns) == {c.key for c in sheet.columns if c.key != "_ignored"}
        assert header.unknown == []
    guide = load_workbook(output)["Hướng dẫn"]
    texts = {cell for row in guide.iter_rows(values_only=True) for cell in row if cell}
    assert "Công nhận đảng viên chính thức" in texts
    assert "Khơ-me" in " ".join(texts)


def test_the_empty_template_imports_as_nothing(tree, tmp_path):
    output = tmp_path / "mau.xlsx"
    call_command("import-template", "-o", str(output), stdout=StringIO())
    out = StringIO()
    call_command("import", str(output), stdout=out)
    assert "Đã nhập toàn bộ tệp." in out.getvalue()


def test_the_command_prints_the_report_in_vietnamese(tree, tmp_path):
    path = tmp_path / "du-lieu.xlsx"
    path.write_bytes(messy_workbook())
    out = StringIO()
    call_command("import", str(path), "--dry-run", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Tệp: du-lieu.xlsx (chạy thử, không ghi)" in text
    assert "Trang «Danh sach dang vien» (lý lịch, tiêu đề ở dòng 5): 4 dòng; 4 thêm mới" in text
    assert "Chạy thử: tệp không có lỗi" in text
    assert not Person.objects.exists()
    call_command("import", str(path), stdout=StringIO(), stderr=StringIO())
    assert Person.objects.count() == 4


def test_a_file_with_errors_fails_the_command(tree, tmp_path):
    workbook = load_workbook(_messy(tmp_path))
    workbook["Danh sach dang vien"]["D12"] = "Không rõ"
    path = tmp_path / "loi.xlsx"
    workbook.save(path)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", str(path), stdout=out, stderr=StringIO())
    assert raised.value.returncode == 1
    assert "1 lỗi: không có dữ liệu nào được ghi" in str(raised.value)
    assert "dòng 12, cột «Giới tính» (D12): Giới tính «Không rõ» không có trong danh mục" in (
        out.getvalue()
    )
    assert not Person.objects.exists()


def _messy(tmp_path: Path) -> Path:
    path = tmp_path / "messy.xlsx"
    path.write_bytes(messy_workbook())
    return path


def test_a_missing_file_is_reported(db):
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("import", "/khong/co/tep.xlsx")


# kill -9 --------------------------------------------------------------------------------------
def big_workbook(path: Path, people: int) -> None:
    """`people` personal files in Chi bộ Sở Tư pháp, each admitted on a different day."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đảng viên")
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chi bộ"])
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
    given = ["An", "Bình", "Cường", "Dung", "Hà", "Khánh", "Linh", "Minh", "Ngọc", "Phúc"]
    for n in range(people):
        sex = "female" if n % 2 else "male"
        year = 1960 + n % 40
        sheet.append(
            [
                f"{families[n % 10]} {'Thị' if n % 2 else 'Văn'} {given[n // 10 % 10]}",
                f"{1 + n % 28:02d}/{1 + n % 12:02d}/{year}",
                "Nữ" if n % 2 else "Nam",
                citizen_id(year, sex, n),
                "BD.TP",
            ]
        )
    workbook.save(path)


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{user}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "dangvu.cli", "import", *args]


def _environment() -> dict:
    return {**os.environ, "DATABASE_URL": _database_url(), "PYTHONUNBUFFERED": "1"}


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_on_a_file_with_errors(tree, tmp_path):
    workbook = load_workbook(_messy(tmp_path))
    workbook["Danh sach dang vien"]["G12"] = "12345"
    path = tmp_path / "loi.xlsx"
    workbook.save(path)
    done = subprocess.run(  # noqa: S603
        _command(str(path)), env=_environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert "members.INVALID_CITIZEN_ID" in done.stdout
    assert "không có dữ liệu nào được ghi" in done.stderr
    assert not Person.objects.exists()


@pytest.mark.slow  # 4 s on SQLite, 7 s on PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_the_database_as_it_was(tree, tmp_path, snapshot):
    path = tmp_path / "lon.xlsx"
    big_workbook(path, people=4000)
    before = snapshot()
    process = subprocess.Popen(  # noqa: S603
        _command(str(path)),
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        progress = ""
        while "Đã xử lý" not in progress:  # rows are being written inside the transaction
            assert time.monotonic() < deadline, "the import printed no progress"
            line = process.stderr.readline()
            assert line or process.poll() is None, "the import ended before it was killed"
            progress += line
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    connection.close()  # a fresh connection, as the next process would open
    assert snapshot() == before
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone() == ("ok",)
    # and the database takes the next import
    small = tmp_path / "nho.xlsx"
    big_workbook(small, people=3)
    done = subprocess.run(  # noqa: S603
        _command(str(small)), env=_environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert Person.objects.count() == 3
