"""A small chart per indicator: this year against last year over the periods entered.

One reportlab.graphics Drawing serves the PDF (as a flowable) and the HTML and GUI (as SVG).
Drawing strings are plain text, not markup, so names need no escaping here.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from cspdesk.core.figures.performance import Row
from cspdesk.report.charts import CHART_PT
from cspdesk.report.fonts import body_fonts

THIS_YEAR = colors.HexColor("#1F5F8B")
LAST_YEAR = colors.HexColor("#A7B8C8")
WIDTH = 280
HEIGHT = 160


def has_chart(row: Row) -> bool:
    return any(p.value is not None or p.previous is not None for p in row.history)


def _number(value: Decimal | None) -> float:
    # The chart is a picture; exact digits are printed in the table.
    return 0.0 if value is None else float(value)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def indicator_chart(row: Row, width: float = WIDTH, height: float = HEIGHT) -> Drawing:
    """Bars of each period's figure (dark) beside the same period last year (light)."""
    drawing = Drawing(width, height, initialFontName=body_fonts()[0])
    drawing.add(
        String(4, height - 12, _shorten(row.name, 44), fontName=body_fonts()[1], fontSize=CHART_PT)
    )
    points = row.history[-8:]
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 40
    chart.width, chart.height = width - 50, height - 72
    chart.data = [
        [_number(p.value) for p in points] or [0.0],
        [_number(p.previous) for p in points] or [0.0],
    ]
    chart.bars[0].fillColor = THIS_YEAR
    chart.bars[1].fillColor = LAST_YEAR
    chart.bars.strokeWidth = 0
    chart.groupSpacing = 6
    chart.categoryAxis.categoryNames = [_shorten(p.label, 12) for p in points] or [""]
    chart.categoryAxis.labels.fontName = body_fonts()[0]
    chart.categoryAxis.labels.fontSize = CHART_PT
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = body_fonts()[0]
    chart.valueAxis.labels.fontSize = CHART_PT
    if min(min(series) for series in chart.data) >= 0:
        chart.valueAxis.valueMin = 0
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 40, 10
    legend.fontName = body_fonts()[0]
    legend.fontSize = CHART_PT
    legend.columnMaximum = 1
    legend.alignment = "right"
    legend.dx = legend.dy = 6
    legend.deltax = 80
    legend.colorNamePairs = [(THIS_YEAR, "This year"), (LAST_YEAR, "Same period last year")]
    drawing.add(legend)
    return drawing


def chart_svg(row: Row, width: float = WIDTH, height: float = HEIGHT) -> str:
    """The chart as an inline <svg> element (no XML prolog), labelled for screen readers."""
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(indicator_chart(row, width, height))
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def chart_words(row: Row) -> str:
    """What the chart shows, in words: its text alternative in the HTML and in Word."""
    points = "; ".join(
        f"{p.label}: {p.value if p.value is not None else 'no figure'}"
        + (f" (last year {p.previous})" if p.previous is not None else "")
        for p in row.history
    )
    return f"{row.name}, this year against the same period last year. {points}"
