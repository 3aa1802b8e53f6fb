"""Word tables and headings for the appendix, written as WordprocessingML directly.

Real tables with a header row Word repeats on every page (and screen readers read as the
column headings), cells shaded by RAG colour with the status in words, nothing used for layout.
python-docx's object layer costs about 3 ms a cell (1.7 s for 500 actions), so the body is
built as XML text, parsed once per part and placed in the document python-docx opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER_FILL = "DCE6F0"
TWIPS_PER_CM = 567
# Characters XML 1.0 cannot hold (typed control characters): never reach the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Cell:
    """A cell's lines (a paragraph each), and how they look."""

    lines: Sequence[str]
    bold: bool = False
    colour: str = ""  # "#RRGGBB" text colour
    bold_lines: int = 0  # its first lines set bold however the rest looks (a timescale)
    fill: str = ""  # "#RRGGBB" shading


def _text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _run(text: str, bold: bool = False, colour: str = "", half_points: int = 0) -> str:
    props = ""
    if bold:
        props += "<w:b/>"
    if colour:
        props += f'<w:color w:val="{colour.lstrip("#").upper()}"/>'
    if half_points:
        props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def paragraph(
    text: str,
    style: str = "",
    bold: bool = False,
    keep_with_next: bool = False,
    new_page: bool = False,
) -> str:
    """A paragraph (``style``: a style id such as "Heading2"); ``new_page`` starts a page with
    it (a property of the paragraph, not an empty paragraph holding a break)."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep_with_next:
        props += "<w:keepNext/>"
    if new_page:
        props += "<w:pageBreakBefore/>"  # after keepNext: the schema's order
    props = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f"<w:p>{props}{_run(text, bold)}</w:p>"


def heading(text: str, level: int, new_page: bool = False) -> str:
    """A real Heading 1 or 2, kept with what follows it (never alone at a page's foot)."""
    return paragraph(text, f"Heading{level}", keep_with_next=True, new_page=new_page)


def _cell(cell: Cell, width: int, header: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    fill = HEADER_FILL if header and not cell.fill else cell.fill.lstrip("#").upper()
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    runs = "".join(
        "<w:p>"
        + (
            "<w:pPr><w:keepNext/></w:pPr>" if header else ""
        )  # a header row stays with the first row
        # the Normal style's size: 10 or 12 pt
        + _run(line, cell.bold or header or index < cell.bold_lines, cell.colour)
        + "</w:p>"
        for index, line in enumerate(cell.lines or [""])
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{runs}</w:tc>"


def table(
    headings: Sequence[str | Cell],
    widths_cm: Sequence[float],
    rows: Iterable[Sequence[Cell]],
) -> str:
    """A grid table whose first row is a header row Word repeats on each page; each row is kept
    whole on a page where it fits ("cantSplit")."""
    widths = [round(w * TWIPS_PER_CM) for w in widths_cm]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(
        _cell(h if isinstance(h, Cell) else Cell([h]), w, header=True)
        for h, w in zip(headings, widths, strict=True)
    )
    parts = [
        "<w:tbl><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        '<w:tr><w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>'
        f"{head}</w:tr>"
    ]
    for row in rows:
        cells = "".join(_cell(c, w) for c, w in zip(row, widths, strict=True))
        parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def place(document: Any, fragments: Iterable[str]) -> None:
    """Parse ``fragments`` (paragraphs and tables) once and add them at the document's end."""
    body = document.element.body
    parsed = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(fragments)}</w:body>')
    end = body.sectPr
    for element in list(parsed):
        if end is not None:
            end.addprevious(element)
        else:
            body.append(element)
