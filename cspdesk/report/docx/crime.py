"""The police recorded crime section of the Word appendix: the period, any notes, then each
area's lines as a bulleted list under its own heading, and the source (as the PDF prints)."""

from __future__ import annotations

from cspdesk.core.figures.police_lines import HEADING, CrimeSummary
from cspdesk.report.docx.tables import heading, paragraph


def crime_section(summary: CrimeSummary) -> list[str]:
    part = [heading(HEADING, 1, new_page=True), paragraph(f"{summary.period}.")]
    part += [paragraph(f"{text}.") for text in summary.notes]
    for area in summary.areas:
        part.append(heading(area.area, 2))
        part += [paragraph(line.text, "ListBullet") for line in area.lines]
    part.append(paragraph(f"Source: {summary.source}."))
    return part
