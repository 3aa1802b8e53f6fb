"""The performance section of the accessible HTML report, as fragments (and the styles the
funding section shares).

Tables have a caption and header cells with scope; direction and warnings are said in words
as well as shown in colour (classes the report's style sheet colours). All text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import groupby

from cspdesk.core.figures.performance import PERFORMANCE_COLUMNS, Row
from cspdesk.report.html.accessible import labelled_svg

PERFORMANCE_HEADINGS = ("Indicator", *PERFORMANCE_COLUMNS)

STYLE = """<style>
.figures td.num { text-align: right; font-variant-numeric: tabular-nums; }
.figures .better { background: #CDEBD5; } .figures .worse { background: #F6D0CC; }
.figures .same { background: #E8E8E8; } .figures .warning { color: #B03A2E; font-weight: bold; }
.figures .charts { display: flex; flex-wrap: wrap; gap: 1em; }
</style>"""


def th_row(headings: Sequence[str]) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    return f"<thead><tr>{cells}</tr></thead>"


def td(text: str, cls: str = "") -> str:
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
        parts.append(th_row(PERFORMANCE_HEADINGS))
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
                + td(row.period)
                + td(row.value, "num")
                + td(row.previous, "num")
                + td(row.change, "num")
                + td(row.percent_change, "num")
                + td(words, row.direction)
                + "</tr>"
            )
        parts.append("</tbody></table>")
    if charts:
        from cspdesk.report.charts.figures import chart_svg, chart_words, has_chart

        figures = [
            f'<div class="figure">{labelled_svg(chart_svg(row), chart_words(row))}'
            f'<p class="caption">{escape(row.name)}</p></div>'
            for row in rows
            if has_chart(row)
        ]
        if figures:
            parts.append('<div class="charts">' + "".join(figures) + "</div>")
    parts.append("</section>")
    return "\n".join(parts)
