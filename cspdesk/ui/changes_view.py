"""What changed since last quarter, grouped; activate an item to jump to it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cspdesk.core.plan.words import count
from cspdesk.core.quarter.changes import ChangesReport, changes_since_last_quarter
from cspdesk.store.db import Workspace
from cspdesk.ui.checker_panel import item_column, item_for, jump_target, setup_tree


class ChangesView(QWidget):
    """New reds, improvements, slipped milestones and silent actions since the last close."""

    jump_requested = Signal(str, int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.report: ChangesReport | None = None
        self.heading = QLabel("Choose a plan and quarter.")
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Changes since the last closed quarter")
        self.columns = setup_tree(
            self.tree,
            ["Item", "Change"],
            [
                "The item's reference in the plan and its title; hover for where it sits",
                "What changed since the last closed quarter. Double-click to go to the item",
            ],
        )
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)

    def refresh(self, plan_id: int, quarter: int) -> None:
        report = self.workspace.read(changes_since_last_quarter, plan_id, quarter)
        self.report = report
        since = (
            "no earlier quarter is closed, so every action counts as new"
            if report.previous is None
            else f"since Q{report.previous[1]} {report.previous[0]}"
        )
        self.heading.setText(f"What changed in Q{report.quarter} {report.year} ({since})")
        self.tree.clear()
        shown = item_column(self.workspace, plan_id)
        for title, items in report.sections():
            section = QTreeWidgetItem([f"{title} ({len(items)})", ""])
            section.setToolTip(0, f"{title}: {count(len(items), 'item')}")
            for change in items:
                arrow = change.direction.arrow + " " if change.direction else ""
                if change.entity != "action":
                    arrow = ""
                text, tip = shown(change.entity, change.id, change.path)
                section.addChild(
                    item_for(
                        [arrow + text, change.detail],
                        change.entity,
                        change.id,
                        [tip, change.detail],
                    )
                )
            self.tree.addTopLevelItem(section)
            section.setExpanded(bool(items))
        self.columns.share()

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = jump_target(item)
        if target is not None:
            self.jump_requested.emit(*target)
