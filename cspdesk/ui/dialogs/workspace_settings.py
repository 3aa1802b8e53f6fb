"""Workspace settings: the partnership, its RAG scheme, its agencies and officers.

Every cell edited here is one undoable change, saved at once, like edits in the tree.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from cspdesk.core import ops
from cspdesk.core.model import Agency, Officer, Partnership, RagStatus
from cspdesk.ui.document import PlanDocument

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class EditableTable(QTableWidget):
    """Rows of one table; each edited cell becomes ops.edit_field(entity, key, field, text)."""

    def __init__(
        self,
        document: PlanDocument,
        entity: str,
        fields: list[tuple[str, str]],
        colour_fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(0, len(fields))
        self.document = document
        self.entity = entity
        self.fields = [name for name, _ in fields]
        self.colour_fields = colour_fields
        self.setHorizontalHeaderLabels([label for _, label in fields])
        self.horizontalHeader().setStretchLastSection(True)
        self.setAccessibleName(entity.replace("_", " "))
        self._loading = False
        self.itemChanged.connect(self._item_changed)
        self.cellDoubleClicked.connect(self._double_clicked)

    def load(self, rows: list[tuple[Any, dict[str, Any]]]) -> None:
        self._loading = True
        self.setRowCount(len(rows))
        for row, (key, values) in enumerate(rows):
            for column, name in enumerate(self.fields):
                value = values.get(name)
                item = QTableWidgetItem("" if value is None else str(value))
                item.setData(KEY_ROLE, key)
                if name in self.colour_fields and value:
                    item.setBackground(QColor(value))
                    item.setForeground(
                        QColor("#FFFFFF" if QColor(value).lightness() < 140 else "#000000")
                    )
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setToolTip("Double-click to choose a colour")
                if name == "code":
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.setItem(row, column, item)
        self.resizeColumnsToContents()
        self._loading = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        name = self.fields[item.column()]
        self.document.apply(
            ops.edit_field, self.entity, item.data(KEY_ROLE), name, item.text().strip()
        )

    def _double_clicked(self, row: int, column: int) -> None:
        name = self.fields[column]
        if name not in self.colour_fields:
            return
        item = self.item(row, column)
        colour = QColorDialog.getColor(QColor(item.text()), self, "Choose a colour")
        if colour.isValid():
            self.document.apply(
                ops.edit_field, self.entity, item.data(KEY_ROLE), name, colour.name().upper()
            )

    def selected_key(self) -> Any:
        item = self.currentItem()
        return None if item is None else item.data(KEY_ROLE)


class WorkspaceSettingsDialog(QDialog):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Workspace settings")
        self.tabs = QTabWidget()
        self.name = QLineEdit()
        self.areas = QLineEdit()
        partnership = QWidget()
        form = QFormLayout(partnership)
        form.addRow("Partnership name", self.name)
        form.addRow("Areas covered", self.areas)
        self.name.editingFinished.connect(lambda: self._edit_partnership("name", self.name))
        self.areas.editingFinished.connect(lambda: self._edit_partnership("areas", self.areas))

        self.scheme = EditableTable(
            document,
            "rag_status",
            [
                ("code", "Code"),
                ("label", "Label"),
                ("colour", "Colour"),
                ("text_colour", "Text colour"),
                ("meaning", "Meaning (printed in the key)"),
            ],
            colour_fields=("colour", "text_colour"),
        )
        self.agencies = EditableTable(
            document,
            "agency",
            [("name", "Agency"), ("short_name", "Short name"), ("email", "Email for returns")],
        )
        self.officers = EditableTable(
            document, "officer", [("name", "Officer"), ("initials", "Initials"), ("email", "Email")]
        )

        self.tabs.addTab(partnership, "Partnership")
        self.tabs.addTab(self.scheme, "RAG scheme")
        self.tabs.addTab(self._with_buttons(self.agencies, "agency"), "Agencies")
        self.tabs.addTab(self._with_buttons(self.officers, "officer"), "Officers")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.reload()
        document.changed.connect(lambda _change: self.reload())

    def _with_buttons(self, table: EditableTable, entity: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(table)
        row = QHBoxLayout()
        add = QPushButton(f"Add {entity}")
        remove = QPushButton(f"Delete {entity}")
        add.clicked.connect(lambda: self._add(entity))
        remove.clicked.connect(lambda: self._delete(table, entity))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def reload(self) -> None:
        def read(session):  # type: ignore[no-untyped-def]
            partnership = session.execute(select(Partnership)).scalar_one()
            scheme = session.execute(select(RagStatus).order_by(RagStatus.position)).scalars()
            agencies = session.execute(select(Agency).order_by(Agency.name)).scalars()
            officers = session.execute(select(Officer).order_by(Officer.name)).scalars()
            pick = lambda row, names: {n: getattr(row, n) for n in names}  # noqa: E731
            return (
                partnership.id,
                partnership.name,
                partnership.areas,
                [(r.code, pick(r, self.scheme.fields)) for r in scheme],
                [(r.id, pick(r, self.agencies.fields)) for r in agencies],
                [(r.id, pick(r, self.officers.fields)) for r in officers],
            )

        self.partnership_id, name, areas, scheme, agencies, officers = self.document.workspace.read(
            read
        )
        if not self.name.hasFocus():
            self.name.setText(name)
        if not self.areas.hasFocus():
            self.areas.setText(areas)
        self.scheme.load(scheme)
        self.agencies.load(agencies)
        self.officers.load(officers)

    def _edit_partnership(self, field: str, editor: QLineEdit) -> None:
        value = editor.text().strip()
        if field == "name" and not value:
            return
        self.document.edit_field("partnership", self.partnership_id, field, value)

    def _add(self, entity: str) -> None:
        existing = self.document.workspace.read(
            lambda s: set(
                s.execute(select(Agency.name if entity == "agency" else Officer.name)).scalars()
            )
        )
        base = "New agency" if entity == "agency" else "New officer"
        name, number = base, 2
        while name in existing:
            name, number = f"{base} {number}", number + 1
        self.document.apply(ops.add_row, entity, name=name)

    def _delete(self, table: EditableTable, entity: str) -> None:
        key = table.selected_key()
        if key is not None:
            self.document.apply(ops.delete_item, entity, key)


def run_workspace_settings_dialog(parent: QWidget, document: PlanDocument) -> None:
    WorkspaceSettingsDialog(document, parent).exec()
