import datetime as dt
import io
import warnings
import xml.etree.ElementTree as ET

from PIL import Image

from dangvu.reports import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
QUARTERS = [("Q1/2021", 39), ("Q2/2021", 45), ("Q3/2021", 30), ("Q4/2021", 52)]


def test_members_chart_is_a_png_of_print_size(members_chart):
    assert members_chart.startswith(PNG_SIGNATURE)
    assert len(members_chart) > 10_000
    width, height = Image.open(io.BytesIO(members_chart)).size
    assert width > 1000 and 1.6 < width / height < 1.9  # 16 x 9 cm at 200 dpi


def test_admissions_chart_is_a_png():
    png = charts.admissions_against_target(QUARTERS, 150, "Kết nạp đảng viên năm 2021")
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 10_000


def test_svg_variants_are_svg():
    svg = charts.members_over_time_svg(
        [(dt.date(2021, 1, 15), 4990), (dt.date(2021, 3, 31), 5016)], "Số đảng viên"
    )
    assert "<svg" in svg
    ET.fromstring(svg.encode())  # well-formed  # noqa: S314 - our own output
    svg = charts.admissions_against_target_svg(QUARTERS, None, "Kết nạp đảng viên")
    assert "<svg" in svg


def test_svg_is_reproducible():
    points = [(dt.date(2021, 3, 31), 5016), (dt.date(2021, 6, 30), 5040)]
    assert charts.members_over_time_svg(points, "A") == charts.members_over_time_svg(points, "A")


def test_empty_data_still_draws():
    assert charts.members_over_time([], "Chưa có").startswith(PNG_SIGNATURE)
    assert "<svg" in charts.admissions_against_target_svg([], 10, "Chưa có")


def test_no_vietnamese_letter_is_missing_from_the_chart_font():
    assert charts.chart_font() in charts.FONT_CANDIDATES
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        charts.admissions_against_target(
            [("Quý I", 1)], 2, "Kết nạp, Ưu tú, Đảng viên, Huy hiệu, Lũy kế, Chỉ tiêu, ỹ ỷ ự ợ"
        )


def test_quarter_ends_are_labelled_by_quarter():
    assert charts.quarter_label(dt.date(2021, 3, 31)) == "Q1/2021"
    assert charts.quarter_label(dt.date(2021, 12, 31)) == "Q4/2021"
    assert charts.quarter_label(dt.date(2021, 3, 30)) is None
