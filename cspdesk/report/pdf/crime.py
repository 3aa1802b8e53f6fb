"""The police recorded crime section of the committee PDF: the period, what was not compared,
then each area's lines (core.figures.police_lines words them). Every string is escaped."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from cspdesk.core.figures.police_lines import HEADING, CrimeSummary
from cspdesk.report.pdf.blocks import BOLD, FONT


def crime_flowables(summary: CrimeSummary) -> list[Flowable]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("CrimeBody", parent=base["BodyText"], fontName=FONT)
    note = ParagraphStyle("CrimeNote", parent=body, fontSize=9, leading=11)
    h2 = ParagraphStyle("CrimeH2", parent=base["Heading2"], fontName=BOLD, keepWithNext=1)
    h3 = ParagraphStyle("CrimeH3", parent=base["Heading3"], fontName=BOLD, keepWithNext=1)
    story: list[Flowable] = [
        Paragraph(escape(HEADING), h2),
        Paragraph(escape(summary.period) + ".", body),
    ]
    story += [Paragraph(escape(text) + ".", note) for text in summary.notes]
    for area in summary.areas:
        lines = [Paragraph(escape(line.text), body, bulletText="•") for line in area.lines]
        story.append(KeepTogether([Paragraph(escape(area.area), h3), *lines]))
    story += [Spacer(1, 4), Paragraph(escape(f"Source: {summary.source}."), note)]
    return story
