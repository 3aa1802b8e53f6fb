"""Legacy Excel (.xls) and OpenDocument (.ods) plans read as plain grids by python-calamine.

The file has passed ``gate.check_plan_file``. Each sheet's extent is checked against the gate's
limits before its values are laid out; a damaged file, or one calamine cannot read (its own
errors, or a Rust panic: ``xlsx_fast.reader_failures``), is refused with our one line. Fill
colours (a RAG given only as colour) are read when asked for: an .xls's from its records
(io/xls_records.py), an .ods's from its cell styles (io/ods_fills.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import cast

from cspdesk.io.gate import MAX_CELLS, MAX_ROWS, MAX_SHEETS, ImportRefused
from cspdesk.io.xlsx_book import Book, Progress, SheetGrid, _lay_out_merges
from cspdesk.io.xlsx_fast import reader_failures


def load_sheet_book(path: Path, kind: str, progress: Progress | None = None) -> Book:
    """Every worksheet of a gated .xls or .ods file (``kind``); ImportRefused when it cannot
    be read."""
    from python_calamine import CalamineWorkbook

    with reader_failures(path):
        workbook = CalamineWorkbook.from_path(str(path))
    try:
        with reader_failures(path):
            names = [m.name for m in workbook.sheets_metadata if "WorkSheet" in str(m.typ)]
        if len(names) > MAX_SHEETS:
            limit = f"the limit is {MAX_SHEETS}"
            raise ImportRefused(path, f"the file has {len(names)} sheets; {limit}")
        sheets: list[SheetGrid] = []
        cells = 0
        for done, name in enumerate(names):
            if progress is not None:
                progress(done, len(names))
            with reader_failures(path, sheet=name):
                sheet = workbook.get_sheet_by_name(name)
                height, width = sheet.total_height + 1, sheet.total_width + 1
            if height > MAX_ROWS:
                raise ImportRefused(path, f"{height:,} rows; the limit is {MAX_ROWS:,}", sheet=name)
            cells += height * width
            if cells > MAX_CELLS:
                raise ImportRefused(
                    path,
                    f"the sheets span {cells:,} cells in all; the limit is {MAX_CELLS:,} (delete "
                    "the empty rows and columns the plan does not need, save, and retry)",
                    sheet=name,
                )
            with reader_failures(path, sheet=name):
                rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
                merged = sheet.merged_cell_ranges or []
            grid = SheetGrid(name, rows)
            _lay_out_merges(path, grid, merged)
            sheets.append(grid)
    finally:
        workbook.close()
    if progress is not None:
        progress(len(names), len(names))
    if kind == "xls":
        return Book(path, sheets, fills_from=xls_fills)
    extents = {grid.name: (len(grid.rows), max(map(len, grid.rows), default=0)) for grid in sheets}
    return Book(path, sheets, fills_from=functools.partial(ods_fills_of, extents=extents))


def xls_fills(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Each sheet's cell fills by 0-based (row, col), read from the .xls's records."""
    from cspdesk.io.xls_records import scan

    with reader_failures(path):
        return {sheet.name: sheet.fills for sheet in scan(path, fills=True).sheets}


def ods_fills_of(
    path: Path, extents: dict[str, tuple[int, int]]
) -> dict[str, dict[tuple[int, int], str]]:
    """Each sheet's cell fills by 0-based (row, col), read from the .ods's cell styles."""
    from cspdesk.io.ods_fills import ods_fills

    with reader_failures(path):
        return ods_fills(path, extents)
