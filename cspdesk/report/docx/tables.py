"""Word tables for the appendix: real tables with a header row Word repeats on every page,
cells shaded by RAG colour with the status in words, and nothing used for layout."""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

CELL_PT = 9


def shade(cell: _Cell, fill: str) -> None:
    """Fill ``cell`` with the "#RRGGBB" colour."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)


def repeat_as_header(table: Table) -> None:
    """Mark the first row as the table's header row: Word repeats it on each page, and screen
    readers and the accessibility checker read it as the column headings."""
    row = table.rows[0]
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    properties.append(keep)


def write_lines(
    cell: _Cell,
    lines: Sequence[str],
    *,
    bold: bool = False,
    colour: str | None = None,
) -> None:
    """The cell's text, one paragraph per line (the cell's own first paragraph reused)."""
    paragraph: Paragraph | None = cell.paragraphs[0]
    for line in lines or [""]:
        if paragraph is None:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.font.size = Pt(CELL_PT)
        if bold:
            run.bold = True
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        paragraph = None


def new_table(document: object, headings: Sequence[str], widths_cm: Sequence[float]) -> Table:
    """A grid table with a repeating, bold header row."""
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(headings))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid LibreOffice and Word lay the table out on
    for cell, heading, width in zip(table.rows[0].cells, headings, widths_cm, strict=True):
        cell.width = Cm(width)
        write_lines(cell, [heading], bold=True)
        shade(cell, "#DCE6F0")
    repeat_as_header(table)
    return table


def add_row(table: Table, widths_cm: Sequence[float]) -> list[_Cell]:
    from docx.shared import Cm

    cells = table.add_row().cells
    for cell, width in zip(cells, widths_cm, strict=True):
        cell.width = Cm(width)
    return list(cells)
