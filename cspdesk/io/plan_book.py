"""A plan file in whatever format the officer kept it: .xlsx/.xlsm, .xls, .ods or Word .docx,
gated (``gate.check_plan_file``) and read into the same grids."""

from __future__ import annotations

from pathlib import Path

from cspdesk.io.gate import check_plan_file
from cspdesk.io.xlsx_book import Book, Progress, load_book

FORMATS = "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or Word (.docx)"


def load_plan_book(path: Path, progress: Progress | None = None) -> Book:
    """The file's sheets (a Word document's tables as one sheet); ImportRefused saying why
    when it cannot be read."""
    kind = check_plan_file(path)
    if kind == "xls" or kind == "ods":
        from cspdesk.io.sheet_book import load_sheet_book

        return load_sheet_book(path, progress)
    if kind == "docx":
        from cspdesk.io.plan_docx import load_docx_book

        return load_docx_book(path)
    return load_book(path, progress)
