"""Grants, their allocations and spend entries as a tree, for picking one to delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from cspdesk.core.funding.lists import GrantEntry
from cspdesk.core.funding.money import format_money

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
OVER_FILL = "#F6D0CC"


class FundingTree(QTreeWidget):
    """One row per grant, allocation (under its grant) and spend entry (under its allocation)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels(["Entry", "Amount", "Detail"])
        self.setAccessibleName("Grants, allocations and spend")
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def load(self, grants: list[GrantEntry]) -> None:
        chosen = self.selected()
        self.clear()
        for grant in grants:
            allocated = format_money(grant.allocated_pence)
            detail = f"{allocated} allocated"
            if grant.over_allocated:
                over = format_money(grant.allocated_pence - grant.amount_pence)
                detail += f": over-allocated by {over}"
            top = self._item(
                None, ("grant", grant.id), grant.source, grant.amount_pence, detail, chosen
            )
            if grant.over_allocated:
                for column in range(3):
                    top.setBackground(column, QBrush(QColor(OVER_FILL)))
                top.setToolTip(0, "Over-allocated")
            if grant.conditions:
                top.setToolTip(2, grant.conditions)
            for allocation in grant.allocations:
                spent = format_money(allocation.spent_pence)
                note = f"{spent} spent" + (f"; {allocation.note}" if allocation.note else "")
                middle = self._item(
                    top,
                    ("allocation", allocation.id),
                    allocation.target,
                    allocation.amount_pence,
                    note,
                    chosen,
                )
                for spend in allocation.spends:
                    day = f"{spend.spent_on.day} {spend.spent_on:%b %Y}" if spend.spent_on else ""
                    self._item(
                        middle,
                        ("spend", spend.id),
                        spend.description or "Spend",
                        spend.amount_pence,
                        day,
                        chosen,
                    )
        self.expandAll()

    def _item(
        self,
        parent: QTreeWidgetItem | None,
        key: tuple[str, int],
        text: str,
        pence: int,
        detail: str,
        chosen: tuple[str, int] | None,
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, format_money(pence), detail])
        item.setData(0, ENTRY_ROLE, key)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        if key == chosen:
            self.setCurrentItem(item)
        return item

    def selected(self) -> tuple[str, int] | None:
        """("grant" | "allocation" | "spend", id) of the selected row, or None."""
        item = self.currentItem()
        return None if item is None else item.data(0, ENTRY_ROLE)

    def select(self, key: tuple[str, int]) -> bool:
        for item in self.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive):
            if item.data(0, ENTRY_ROLE) == key:
                self.setCurrentItem(item)
                return True
        return False
