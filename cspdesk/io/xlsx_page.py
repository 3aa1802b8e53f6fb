"""How the export's sheets print: A4 landscape, one page wide, the header on every page."""

from __future__ import annotations

from typing import Any


def print_setup(sheet: Any, header_row: int) -> None:
    """Page setup of an XlsxWriter worksheet whose table header is ``header_row`` (0-based)."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&CPage &P of &N")
