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
from sqlalchemy import select

from cspdesk.core.plan.model import Agency, Officer
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
        rows = workspace.read(
            lambda s: (
                s.execute(select(Agency.id, Agency.name).order_by(Agency.name)).all(),
                s.execute(
                    select(
                        Officer.id, Officer.name, Officer.initials, Officer.agency_id, Agency.name
                    )
                    .outerjoin(Agency, Agency.id == Officer.agency_id)
                    .order_by(Officer.name)
                ).all(),
            )
        )
        agencies, officers = rows

        self.search = QLineEdit(placeholderText="Type to find an agency or officer")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find an agency or officer")
        self.list = QListWidget()
        self.list.setAccessibleName("Agencies and officers")
        for agency_id, name in agencies:
            self._add(name, (agency_id, None), current)
        for officer_id, name, initials, agency_id, agency_name in officers:
            label = f"{name} ({initials})" if initials else name
            if agency_name:
                label += f" – {agency_name}"
            self._add(label, (agency_id, officer_id), current)
        self.note = QLineEdit(note)
        self.note.setPlaceholderText("Free-text lead note, as printed (optional)")
        self.note.setAccessibleName("Lead note")
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
