"""A gated workbook's cells as plain grids: values, merged ranges, formula cells, fill colours.

The file passes ``gate.open_workbook`` first. Values and merged ranges are then read with
python-calamine (about 20 times faster than openpyxl here, and it never evaluates anything: a
formula cell gives its cached value). Fill colours are read with openpyxl only when asked for,
since only a sheet whose RAG is given as colour needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cspdesk.io.gate import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    ImportRefused,
    check_merges,
    open_workbook,
)
from cspdesk.io.xlsx_fast import reader_failures
from cspdesk.io.xlsx_links import readable

Progress = Callable[[int, int], None]
EXPORT_MARK = "cspdesk"  # custom document property set on every cspdesk export
TOKEN_PROPERTY = "cspdesk_return_token"  # custom document property of a partner return
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<f[ >/]')

# Excel's default Office theme (theme colour index -> RGB); tints are ignored.
_THEME = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000",
          "5B9BD5", "70AD47"]  # fmt: skip


def column_letter(index: int) -> str:
    """0-based column index -> "A", "B", ... "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetGrid:
    name: str
    rows: list[list[object]]
    merged_top_left: set[tuple[int, int]] = field(default_factory=set)  # 0-based (row, col)
    merged_inside: set[tuple[int, int]] = field(default_factory=set)  # covered, not top-left
    formulas: list[str] = field(default_factory=list)  # cell references like "D7"


@dataclass
class Book:
    path: Path
    sheets: list[SheetGrid]
    # A cspdesk export types every RAG as text, so its fills need not be read.
    made_by_cspdesk: bool = False
    _fills: dict[str, dict[tuple[int, int], str]] | None = None
    # How another format (.xls, .ods) reads its fills; an .xlsx's are read with openpyxl.
    fills_from: Callable[[Path], dict[str, dict[tuple[int, int], str]]] | None = None

    def fills(self, sheet: str) -> dict[tuple[int, int], str]:
        """Solid fill colours ("RRGGBB") of one sheet's cells by 0-based (row, col); every
        sheet's are read in one pass, the first time any is asked for."""
        if self._fills is None and self.fills_from is not None:
            self._fills = self.fills_from(self.path)
        elif self._fills is None:
            plain = readable(self.path)  # made again, and removed at once, when fills are asked
            try:
                self._fills = _read_fills(plain.path)
            finally:
                plain.close()
        return self._fills.get(sheet, {})


def _colour_hex(colour: object) -> str | None:
    kind = getattr(colour, "type", None)
    value = getattr(colour, "value", None)
    if kind == "rgb" and isinstance(value, str) and len(value) >= 6:
        return None if value in ("00000000",) else value[-6:].upper()
    if kind == "indexed" and isinstance(value, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= value < len(COLOR_INDEX) and value not in (64, 65):
            return COLOR_INDEX[value][-6:].upper()
    if kind == "theme" and isinstance(value, int) and 0 <= value < len(_THEME):
        return _THEME[value]
    return None


def _read_fills(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    workbook = open_workbook(path, read_only=True)
    try:
        found: dict[str, dict[tuple[int, int], str]] = {}
        for worksheet in workbook.worksheets:
            fills = found.setdefault(worksheet.title, {})
            with reader_failures(path, sheet=worksheet.title):
                for r, row in enumerate(worksheet.iter_rows()):
                    for c, cell in enumerate(row):
                        fill = _fill(path, worksheet.title, cell, r, c)
                        if fill is None or fill.fill_type not in ("solid", "gray125", "darkGray"):
                            continue
                        colour = _colour_hex(fill.fgColor) or _colour_hex(fill.bgColor)
                        if colour is not None:
                            fills[(r, c)] = colour
        return found
    finally:
        workbook.close()


def _fill(path: Path, sheet: str, cell: object, row: int, column: int) -> Any:
    """A cell's fill; refused, naming the cell, when its style points past the workbook's."""
    try:
        return getattr(cell, "fill", None)
    except (IndexError, KeyError) as error:
        raise ImportRefused(
            path,
            "the cell's style is missing from the workbook; open the file in Excel, save it "
            "again and retry",
            sheet=sheet,
            row=row + 1,
            column=column_letter(column),
        ) from error


def _formula_cells(workbook: object, sheet: str) -> list[str]:
    worksheet = workbook[sheet]  # type: ignore[index]
    archive = getattr(getattr(worksheet, "parent", None), "_archive", None)
    member = getattr(worksheet, "_worksheet_path", None)
    if archive is None or member is None:
        return []
    try:
        data = archive.read(member)
    except (KeyError, OSError):
        return []
    return [m.decode("ascii") for m in _FORMULA_CELL.findall(data)]


def _lay_out_merges(
    path: Path, grid: SheetGrid, merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Mark each merge's top-left and covered cells, after bounding and checking them all."""
    last_row = len(grid.rows)
    last_col = max((len(row) for row in grid.rows), default=0)
    ranges = [  # a sheet-wide merge stays bounded by the data
        (r0, c0, max(r0, min(r1, last_row)), max(c0, min(c1, last_col)))
        for (r0, c0), (r1, c1) in merged
    ]
    covered = check_merges(path, grid.name, ranges)
    starts = {r0 * MAX_COLUMNS + c0 for r0, c0, _, _ in ranges}
    grid.merged_top_left = {divmod(key, MAX_COLUMNS) for key in starts}
    grid.merged_inside = {divmod(key, MAX_COLUMNS) for key in covered - starts}


def load_book(path: Path | str, progress: Progress | None = None) -> Book:
    """Gate ``path`` and read every sheet's values; ImportRefused when it cannot be read."""
    path = Path(path)
    plain = readable(path)  # links spelt unusually, Strict Open XML: a plain copy to read
    try:
        return _load(path, plain.path, progress)
    finally:
        plain.close()  # a copy of council or partner data is not left in the temporary folder


def _load(path: Path, read_path: Path, progress: Progress | None) -> Book:
    workbook = open_workbook(read_path, read_only=True)
    try:
        names = list(workbook.sheetnames)
        formulas = {name: _formula_cells(workbook, name) for name in names}
        made_by_cspdesk = any(p.name == EXPORT_MARK for p in workbook.custom_doc_props)
    finally:
        workbook.close()
    # calamine lays out the whole used range in memory: a two-cell sheet reaching XFD1048576
    # would abort the process, so bound every sheet from its XML before calamine reads it.
    from cspdesk.io.xlsx_fast import check_extent, open_fast

    cells = sum(check_extent(read_path, part) for part in open_fast(read_path).sheets)
    if cells > MAX_CELLS:
        raise ImportRefused(
            path,
            f"the sheets span {cells:,} cells in all; the limit is {MAX_CELLS:,} (delete the "
            "sheets and the empty rows and columns the plan does not need, save, and retry)",
        )
    from python_calamine import CalamineWorkbook

    with reader_failures(path):
        calamine = CalamineWorkbook.from_path(str(read_path))
    sheets: list[SheetGrid] = []
    for done, name in enumerate(names):
        if progress is not None:
            progress(done, len(names))
        with reader_failures(path, sheet=name):
            sheet = calamine.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        if len(rows) > MAX_ROWS:
            raise ImportRefused(path, f"{len(rows)} rows; the limit is {MAX_ROWS}", sheet=name)
        grid = SheetGrid(name, rows, formulas=formulas.get(name, []))
        _lay_out_merges(path, grid, merged)
        sheets.append(grid)
    if progress is not None:
        progress(len(names), len(names))
    return Book(path, sheets, made_by_cspdesk)
