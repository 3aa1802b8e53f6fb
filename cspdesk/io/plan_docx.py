"""A plan kept as tables in a Word document (.docx), read into the grid the plan reader walks.

The document becomes one sheet, in reading order: each paragraph a one-cell row (a title, or
the heading of the priority whose table follows), each table's rows as they are, a blank row
after each table. A cell merged across columns or down rows is read once, at its top left, and
marked merged as a worksheet's would be; a cell's shading is its fill colour, so a RAG given only
as colour reads as it does in Excel. The file has passed ``gate.check_plan_file``.
"""

from __future__ import annotations

from pathlib import Path

from cspdesk.io.gate import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, ImportRefused
from cspdesk.io.xlsx_book import Book, SheetGrid

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _shading(tc: object) -> str | None:
    """The cell's solid shading as "RRGGBB", or None."""
    properties = getattr(tc, "tcPr", None)
    shd = None if properties is None else properties.find(f"{_W}shd")
    fill = None if shd is None else shd.get(f"{_W}fill")
    if not fill or fill.lower() == "auto" or len(fill) != 6:
        return None
    return fill.upper()


class _Grid:
    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.grid = SheetGrid(name, [])
        self.fills: dict[tuple[int, int], str] = {}
        self.cells = 0

    def add_row(self, values: list[object]) -> int:
        if len(self.grid.rows) >= MAX_ROWS:
            raise ImportRefused(self.path, f"more than {MAX_ROWS:,} rows of tables and text")
        if len(values) > MAX_COLUMNS:
            raise ImportRefused(self.path, f"a table {len(values):,} columns wide")
        self.cells += max(len(values), 1)
        if self.cells > MAX_CELLS:
            raise ImportRefused(self.path, f"more than {MAX_CELLS:,} cells in its tables")
        self.grid.rows.append(values)
        return len(self.grid.rows) - 1

    def add_table(self, table: object) -> None:
        above: dict[int, object] = {}  # column -> the tc element read there in the row above
        for row in table.rows:  # type: ignore[attr-defined]
            values: list[object] = []
            seen: list[object] = []
            r = len(self.grid.rows)
            for c, cell in enumerate(row.cells):
                tc = cell._tc
                if tc in seen or above.get(c) is tc:  # merged: read once, at its top left
                    values.append(None)
                    self.grid.merged_inside.add((r, c))
                    origin = (r, seen.index(tc)) if tc in seen else None
                    if origin is not None:
                        self.grid.merged_top_left.add(origin)
                    else:
                        self.grid.merged_top_left.add(self._top_of(c, tc))
                else:
                    values.append(cell.text.strip() or None)
                    colour = _shading(tc)
                    if colour is not None:
                        self.fills[(r, c)] = colour
                seen.append(tc)
                above[c] = tc
            self.add_row(values)
        self.add_row([])

    def _top_of(self, c: int, tc: object) -> tuple[int, int]:
        r = len(self.grid.rows) - 1
        while r > 0 and (r, c) in self.grid.merged_inside:
            r -= 1
        return r, c


def load_docx_book(path: Path) -> Book:
    """The plan tables (and the text around them) of a gated Word document."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        grid = _Grid(path, path.stem[:31] or "Document")
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                grid.add_table(block)
            elif block.text.strip():
                grid.add_row([block.text.strip()])
    except ImportRefused:
        raise
    except Exception as error:  # python-docx and lxml raise many types on damaged files
        raise ImportRefused(
            path,
            "the Word document is damaged or was written in a way cspdesk "
            "cannot read; open it in Word, save it again and retry",
        ) from error
    if not any(isinstance(b, Table) for b in document.iter_inner_content()):
        raise ImportRefused(path, "this Word document holds no table; a plan is read from its "
                            "tables (one per priority, or one for the whole plan)")  # fmt: skip
    return Book(path, [grid.grid], _fills={grid.grid.name: grid.fills})
