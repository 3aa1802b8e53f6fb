"""The "Funding" sheet of the plan export: warnings, allocated / spent to date / remaining per
priority with the total, then the grants; money as numbers printed as the report does
(£12,527, £1,250.50)."""

from __future__ import annotations

from typing import Any

from cspdesk.core.funding.money import pounds
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.io.cells import row_points, wrapped_lines
from cspdesk.io.xlsx_figures import (
    CELL,
    CRIME_SHEET,
    DIRECTION_COLOURS,
    PERFORMANCE_SHEET,
    Formats,
    SheetWriter,
)
from cspdesk.io.xlsx_page import print_setup

FUNDING_SHEET = "Funding"
FIGURE_SHEETS = (PERFORMANCE_SHEET, FUNDING_SHEET, CRIME_SHEET)
TOTAL = {**CELL, "bold": True, "top": 2}
WARNING = {"bold": True, "font_size": 11, "font_color": "#B03A2E"}
BAD = {"bg_color": DIRECTION_COLOURS["worse"]}
FUNDING_COLUMNS = (
    ("Priority", 44),
    ("Allocated", 13),
    ("Spent to date", 13),
    ("Remaining", 13),
)
GRANT_COLUMNS = (
    ("Grant", 44),
    ("Amount", 13),
    ("Allocated", 13),
    ("Not yet allocated", 13),
    ("Spent to date", 13),
    ("Conditions", 60),
)


def money_format(pence: int) -> str:
    """£12,527 for whole pounds, £1,250.50 otherwise (as core.funding.money.format_money prints)."""
    body = '"£"#,##0' + (".00" if pence % 100 else "")
    return f"{body};-{body}"


def money(out: SheetWriter, row: int, col: int, pence: int, look: dict[str, Any] = CELL) -> None:
    out.number(row, col, pounds(pence), money_format(pence), look)


def write_funding_sheet(
    workbook: Any, summary: FundingSummary, *, title: str = FUNDING_SHEET
) -> Any:
    """Any warnings first (in red, in words), then allocated / spent to date / remaining per
    priority with the total, then the grants with what is not yet allocated."""
    out = SheetWriter(workbook, title[:31], Formats(workbook))
    r = 0
    for warning in summary.warnings:
        out.text(r, 0, f"Warning: {warning}", WARNING)
        r += 1
    if summary.warnings:
        r += 1
    header_row = r
    out.headings(r, FUNDING_COLUMNS)
    for line in (*summary.lines, summary.total):
        r += 1
        look = TOTAL if line is summary.total else CELL
        out.text(r, 0, line.title, look)
        money(out, r, 1, line.allocated_pence, look)
        money(out, r, 2, line.spent_pence, look)
        money(out, r, 3, line.remaining_pence, {**look, **BAD} if line.overspent else look)
    r += 2
    out.headings(r, GRANT_COLUMNS)
    for grant in summary.grants:
        r += 1
        bad = {**CELL, **BAD} if grant.over_allocated else CELL
        out.text(r, 0, grant.source)
        money(out, r, 1, grant.amount_pence)
        money(out, r, 2, grant.allocated_pence, bad)
        money(out, r, 3, grant.unallocated_pence, bad)
        money(out, r, 4, grant.spent_pence)
        out.text(r, 5, grant.conditions)
        lines = max(wrapped_lines(grant.source, 44), wrapped_lines(grant.conditions, 60))
        out.sheet.set_row(r, row_points(lines))
    print_setup(out.sheet, header_row)
    return out.sheet
