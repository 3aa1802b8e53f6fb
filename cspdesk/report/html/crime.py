"""The police recorded crime section of the accessible HTML report (escaped, headed lists)."""

from __future__ import annotations

from html import escape

from cspdesk.core.figures.police_lines import HEADING, CrimeSummary


def crime_html(summary: CrimeSummary) -> str:
    parts = [
        '<section class="crime" aria-labelledby="crime-heading">',
        f'<h2 id="crime-heading">{escape(HEADING)}</h2>',
        f"<p>{escape(summary.period)}.</p>",
    ]
    parts += [f'<p role="note">{escape(text)}.</p>' for text in summary.notes]
    for area in summary.areas:
        parts.append(f"<h3>{escape(area.area)}</h3>")
        parts.append("<ul>" + "".join(f"<li>{escape(x.text)}</li>" for x in area.lines) + "</ul>")
    parts.append(f"<p><small>Source: {escape(summary.source)}.</small></p>")
    parts.append("</section>")
    return "\n".join(parts)
