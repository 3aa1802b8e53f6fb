"""The returns' worksheet writes its cells' XML itself (the innermost loop of making returns):
it must be the XML XlsxWriter writes, for every kind of cell."""

from __future__ import annotations

import zipfile
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from cspdesk.returns.sheets import OPTIONS, return_sheet_class


def sheet_xml(path: Path, sheet_class: type[Worksheet]) -> bytes:
    workbook = Workbook(str(path), OPTIONS)
    sheet = workbook.add_worksheet("Actions", sheet_class)
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"quote_prefix": True, "bg_color": "#FFF8DC"})
    dated = workbook.add_format({"num_format": "DD/MM/YYYY"})
    sheet.set_row(1, 30, wrapped)  # a row format: used by a cell that has none of its own
    sheet.set_column(5, 5, 12, dated)  # a column format, likewise
    sheet.write_string(0, 0, "A12", wrapped)
    sheet.write_string(0, 1, "=SUM(A1) & <b> \"quoted\" 'x'", quoted)
    sheet.write_string(0, 2, "control \x01 and _x0041_ and \ufffe", wrapped)
    sheet.write_string(1, 0, "on a row with a format")
    sheet.write_string(2, 5, "in a column with a format")
    sheet.write_string(2, 6, "no format at all")
    sheet.write_string("B10", "written by its A1 name", wrapped)
    sheet.write_string(10, 0, "\U0001f600" * 17_000, wrapped)  # XlsxWriter cuts it to Excel's limit
    sheet.write_string(11, 0, "")
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
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_return_sheet_writes_the_xml_xlsxwriter_writes(tmp_path: Path) -> None:
    ours = sheet_xml(tmp_path / "ours.xlsx", return_sheet_class())
    assert b'<c r="A1" s="' in ours  # the cells were written
    assert ours == sheet_xml(tmp_path / "xlsxwriter.xlsx", Worksheet)
