"""The appendix's charts as reportlab drawings: embedded in the PDF, and as SVG in the HTML and
the GUI's dashboard, so paper and screen show the same picture."""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from cspdesk.report.fonts import FALLBACK, FALLBACK_BOLD, body_fonts, font_for
from cspdesk.report.model import DIRECTION_WORDS, ReportModel

NOT_RATED = "#D0D0D0"
# The smallest chart text: 9 pt on the page, so at least 8 pt on paper and 12 pt in large print
# (whose pages are drawn 12/9 larger); the SVG on screen is drawn at the same size.
CHART_PT = 9
DIRECTION_COLOURS = {"up": "#2E8B57", "same": "#7F7F7F", "down": "#C0392B"}
FONT, BOLD = body_fonts()
SVG_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"  # a real family on every machine


@dataclass(frozen=True)
class ChartData:
    """A chart's numbers: one row per category, one column per series (also its text table)."""

    title: str
    categories: list[str]
    series: list[str]
    colours: list[str]
    values: list[list[int]]  # values[series][category]

    def describe(self) -> str:
        """A text alternative: every number in words."""
        parts = []
        for c, category in enumerate(self.categories):
            counts = ", ".join(f"{self.values[s][c]} {name}" for s, name in enumerate(self.series))
            parts.append(f"{category}: {counts}")
        return f"{self.title}. " + "; ".join(parts) + "."


def rag_chart_data(model: ReportModel) -> ChartData:
    """Actions per RAG status per priority (statuses in the scheme's order, then unrated)."""
    counts = [section.rag_counts() for section in model.sections]
    codes: list[str | None] = [key.code for key in model.rag_scheme]
    if any(c.get(None) for c in counts):
        codes.append(None)
    return ChartData(
        title="Actions by RAG status and priority",
        categories=[section.title for section in model.sections],
        series=[model.rag_label(code) for code in codes],
        colours=[(model.rag(code).colour if model.rag(code) else NOT_RATED) for code in codes],
        values=[[c.get(code, 0) for c in counts] for code in codes],
    )


def direction_chart_data(model: ReportModel) -> ChartData:
    counts = [section.direction_counts() for section in model.sections]
    keys = list(DIRECTION_WORDS)
    return ChartData(
        title="Direction of travel since last quarter, by priority",
        categories=[section.title for section in model.sections],
        series=[DIRECTION_WORDS[k] for k in keys],
        colours=[DIRECTION_COLOURS[k] for k in keys],
        values=[[c.get(k, 0) for c in counts] for k in keys],
    )


def _label(text: str, limit: int) -> str:
    """A category name on at most two lines of about ``limit`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: limit - 1] + "…"]
    return "\n".join(lines)


def bar_chart(data: ChartData, width: float = 680, height: float = 220) -> Drawing:
    """A grouped bar chart with a legend, value labels and a title."""
    drawing = Drawing(width, height, initialFontName=FONT)  # else an unembedded Helvetica
    font = font_for(" ".join([*data.categories, *data.series]), FONT)
    title_font = font_for(data.title, BOLD)
    drawing.add(String(0, height - 14, data.title, fontName=title_font, fontSize=11))
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 44
    chart.width, chart.height = width - 200, height - 78
    values = data.values or [[0]]
    chart.data = [tuple(row) or (0,) for row in values]
    per_category = chart.width / max(len(data.categories), 1)
    limit = max(int(per_category / 4.7), 8)  # about 4.7 pt a character at 9 pt
    chart.categoryAxis.categoryNames = [_label(c, limit) for c in data.categories] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = CHART_PT
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = CHART_PT
    chart.valueAxis.valueMin = 0
    top = max((v for row in values for v in row), default=0)
    # Headroom for the labels standing on the bars.
    chart.valueAxis.valueMax = max(math.ceil(top * 1.7) + 1, 4)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.barSpacing = 1
    chart.groupSpacing = 8
    # Each bar says its count and status, so the chart reads in greyscale and to the
    # colour-blind, not by the legend's colours alone; a bar of nought is no bar, so no label.
    chart.barLabelFormat = "values"
    chart.barLabelArray = [
        [f"{value} {name}" if value else "" for value in row]
        for row, name in zip(values, data.series, strict=False)
    ]
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = CHART_PT
    chart.barLabels.angle = 90
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 3
    for index, colour in enumerate(data.colours):
        chart.bars[index].fillColor = colors.HexColor(colour)
        chart.bars[index].strokeColor = colors.black
        chart.bars[index].strokeWidth = 0.3
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 140, height - 40
    legend.fontName = font
    legend.fontSize = CHART_PT
    legend.alignment = "right"
    legend.columnMaximum = 12
    legend.colorNamePairs = [
        (colors.HexColor(colour), name)
        for colour, name in zip(data.colours, data.series, strict=True)
    ]
    drawing.add(legend)
    return drawing


def report_charts(
    model: ReportModel, width: float = 680, height: float = 220
) -> list[tuple[ChartData, Drawing]]:
    """The charts of a report: RAG counts, and direction of travel when the model has it."""
    charts = [rag_chart_data(model)]
    if model.has_directions():
        charts.append(direction_chart_data(model))
    return [(data, bar_chart(data, width, height)) for data in charts]


def to_svg(drawing: Drawing) -> str:
    """The drawing as SVG that both browsers and QtSvg (the dashboard, Qt printing) draw alike.

    QtSvg supports only SVG Tiny 1.2: it paints the <clipPath> rectangle renderSVG adds by
    default as a black box over the whole chart, hiding the (black) text, so the drawing is
    clipped by the ``clip`` property instead (the SVG viewport clips anyway). PDF font names
    such as "Helvetica-Bold" are no font family anywhere, so they become family and weight. The
    white background keeps black text readable on a dark window or page; the drawing itself
    (and so the PDF) is unchanged.
    """
    from reportlab.graphics import renderSVG
    from reportlab.graphics.shapes import Rect

    families = {
        name: {"family": SVG_FAMILY, "weight": "bold" if name.endswith("Bold") else "normal"}
        for name in {FONT, BOLD, FALLBACK, FALLBACK_BOLD}
    }
    previous = drawing.background
    drawing.background = Rect(
        0, 0, drawing.width, drawing.height, fillColor=colors.white, strokeColor=None
    )
    try:
        return renderSVG.drawToString(drawing, useClip=True, fontHacks=families)
    finally:
        drawing.background = previous
