"""The dashboard pane: the appendix's charts on screen, drawn from the same code as on paper.

Each chart (a reportlab drawing, as SVG from io.charts.to_svg) scales with the pane keeping
its shape, and sits beside a table of its numbers (below it when the pane is narrow), so the
counts are readable without the picture and by a screen reader.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QBoxLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.report.charts import ChartData, report_charts, to_svg
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace

CHART_WIDTH = 680
CHART_HEIGHT = 220


class ChartView(QSvgWidget):
    """An SVG chart that fills the width it is given and keeps its aspect ratio."""

    def __init__(self, svg: str, size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.load(QByteArray(svg.encode("utf-8")))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self._size = size
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(size / 2)

    def sizeHint(self) -> QSize:
        return self._size

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * self._size.height() / self._size.width())


def counts_table(data: ChartData, parent: QWidget | None = None) -> QTableWidget:
    """The chart's numbers: one row per priority, one column per series (RAG or direction)."""
    table = QTableWidget(len(data.categories), len(data.series), parent)
    table.setHorizontalHeaderLabels(data.series)
    table.setVerticalHeaderLabels(data.categories)
    for column, row_values in enumerate(data.values):
        for row, value in enumerate(row_values):
            item = QTableWidgetItem(str(value))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(row, column, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAccessibleName(f"{data.title} (figures)")
    table.setAccessibleDescription(data.describe())
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    table.resizeColumnsToContents()
    return table


def _natural_width(table: QTableWidget) -> int:
    """The table's width with every column shown; known before it is first laid out, unlike
    its sizeHint (the headers size themselves lazily)."""
    header = table.verticalHeader().sizeHint().width()
    return header + table.horizontalHeader().length() + 2 * table.frameWidth()


class DashboardPane(QWidget):
    """RAG counts per priority (and direction of travel when known) for a plan and quarter."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.svgs: list[str] = []
        self.charts: list[ChartView] = []
        self.tables: list[QTableWidget] = []
        self._rows: list[QBoxLayout] = []
        layout = QVBoxLayout(self)
        self.heading = QLabel("No plan selected", self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Dashboard charts")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._content = QWidget(scroll)
        self._content_layout = QVBoxLayout(self._content)
        self._content_layout.setContentsMargins(0, 0, 0, 0)
        self._content_layout.addStretch(1)
        scroll.setWidget(self._content)
        layout.addWidget(scroll, 1)

    def refresh(self, plan_id: int, quarter: int) -> None:
        model = self.workspace.read(
            build_quarter_report, plan_id, quarter, include_milestones=False
        )
        self.heading.setText(model.title)
        for row in self._rows:
            while (item := row.takeAt(0)) is not None:
                if (widget := item.widget()) is not None:
                    widget.deleteLater()
            self._content_layout.removeItem(row)
            row.deleteLater()
        self.charts, self.tables, self.svgs, self._rows = [], [], [], []
        for data, drawing in report_charts(model, CHART_WIDTH, CHART_HEIGHT):
            svg = to_svg(drawing)
            chart = ChartView(svg, QSize(int(drawing.width), int(drawing.height)), self._content)
            chart.setAccessibleName(data.title)
            chart.setAccessibleDescription(data.describe())
            chart.setToolTip(data.describe())
            table = counts_table(data, self._content)
            row = QBoxLayout(QBoxLayout.Direction.TopToBottom)
            row.addWidget(chart, 1)
            row.addWidget(table, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self._content_layout.insertLayout(self._content_layout.count() - 1, row)
            self.charts.append(chart)
            self.tables.append(table)
            self.svgs.append(svg)
            self._rows.append(row)
        widest = max((_natural_width(t) for t in self.tables), default=0)
        for table in self.tables:  # the same width for all: the charts beside line up
            table.setFixedWidth(widest)
        for row in self._rows:
            row.setDirection(self._direction())

    def _direction(self) -> QBoxLayout.Direction:
        """Each table below its chart when both fit the pane's height (the chart as wide as
        the pane), else beside it, unless that would shrink the chart too far to read."""
        if not self.charts:
            return QBoxLayout.Direction.TopToBottom
        table_width = max(_natural_width(t) for t in self.tables)
        table_height = max(t.sizeHint().height() for t in self.tables)
        ratio = CHART_HEIGHT / CHART_WIDTH
        height = (self.height() - self.heading.sizeHint().height() - 30) / len(self.charts)
        fits_below = self.width() * ratio + table_height <= height
        beside_readable = self.width() - table_width >= CHART_WIDTH * 0.75
        if fits_below or not beside_readable:
            return QBoxLayout.Direction.TopToBottom
        return QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for row in self._rows:
            row.setDirection(self._direction())
