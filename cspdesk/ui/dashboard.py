"""The dashboard pane: the appendix's charts on screen, drawn from the same code as on paper."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from cspdesk.io.charts import report_charts, to_svg
from cspdesk.io.report_source import build_quarter_report
from cspdesk.store.db import Workspace

CHART_WIDTH = 680


class DashboardPane(QWidget):
    """RAG counts per priority (and direction of travel when known) for a plan and quarter."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.svgs: list[str] = []
        self._layout = QVBoxLayout(self)
        self.heading = QLabel("No plan selected", self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self._layout.addWidget(self.heading)
        self.charts: list[QSvgWidget] = []
        self._layout.addStretch(1)

    def refresh(self, plan_id: int, quarter: int) -> None:
        model = self.workspace.read(
            build_quarter_report, plan_id, quarter, include_milestones=False
        )
        self.heading.setText(model.title)
        for widget in self.charts:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self.charts, self.svgs = [], []
        for data, drawing in report_charts(model, width=CHART_WIDTH):
            svg = to_svg(drawing)
            widget = QSvgWidget(self)
            widget.load(QByteArray(svg.encode("utf-8")))
            widget.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            widget.setMinimumSize(QSize(int(drawing.width // 2), int(drawing.height // 2)))
            widget.setAccessibleName(data.title)
            widget.setAccessibleDescription(data.describe())
            widget.setToolTip(data.describe())
            self._layout.insertWidget(self._layout.count() - 1, widget, 1)
            self.charts.append(widget)
            self.svgs.append(svg)
