"""Choose an action's leads from the workspace's agencies and officers, plus a free-text note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.leads.listing import lead_choices
from cspdesk.core.plan.ops import LeadRef, get_leads
from cspdesk.store.db import Workspace

ROLE = Qt.ItemDataRole.UserRole + 1


class LeadPicker(QDialog):
    """Agencies, and officers shown with their agency; tick as many as lead the action."""

    def __init__(
        self, workspace: Workspace, action_id: int, note: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Leads")
        current = set(workspace.read(get_leads, action_id))
        choices = workspace.read(lead_choices)

        self.search = QLineEdit(placeholderText="Type to find an agency or officer")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find an agency or officer")
        self.list = QListWidget()
        self.list.setAccessibleName("Agencies and officers")
        for agency in choices.agencies:
            self._add(agency.name, (agency.id, None), current)
        for officer in choices.officers:
            label = officer.label
            if officer.agency_name:
                label += f" – {officer.agency_name}"
            self._add(label, (officer.agency_id, officer.id), current)
        self.note = QLineEdit(note)
        self.note.setPlaceholderText("Free-text lead note, as printed (optional)")
        self.note.setAccessibleName("Lead note")
        self.note.setCursorPosition(0)  # a long note opens at its start, not its end
        self.note.setToolTip(note)
        self.note.textChanged.connect(self.note.setToolTip)  # the whole note on hover
        self.search.textChanged.connect(self._filter)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(QLabel("Lead note:"))
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(460, 520)

    def _add(self, label: str, ref: LeadRef, current: set[LeadRef]) -> None:
        item = QListWidgetItem(label)
        item.setData(ROLE, ref)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        ticked = ref in current or (ref[1] is not None and (None, ref[1]) in current)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.list.addItem(item)

    def _filter(self, text: str) -> None:
        needle = text.casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def chosen(self) -> list[LeadRef]:
        refs: list[LeadRef] = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                agency_id, officer_id = item.data(ROLE)
                refs.append((agency_id, officer_id))
        return refs
