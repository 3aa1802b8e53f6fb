"""The performance and funding sections of the accessible HTML report, as fragments.

Tables have a caption and header cells with scope; direction and warnings are said in words
as well as shown in colour (classes the report's style sheet colours). All text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import groupby

from cspdesk.core.figures.performance import PERFORMANCE_COLUMNS, Row
from cspdesk.core.funding.money import format_money
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.report.html.accessible import labelled_svg

PERFORMANCE_HEADINGS = ("Indicator", *PERFORMANCE_COLUMNS)

STYLE = """<style>
.figures td.num { text-align: right; font-variant-numeric: tabular-nums; }
.figures .better { background: #CDEBD5; } .figures .worse { background: #F6D0CC; }
.figures .same { background: #E8E8E8; } .figures .warning { color: #B03A2E; font-weight: bold; }
.figures .charts { display: flex; flex-wrap: wrap; gap: 1em; }
</style>"""


def _th_row(headings: Sequence[str]) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    return f"<thead><tr>{cells}</tr></thead>"


def _td(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(text)}</td>"


def performance_html(
    rows: Sequence[Row], *, title: str = "Performance", charts: bool = True, style: bool = True
) -> str:
    """A <section>: a table per priority and, optionally, a small SVG chart per indicator."""
    parts = ['<section class="figures" aria-labelledby="performance-heading">']
    if style:
        parts.append(STYLE)
    parts.append(f'<h2 id="performance-heading">{escape(title)}</h2>')
    if not rows:
        parts.append("<p>No performance indicators have been entered.</p></section>")
        return "\n".join(parts)
    headlines = [f"<li>{escape(row.headline)}</li>" for row in rows if row.headline]
    if headlines:
        parts.append("<ul>" + "".join(headlines) + "</ul>")
    for (_, priority), group in groupby(rows, key=lambda r: (r.priority_id, r.priority)):
        parts.append(f"<table><caption>{escape(priority)}</caption>")
        parts.append(_th_row(PERFORMANCE_HEADINGS))
        parts.append("<tbody>")
        for row in group:
            name = escape(row.name)
            if row.action:
                name += f" <span>({escape(row.action)})</span>"
            if row.source:
                name += f"<br><small>Source: {escape(row.source)}</small>"
            words = (
                row.summary if not row.direction else f"{row.direction.capitalize()}: {row.summary}"
            )
            parts.append(
                f'<tr><th scope="row">{name}</th>'
                + _td(row.period)
                + _td(row.value, "num")
                + _td(row.previous, "num")
                + _td(row.change, "num")
                + _td(row.percent_change, "num")
                + _td(words, row.direction)
                + "</tr>"
            )
        parts.append("</tbody></table>")
    if charts:
        from cspdesk.report.charts.figures import chart_svg, has_chart

        figures = [
            f'<div class="figure">{labelled_svg(chart_svg(row), _chart_words(row))}'
            f'<p class="caption">{escape(row.name)}</p></div>'
            for row in rows
            if has_chart(row)
        ]
        if figures:
            parts.append('<div class="charts">' + "".join(figures) + "</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _chart_words(row: Row) -> str:
    """What the chart shows, for a screen reader."""
    points = "; ".join(
        f"{p.label}: {p.value if p.value is not None else 'no figure'}"
        + (f" (last year {p.previous})" if p.previous is not None else "")
        for p in row.history
    )
    return f"{row.name}, this year against the same period last year. {points}"


def funding_html(summary: FundingSummary, *, title: str = "Funding", style: bool = False) -> str:
    """A <section>: warnings in words, allocation and spend per priority, then the grants."""
    parts = ['<section class="figures" aria-labelledby="funding-heading">']
    if style:
        parts.append(STYLE)
    parts.append(f'<h2 id="funding-heading">{escape(title)}</h2>')
    for warning in summary.warnings:
        parts.append(f'<p class="warning" role="note">Warning: {escape(warning)}</p>')
    parts.append("<table><caption>Allocated, spent and remaining by priority</caption>")
    parts.append(_th_row(("Priority", "Allocated", "Spent", "Remaining")))
    parts.append("<tbody>")
    for line in summary.lines:
        parts.append(
            f'<tr><th scope="row">{escape(line.title)}</th>'
            + _td(line.allocated, "num")
            + _td(line.spent, "num")
            + _td(
                line.remaining + (" (overspent)" if line.overspent else ""),
                "num worse" if line.overspent else "num",
            )
            + "</tr>"
        )
    total = summary.total
    parts.append(
        f'</tbody><tfoot><tr><th scope="row">{escape(total.title)}</th>'
        + _td(total.allocated, "num")
        + _td(total.spent, "num")
        + _td(total.remaining, "num")
        + "</tr></tfoot></table>"
    )
    if summary.grants:
        parts.append("<table><caption>Grants</caption>")
        parts.append(_th_row(("Grant", "Amount", "Allocated", "Not yet allocated", "Conditions")))
        parts.append("<tbody>")
        for grant in summary.grants:
            over = " (over-allocated)" if grant.over_allocated else ""
            parts.append(
                f'<tr><th scope="row">{escape(grant.source)}</th>'
                + _td(format_money(grant.amount_pence), "num")
                + _td(format_money(grant.allocated_pence), "num")
                + _td(format_money(grant.unallocated_pence) + over, "num worse" if over else "num")
                + _td(grant.conditions)
                + "</tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "\n".join(parts)
