"""Plans kept as tables in Word documents, written with python-docx (none a copy of a real one):
one table per priority under its heading, as the committee appendix in seed 000 keeps it, and
one big table with a Priority column."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER = ["Objective", "Action", "Lead", "Timescale", "RAG"]


def shade(cell: object, colour: str) -> None:
    """Cell shading, as Word's Table > Shading writes it."""
    properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    properties.append(shd)


def _table(document: object, rows: list[list[str]]) -> object:
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))  # type: ignore[attr-defined]
    for c, text in enumerate(HEADER):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def table_per_priority(path: Path) -> Path:
    """A title, then per priority a heading and its table; the objective merged down over its
    actions; one RAG given only as the cell's shading."""
    document = docx.Document()
    document.add_heading("Castle Point and Rochford Community Safety Partnership", level=1)
    document.add_paragraph("Partnership Plan 2016/17")
    document.add_heading("Safeguarding vulnerable people", level=2)
    first = _table(document, [
        ["To safeguard victims of domestic abuse", "Home safety visits", "Essex Police",
         "Q1-4", "Green"],
        ["", "Sanctuary scheme", "Rochford District Council", "March 2017", "Amber"],
        ["Hidden harm", "County wide events", "All partners", "Q3 16/17", ""],
    ])  # fmt: skip
    first.cell(1, 0).merge(first.cell(2, 0))  # type: ignore[attr-defined]
    first.cell(1, 0).text = "To safeguard victims of domestic abuse"  # type: ignore[attr-defined]
    shade(first.cell(3, 4), "FF0000")  # type: ignore[attr-defined]
    document.add_heading("Anti-social behaviour", level=2)
    _table(document, [
        ["Joint working", "Days of action", "Essex Police", "Ongoing", "G"],
    ])  # fmt: skip
    document.add_paragraph("Note: figures for Q4 are provisional.")
    document.save(str(path))
    return path


def one_big_table(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Maldon District Community Safety Partnership Plan 2016/17")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([["Priority", "Action", "Lead", "RAG"],
                             ["Rural crime", "Farm watch", "Essex Police", "A"],
                             ["Rural crime", "Fuel theft marking", "Maldon DC", "G"]]):  # fmt: skip
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path
