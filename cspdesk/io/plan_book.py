"""A plan file in whatever format the officer kept it: .xlsx/.xlsm, .xls, .ods or Word .docx,
gated (``gate.check_plan_file``) and read into the same grids."""

from __future__ import annotations

from pathlib import Path

from cspdesk.io.gate import ImportRefused, check_container, check_plan_file
from cspdesk.io.xlsx_book import Book, Progress, load_book
from cspdesk.io.xlsx_fast import reader_failures

FORMATS = "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or Word (.docx)"


def load_plan_book(path: Path, progress: Progress | None = None) -> Book:
    """The file's sheets (a Word document's tables as one sheet); ImportRefused saying why
    when it cannot be read."""
    kind = check_plan_file(path)
    if kind == "xls" or kind == "ods":
        from cspdesk.io.sheet_book import load_sheet_book

        return load_sheet_book(path, kind, progress)
    if kind == "docx":
        from cspdesk.io.plan_docx import load_docx_book

        return load_docx_book(path)
    return load_book(path, progress)


def table_headers(book: Book) -> dict[str, set[int]]:
    """The header row (0-based) of each Excel table (Insert > Table; how a SharePoint list
    comes out of "Export to Excel"), by sheet: a table's own definition says where it starts."""
    import zipfile

    path = book.path  # not a plain copy of an unusually spelt one: that keeps no tables
    try:
        with zipfile.ZipFile(path) as archive:
            if not any(name.startswith("xl/tables/") for name in archive.namelist()):
                return {}
        check_container(path, "[Content_Types].xml")  # the gate may have seen only a copy
    except (OSError, zipfile.BadZipFile, ImportRefused):
        return {}  # not an .xlsx (an .xls, .ods or Word file), or not safe: no tables read
    from python_calamine import CalamineWorkbook

    found: dict[str, set[int]] = {}
    try:
        with reader_failures(path):
            workbook = CalamineWorkbook.from_path(str(path), load_tables=True)
            try:
                for name in workbook.table_names or []:
                    table = workbook.get_table_by_name(name)
                    start = table.start
                    if start is not None and start[0] >= 1:
                        found.setdefault(table.sheet, set()).add(start[0] - 1)
            finally:
                workbook.close()
    except ImportRefused:  # a damaged table part: the sheet is read as it is
        return {}
    return found
