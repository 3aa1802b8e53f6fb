"""The performance and funding sheets of the Excel export.

Text goes in through io.cells.set_text (never a formula); figures and money are numbers, with
number formats that print them as the report does (% change as the rounded percentage).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cspdesk.core.figures import Row
from cspdesk.core.funding import FundingSummary
from cspdesk.core.money import pounds
from cspdesk.io.cells import set_text

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
DIRECTION_FILL = {
    "better": PatternFill("solid", fgColor="CDEBD5"),
    "worse": PatternFill("solid", fgColor="F6D0CC"),
    "same": PatternFill("solid", fgColor="E8E8E8"),
}
WARNING_FONT = Font(bold=True, color="B03A2E")
MONEY = '"£"#,##0.00;-"£"#,##0.00'
PERFORMANCE_HEADINGS = (
    "Priority",
    "Indicator",
    "Action",
    "Unit",
    "Source",
    "Better when",
    "Period",
    "Figure",
    "Same period last year",
    "Change",
    "% change",
    "Better or worse",
    "Summary",
    "Baseline",
    "Target",
)
WIDTHS = (30, 34, 30, 10, 22, 10, 22, 10, 12, 12, 10, 12, 30, 20, 20)


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _format(places: int, suffix: str = "", signed: bool = False) -> str:
    body = "0" + ("." + "0" * places if places else "")
    if not signed:
        return body + suffix
    return f"+{body}{suffix};-{body}{suffix};{body}{suffix}"


def _number(cell: Any, number: Decimal | None, fmt: str) -> None:
    cell.value = number
    if number is not None:
        cell.number_format = fmt


def _header(sheet: Worksheet, row: int, headings: Sequence[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row, column)
        set_text(cell, heading)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_performance_sheet(
    workbook: Workbook, rows: Sequence[Row], *, title: str = "Performance"
) -> Worksheet:
    """A sheet with one line per indicator; figures, change and % change are numbers."""
    sheet = workbook.create_sheet(title[:31])
    _header(sheet, 1, PERFORMANCE_HEADINGS)
    sheet.freeze_panes = "C2"
    for r, row in enumerate(rows, start=2):
        unit_suffix = '"%"' if row.comparison.rate else ""
        texts = (row.priority, row.name, row.action, row.unit, row.source, row.better, row.period)
        for column, text in enumerate(texts, start=1):
            set_text(sheet.cell(r, column), text)
        c = row.comparison
        for column, number in ((8, c.value), (9, c.previous)):
            _number(
                sheet.cell(r, column), number, _format(_places(number or Decimal(0)), unit_suffix)
            )
        difference = c.difference
        if difference is not None:
            suffix = '" points"' if c.rate else ""
            _number(sheet.cell(r, 10), difference, _format(_places(difference), suffix, True))
        percent = c.percent
        if percent is not None:
            # The rounded percentage as a fraction: the cell shows what the report prints.
            _number(sheet.cell(r, 11), percent / 100, _format(row.decimals, "%", True))
        elif row.percent_change:
            set_text(sheet.cell(r, 11), row.percent_change)
        direction = sheet.cell(r, 12)
        set_text(direction, row.direction.capitalize())
        if row.direction in DIRECTION_FILL:
            direction.fill = DIRECTION_FILL[row.direction]
        for column, text in ((13, row.summary), (14, row.baseline), (15, row.target)):
            set_text(sheet.cell(r, column), text)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return sheet


def write_funding_sheet(
    workbook: Workbook, summary: FundingSummary, *, title: str = "Funding"
) -> Worksheet:
    """Allocated / spent / remaining per priority and in total, then the grants, then any
    warnings (in red, and in words)."""
    sheet = workbook.create_sheet(title[:31])
    _header(sheet, 1, ("Priority", "Allocated", "Spent", "Remaining"))
    r = 2
    for line in (*summary.lines, summary.total):
        set_text(sheet.cell(r, 1), line.title)
        for column, pence in (
            (2, line.allocated_pence),
            (3, line.spent_pence),
            (4, line.remaining_pence),
        ):
            _number(sheet.cell(r, column), pounds(pence), MONEY)
        if line is summary.total:
            for column in range(1, 5):
                sheet.cell(r, column).font = BOLD
        if line.overspent:
            sheet.cell(r, 4).fill = DIRECTION_FILL["worse"]
        r += 1
    r += 1
    _header(sheet, r, ("Grant", "Amount", "Allocated", "Not yet allocated", "Conditions"))
    for grant in summary.grants:
        r += 1
        set_text(sheet.cell(r, 1), grant.source)
        for column, pence in (
            (2, grant.amount_pence),
            (3, grant.allocated_pence),
            (4, grant.unallocated_pence),
        ):
            _number(sheet.cell(r, column), pounds(pence), MONEY)
        set_text(sheet.cell(r, 5), grant.conditions)
        sheet.cell(r, 5).alignment = Alignment(wrap_text=True, vertical="top")
        if grant.over_allocated:
            sheet.cell(r, 4).fill = DIRECTION_FILL["worse"]
    if summary.warnings:
        r += 2
        for warning in summary.warnings:
            cell = sheet.cell(r, 1)
            set_text(cell, f"Warning: {warning}")
            cell.font = WARNING_FONT
            r += 1
    for column, width in enumerate((40, 14, 14, 16, 60), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return sheet
