"""PDF in the Party document format, with WeasyPrint, from the HTML the web preview shows too."""

import base64
from typing import Any

from django.template.loader import render_to_string

from dangvu.reports.document import (
    PARTY_NAME,
    Chart,
    Heading,
    Paragraph,
    PartyDocument,
    Table,
    cell_text,
    is_number,
)
from dangvu.reports.styles import DEFAULT_STYLE, DocumentStyle

TEMPLATE = "reports/document.html"


def render_html(document: PartyDocument, style: DocumentStyle = DEFAULT_STYLE) -> str:
    """The document as one self-contained HTML page (styles inline, charts as data: URIs)."""
    context = {
        "document": document,
        "style": style,
        "font_stack": font_stack(style),
        "header_width_mm": style.header_left_mm + style.header_right_mm,
        "party_name": PARTY_NAME,
        "blocks": [_block(block, style) for block in document.blocks],
        "recipients": [r if r.startswith("-") else f"- {r}" for r in document.recipients],
        "signature_space_em": style.signature_space_lines * 1.2,
    }
    return render_to_string(TEMPLATE, context)


def render_pdf(document: PartyDocument, style: DocumentStyle = DEFAULT_STYLE) -> bytes:
    # Imported here: WeasyPrint loads pango when imported, which the rest of the app never needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The page carries everything it shows (charts as data: URIs): fetch nothing from anywhere.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=render_html(document, style), url_fetcher=fetcher).write_pdf()


def font_stack(style: DocumentStyle) -> str:
    names = (style.font_name, *style.pdf_font_fallbacks)
    generic = {"serif", "sans-serif", "monospace"}
    return ", ".join(name if name in generic else f'"{name}"' for name in names)


def _block(block, style: DocumentStyle) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {
            "kind": "heading",
            "text": block.text,
            "bold": block.level <= style.heading_bold_to,
            "italic": block.level >= style.heading_italic_from,
        }
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, Table):
        footer = block.footer_row()
        return {
            "kind": "table",
            "caption": block.caption,
            "columns": list(block.columns),
            "rows": [_cells(row, len(block.columns)) for row in block.body_rows()],
            "total": _cells(footer, len(block.columns)) if footer is not None else None,
        }
    if isinstance(block, Chart):
        encoded = base64.b64encode(block.png).decode("ascii")
        return {
            "kind": "chart",
            "title": block.title,
            "src": f"data:image/png;base64,{encoded}",
            "width_cm": block.width_cm,
        }
    raise TypeError(f"unknown block: {block!r}")


def _cells(row, width: int) -> list[dict[str, Any]]:
    if len(row) != width:
        raise ValueError(f"row has {len(row)} cells, the table {width} columns")
    return [{"text": cell_text(value), "number": is_number(value)} for value in row]
