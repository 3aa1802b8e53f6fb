"""The checker panel: findings before publishing; activate one to jump to its item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.plan.refs import item_references, reference_and_title
from cspdesk.core.plan.words import count
from cspdesk.core.quarter.checks import Finding, run_checks
from cspdesk.core.quarter.overdue import as_at_text, plan_as_at
from cspdesk.store.db import Workspace

ITEM_LEAST = 200  # the item column's width however narrow the list
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def jump_target(item: QTreeWidgetItem | None) -> tuple[str, int] | None:
    """(entity, id) stored on a row by item_for, or None for a heading row."""
    if item is None or item.data(0, ENTITY_ROLE) is None:
        return None
    return str(item.data(0, ENTITY_ROLE)), int(item.data(0, ID_ROLE))


def item_for(
    texts: list[str], entity: str, item_id: int, tips: list[str] | None = None
) -> QTreeWidgetItem:
    """A row that jumps to (entity, id); ``tips`` (default: the texts) are its tooltips."""
    item = QTreeWidgetItem(texts)
    item.setData(0, ENTITY_ROLE, entity)
    item.setData(0, ID_ROLE, item_id)
    for column, tip in enumerate(tips or texts):
        item.setToolTip(column, tip)
    return item


def item_column(workspace: Workspace, plan_id: int) -> Callable[[str, int, str], tuple[str, str]]:
    """(shown text, tooltip) for a finding's item: its reference and title first, its path
    ("Priority › Objective › Action") in the tooltip."""
    refs = workspace.read(item_references, plan_id)

    def text_and_tip(entity: str, item_id: int, path: str) -> tuple[str, str]:
        shown = reference_and_title(refs, entity, item_id) or path
        return shown, f"{shown}\n\n{path}"

    return text_and_tip


class ItemFirst(QObject):
    """The item column takes the list's width; the second column keeps what its longest line
    needs, up to half: titles are cut only when there is no room, and then at the end."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree
        self._viewport = tree.viewport()
        self._viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.share()
        return False

    def share(self) -> None:
        """Share the width out again: on a resize, and once the rows are filled in."""
        room = self._viewport.width()
        second = max(self.tree.sizeHintForColumn(1), self.tree.header().sectionSizeHint(1)) + 12
        second = min(second, room // 2)
        self.tree.setColumnWidth(0, max(ITEM_LEAST, room - second))


def setup_tree(tree: QTreeWidget, headings: list[str], tips: list[str]) -> ItemFirst:
    tree.setHeaderLabels(headings)
    for column, tip in enumerate(tips):
        tree.headerItem().setToolTip(column, tip)
    tree.setUniformRowHeights(True)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)  # "2.2.1 To safe…": number first
    tree.setColumnWidth(0, 380)
    tree.setMinimumHeight(120)
    return ItemFirst(tree)


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
        self.again.setToolTip("Run the checks again on the plan as it is now")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Problems found")
        self.columns = setup_tree(
            self.tree,
            ["Item", "Problem"],
            [
                "The item's reference in the plan and its title; hover for where it sits",
                "What a committee would query. Double-click or Enter to go to the item",
            ],
        )
        self.tree.setRootIsDecorated(False)
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
        day = today or self.workspace.read(plan_as_at, plan_id, quarter)
        self.findings = self.workspace.read(run_checks, plan_id, quarter, day)
        shown = item_column(self.workspace, plan_id)
        self.tree.clear()
        rows = []
        for finding in self.findings:
            text, tip = shown(finding.entity, finding.id, finding.path)
            rows.append(
                item_for(
                    [text, finding.message], finding.entity, finding.id, [tip, finding.message]
                )
            )
        self.tree.addTopLevelItems(rows)
        self.columns.share()
        found = len(self.findings)
        self.summary.setText(
            f"No problems found {as_at_text(day)}: ready to publish."
            if found == 0
            else f"{count(found, 'thing')} to look at before publishing ({as_at_text(day)})."
        )
        self.again.setEnabled(True)
        if rows:
            self.tree.setCurrentItem(rows[0])

    def recheck(self) -> None:
        if self._target is not None:
            self.refresh(*self._target)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = jump_target(item)
        if target is not None:
            self.jump_requested.emit(*target)
