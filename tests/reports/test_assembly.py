"""The periodic report assembled from the engine, through `dangvu report`: the JSON shape, the
narrative, the same numbers in XLSX, DOCX and PDF, and a past report unchanged by a later
restructuring. The data is the hand-computed quarter of tests/statistics/test_engine.py."""

import datetime as dt
import io
import json

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from dangvu.organizations import services as organization_services
from dangvu.organizations.models import OrganizationType as T
from dangvu.planning.services import target_set
from dangvu.reports import assembly
from dangvu.statistics import engine
from dangvu.statistics.catalogue import indicator
from dangvu.statistics.periods import parse_period
from tests.conftest import decision, establish
from tests.reports.test_pdf import poppler
from tests.statistics.test_engine import story  # noqa: F401 - the fixture

D = dt.date


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def as_json(code: str = "BD.DUK", period: str = "2021-Q1") -> dict:
    return json.loads(report("--org", code, "--period", period, "--format", "json"))


def test_the_json_holds_the_catalogue_figures_the_balance_and_the_narrative(story):  # noqa: F811
    data = as_json()
    assert data["organization"] == {
        "code": "BD.DUK",
        "name": "Đảng bộ Khối các cơ quan tỉnh",
        "type": "upper_committee",
    }
    assert data["period"] == {
        "code": "2021-Q1",
        "label": "quý I năm 2021",
        "start": "2021-01-01",
        "end": "2021-03-31",
    }
    q1 = parse_period("2021-Q1")
    figures = engine.stocks(story["bloc"], q1.end) | engine.flows(story["bloc"], q1)
    for code, value in data["indicators"].items():
        assert figures[code] == value, code
    assert data["indicators"]["members.total"] == 4
    assert data["indicators"]["admissions"] == 1
    assert "starts.all" not in data["indicators"]
    assert data["balance"]["holds"] is True
    assert (data["balance"]["start"], data["balance"]["end"]) == (4, 4)
    assert data["published"] is True
    text = " ".join(data["narrative"])
    assert (
        "Trong quý I năm 2021, Đảng bộ Khối các cơ quan tỉnh đã kết nạp 01 quần chúng ưu tú" in text
    )
    assert "01 đồng chí từ trần" in text
    assert "Đến ngày 31/03/2021, Đảng bộ Khối các cơ quan tỉnh có 03 tổ chức cơ sở đảng" in text
    assert "04 đảng viên" not in text  # totals are written 4, not 04
    assert data["breakdowns"]["sex"] == {"male": 2, "female": 2}


def test_counts_under_ten_take_two_digits_as_official_reports_write_them():
    assert [assembly.count(n) for n in (0, 3, 9, 10, 5016)] == ["00", "03", "09", "10", "5.016"]


def test_the_text_report_shows_the_balance_check(story):  # noqa: F811
    text = report("--org", "BD.YT", "--period", "2021-Q1")
    assert "Cân đối số lượng: đầu kỳ 2" in text
    assert "cuối kỳ 0: khớp." in text
    assert "Chuyển đi theo tổ chức 1" in text


def test_an_unbalanced_report_says_it_is_not_published(story, system):  # noqa: F811
    organization_services.organization_dissolve(
        scope=system,
        organization=story["inspect"],
        effective_date=D(2021, 1, 20),
        decision=decision(D(2021, 1, 15)),
    )
    data = as_json("BD.YT")
    assert (data["balance"]["holds"], data["published"]) == (False, False)
    assert "KHÔNG KHỚP" in report("--org", "BD.YT", "--period", "2021-Q1")


def test_the_xlsx_holds_the_numbers_of_the_json(story, tmp_path):  # noqa: F811
    data = as_json()
    path = tmp_path / "q1.xlsx"
    report("--org", "BD.DUK", "--period", "2021-Q1", "--format", "xlsx", "-o", str(path))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:2] == ["Chỉ tiêu", "Theo tổ chức trực thuộc"]
    sheet = workbook["Chỉ tiêu"]
    by_label = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    for code, value in data["indicators"].items():
        label = engine_label(code)
        if label in by_label:
            assert by_label[label] == value, code
    assert by_label["Tổng số đảng viên"] == 4
    children = workbook["Theo tổ chức trực thuộc"]
    formulas = [
        c.value for row in children.iter_rows() for c in row if str(c.value).startswith("=SUM(")
    ]
    assert formulas, "the total is a formula"
    members = [row[2] for row in children.iter_rows(values_only=True) if isinstance(row[2], int)]
    assert sum(members) == data["indicators"]["members.total"]


def engine_label(code: str) -> str:
    return indicator(code).label


def test_the_docx_is_a_party_document_with_the_figures(story, tmp_path):  # noqa: F811
    path = tmp_path / "q1.docx"
    report(
        "--org", "BD.DUK", "--period", "2021-Q1", "--format", "docx", "-o", str(path),
        "--number", "45-BC/ĐUK", "--place", "Quy Nhơn", "--date", "09/04/2021",
        "--signer", "Nguyễn Văn A",
    )  # fmt: skip
    document = docx.Document(str(path))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" in cells
    assert "ĐẢNG BỘ TỈNH BÌNH ĐỊNH" in cells
    assert "Số 45-BC/ĐUK" in cells
    assert "Quy Nhơn, ngày 09 tháng 4 năm 2021" in cells
    assert "Nguyễn Văn A" in cells
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body
    assert "sơ kết công tác xây dựng Đảng quý I năm 2021" in body
    assert "đã kết nạp 01 quần chúng ưu tú" in body
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}
    assert len(document.inline_shapes) == 2  # the two charts


def test_the_pdf_has_the_narrative(story, tmp_path):  # noqa: F811
    path = tmp_path / "q1.pdf"
    report("--org", "BD.DUK", "--period", "2021-Q1", "--format", "pdf", "-o", str(path))
    assert path.read_bytes().startswith(b"%PDF")
    text = poppler("pdftotext", "-layout", str(path), "-")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "quần chúng ưu tú" in " ".join(text.split())


def test_a_past_report_is_byte_for_byte_the_same_after_a_later_restructuring(
    story,  # noqa: F811
    system,
):
    before = [report("--org", code, "--period", "2021-Q1", "--format", fmt)
              for code in ("BD.DUK", "BD.YT", "BD.GD") for fmt in ("json", "text")]  # fmt: skip
    # 2025: the office moves back, a new committee is formed, the justice cell converts
    later = D(2025, 3, 1)
    organization_services.organization_move(
        scope=system,
        organization=story["office"],
        parent=story["health"],
        effective_date=later,
        decision=decision(later),
    )
    establish(
        system, "BD.XD", "Đảng bộ Sở Xây dựng", T.GRASSROOTS_COMMITTEE, story["bloc"], day=later
    )
    organization_services.organization_convert(
        scope=system,
        organization=story["justice"],
        type=T.GRASSROOTS_COMMITTEE,
        effective_date=later,
        decision=decision(later),
    )
    after = [report("--org", code, "--period", "2021-Q1", "--format", fmt)
             for code in ("BD.DUK", "BD.YT", "BD.GD") for fmt in ("json", "text")]  # fmt: skip
    assert after == before


def test_bad_input_is_a_vietnamese_error(story):  # noqa: F811
    with pytest.raises(CommandError, match="Kỳ báo cáo «2021-Q5» không hợp lệ"):
        report("--org", "BD.DUK", "--period", "2021-Q5")
    with pytest.raises(CommandError, match="không tồn tại"):
        report("--org", "KHONG.CO", "--period", "2021-Q1")
    with pytest.raises(CommandError, match="cần tệp kết quả"):
        report("--org", "BD.DUK", "--period", "2021-Q1", "--format", "docx")


def test_without_an_organisation_the_top_one_is_reported(story):  # noqa: F811
    data = json.loads(report("--period", "2021-Q1", "--format", "json"))
    assert data["organization"]["code"] == "BD"


def test_admissions_are_shown_against_the_years_target(story, system):  # noqa: F811
    target_set(scope=system, organization=story["bloc"], year=2021, indicator="admissions", value=8)
    data = as_json()
    assert data["indicators"]["admissions.target"] == 8
    assert data["indicators"]["admissions.target_ratio"] == "12,50%"
    assert "đạt 1/8 chỉ tiêu năm, bằng 12,50%" in data["narrative"][0]
    assert "admissions.target" not in as_json(period="2020-Q4")["indicators"]
