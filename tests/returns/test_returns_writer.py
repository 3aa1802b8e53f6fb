"""The returns' workbook writes its cells', rows' and shared strings' XML itself (the innermost
loops of making returns): it must be the XML XlsxWriter writes, for every kind of cell and text,
part by part."""

from __future__ import annotations

import gc
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from cspdesk.returns.sheets import OPTIONS
from cspdesk.returns.writer import return_sheet_class, return_workbook_class

TEXTS = [
    "A12",
    "=SUM(A1) & <b> \"quoted\" 'x'",
    " leading space",
    "trailing space ",
    "two\nlines",
    "ends in a line break\n",
    "\u2028line separator and \xa0no-break space",
    "",
    "A12",  # again: one shared string, counted twice
    "caf\u00e9 \U0001f600 > < &amp;",
]
CONTROL = ["control \x01 and _x0041_ and \ufffe"]
ESCAPE_LOOKALIKE = ["an escape look-alike _x0041_ alone"]
RICH_LOOKALIKE = "<r>typed by an officer</r>"  # XlsxWriter's XML for rich text looks so


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def workbook_parts(
    path: Path, workbook_class: type[Workbook], sheet_class: type[Worksheet], texts: list[str]
) -> dict[str, bytes]:
    """A workbook of every kind of cell, written one cell at a time."""
    workbook = workbook_class(str(path), OPTIONS)
    sheet = workbook.add_worksheet("Actions", sheet_class)
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"quote_prefix": True, "bg_color": "#FFF8DC"})
    dated = workbook.add_format({"num_format": "DD/MM/YYYY"})
    sheet.set_row(1, 30, wrapped)  # a row format: used by a cell that has none of its own
    sheet.set_row(14, 45)  # a row with a height and no cells
    sheet.set_row(12, 45)  # and with cells
    sheet.set_row(13, 12.5, None, {"hidden": True, "level": 1})
    sheet.write_string(13, 2, "in a hidden row of an outline")
    sheet.set_row(15, 0)  # hidden by its height
    sheet.write_string(15, 1, "hidden by its height", wrapped)
    sheet.set_column(5, 5, 12, dated)  # a column format, likewise
    for number, text in enumerate(texts):
        sheet.write_string(30 + number, number % 3, text, wrapped)
    sheet.write_string(0, 0, "A12", wrapped)
    sheet.write_string(0, 1, "=SUM(A1) & <b> \"quoted\" 'x'", quoted)
    sheet.write_string(1, 0, "on a row with a format")
    sheet.write_string(2, 5, "in a column with a format")
    sheet.write_string(2, 6, "no format at all")
    sheet.write_string("B10", "written by its A1 name", wrapped)
    sheet.write_string(10, 0, "\U0001f600" * 17_000, wrapped)  # XlsxWriter cuts it to Excel's limit
    sheet.write_string(11, 0, "")
    sheet.write_string(12, 3, "written before the cell to its left", wrapped)
    sheet.write_number(12, 1, 7, wrapped)
    sheet.write_number(3, 0, 42640, dated)
    sheet.write_number(3, 1, 0.1 + 0.2, wrapped)
    sheet.write_number(3, 2, -1e300, wrapped)
    sheet.write_blank(4, 0, None, quoted)
    sheet.write_blank(4, 5, None)
    sheet.write_boolean(5, 0, True, wrapped)
    sheet.write_formula(5, 1, "=A4+1", wrapped, 42641)
    sheet.merge_range(6, 0, 8, 0, "merged", wrapped)
    sheet.write_string(20_000, 16_000, "far away", wrapped)
    workbook.close()
    return parts(path)


@pytest.mark.parametrize(
    "texts", [TEXTS, TEXTS + CONTROL, TEXTS + ESCAPE_LOOKALIKE], ids=["plain", "control", "escape"]
)
def test_return_workbook_writes_the_xml_xlsxwriter_writes(tmp_path: Path, texts: list[str]) -> None:
    ours = workbook_parts(
        tmp_path / "ours.xlsx", return_workbook_class(), return_sheet_class(), texts
    )
    theirs = workbook_parts(tmp_path / "xlsxwriter.xlsx", Workbook, Worksheet, texts)
    assert b'<c r="A1" s="' in ours["xl/worksheets/sheet1.xml"]  # the cells were written
    assert b"trailing space </t>" in ours["xl/sharedStrings.xml"]
    assert ours == theirs


def test_cells_put_a_row_at_a_time_are_the_cells_written_one_by_one(tmp_path: Path) -> None:
    def sheet_xml(path: Path, put: bool) -> bytes:
        workbook = Workbook(str(path), OPTIONS)
        sheet = workbook.add_worksheet("Actions", return_sheet_class())
        plain = workbook.add_format({"text_wrap": True})
        filled = workbook.add_format({"bg_color": "#FFF8DC"})
        rows: dict[int, list[tuple[int, str | int | None, object]]] = {
            0: [(0, "A1", plain), (2, "title", plain), (4, 42640, plain), (7, None, filled)],
            3: [(1, "x" * 16_001, plain), (3, "", filled)],  # long text: XlsxWriter's own way
            17: [(5, None, filled)],
        }
        for row, cells in rows.items():
            if put:
                sheet.put_cells(row, cells)
                continue
            for col, value, style in cells:
                if value is None:
                    sheet.write_blank(row, col, None, style)
                elif isinstance(value, str):
                    sheet.write_string(row, col, value, style)
                else:
                    sheet.write_number(row, col, value, style)
        workbook.close()
        return parts(path)["xl/worksheets/sheet1.xml"]

    ours = sheet_xml(tmp_path / "put.xlsx", put=True)
    assert b'<c r="H1" s="' in ours and b'<c r="F18" s="' in ours
    assert ours == sheet_xml(tmp_path / "written.xlsx", put=False)


def test_a_written_workbook_is_freed_without_the_cyclic_collector(tmp_path: Path) -> None:
    """A batch of returns is made with the collector paused: each workbook must be freed as
    soon as it is written, not kept until the batch ends."""
    gc.collect()
    gc.disable()
    try:
        workbook_parts(tmp_path / "ours.xlsx", return_workbook_class(), return_sheet_class(), TEXTS)
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("more", [[], CONTROL], ids=["plain", "control"])
def test_text_that_looks_like_rich_text_is_written_as_text(tmp_path: Path, more: list[str]) -> None:
    """XlsxWriter writes text from "<r>" to "</r>" unescaped, as rich text's XML: Excel and
    LibreOffice show an empty cell. A return holds no rich text: it is written as text."""
    path = tmp_path / "ours.xlsx"
    texts = [*TEXTS, *more, RICH_LOOKALIKE]
    ours = workbook_parts(path, return_workbook_class(), return_sheet_class(), texts)
    assert b"<si><t>&lt;r&gt;typed by an officer&lt;/r&gt;</t></si>" in ours["xl/sharedStrings.xml"]
    cells = load_workbook(path, read_only=True)["Actions"].iter_rows(
        min_row=31, max_row=30 + len(texts), max_col=3, values_only=True
    )
    assert RICH_LOOKALIKE in [value for row in cells for value in row]
