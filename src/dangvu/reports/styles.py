"""The one style table of the Party document format (36-HD/VPTW).

The sizes are the usual practice, not confirmed from the text of the guidance (see
domain/document-format.md): an installation that prints differently builds its own
`DocumentStyle(...)` with the values it needs and passes it to the renderers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentStyle:
    font_name: str = "Times New Roman"
    # What the PDF falls back to where Times New Roman is not installed: Liberation Serif has
    # the same metrics (Debian's fonts-liberation2 has the Vietnamese letters).
    pdf_font_fallbacks: tuple[str, ...] = ("Liberation Serif", "serif")

    # Sizes in points
    party_name_size: float = 15  # ĐẢNG CỘNG SẢN VIỆT NAM, bold
    body_name_size: float = 14  # superior body (regular) and issuing body (bold)
    number_size: float = 14  # Số 45-BC/ĐUK
    place_date_size: float = 14  # italic
    title_size: float = 15  # BÁO CÁO, bold
    abstract_size: float = 14  # trích yếu, bold
    body_size: float = 14
    heading_size: float = 14
    table_size: float = 13
    caption_size: float = 13
    recipients_size: float = 12
    signature_size: float = 14

    # Headings: levels up to this one are bold, levels from `heading_italic_from` italic too
    # (I. bold; 1. bold; a) bold italic).
    heading_bold_to: int = 3
    heading_italic_from: int = 3

    # A4 page and margins in millimetres
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15

    # The header block: left column (bodies, number), right column (party name, place and date).
    # "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" in bold 14 pt is 88 mm wide, the date line in italic 76 mm:
    # together wider than the text, so the block reaches 5 mm into the left margin.
    header_left_mm: float = 90
    header_right_mm: float = 80
    header_outdent_mm: float = 5

    line_spacing: float = 1.2  # multiple of single spacing, 1.0-1.5 allowed
    paragraph_space_after_pt: float = 6
    first_line_indent_mm: float = 12.7
    abstract_rule_mm: float = 30  # the short line under the abstract
    signature_space_lines: int = 4  # blank lines for the signature and the seal

    language: str = "vi-VN"

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm


DEFAULT_STYLE = DocumentStyle()
