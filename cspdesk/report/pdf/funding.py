"""The funding section of the committee PDF, as reportlab flowables: allocated, spent and
remaining per priority, the grants, and warnings in colour and words (user text escaped)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from cspdesk.core.funding.money import format_money
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.report.pdf.figures import DIRECTION_FILL, GRID, p, styles_for, table

FUNDING_HEADINGS = ("Priority", "Allocated", "Spent", "Remaining")
GRANT_HEADINGS = ("Grant", "Amount", "Allocated", "Not yet allocated", "Conditions")


def funding_flowables(
    summary: FundingSummary,
    *,
    title: str = "Funding",
    styles: StyleSheet1 | None = None,
    width: float = 257 * mm,
) -> list[Flowable]:
    """Allocated, spent and remaining per priority with a total; the grants and their
    conditions; over-allocation and overspend warnings in colour and words."""
    s = styles_for(styles)
    story: list[Flowable] = [p(title, s["h2"])]
    for warning in summary.warnings:
        story.append(Paragraph(f"<b>Warning:</b> {escape(warning)}", s["warn"]))
    data: list[list[Flowable]] = [[p(h, s["head"]) for h in FUNDING_HEADINGS]]
    extra: list[tuple] = []
    for index, line in enumerate((*summary.lines, summary.total), start=1):
        bold = s["head"] if line is summary.total else s["cell"]
        data.append(
            [
                p(line.title, bold),
                p(line.allocated, s["num"]),
                p(line.spent, s["num"]),
                p(line.remaining, s["num"]),
            ]
        )
        if line.overspent:
            extra.append(("BACKGROUND", (3, index), (3, index), DIRECTION_FILL["worse"]))
    extra.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, GRID))
    widths = [width * share for share in (0.55, 0.15, 0.15, 0.15)]
    story += [table(data, widths, extra), Spacer(1, 4 * mm)]
    if summary.grants:
        grant_rows: list[list[Flowable]] = [[p(h, s["head"]) for h in GRANT_HEADINGS]]
        grant_extra: list[tuple] = []
        for index, grant in enumerate(summary.grants, start=1):
            grant_rows.append(
                [
                    p(grant.source, s["cell"]),
                    p(format_money(grant.amount_pence), s["num"]),
                    p(format_money(grant.allocated_pence), s["num"]),
                    p(format_money(grant.unallocated_pence), s["num"]),
                    p(grant.conditions, s["cell"]),
                ]
            )
            if grant.over_allocated:
                grant_extra.append(("BACKGROUND", (2, index), (3, index), DIRECTION_FILL["worse"]))
        widths = [width * share for share in (0.25, 0.1, 0.1, 0.12, 0.43)]
        story.append(table(grant_rows, widths, grant_extra))
    return story
