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


def set_text(cell: Any, value: object) -> None:
    """Put ``value`` in ``cell`` as a text cell (a leading '=' stays text, not a formula).

    Text that starts like a formula also gets Excel's quote prefix, so editing the cell in
    Excel later keeps it text. Raises CellTooLong rather than cutting text.
    """
    if value is None:
        cell.value = None
        return
    text = clean_text(str(value))
    if len(text) > EXCEL_CELL_LIMIT:
        raise CellTooLong(f"{len(text)} characters; Excel holds at most {EXCEL_CELL_LIMIT}")
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
