"""What an OpenDocument spreadsheet (.ods) holds beyond its cell values, for reading a partner
return saved by LibreOffice ("Use ODF Format!"): formulas, what each number cell shows, cell
annotations, when it was saved (and what wrote it) and its custom document properties, and the
text of a cell whose tabs or line breaks calamine would drop.

The file has passed ``gate.check_return_file`` (sizes, ratios, no DTD, each sheet's extent
bounded counting repeated rows and cells). content.xml is walked with defusedxml's iterparse,
each row cleared once read, so no tree of it is kept; a repeated row or cell is expanded only
when it holds something, within the extent the gate allowed. Nothing is evaluated: a formula
is its text and the result LibreOffice saved.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from cspdesk.io.gate import MAX_CELLS, ImportRefused
from cspdesk.io.xlsx_book import column_letter

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
# Number cells: what they show (50%, £1,234.50, 2,000) is kept in their <text:p>.
_NUMBER_TYPES = {"float", "percentage", "currency", "date", "time"}
# What calamine leaves out of a text cell (its runs of spaces, <text:s/>, it keeps).
_DROPPED = {f"{_TEXT}tab", f"{_TEXT}line-break"}
MAX_META_BYTES = 1 << 20  # meta.xml of any return is a few kB


@dataclass(frozen=True)
class OdsFormula:
    row: int  # from 1
    column: int  # from 0
    formula: str  # as written, without LibreOffice's "of:=" prefix
    shown: str  # the result it was saved with, as the cell showed it


@dataclass(frozen=True)
class OdsAnnotation:
    row: int
    column: int
    author: str
    text: str


@dataclass
class OdsSheet:
    formulas: list[OdsFormula] = field(default_factory=list)
    shown: dict[tuple[int, int], str] = field(default_factory=dict)  # number cells' text
    annotations: list[OdsAnnotation] = field(default_factory=list)
    # (row from 1, column from 0) -> the text of a text cell holding a tab or a line break
    # (<text:tab/>, <text:line-break/>), which calamine drops ("C20\ttab" read "C20tab")
    texts: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class OdsFacts:
    sheets: dict[str, OdsSheet]
    saved: str  # meta.xml's dc:date as written ("" when none)
    properties: dict[str, str]  # meta:user-defined, by name
    generator: str = ""  # meta:generator, "LibreOffice/7.4.7.2$Linux_X86_64 ..."


def ods_facts(path: Path) -> OdsFacts:
    """Formulas, shown numbers and annotations of every sheet, and the document's metadata
    (raises what zipfile and the XML parser raise on damage)."""
    from defusedxml.ElementTree import fromstring, iterparse

    sheets: dict[str, OdsSheet] = {}
    with zipfile.ZipFile(path) as archive:
        with archive.open("content.xml") as content:
            _walk(path, iterparse(content, events=("start", "end")), sheets)
        names = set(archive.namelist())
        meta = None
        if "meta.xml" in names and archive.getinfo("meta.xml").file_size <= MAX_META_BYTES:
            meta = fromstring(archive.read("meta.xml"))
    saved, properties, generator = "", {}, ""
    if meta is not None:
        date = meta.find(f".//{_DC}date")
        saved = (date.text or "").strip() if date is not None else ""
        writer = meta.find(f".//{_META}generator")
        generator = (writer.text or "").strip() if writer is not None else ""
        for element in meta.iter(f"{_META}user-defined"):
            name = element.get(f"{_META}name")
            if name:
                properties[name] = "".join(element.itertext()).strip()
    return OdsFacts(sheets, saved, properties, generator)


def _walk(path: Path, events: object, sheets: dict[str, OdsSheet]) -> None:
    sheet: OdsSheet | None = None
    name = ""
    read = 0  # cells read, repeats counted
    # depth: a table inside a table (in a shape's text) is not a sheet; rows: the rows the
    # current row element stands for (number-rows-repeated)
    row = column = depth = 0
    rows = 1
    for event, element in events:  # type: ignore[attr-defined]
        tag = element.tag
        if tag == f"{_TABLE}table":
            if event == "start":
                depth += 1
                if depth == 1:
                    name = element.get(f"{_TABLE}name", "")
                    sheet = sheets.setdefault(name, OdsSheet())
                    row = 0
            else:
                depth -= 1
        elif depth != 1 or sheet is None:
            continue
        elif tag == f"{_TABLE}table-row":
            if event == "start":
                column, rows = 0, _repeat(element, "number-rows-repeated")
            else:
                row += rows
                element.clear()
        elif tag in _CELLS and event == "end":
            repeat = _repeat(element, "number-columns-repeated")
            _check_number(path, name, element, row + 1, column)
            if len(element) or element.get(f"{_TABLE}formula"):
                read += rows * repeat
                if read > MAX_CELLS:  # the gate counts no empty element: a formula in one
                    raise ImportRefused(
                        path,
                        f"the sheets hold more than {MAX_CELLS:,} cells with a value, formula "
                        "or comment (repeated rows or cells); delete the rows and columns the "
                        "return does not need, save, and retry",
                        sheet=name,
                    )
                for below in range(rows):
                    for beside in range(repeat):
                        _read_cell(element, sheet, row + 1 + below, column + beside)
            column += repeat


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}", "1")))
    except ValueError:
        return 1


def _check_number(path: Path, sheet: str, element: Element, row: int, column: int) -> None:
    """Refuse a number cell whose value is not finite (NaN, infinity, beyond a double), as
    the gate refuses one in an .xlsx: no spreadsheet writes one, and no reader can take it."""
    if element.get(f"{_OFFICE}value-type") not in _NUMBER_TYPES:
        return
    text = element.get(f"{_OFFICE}value")
    if text is None:
        return  # a date or time: calamine gives what it cannot read as text, named later
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ImportRefused(
            path,
            f"the number {text[:40]!r} is not one a spreadsheet writes; put the right value "
            "in the cell, save, and retry",
            sheet=sheet,
            row=row,
            column=column_letter(column),
        )


def _read_cell(element: Element, sheet: OdsSheet, row: int, column: int) -> None:
    paragraphs = element.findall(f"{_TEXT}p")
    shown = "\n".join(_paragraph(p) for p in paragraphs)
    if element.get(f"{_OFFICE}value-type") == "string" and any(
        inner.tag in _DROPPED for p in paragraphs for inner in p.iter()
    ):
        sheet.texts[(row, column)] = shown
    formula = element.get(f"{_TABLE}formula")
    if formula:
        text = formula.split(":", 1)[1] if formula[:3] in ("of:", "oooc:") else formula
        sheet.formulas.append(OdsFormula(row, column, text.removeprefix("="), shown))
    if element.get(f"{_OFFICE}value-type") in _NUMBER_TYPES:
        sheet.shown[(row, column)] = shown
    for note in element.findall(f"{_OFFICE}annotation"):
        author = note.find(f"{_DC}creator")
        words = "\n".join(_paragraph(p) for p in note.iter(f"{_TEXT}p")).strip()
        if words:
            name = (author.text or "").strip() if author is not None else ""
            sheet.annotations.append(OdsAnnotation(row, column, name, words))


def _paragraph(element: Element) -> str:
    """A <text:p> as it reads: runs of spaces (text:s), tabs and line breaks written out."""
    parts = [element.text or ""]
    for child in element:
        local = child.tag.rsplit("}", 1)[-1]
        if local == "s":
            try:
                parts.append(" " * min(max(int(child.get(f"{_TEXT}c", "1")), 1), 1000))
            except ValueError:
                parts.append(" ")
        elif local == "tab":
            parts.append("\t")
        elif local == "line-break":
            parts.append("\n")
        elif local != "annotation":
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)
