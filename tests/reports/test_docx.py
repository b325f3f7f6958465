import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dangvu.reports.document import Heading, Paragraph, Table
from dangvu.reports.docx import render_docx
from dangvu.reports.styles import DocumentStyle

from .scenario import NARRATIVE, RECIPIENTS, bloc_report

FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")


@pytest.fixture(scope="module")
def rendered(scenario_document) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(scenario_document)))


def all_paragraphs(container):
    """Every paragraph, those inside (nested) table cells included."""
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from all_paragraphs(cell)


def all_runs(document):
    for paragraph in all_paragraphs(document):
        yield from paragraph.runs


def paragraph_with(container, text):
    return next(p for p in all_paragraphs(container) if p.text == text)


def length_close(actual, expected):
    """Word stores lengths in twips (1/20 pt): a millimetre value comes back rounded."""
    return abs(actual - expected) <= Mm(0.1)


def test_header_left_holds_the_bodies_star_and_number(rendered):
    left = rendered.tables[0].cell(0, 0)
    lines = [p.text for p in left.paragraphs]
    assert lines == ["ĐẢNG BỘ TỈNH BÌNH ĐỊNH", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "*", "Số 45-BC/ĐUK"]
    superior, issuing = left.paragraphs[0].runs[0], left.paragraphs[1].runs[0]
    assert not superior.bold
    assert issuing.bold


def test_header_right_holds_the_party_name_ruled_and_the_italic_place_and_date(rendered):
    right = rendered.tables[0].cell(0, 1)
    texts = [p.text for p in right.paragraphs if p.text]
    assert texts == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Quy Nhơn, ngày 09 tháng 4 năm 2021"]
    name = right.paragraphs[0]
    assert name.runs[0].bold and name.runs[0].font.size == Pt(15)
    rule = right.paragraphs[1]
    assert rule.text == ""
    assert rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert rule.paragraph_format.left_indent > 0  # shorter than the column: as long as the name
    date_run = paragraph_with(right, "Quy Nhơn, ngày 09 tháng 4 năm 2021").runs[0]
    assert date_run.italic
    assert not date_run.bold


def test_header_table_has_no_borders(rendered):
    borders = rendered.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_title_and_abstract_are_centred_bold(rendered):
    title = paragraph_with(rendered, "BÁO CÁO")
    abstract = paragraph_with(
        rendered, "sơ kết công tác xây dựng Đảng quý I, phương hướng nhiệm vụ quý II năm 2021"
    )
    for paragraph in (title, abstract):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)
    assert title.runs[0].font.size == Pt(15)
    assert abstract.runs[0].font.size == Pt(14)


def test_every_run_is_times_new_roman_for_every_script(rendered):
    runs = list(all_runs(rendered))
    assert len(runs) > 30
    for run in runs:
        fonts = run._r.rPr.rFonts
        assert {slot: fonts.get(qn(slot)) for slot in FONT_SLOTS} == dict.fromkeys(
            FONT_SLOTS, "Times New Roman"
        ), run.text
    assert rendered.styles["Normal"].font.name == "Times New Roman"


def test_body_is_14_pt_justified_with_a_first_line_indent(rendered):
    body = paragraph_with(rendered, NARRATIVE)
    assert body.runs[0].font.size == Pt(14)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert length_close(body.paragraph_format.first_line_indent, Mm(12.7))
    assert rendered.styles["Normal"].font.size == Pt(14)


def test_headings_are_bold(rendered):
    for text in ("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC XÂY DỰNG ĐẢNG QUÝ I NĂM 2021", "1. Công tác tổ chức, cán bộ và đảng viên"):  # fmt: skip
        heading = paragraph_with(rendered, text)
        assert heading.runs[0].bold
        assert not heading.runs[0].italic


def test_figures_table_prints_numbers_vietnamese_style_right_aligned(rendered):
    table = rendered.tables[1]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Chỉ tiêu", "Quý I/2021", "Cùng kỳ 2020", "Tỷ lệ (%)"]
    assert all(cell.paragraphs[0].runs[0].bold for cell in table.rows[0].cells)
    members = [cell.text for cell in table.rows[-1].cells]
    assert members == ["Đảng viên", "5.016", "4.890", "102,58"]
    label, number = table.rows[-1].cells[0], table.rows[-1].cells[1]
    assert number.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert label.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    badges = [cell.text for cell in table.rows[3].cells]
    assert badges == ["Đề nghị tặng Huy hiệu 30 năm tuổi Đảng", "3", "2", ""]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page


def test_page_is_a4_with_the_party_margins(rendered):
    section = rendered.sections[0]
    assert length_close(section.page_width, Mm(210))
    assert length_close(section.page_height, Mm(297))
    assert length_close(section.top_margin, Mm(20))
    assert length_close(section.bottom_margin, Mm(20))
    assert length_close(section.left_margin, Mm(30))
    assert length_close(section.right_margin, Mm(15))


def test_chart_is_embedded_as_a_picture(rendered, members_chart):
    assert len(rendered.inline_shapes) == 1
    shape = rendered.inline_shapes[0]
    assert length_close(shape.width, Cm(15))
    assert shape._inline.docPr.get("descr") == "Biểu đồ 1. Số đảng viên qua các quý"
    images = [part.blob for part in rendered.part.package.parts if part.content_type == "image/png"]
    assert images == [members_chart]


def test_recipients_left_and_signature_right(rendered):
    closing = rendered.tables[-1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].underline
    lines = [p.text for p in recipients.paragraphs[1:]]
    assert lines == [f"- {recipient}" for recipient in RECIPIENTS]
    assert all(run.font.size == Pt(12) for p in recipients.paragraphs for run in p.runs)
    texts = [p.text for p in signature.paragraphs if p.text]
    assert texts == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn A"]
    assert len(signature.paragraphs) > len(texts)  # room for the signature and the seal
    assert {edge.get(qn("w:val")) for edge in closing._tbl.tblPr.find(qn("w:tblBorders"))} == {
        "nil"
    }


def test_core_properties(rendered):
    properties = rendered.core_properties
    assert properties.title.startswith("BÁO CÁO sơ kết công tác xây dựng Đảng quý I")
    assert properties.author == "Đảng ủy Khối các cơ quan tỉnh"
    assert properties.language == "vi-VN"


def test_a_draft_leaves_the_number_blank():
    draft = docx.Document(io.BytesIO(render_docx(bloc_report((), number_symbol="-BC/ĐUK"))))
    assert draft.tables[0].cell(0, 0).paragraphs[-1].text == "Số     -BC/ĐUK"


def test_an_installation_can_change_the_style():
    document = bloc_report((Heading("a) Về kết nạp đảng viên", level=3), Paragraph("Nội dung.")))
    style = DocumentStyle(body_size=13, margin_left_mm=35)
    rendered = docx.Document(io.BytesIO(render_docx(document, style)))
    assert paragraph_with(rendered, "Nội dung.").runs[0].font.size == Pt(13)
    assert length_close(rendered.sections[0].left_margin, Mm(35))
    level_three = paragraph_with(rendered, "a) Về kết nạp đảng viên").runs[0]
    assert level_three.bold and level_three.italic


def test_a_total_row_is_bold():
    table = Table(
        caption="",
        columns=("Loại tổ chức", "Số lượng"),
        rows=(("Đảng bộ cơ sở", 44), ("Chi bộ cơ sở", 32)),
        total_row=("Cộng", 76),
    )
    rendered = docx.Document(io.BytesIO(render_docx(bloc_report((table,)))))
    figures = rendered.tables[1]
    assert [c.text for c in figures.rows[-1].cells] == ["Cộng", "76"]
    assert all(c.paragraphs[0].runs[0].bold for c in figures.rows[-1].cells)
    assert not figures.rows[1].cells[0].paragraphs[0].runs[0].bold
