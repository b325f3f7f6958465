import shutil
import subprocess
from pathlib import Path

import pytest

from dangvu.reports.pdf import font_stack, render_html, render_pdf
from dangvu.reports.styles import DocumentStyle

from .scenario import bloc_report

POPPLER = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils missing: ./scripts/install --test"
)


def poppler(tool: str, *args: str) -> str:
    completed = subprocess.run(  # noqa: S603 - a fixed tool on a file of ours
        [tool, *args], check=True, capture_output=True, text=True, encoding="utf-8"
    )
    return completed.stdout


@pytest.fixture(scope="module")
def pdf_file(scenario_document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    path.write_bytes(render_pdf(scenario_document))
    return path


def test_pdf_starts_with_the_signature(pdf_file):
    assert pdf_file.read_bytes().startswith(b"%PDF-")


@POPPLER
def test_pdf_text_keeps_the_vietnamese_letters(pdf_file):
    text = poppler("pdftotext", "-layout", str(pdf_file), "-")
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "Số 45-BC/ĐUK",
        "Quy Nhơn, ngày 09 tháng 4 năm 2021",
        "BÁO CÁO",
        "kết nạp 39 quần chúng ưu tú vào Đảng",
        "5.016",
        "102,58",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "Nguyễn Văn A",
    ):
        assert expected in text, expected


@POPPLER
def test_pdf_uses_times_or_liberation_serif_only(pdf_file):
    """No fallback face: every Vietnamese letter was found in the document's font."""
    lines = poppler("pdffonts", str(pdf_file)).splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1] for line in lines}
    assert fonts
    assert all("Liberation-Serif" in font or "Times" in font for font in fonts), fonts


@POPPLER
def test_pdf_is_a4_with_its_title(pdf_file):
    info = poppler("pdfinfo", str(pdf_file))
    assert "(A4)" in info
    assert "BÁO CÁO sơ kết công tác xây dựng Đảng quý I" in info
    assert "Đảng ủy Khối các cơ quan tỉnh" in info  # the author


def test_html_is_self_contained(scenario_document):
    html = render_html(scenario_document)
    assert '<html lang="vi">' in html
    assert "size: A4" in html
    assert "margin: 20mm 15mm 20mm 30mm" in html
    assert "data:image/png;base64," in html
    assert 'class="number">5.016</td>' in html
    assert "http://" not in html and "https://" not in html


def test_html_leaves_a_draft_number_blank():
    html = render_html(bloc_report((), number_symbol="BC/ĐUK"))
    assert '<div class="number">Số     -BC/ĐUK</div>' in html


def test_html_follows_the_style_whatever_the_language():
    """Sizes stay CSS numbers (14.5pt, never the Vietnamese 14,5pt)."""
    html = render_html(bloc_report(()), DocumentStyle(body_size=14.5))
    assert "font-size: 14.5pt" in html
    assert font_stack(DocumentStyle()) == '"Times New Roman", "Liberation Serif", serif'
