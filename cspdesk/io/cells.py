"""Writing user text into worksheet cells safely: always as text, never as a formula."""

from __future__ import annotations

import re
from typing import Any

EXCEL_CELL_LIMIT = 32_767
# Characters XML 1.0 cannot carry; openpyxl raises IllegalCharacterError on them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text Excel (or a spreadsheet that re-parses a cell on edit) could take for a formula or DDE.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CellTooLong(ValueError):
    """Text longer than Excel's cell limit: never cut silently."""


def clean_text(text: str) -> str:
    """Replace control characters XML cannot hold with a visible marker (U+FFFD)."""
    return _ILLEGAL.sub("\ufffd", text)


def checked_text(value: object) -> str:
    """``value`` as cell text XML can hold; CellTooLong rather than cutting it."""
    if type(value) is str and value.isprintable() and len(value) <= EXCEL_CELL_LIMIT:
        return value  # the common case, without the regular expression
    text = clean_text(str(value))
    if len(text) > EXCEL_CELL_LIMIT:
        raise CellTooLong(f"{len(text)} characters; Excel holds at most {EXCEL_CELL_LIMIT}")
    return text


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def set_text(cell: Any, value: object) -> None:
    """Put ``value`` in ``cell`` as a text cell (a leading '=' stays text, not a formula).

    Text that starts like a formula also gets Excel's quote prefix, so editing the cell in
    Excel later keeps it text. Raises CellTooLong rather than cutting text.
    """
    if value is None:
        cell.value = None
        return
    text = checked_text(value)
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


# Row heights. Neither Excel nor LibreOffice grows a row a program wrote, so a wrapped cell is
# cut unless the writer sets its height. Measured with Carlito (Calibri's metrics) at 11 pt:
# English text runs 1.10 to 1.25 characters per unit of column width (the width of a "0"), bold
# a little less; the lower figures keep a line in hand.
CHARS_PER_WIDTH = 1.1
BOLD_CHARS_PER_WIDTH = 1.05
FONT_POINTS = 11.0  # the workbooks' default font size (Calibri 11 in Excel)
LINE_POINTS = 15.0  # one line of 11 pt text, as Excel sizes it
MAX_ROW_POINTS = 409.0  # Excel's tallest row


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` characters wide (Excel's unit), wrapping
    at spaces as spreadsheets do; a word longer than a line is broken."""
    per_line = max(int(width * (BOLD_CHARS_PER_WIDTH if bold else CHARS_PER_WIDTH)), 1)
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= per_line:
            lines += 1
            continue
        count, used = 1, 0
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used:
                count += 1
            breaks = (size - 1) // per_line if size else 0
            count += breaks
            used = size - breaks * per_line
        lines += count
    return max(lines, 1)


def row_points(lines: int, line_points: float = LINE_POINTS) -> float:
    """The height in points of a row showing ``lines`` lines, within Excel's limit."""
    return min(MAX_ROW_POINTS, line_points * max(lines, 1))
