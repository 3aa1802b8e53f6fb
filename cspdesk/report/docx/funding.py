"""The funding section of the Word appendix: warnings in words, allocated / spent / remaining
per priority with the total, then the grants (over-spend said in words and shading)."""

from __future__ import annotations

from cspdesk.core.funding.money import format_money
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.report.docx.tables import Cell, heading, paragraph, table

WORSE = "#F6D0CC"


def funding_section(summary: FundingSummary, width_cm: float = 26.7) -> list[str]:
    """The section as WordprocessingML fragments (core.funding's summary, as the PDF's)."""
    part = [heading("Funding", 1, new_page=True)]
    part += [paragraph(f"Warning: {warning}", bold=True) for warning in summary.warnings]
    rows = []
    for line in (*summary.lines, summary.total):
        total = line is summary.total
        remaining = line.remaining + (" (overspent)" if line.overspent else "")
        rows.append(
            [
                Cell([line.title], bold=total),
                Cell([line.allocated], bold=total),
                Cell([line.spent], bold=total),
                Cell([remaining], bold=total, fill=WORSE if line.overspent else ""),
            ]
        )
    widths = [width_cm * share for share in (0.55, 0.15, 0.15, 0.15)]
    part.append(table(("Priority", "Allocated", "Spent", "Remaining"), widths, rows))
    if not summary.grants:
        return part
    grants = []
    for grant in summary.grants:
        over = " (over-allocated)" if grant.over_allocated else ""
        grants.append(
            [
                Cell(grant.source.split("\n")),
                Cell([format_money(grant.amount_pence)]),
                Cell([format_money(grant.allocated_pence)]),
                Cell(
                    [format_money(grant.unallocated_pence) + over],
                    fill=WORSE if grant.over_allocated else "",
                ),
                Cell(grant.conditions.split("\n")),
            ]
        )
    headings = ("Grant", "Amount", "Allocated", "Not yet allocated", "Conditions")
    widths = [width_cm * share for share in (0.25, 0.1, 0.1, 0.12, 0.43)]
    return [*part, heading("Grants", 2), table(headings, widths, grants)]
