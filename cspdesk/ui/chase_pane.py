"""The returns chase list as a pane: the list, and the date "late" is judged on."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QVBoxLayout, QWidget

from cspdesk.core.quarter.overdue import chase_heading
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs.returns import ChaseListView


class ChasePane(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.heading = QLabel("Choose a plan and quarter.")
        self.heading.setWordWrap(True)
        self.view = ChaseListView(workspace)
        self.view.table.setToolTip(
            "A return is late once its due date has passed, judged as at the date above"
        )
        self.view.table.setAccessibleName("Partner returns to chase")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)

    def refresh(self, plan_id: int, quarter: int, today: dt.date | None = None) -> None:
        day, heading = self.workspace.read(chase_heading, plan_id, quarter, today)
        self.heading.setText(heading)
        self.view.refresh(plan_id, quarter, day)
        readable_on_tint(self.view.table)


def readable_on_tint(table: QTableWidget) -> None:
    """Rows tinted light (late, returned) keep dark text when the system palette is dark."""
    dark = QBrush(QColor("#1A1A1A"))
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is not None and item.background().style() != Qt.BrushStyle.NoBrush:
                item.setForeground(dark)
