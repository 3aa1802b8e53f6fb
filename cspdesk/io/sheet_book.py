"""Legacy Excel (.xls) and OpenDocument (.ods) plans read as plain grids by python-calamine.

The file has passed ``gate.check_plan_file``. Each sheet's extent is checked against the gate's
limits before its values are laid out; a damaged file, or one calamine cannot read (it may
raise its own error types, or a Rust panic), is refused with our one line. Fill colours are not
read from these formats: a RAG given only as colour is reported as missing by the reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from cspdesk.io.gate import MAX_CELLS, MAX_ROWS, MAX_SHEETS, ImportRefused, refusal
from cspdesk.io.xlsx_book import Book, Progress, SheetGrid, _lay_out_merges


def _reraise_fatal(error: BaseException) -> None:
    if isinstance(error, KeyboardInterrupt | SystemExit):
        raise error


def load_sheet_book(path: Path, progress: Progress | None = None) -> Book:
    """Every worksheet of a gated .xls or .ods file; ImportRefused when it cannot be read."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = [m.name for m in workbook.sheets_metadata if "WorkSheet" in str(m.typ)]
    except BaseException as error:  # calamine's own errors, or a panic (a BaseException)
        _reraise_fatal(error)
        raise refusal(path, error) from error
    if len(names) > MAX_SHEETS:
        raise ImportRefused(path, f"the file has {len(names)} sheets; the limit is {MAX_SHEETS}")
    sheets: list[SheetGrid] = []
    cells = 0
    try:
        for done, name in enumerate(names):
            if progress is not None:
                progress(done, len(names))
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
            rows = cast("list[list[object]]", sheet.to_python(skip_empty_area=False))
            grid = SheetGrid(name, rows)
            _lay_out_merges(path, grid, sheet.merged_cell_ranges or [])
            sheets.append(grid)
    except ImportRefused:
        raise
    except BaseException as error:
        _reraise_fatal(error)
        raise refusal(path, error) from error
    finally:
        workbook.close()
    if progress is not None:
        progress(len(names), len(names))
    return Book(path, sheets, _fills={})  # colours are not read from these formats
