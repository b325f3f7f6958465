"""DOCX in the Party document format (36-HD/VPTW), with python-docx."""

import io

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from dangvu.reports.document import (
    PARTY_NAME,
    Chart,
    Heading,
    Paragraph,
    PartyDocument,
    Signature,
    Table,
    cell_text,
    is_number,
)
from dangvu.reports.styles import DEFAULT_STYLE, DocumentStyle

# Its advance width in bold Times New Roman (= Liberation Serif Bold, metric-compatible), in em
PARTY_NAME_WIDTH_EM = 13.78
_MM_PER_PT = 25.4 / 72
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
# Children that follow w:pBdr in w:pPr, and w:tblBorders in w:tblPr (the schema fixes the order)
_AFTER_PBDR = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def render_docx(document: PartyDocument, style: DocumentStyle = DEFAULT_STYLE) -> bytes:
    doc = new_document()
    _setup(doc, document, style)
    _header(doc, document, style)
    _title(doc, document, style)
    for block in document.blocks:
        if isinstance(block, Heading):
            _heading(doc, block, style)
        elif isinstance(block, Paragraph):
            _paragraph(doc, block, style)
        elif isinstance(block, Table):
            _table(doc, block, style)
        elif isinstance(block, Chart):
            _chart(doc, block, style)
        else:
            raise TypeError(f"unknown block: {block!r}")
    _closing(doc, document, style)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# Page, default font, properties


def _setup(doc: Document, document: PartyDocument, style: DocumentStyle) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(style.page_width_mm)
    section.page_height = Mm(style.page_height_mm)
    section.top_margin = Mm(style.margin_top_mm)
    section.bottom_margin = Mm(style.margin_bottom_mm)
    section.left_margin = Mm(style.margin_left_mm)
    section.right_margin = Mm(style.margin_right_mm)

    # The defaults name theme fonts (Calibri, Cambria) and English: make them ours, for every
    # script, so that Word shows Times New Roman for Vietnamese letters wherever no run says.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = default_rpr.find(qn("w:rFonts"))
    for name in list(fonts.attrib):
        if name.endswith("Theme") or name.endswith("theme"):
            del fonts.attrib[name]
    _set_fonts(default_rpr, style.font_name)
    for tag in ("w:sz", "w:szCs"):
        default_rpr.find(qn(tag)).set(qn("w:val"), str(round(style.body_size * 2)))
    lang = default_rpr.find(qn("w:lang"))
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), style.language)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(style.body_size)
    _set_fonts(normal.element.get_or_add_rPr(), style.font_name)

    properties = doc.core_properties
    properties.title = document.title
    properties.subject = document.abstract
    properties.author = document.issuing_body
    properties.last_modified_by = document.issuing_body
    properties.language = style.language
    properties.keywords = document.doc_type
    properties.comments = document.number_line


def _set_fonts(rpr, font_name: str) -> None:
    """The font for every script slot: without w:eastAsia and w:cs Word may show Vietnamese
    letters in another face."""
    fonts = rpr.get_or_add_rFonts()
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), font_name)


def _run(
    paragraph: DocxParagraph,
    text: str,
    style: DocumentStyle,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> Run:
    run = paragraph.add_run(text)
    _set_fonts(run._r.get_or_add_rPr(), style.font_name)
    run.font.size = Pt(size)
    # None inherits (not bold, not italic): only what is set is written
    run.font.bold = bold or None
    run.font.italic = italic or None
    run.font.underline = underline or None
    return run


def _format(
    paragraph: DocxParagraph,
    style: DocumentStyle,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    space_before: float = 0,
    space_after: float = 0,
    line_spacing: float = 1.0,
) -> DocxParagraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = line_spacing
    fmt.first_line_indent = Mm(style.first_line_indent_mm) if indent else None
    return paragraph


def _line(
    container,
    text: str,
    style: DocumentStyle,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    space_before: float = 0,
    space_after: float = 0,
    first: bool = False,
) -> DocxParagraph:
    """One paragraph of a single run; `first` reuses a table cell's initial empty paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    _format(paragraph, style, align=align, space_before=space_before, space_after=space_after)
    if text:
        _run(paragraph, text, style, size, bold=bold, italic=italic, underline=underline)
    return paragraph


# Tables without borders for the layout, with borders for figures


def _layout_table(
    doc: Document, widths_mm: tuple[float, float], *, outdent_mm: float = 0
) -> DocxTable:
    """A borderless two-column table with no cell padding, `outdent_mm` into the left margin."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _set_borders(table, "nil")
    tbl_pr = table._tbl.tblPr
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(-round(Mm(outdent_mm).twips)))
    indent.set(qn("w:type"), "dxa")
    tbl_pr.insert_element_before(indent, "w:tblBorders", *_AFTER_TBLBORDERS)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for cell, width in zip(table.rows[0].cells, widths_mm, strict=True):
        cell.width = Mm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def _set_borders(table: DocxTable, kind: str) -> None:
    """Borders on every edge: "single" for figures, "nil" for the layout tables."""
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.insert_element_before(borders, *_AFTER_TBLBORDERS)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), kind)
        if kind != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)


def _rule(container, length_mm: float, box_mm: float, *, space_after: float = 0) -> None:
    """A horizontal line `length_mm` long, centred in a box `box_mm` wide: the bottom border of
    an empty paragraph a few points high, shortened by the paragraph's indents."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = Pt(3)  # exact, whatever the size of the paragraph mark
    side = Mm(max((box_mm - length_mm) / 2, 0))
    fmt.left_indent = side
    fmt.right_indent = side
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point
    bottom.set(qn("w:space"), "0")
    bottom.set(qn("w:color"), "000000")
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)


# The document's parts, top to bottom


def _header(doc: Document, document: PartyDocument, style: DocumentStyle) -> None:
    widths = (style.header_left_mm, style.header_right_mm)
    table = _layout_table(doc, widths, outdent_mm=style.header_outdent_mm)
    left, right = table.rows[0].cells
    size = style.body_name_size
    first = True
    if document.superior_body:
        _line(left, document.superior_body.upper(), style, size, first=True)
        first = False
    _line(left, document.issuing_body.upper(), style, size, bold=True, first=first)
    _line(left, "*", style, size)
    _line(left, document.number_line, style, style.number_size, space_before=2)

    _line(right, PARTY_NAME, style, style.party_name_size, bold=True, first=True)
    # "Underlined by a line of the same length" (36-HD/VPTW). A run underline would cross the
    # dots below Ộ and Ệ, so the line is a rule of the name's width under it.
    _rule(right, PARTY_NAME_WIDTH_EM * style.party_name_size * _MM_PER_PT, widths[1])
    _line(
        right,
        document.place_date_line,
        style,
        style.place_date_size,
        italic=True,
        space_before=style.place_date_size,
    )


def _title(doc: Document, document: PartyDocument, style: DocumentStyle) -> None:
    _line(doc, document.doc_type.upper(), style, style.title_size, bold=True, space_before=18)
    abstract = _line(doc, document.abstract, style, style.abstract_size, bold=True)
    abstract.paragraph_format.line_spacing = style.line_spacing
    _rule(doc, style.abstract_rule_mm, style.text_width_mm, space_after=style.body_size)


def _body_format(paragraph: DocxParagraph, style: DocumentStyle) -> DocxParagraph:
    return _format(
        paragraph,
        style,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        space_after=style.paragraph_space_after_pt,
        line_spacing=style.line_spacing,
    )


def _heading(doc: Document, block: Heading, style: DocumentStyle) -> None:
    paragraph = _body_format(doc.add_paragraph(), style)
    paragraph.paragraph_format.keep_with_next = True
    _run(
        paragraph,
        block.text,
        style,
        style.heading_size,
        bold=block.level <= style.heading_bold_to,
        italic=block.level >= style.heading_italic_from,
    )


def _paragraph(doc: Document, block: Paragraph, style: DocumentStyle) -> None:
    paragraph = _body_format(doc.add_paragraph(), style)
    _run(paragraph, block.text, style, style.body_size)


def _table(doc: Document, block: Table, style: DocumentStyle) -> None:
    if block.caption:
        caption = _line(
            doc, block.caption, style, style.caption_size, bold=True, space_before=6, space_after=6
        )
        caption.paragraph_format.keep_with_next = True
    rows = block.body_rows()
    footer = block.footer_row()
    table = doc.add_table(rows=1 + len(rows) + (footer is not None), cols=len(block.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if "Table Grid" in [s.name for s in doc.styles]:
        table.style = doc.styles["Table Grid"]
    _set_borders(table, "single")

    header = table.rows[0]
    _repeat_as_header(header)
    for cell, name in zip(header.cells, block.columns, strict=True):
        _cell(cell, name, style, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row, values in zip(table.rows[1:], rows, strict=False):
        _fill_row(row.cells, values, style, bold=False)
    if footer is not None:
        _fill_row(table.rows[-1].cells, footer, style, bold=True)
    _line(doc, "", style, style.body_size, space_after=0)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _fill_row(cells, values, style: DocumentStyle, *, bold: bool) -> None:
    if len(values) != len(cells):
        raise ValueError(f"row has {len(values)} cells, the table {len(cells)} columns")
    for cell, value in zip(cells, values, strict=True):
        align = WD_ALIGN_PARAGRAPH.RIGHT if is_number(value) else WD_ALIGN_PARAGRAPH.LEFT
        _cell(cell, cell_text(value), style, bold=bold, align=align)


def _cell(cell: _Cell, text: str, style: DocumentStyle, *, bold: bool, align) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = _format(cell.paragraphs[0], style, align=align, space_before=2, space_after=2)
    _run(paragraph, text, style, style.table_size, bold=bold)


def _chart(doc: Document, block: Chart, style: DocumentStyle) -> None:
    paragraph = _format(doc.add_paragraph(), style, space_before=6)
    paragraph.paragraph_format.keep_with_next = bool(block.title)
    run = paragraph.add_run()
    _set_fonts(run._r.get_or_add_rPr(), style.font_name)
    shape = run.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
    shape._inline.docPr.set("descr", block.title)  # the alternative text
    if block.title:
        _line(doc, block.title, style, style.caption_size, italic=True, space_after=6)


def _closing(doc: Document, document: PartyDocument, style: DocumentStyle) -> None:
    """Recipients at the left, the signature at the right, side by side."""
    _line(doc, "", style, style.body_size)
    left_mm = style.text_width_mm * 0.45
    table = _layout_table(doc, (left_mm, style.text_width_mm - left_mm))
    left, right = table.rows[0].cells
    _recipients(left, document.recipients, style)
    _signature(right, document.signature, style)


def _recipients(cell: _Cell, recipients, style: DocumentStyle) -> None:
    size = style.recipients_size
    left = WD_ALIGN_PARAGRAPH.LEFT
    _line(cell, "Nơi nhận:", style, size, bold=True, underline=True, align=left, first=True)
    for recipient in recipients:
        text = recipient if recipient.startswith("-") else f"- {recipient}"
        _line(cell, text, style, size, align=left)


def _signature(cell: _Cell, signature: Signature, style: DocumentStyle) -> None:
    size = style.signature_size
    _line(cell, signature.authority.upper(), style, size, bold=True, first=True)
    _line(cell, signature.position.upper(), style, size, bold=True)
    for _ in range(style.signature_space_lines):
        _line(cell, "", style, size)
    _line(cell, signature.name, style, size, bold=True)
