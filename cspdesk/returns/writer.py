"""XlsxWriter's workbook and worksheet with their innermost loops written in one step for what
a return holds: the same XML, byte for byte (tests/returns/test_returns_writer.py compares
each part with XlsxWriter's own), in about half the time (0.64 -> 0.30 s CPU for the sheets
and shared strings of the 40 returns in benchmarks/bench_returns.py). XlsxWriter escapes and
lists each attribute of each cell and row, and escapes each shared string on its own; anything
a return does not hold is still written by XlsxWriter itself.

XlsxWriter is imported when a return is first made, not when the program starts.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHORT_TEXT = 16_000  # characters no UTF-16 count can take beyond Excel's limit (XlsxWriter cuts)
ROWS_A_SPAN = 16  # XlsxWriter gives each block of 16 rows the columns its cells span
# The shared strings are searched joined by a line break (no pattern below matches across one)
# and escaped joined by NUL: text holding a control character takes XlsxWriter's own way, so
# none of the texts escaped together holds a NUL.
_JOIN = "\n"
_SPLIT = "\x00"

CellEntry = tuple[int, "str | int | None", "Format"]  # column, value (None: empty), format


@functools.cache
def return_sheet_class() -> type[Worksheet]:
    """XlsxWriter's worksheet storing a row's cells in one call (``put_cells``) and writing
    the ``<row>`` elements and the ``<c>`` elements of text, number and empty cells with a
    format itself (a return's cells all have one); other cells and rows are XlsxWriter's."""
    from xlsxwriter.utility import xl_col_to_name
    from xlsxwriter.worksheet import (
        CellBlankTuple,
        CellNumberTuple,
        CellStringTuple,
        RowInfo,
        Worksheet,
    )

    class ReturnSheet(Worksheet):
        def put_cells(self, row: int, cells: list[CellEntry]) -> None:
            """One row's cells stored as write_string, write_number and write_blank store
            them, the row's bounds checked once."""
            if (
                self.constant_memory
                or self._check_dimensions(row, min(cells)[0])  # columns differ: compared alone
                or self._check_dimensions(row, max(cells)[0])
            ):
                for col, value, style in cells:
                    if value is None:
                        self.write_blank(row, col, None, style)
                    elif type(value) is str:
                        self.write_string(row, col, value, style)
                    else:
                        self.write_number(row, col, value, style)
                return
            line = self.table[row]
            index = self.str_table._get_shared_string_index
            for col, value, style in cells:
                if value is None:
                    line[col] = CellBlankTuple(style)
                elif type(value) is not str:
                    line[col] = CellNumberTuple(value, style)
                elif len(value) > SHORT_TEXT:
                    self.write_string(row, col, value, style)
                else:
                    line[col] = CellStringTuple(index(value), style)

        def _write_rows(self) -> None:
            if self.constant_memory or self.comments:
                super()._write_rows()
                return
            table, row_info, write = self.table, self.row_info, self.fh.write
            spans = self.row_spans = _spans(table)
            letters: dict[int, str] = {}
            indices: dict[int, int] = {}  # format's id -> its xf index
            written_here = (CellStringTuple, CellNumberTuple, CellBlankTuple)
            for row in range(self.dim_rowmin, self.dim_rowmax + 1):
                cells, info = table.get(row), row_info.get(row)
                if not cells:
                    if info is not None:
                        self._write_empty_row(row, spans.get(row // ROWS_A_SPAN), info)
                    continue
                self._row_start(row, spans.get(row // ROWS_A_SPAN), info)
                number = str(row + 1)
                for col in sorted(cells):
                    cell = cells[col]
                    kind, style = type(cell), cell.format
                    if style is None or kind not in written_here:
                        self._write_cell(row, col, cell)
                        continue
                    letter = letters.get(col)
                    if letter is None:
                        letter = letters[col] = xl_col_to_name(col)
                    xf = indices.get(id(style))
                    if xf is None:
                        xf = indices[id(style)] = style._get_xf_index()
                    if kind is CellStringTuple:
                        write(f'<c r="{letter}{number}" s="{xf}" t="s"><v>{cell.string}</v></c>')
                    elif kind is CellNumberTuple:
                        write(f'<c r="{letter}{number}" s="{xf}"><v>{cell.number:.16G}</v></c>')
                    else:
                        write(f'<c r="{letter}{number}" s="{xf}"/>')
                write("</row>")

        def _row_start(self, row: int, span: str | None, info: RowInfo | None) -> None:
            """The ``<row>`` tag of a row with cells: XlsxWriter's, for a row with a format,
            hidden or in an outline."""
            if self.excel_version == 2010 or (
                info is not None
                and (info.row_format or info.hidden or info.level or info.collapsed)
            ):
                self._write_row(row, span, info)
                return
            height = self.default_row_height if info is None else info.height
            if height is None:
                height = self.default_row_height
            tag = f'<row r="{row + 1}" spans="{span}"'  # its cells give it a span
            if height != self.original_row_height or height != self.default_row_height:
                tag += f' ht="{height * 0.75:.16g}" customHeight="1"'
            self.fh.write(tag + ">")

    return ReturnSheet


def _spans(table: dict[int, dict[int, Any]]) -> dict[int, str]:
    """The ``spans`` of each block of 16 rows holding cells, as XlsxWriter gives them: the
    first and last column (1-based) any of its rows has a cell in."""
    bounds: dict[int, tuple[int, int]] = {}
    for row, cells in table.items():
        if cells:
            block = row // ROWS_A_SPAN
            low, high = min(cells), max(cells)
            if block in bounds:
                low, high = min(low, bounds[block][0]), max(high, bounds[block][1])
            bounds[block] = low, high
    return {block: f"{low + 1}:{high + 1}" for block, (low, high) in bounds.items()}


@functools.cache
def return_workbook_class() -> type[Workbook]:
    """XlsxWriter's workbook writing its shared strings (sharedStrings.xml) with one pass of
    escaping over them all, each as text (io/xlsx_text.py), and freed by reference counting
    once closed and dropped."""
    from xlsxwriter.utility import _preserve_whitespace
    from xlsxwriter.xmlwriter import re_control_chars_1, re_control_chars_2

    from cspdesk.io.xlsx_text import text_strings_class, workbook_class_writing

    class ReturnStrings(text_strings_class()):  # type: ignore[misc]
        def _write_sst_strings(self) -> None:
            strings = self.string_table.string_array
            joined = _JOIN.join(strings)
            if re_control_chars_1.search(joined) or re_control_chars_2.search(joined):
                super()._write_sst_strings()  # text XlsxWriter writes with escapes
                return
            escaped = (
                _SPLIT.join(strings)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .split(_SPLIT)
            )
            self.fh.write(
                "".join(
                    f'<si><t xml:space="preserve">{text}</t></si>'
                    if _preserve_whitespace(string)
                    else f"<si><t>{text}</t></si>"
                    for string, text in zip(strings, escaped, strict=True)
                )
            )

    class ReturnWorkbook(workbook_class_writing(ReturnStrings)):  # type: ignore[misc]
        def close(self) -> None:
            try:
                super().close()
            finally:
                # Each sheet holds the workbook's add_format: the one cycle left, so without
                # it the workbook and its cells are freed once dropped, with no collection.
                for sheet in self.worksheets_objs:
                    sheet.workbook_add_format = None

    return ReturnWorkbook
