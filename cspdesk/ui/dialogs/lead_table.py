"""The import preview's lead table: every distinct lead text once, with the agencies, officers
and note it becomes; the last two columns are editable and each edit is the officer's choice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.core.leads.table import rows

LEAD_TIP = (
    "Write the leads as 'Agency – Officer (initials)', separated by ';'. A name the workspace "
    "does not know becomes a new agency, or a new officer when it is a person's name. Your "
    "choice is kept for later imports."
)


class LeadColumn:
    TEXT, ACTIONS, LEADS, NOTE = range(4)


class LeadTable(QTableWidget):
    chosen = Signal(str, str, str)  # lead text, leads as typed, note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(
            ["Lead text as written", "Actions", "Agencies and officers", "Note"]
        )
        self.horizontalHeader().setStretchLastSection(True)
        self.setColumnWidth(LeadColumn.TEXT, 300)
        self.setColumnWidth(LeadColumn.LEADS, 340)
        self.setAccessibleName("Lead texts and what they become")
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._filling = False
        self.itemChanged.connect(self._edited)

    def fill(self, draft: PlanDraft) -> int:
        """Show the draft's lead texts; returns how many there are."""
        self._filling = True
        table = rows(draft)
        self.setRowCount(len(table))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(table):
            for c, text in enumerate((row.text, str(row.actions), row.leads, row.note)):
                item = QTableWidgetItem(text)
                if c in (LeadColumn.TEXT, LeadColumn.ACTIONS):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setToolTip(text if c == LeadColumn.TEXT else "")  # all of it, if cut
                else:
                    item.setToolTip(f"{text}\n\n{LEAD_TIP}" if text else LEAD_TIP)
                if row.chosen:
                    item.setFont(bold)
                item.setData(Qt.ItemDataRole.UserRole, row.text)
                self.setItem(r, c, item)
        self._filling = False
        return len(table)

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        r = item.row()
        self.chosen.emit(
            item.data(Qt.ItemDataRole.UserRole),
            self.item(r, LeadColumn.LEADS).text(),
            self.item(r, LeadColumn.NOTE).text(),
        )
