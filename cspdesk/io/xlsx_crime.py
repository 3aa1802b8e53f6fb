"""The "Police recorded crime" sheet of the plan export: the committee's crime lines for the
plan's current quarter (core.figures.police_lines), one per area and measure, with the numbers
behind each as numbers and the line as printed as text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cspdesk.core.figures.police_lines import CrimeSummary
from cspdesk.io.cells import row_points, wrapped_lines
from cspdesk.io.xlsx_figures import CRIME_SHEET, Formats, SheetWriter, digits, signed
from cspdesk.io.xlsx_page import print_setup

CRIME_COLUMNS = (
    ("Area", 30, True),
    ("Measure", 28, True),
    ("Period", 30, True),
    ("This year", 10, False),
    ("Same period last year", 11, False),
    ("Change", 10, False),
    ("Line as printed", 60, True),
)


def write_crime_sheet(workbook: Any, summary: CrimeSummary) -> Any:
    out = SheetWriter(workbook, CRIME_SHEET, Formats(workbook))
    out.headings(0, CRIME_COLUMNS)
    r = 1
    for area in summary.areas:
        for line in area.lines:
            out.text(r, 0, area.area)
            out.text(r, 1, line.name)
            out.text(r, 2, summary.period)
            out.number(r, 3, Decimal(line.value), digits(Decimal(line.value)))
            out.number(r, 4, Decimal(line.previous), digits(Decimal(line.previous)))
            change = Decimal(line.value - line.previous)
            out.number(r, 5, change, signed(digits(change)))
            out.text(r, 6, line.text)
            texts = (area.area, line.name, summary.period, line.text)
            widths = [width for _, width, wraps in CRIME_COLUMNS if wraps]
            lines = max(wrapped_lines(t, w) for t, w in zip(texts, widths, strict=True))
            out.sheet.set_row(r, row_points(lines))
            r += 1
    for note in (*summary.notes, f"Source: {summary.source}"):
        r += 1
        out.text(r, 0, note, {"text_wrap": False})
    out.sheet.freeze_panes(1, 2)
    print_setup(out.sheet, 0)
    return out.sheet
