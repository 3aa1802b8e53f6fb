"""The funding section of the Word appendix: warnings in words, allocated / spent / remaining
per priority with the total, then the grants (over-spend said in words and shading)."""

from __future__ import annotations

from typing import Any

from cspdesk.core.funding.money import format_money
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.report.docx.tables import add_row, new_table, shade, write_lines

WORSE = "#F6D0CC"


def funding_section(document: Any, summary: FundingSummary, width_cm: float = 26.7) -> None:
    document.add_heading("Funding", level=1)
    for warning in summary.warnings:
        document.add_paragraph().add_run(f"Warning: {warning}").bold = True
    widths = [width_cm * share for share in (0.55, 0.15, 0.15, 0.15)]
    table = new_table(document, ("Priority", "Allocated", "Spent", "Remaining"), widths)
    for line in (*summary.lines, summary.total):
        cells = add_row(table, widths)
        total = line is summary.total
        remaining = line.remaining + (" (overspent)" if line.overspent else "")
        for cell, value in zip(
            cells, (line.title, line.allocated, line.spent, remaining), strict=True
        ):
            write_lines(cell, [value], bold=total)
        if line.overspent:
            shade(cells[3], WORSE)
    if not summary.grants:
        return
    document.add_heading("Grants", level=2)
    headings = ("Grant", "Amount", "Allocated", "Not yet allocated", "Conditions")
    widths = [width_cm * share for share in (0.25, 0.1, 0.1, 0.12, 0.43)]
    grants = new_table(document, headings, widths)
    for grant in summary.grants:
        cells = add_row(grants, widths)
        over = " (over-allocated)" if grant.over_allocated else ""
        values = (
            grant.source,
            format_money(grant.amount_pence),
            format_money(grant.allocated_pence),
            format_money(grant.unallocated_pence) + over,
            grant.conditions,
        )
        for cell, value in zip(cells, values, strict=True):
            write_lines(cell, value.split("\n"))
        if grant.over_allocated:
            shade(cells[3], WORSE)
