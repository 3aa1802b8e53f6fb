"""A partner's edits to the All partners Q1 return, shared by the LibreOffice tests."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def fill_all_partners(path: Path) -> None:
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet["G2"] = "Second campaign booked\nfor December"
    sheet["H2"] = "amber"
    sheet["I4"] = "15/12/2016"
    sheet["H4"] = "Blue"
    book.save(path)
