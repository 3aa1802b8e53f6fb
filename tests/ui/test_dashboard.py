"""The dashboard's charts as drawn by QtSvg: a white picture with readable text, not a black box.

QtSvg (SVG Tiny 1.2) once painted renderSVG's <clipPath> rectangle as a black box over the
whole chart, so only the coloured bars showed. These tests look at the pixels Qt draws.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QBoxLayout

from cspdesk.commands.common import resolve_plan_id
from cspdesk.report.charts import ChartData, bar_chart, rag_chart_data, to_svg
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace
from cspdesk.ui.dashboard import DashboardPane


def _shares(image: QImage, area: QRect) -> tuple[float, float]:
    """Shares of light (near white) and dark (near black) pixels in ``area``, sampled."""
    light = dark = total = 0
    for x in range(area.left(), area.right(), 2):
        for y in range(area.top(), area.bottom(), 2):
            lightness = QColor(image.pixel(x, y)).lightness()
            light += lightness > 230
            dark += lightness < 60
            total += 1
    return light / total, dark / total


def _pane(qtbot, workspace: Workspace, width: int, height: int, quarter: int = 1) -> DashboardPane:  # type: ignore[no-untyped-def]
    pane = DashboardPane(workspace)
    qtbot.addWidget(pane)
    pane.resize(width, height)
    pane.refresh(resolve_plan_id(workspace, None), quarter)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_the_chart_is_a_light_picture_with_text(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    pane = _pane(qtbot, workspace, 900, 700)
    chart = pane.charts[0]
    image = chart.grab().toImage()
    # the picture keeps its aspect ratio inside the widget: measure where it is drawn
    scale = min(chart.width() / 680, chart.height() / 220)
    drawn = QRect(0, 0, int(680 * scale), int(220 * scale))
    light, dark = _shares(image, drawn)
    assert light > 0.75, f"chart mostly dark: {light:.0%} light"
    assert 0.002 < dark < 0.1  # black text and axes on the white
    title_band = QRect(0, 0, int(300 * scale), int(16 * scale))  # "Actions by RAG status…"
    assert _shares(image, title_band)[1] > 0.02, "no title text drawn"
    svg = pane.svgs[0]
    assert "<clipPath" not in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for wanted in ("Actions by RAG status and priority", "Red", "Amber", "Green"):
        assert wanted in texts
    assert any("Safeguarding Vulnerable" in t for t in texts)


def test_the_chart_scales_with_the_pane_keeping_its_shape(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    narrow_pane, wide_pane = _pane(qtbot, workspace, 500, 800), _pane(qtbot, workspace, 1000, 900)
    narrow, wide = narrow_pane.charts[0], wide_pane.charts[0]
    assert wide.width() > narrow.width() * 1.6
    for chart in (narrow, wide):
        assert chart.height() == pytest.approx(chart.width() * 220 / 680, abs=2)


def test_the_counts_are_in_a_table_beside_or_below_the_chart(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    model = workspace.read(
        build_quarter_report, resolve_plan_id(workspace, None), 1, include_milestones=False
    )
    data = rag_chart_data(model)
    pane = _pane(qtbot, workspace, 900, 700)
    table = pane.tables[0]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert headers == data.series and rows == data.categories
    red = data.series.index("Red")
    assert [int(table.item(r, red).text()) for r in range(len(rows))] == data.values[red]
    assert "Red" in table.accessibleDescription()
    # tall pane: the table goes below the chart; short wide pane (a bottom dock): beside it
    assert pane._rows[0].direction() == QBoxLayout.Direction.TopToBottom
    assert table.geometry().top() >= pane.charts[0].geometry().bottom()
    short = _pane(qtbot, workspace, 1100, 300)
    assert short._rows[0].direction() == QBoxLayout.Direction.LeftToRight
    assert short.tables[0].geometry().left() >= short.charts[0].geometry().right()


def test_qt_printing_draws_the_same_svg_on_white(qapp) -> None:  # type: ignore[no-untyped-def]
    """The print dialog renders to_svg with QSvgRenderer too: same black-box risk."""
    data = ChartData(
        "Title here", ["One", "Two"], ["Red", "Green"], ["#C0392B", "#2E8B57"], [[1, 2], [3, 0]]
    )
    drawing = bar_chart(data)
    image = QImage(680, 220, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))  # a dark page: the chart brings its own white
    painter = QPainter(image)
    QSvgRenderer(to_svg(drawing).encode("utf-8")).render(painter)
    painter.end()
    light, dark = _shares(image, QRect(0, 0, 680, 220))
    assert light > 0.75 and dark > 0.002
    assert drawing.background is None  # the PDF's drawing is left as it was
