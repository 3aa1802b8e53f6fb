"""The checker panel: findings before publishing; activate one to jump to its item."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.checks import Finding, run_checks
from cspdesk.store.db import Workspace

ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def jump_target(item: QTreeWidgetItem | None) -> tuple[str, int] | None:
    """(entity, id) stored on a row by item_for, or None for a heading row."""
    if item is None or item.data(0, ENTITY_ROLE) is None:
        return None
    return str(item.data(0, ENTITY_ROLE)), int(item.data(0, ID_ROLE))


def item_for(texts: list[str], entity: str, item_id: int) -> QTreeWidgetItem:
    item = QTreeWidgetItem(texts)
    item.setData(0, ENTITY_ROLE, entity)
    item.setData(0, ID_ROLE, item_id)
    for column, text in enumerate(texts):
        item.setToolTip(column, text)
    return item


class CheckerPanel(QWidget):
    """Run the checker for a plan and quarter; double-click or Enter on a finding jumps to it."""

    jump_requested = Signal(str, int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.findings: list[Finding] = []
        self._target: tuple[int, int | None, dt.date | None] | None = None
        self.summary = QLabel("Choose a plan to check.")
        self.again = QPushButton("Check &again")
        self.again.clicked.connect(self.recheck)
        self.again.setEnabled(False)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Item", "Problem"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 420)
        self.tree.itemActivated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.again)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree)

    def refresh(
        self, plan_id: int, quarter: int | None = None, today: dt.date | None = None
    ) -> None:
        """Run the checks for the plan's ``quarter`` (default: its current one) and list them."""
        self._target = (plan_id, quarter, today)
        self.findings = self.workspace.read(run_checks, plan_id, quarter, today)
        self.tree.clear()
        self.tree.addTopLevelItems(
            [item_for([f.path, f.message], f.entity, f.id) for f in self.findings]
        )
        count = len(self.findings)
        self.summary.setText(
            "No problems found: ready to publish."
            if count == 0
            else f"{count} thing{'s' if count != 1 else ''} to look at before publishing."
        )
        self.again.setEnabled(True)
        if count:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def recheck(self) -> None:
        if self._target is not None:
            self.refresh(*self._target)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = jump_target(item)
        if target is not None:
            self.jump_requested.emit(*target)
