"""The funding section of the accessible HTML report: warnings in words, allocation and spend
per priority, then the grants; over-spend said in words as well as colour; all text escaped."""

from __future__ import annotations

from html import escape

from cspdesk.core.funding.money import format_money
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.report.html.figures import STYLE, td, th_row


def funding_html(summary: FundingSummary, *, title: str = "Funding", style: bool = False) -> str:
    """A <section>: warnings in words, allocation and spend per priority, then the grants."""
    parts = ['<section class="figures" aria-labelledby="funding-heading">']
    if style:
        parts.append(STYLE)
    parts.append(f'<h2 id="funding-heading">{escape(title)}</h2>')
    for warning in summary.warnings:
        parts.append(f'<p class="warning" role="note">Warning: {escape(warning)}</p>')
    parts.append("<table><caption>Allocated, spent and remaining by priority</caption>")
    parts.append(th_row(("Priority", "Allocated", "Spent", "Remaining")))
    parts.append("<tbody>")
    for line in summary.lines:
        parts.append(
            f'<tr><th scope="row">{escape(line.title)}</th>'
            + td(line.allocated, "num")
            + td(line.spent, "num")
            + td(
                line.remaining + (" (overspent)" if line.overspent else ""),
                "num worse" if line.overspent else "num",
            )
            + "</tr>"
        )
    total = summary.total
    parts.append(
        f'</tbody><tfoot><tr><th scope="row">{escape(total.title)}</th>'
        + td(total.allocated, "num")
        + td(total.spent, "num")
        + td(total.remaining, "num")
        + "</tr></tfoot></table>"
    )
    if summary.grants:
        parts.append("<table><caption>Grants</caption>")
        parts.append(th_row(("Grant", "Amount", "Allocated", "Not yet allocated", "Conditions")))
        parts.append("<tbody>")
        for grant in summary.grants:
            over = " (over-allocated)" if grant.over_allocated else ""
            parts.append(
                f'<tr><th scope="row">{escape(grant.source)}</th>'
                + td(format_money(grant.amount_pence), "num")
                + td(format_money(grant.allocated_pence), "num")
                + td(format_money(grant.unallocated_pence) + over, "num worse" if over else "num")
                + td(grant.conditions)
                + "</tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "\n".join(parts)
