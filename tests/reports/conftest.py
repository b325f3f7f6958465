"""Fixtures: the scenario's report, its figures table and chart."""

import datetime as dt
from decimal import Decimal

import pytest

from dangvu.reports import charts
from dangvu.reports.document import Chart, Heading, Paragraph, PartyDocument, Table

from .scenario import NARRATIVE, bloc_report


@pytest.fixture(scope="session")
def members_chart() -> bytes:
    return charts.members_over_time(
        [
            (dt.date(2020, 3, 31), 4890),
            (dt.date(2020, 6, 30), 4921),
            (dt.date(2020, 9, 30), 4950),
            (dt.date(2020, 12, 31), 4982),
            (dt.date(2021, 3, 31), 5016),
        ],
        "Số đảng viên của Đảng bộ Khối",
    )


@pytest.fixture(scope="session")
def figures_table() -> Table:
    return Table(
        caption="Bảng 1. Một số chỉ tiêu công tác tổ chức xây dựng Đảng quý I năm 2021",
        columns=("Chỉ tiêu", "Quý I/2021", "Cùng kỳ 2020", "Tỷ lệ (%)"),
        rows=(
            ("Kết nạp đảng viên", 39, 35, Decimal("111.43")),
            ("Công nhận đảng viên chính thức", 51, 48, Decimal("106.25")),
            ("Đề nghị tặng Huy hiệu 30 năm tuổi Đảng", 3, 2, None),
            ("Tổ chức cơ sở đảng", 76, 76, Decimal("100.00")),
            ("Đảng viên", 5016, 4890, Decimal("102.58")),
        ),
    )


@pytest.fixture(scope="session")
def scenario_blocks(figures_table, members_chart):
    return (
        Heading("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC XÂY DỰNG ĐẢNG QUÝ I NĂM 2021", level=1),
        Heading("1. Công tác tổ chức, cán bộ và đảng viên", level=2),
        Paragraph(NARRATIVE),
        figures_table,
        Chart(title="Biểu đồ 1. Số đảng viên qua các quý", png=members_chart, width_cm=15),
        Heading("II. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2021", level=1),
        Paragraph(
            "Tiếp tục lãnh đạo, chỉ đạo các tổ chức cơ sở đảng làm tốt công tác phát triển đảng "
            "viên, phấn đấu hoàn thành chỉ tiêu kết nạp đảng viên năm 2021."
        ),
    )


@pytest.fixture(scope="session")
def scenario_document(scenario_blocks) -> PartyDocument:
    return bloc_report(scenario_blocks)
