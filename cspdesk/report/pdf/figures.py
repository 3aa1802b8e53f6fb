"""The performance section of the committee PDF, as reportlab flowables.

The report writer places the returned flowables in its own document. Every user string goes
into a Paragraph escaped (markup in user text would be live: links, local images).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cspdesk.core.figures.performance import PERFORMANCE_COLUMNS, Row
from cspdesk.report.charts.figures import HEIGHT, WIDTH, has_chart, indicator_chart
from cspdesk.report.pdf.blocks import BOLD, FONT

HEADER_FILL = colors.HexColor("#DCE6F0")
GRID = colors.HexColor("#7F8C99")
DIRECTION_FILL = {
    "better": colors.HexColor("#CDEBD5"),
    "worse": colors.HexColor("#F6D0CC"),
    "same": colors.HexColor("#E8E8E8"),
}
WARNING = colors.HexColor("#B03A2E")
PERFORMANCE_HEADINGS = ("Indicator", *PERFORMANCE_COLUMNS)


def styles_for(styles: StyleSheet1 | None) -> dict[str, ParagraphStyle]:
    base = styles or getSampleStyleSheet()
    body = ParagraphStyle("FigBody", parent=base["BodyText"], fontName=FONT)
    cell = ParagraphStyle("FigCell", parent=body, fontSize=9, leading=11)
    return {
        "h2": ParagraphStyle("FigH2", parent=base["Heading2"], fontName=BOLD, keepWithNext=1),
        "h3": ParagraphStyle("FigH3", parent=base["Heading3"], fontName=BOLD, keepWithNext=1),
        "body": body,
        "cell": cell,
        "num": ParagraphStyle("FigNum", parent=cell, alignment=2),
        "head": ParagraphStyle("FigHead", parent=cell, fontName=BOLD),
        "warn": ParagraphStyle("FigWarn", parent=body, textColor=WARNING),
    }


def p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def table(data: list[list[Flowable]], widths: Sequence[float], extra: list[tuple]) -> Table:
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *extra,
            ]
        )
    )
    return table


def performance_flowables(
    rows: Sequence[Row],
    *,
    title: str = "Performance",
    styles: StyleSheet1 | None = None,
    charts: bool = True,
    width: float = 257 * mm,
) -> list[Flowable]:
    """A heading, one table per priority (indicator, period, figures, change, direction) and a
    small chart per indicator with figures. ``width``: the frame's width (A4 landscape)."""
    s = styles_for(styles)
    story: list[Flowable] = [p(title, s["h2"])]
    if not rows:
        return [*story, p("No performance indicators have been entered.", s["body"])]
    story += [p(f"• {row.headline}", s["body"]) for row in rows if row.headline]
    story.append(Spacer(1, 3 * mm))
    shares = (0.27, 0.17, 0.09, 0.11, 0.1, 0.09, 0.17)
    widths = [width * share for share in shares]
    for priority, group in groupby(rows, key=lambda r: (r.priority_id, r.priority)):
        data: list[list[Flowable]] = [[p(h, s["head"]) for h in PERFORMANCE_HEADINGS]]
        extra: list[tuple] = []
        for index, row in enumerate(group, start=1):
            name = row.name + (f" ({row.action})" if row.action else "")
            source = f"Source: {row.source}" if row.source else ""
            data.append(
                [
                    Paragraph(
                        escape(name)
                        + (f"<br/><font size=7>{escape(source)}</font>" if source else ""),
                        s["cell"],
                    ),
                    p(row.period, s["cell"]),
                    p(row.value, s["num"]),
                    p(row.previous, s["num"]),
                    p(row.change, s["num"]),
                    p(row.percent_change, s["num"]),
                    p(
                        row.summary
                        if row.direction == ""
                        else f"{row.direction.capitalize()}: {row.summary}",
                        s["cell"],
                    ),
                ]
            )
            if row.direction in DIRECTION_FILL:
                extra.append(("BACKGROUND", (6, index), (6, index), DIRECTION_FILL[row.direction]))
        # A priority's few indicators stay on one page with their heading (never split 3 + 3).
        story += [KeepTogether([p(priority[1], s["h3"]), table(data, widths, extra)])]
        story.append(Spacer(1, 4 * mm))
    if charts:
        story += chart_flowables(rows, width=width)
    return story


def chart_flowables(rows: Sequence[Row], *, width: float = 257 * mm) -> list[Flowable]:
    """The small charts, as many to a line as fit; one small table per line, since splitting
    one long table across pages re-measures the rest each time (quadratic)."""
    drawings = [indicator_chart(row) for row in rows if has_chart(row)]
    per_line = max(1, int(width // (WIDTH + 6)))
    story: list[Flowable] = []
    for start in range(0, len(drawings), per_line):
        line: list[Flowable | str] = list(drawings[start : start + per_line])
        line.extend([""] * (per_line - len(line)))
        grid = Table([line], colWidths=[WIDTH + 6] * per_line, rowHeights=[HEIGHT + 6])
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(grid)
    return story
