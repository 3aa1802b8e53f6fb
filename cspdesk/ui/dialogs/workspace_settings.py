"""Workspace settings: the partnership, its RAG scheme, its agencies and officers.

Every cell edited here is one undoable change, saved at once, like edits in the tree. Two
agencies (or officers) can be merged; renaming one to another's name offers that merge.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cspdesk import identity
from cspdesk.core.leads.aliases import forget, list_aliases
from cspdesk.core.leads.listing import free_name
from cspdesk.core.leads.merge import merge, same_name
from cspdesk.core.leads.usage import lead_use, several_question
from cspdesk.core.plan import ops
from cspdesk.core.workspace.settings import workspace_settings
from cspdesk.errors import CspdeskError
from cspdesk.ui.confirm import confirm_delete
from cspdesk.ui.document import PlanDocument
from cspdesk.ui.error_report import report_unexpected

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
UNDO_HINT = "Edit > Undo {label} in the main window puts it all back."


class EditableTable(QTableWidget):
    """Rows of one table; each edited cell becomes ops.edit_field(entity, key, field, text)."""

    def __init__(
        self,
        document: PlanDocument,
        entity: str,
        fields: list[tuple[str, str]],
        colour_fields: tuple[str, ...] = (),
        apply: Callable[..., object] | None = None,
        renamed: Callable[[Any, str], bool] | None = None,
    ) -> None:
        super().__init__(0, len(fields))
        self.document = document
        self.apply = apply or document.apply
        # Asked before a name is saved; True when it took care of the rename (a merge).
        self.renamed = renamed
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
        key, text = item.data(KEY_ROLE), item.text().strip()
        if name == "name" and self.renamed is not None and self.renamed(key, text):
            return
        self.apply(ops.edit_field, self.entity, key, name, text)
        if name == "name":  # the rows are sorted by name: follow the row to where it went
            self.show_row(key, edit=False)

    def _double_clicked(self, row: int, column: int) -> None:
        name = self.fields[column]
        if name not in self.colour_fields:
            return
        item = self.item(row, column)
        colour = QColorDialog.getColor(QColor(item.text()), self, "Choose a colour")
        if colour.isValid():
            self.apply(
                ops.edit_field, self.entity, item.data(KEY_ROLE), name, colour.name().upper()
            )

    def show_row(self, key: Any, *, edit: bool = True) -> None:
        """Select the row of ``key`` and scroll to it; ``edit``: start editing its name."""
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.data(KEY_ROLE) == key:
                self.setCurrentItem(item)
                self.scrollToItem(item)
                self.setFocus()
                if edit:
                    self.editItem(item)
                return

    def selected_key(self) -> Any:
        item = self.currentItem()
        return None if item is None else item.data(KEY_ROLE)

    def selected_rows(self) -> list[tuple[Any, str]]:
        """(key, name) of each selected row, in table order."""
        rows = sorted({index.row() for index in self.selectedIndexes()})
        return [(self.item(r, 0).data(KEY_ROLE), self.item(r, 0).text()) for r in rows]


class WorkspaceSettingsDialog(QDialog):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Workspace settings")
        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName("Settings pages")
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
            apply=self.apply,
            renamed=lambda key, name: self._renamed("agency", key, name),
        )
        self.officers = EditableTable(
            document,
            "officer",
            [("name", "Officer"), ("initials", "Initials"), ("email", "Email")],
            apply=self.apply,
            renamed=lambda key, name: self._renamed("officer", key, name),
        )
        for table in (self.agencies, self.officers):
            table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

        self.tabs.addTab(partnership, "Partnership")
        self.tabs.addTab(self.scheme, "RAG scheme")
        self.tabs.addTab(self._with_buttons(self.agencies, "agency"), "Agencies")
        self.tabs.addTab(self._with_buttons(self.officers, "officer"), "Officers")
        self.tabs.addTab(self._aliases_page(), "Lead readings")
        self.tabs.addTab(self._you_page(), "You")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        # Enter anywhere does nothing: no button here is one to press by accident.
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.reload()
        # A bound method, let go of when the dialog closes: a closed dialog that still listened
        # would reload its deleted fields on every later edit of the plan.
        document.changed.connect(self._plan_changed)
        self.finished.connect(self._stop_listening)

    def show_page(self, title: str) -> None:
        """Open on the page of that title ("Agencies"...), if there is one."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)

    def _plan_changed(self, _change: object) -> None:
        self.reload()

    def _stop_listening(self, _result: int = 0) -> None:
        with contextlib.suppress(RuntimeError, TypeError):  # already let go
            self.document.changed.disconnect(self._plan_changed)

    def _you_page(self) -> QWidget:
        """The user's own name: it signs their changes, which matters on a shared plan."""
        page = QWidget()
        form = QFormLayout(page)
        self.user_name = QLineEdit(self.document.workspace.who)
        self.user_name.setAccessibleName("Your name")
        self.user_name.setPlaceholderText("e.g. Emma Clark")
        self.user_name.setMaxLength(identity.MAX_NAME_LENGTH)
        self.user_name.editingFinished.connect(self._save_user_name)
        form.addRow("Your name", self.user_name)
        note = QLabel(
            "Signs your changes in each item's history, the updates you type and the quarters "
            "you close, so colleagues on a shared plan see who changed what. Kept on this "
            "computer; leave it blank to use your account's name."
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _save_user_name(self) -> None:
        identity.save_user_name(self.user_name.text())
        self.document.workspace.who = identity.user_name()
        self.user_name.setText(self.document.workspace.who)

    def _aliases_page(self) -> QWidget:
        """The lead texts corrected on import, and what they were chosen to mean."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel("Lead texts you corrected when importing, read this way in later imports.")
        )
        self.aliases = QTableWidget(0, 3)
        self.aliases.setHorizontalHeaderLabels(["Lead text", "Agencies and officers", "Note"])
        self.aliases.horizontalHeader().setStretchLastSection(True)
        self.aliases.resizeColumnsToContents()  # the headings whole: "Agencies and officers"
        self.aliases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.aliases.setAccessibleName("Lead readings")
        layout.addWidget(self.aliases)
        forget_button = QPushButton("Forget this reading")
        forget_button.setAutoDefault(False)
        forget_button.clicked.connect(self._forget_alias)
        row = QHBoxLayout()
        row.addWidget(forget_button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _forget_alias(self) -> None:
        item = self.aliases.item(self.aliases.currentRow(), 0)
        if item is not None:
            self.apply(forget, item.text())

    def _with_buttons(self, table: EditableTable, entity: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(table)
        row = QHBoxLayout()
        add = QPushButton(f"Add {entity}")
        remove = QPushButton(f"Delete {entity}")
        merge_button = QPushButton("Merge…")
        merge_button.setToolTip(
            f"Select two {entity} rows (Ctrl+click) to make them one: leads"
            + (", officers" if entity == "agency" else "")
            + ", returns history and aliases move to the one kept"
        )
        merge_button.setEnabled(False)
        table.itemSelectionChanged.connect(
            lambda: merge_button.setEnabled(len(table.selected_rows()) == 2)
        )
        # None of these is pressed by Enter: they add, delete or merge rows.
        for button in (add, remove, merge_button):
            button.setAutoDefault(False)
        add.clicked.connect(lambda: self._add(entity))
        remove.clicked.connect(lambda: self._delete(table, entity))
        merge_button.clicked.connect(lambda: self._merge_selected(table, entity))
        setattr(self, f"{entity}_merge_button", merge_button)
        row.addWidget(add)
        row.addWidget(remove)
        row.addWidget(merge_button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def reload(self) -> None:
        settings = self.document.workspace.read(workspace_settings)
        self.partnership_id = settings.partnership_id
        if not self.name.hasFocus():
            self.name.setText(settings.name)
        if not self.areas.hasFocus():
            self.areas.setText(settings.areas)
        self.scheme.load(settings.rag_statuses)
        self.agencies.load(settings.agencies)
        self.officers.load(settings.officers)
        aliases = self.document.workspace.read(list_aliases)
        self.aliases.setRowCount(len(aliases))
        for r, alias in enumerate(aliases):
            for c, text in enumerate((alias.text, alias.leads, alias.note)):
                self.aliases.setItem(r, c, QTableWidgetItem(text))

    # ---- changes, guarded ----------------------------------------------------------------

    def apply(self, operation: Callable[..., ops.Change], *args: Any, **kwargs: Any) -> object:
        """Run one change; an error nobody expected is shown and logged, never raised."""
        text = kwargs.pop("text", None)
        try:
            change = self.document.commit(operation, *args, **kwargs)
        except Exception as error:  # the window must survive anything a change raises
            report_unexpected(self, "Workspace settings", error, saved=False)
            self.reload()
            return None
        if change is None:
            return None
        try:
            self.document.push(change, text)
        except Exception as error:  # saved, but the window could not show it
            report_unexpected(self, "Workspace settings", error, saved=True)
            self.document.reload()
            self.reload()
        return change

    def _read_only(self, title: str) -> bool:
        """True, once said, when nothing can be saved: said before any question is asked."""
        if self.document.read_only:
            QMessageBox.information(self, title, self.document.read_only_sentence())
        return self.document.read_only

    def _merge_selected(self, table: EditableTable, entity: str) -> None:
        rows = table.selected_rows()
        if len(rows) != 2 or self._read_only(f"Merge {entity}s"):
            return
        (first, first_name), (second, second_name) = rows
        box = QMessageBox(self)
        box.setWindowTitle(f"Merge {entity}s")
        box.setText(
            f"Make {first_name!r} and {second_name!r} one {entity}? Leads"
            + (", officers" if entity == "agency" else "")
            + ", returns history and aliases move to the one you keep."
        )
        keep_first = box.addButton(f"Keep {first_name}", QMessageBox.ButtonRole.AcceptRole)
        keep_second = box.addButton(f"Keep {second_name}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is keep_first:
            self.apply(merge, entity, first, second, text=f"Merge {entity}s")
        elif box.clickedButton() is keep_second:
            self.apply(merge, entity, second, first, text=f"Merge {entity}s")

    def _renamed(self, entity: str, key: Any, name: str) -> bool:
        """Renaming to another's name: offer to merge the two (True: handled here)."""
        try:
            other = self.document.workspace.read(same_name, entity, key, name)
        except CspdeskError as error:
            QMessageBox.warning(self, "Workspace settings", str(error))
            return True
        if other is None:
            return False
        answer = QMessageBox.question(
            self,
            f"Merge {entity}s",
            f"There is already an {entity} called {name!r}. Merge this one into it? Its leads"
            + (", officers" if entity == "agency" else "")
            + ", returns history and aliases move there; Undo separates them again.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.apply(merge, entity, other, key, text=f"Merge {entity}s")
        else:
            self.reload()
        return True

    def _edit_partnership(self, field: str, editor: QLineEdit) -> None:
        value = editor.text().strip()
        if field == "name" and not value:
            return
        self.document.edit_field("partnership", self.partnership_id, field, value)

    def _add(self, entity: str) -> None:
        """A new row named "New agency" (2, 3…), shown where it sorts, with its name to type."""
        name = self.document.workspace.read(free_name, entity)
        change = self.apply(ops.add_row, entity, name=name)
        table = self.agencies if entity == "agency" else self.officers
        if isinstance(change, ops.ItemAdded):
            table.show_row(change.id)

    def _delete(self, table: EditableTable, entity: str) -> None:
        """Delete every selected row as one undo step: one row goes at once unless actions,
        officers or readings name it; several are asked about once, naming how many. A
        workspace open read-only says so before any question."""
        rows = table.selected_rows()
        if not rows:
            return
        if self._read_only(f"Delete {entity}"):
            return
        keys = [key for key, _name in rows]
        label = f"Delete {entity}" if len(keys) == 1 else f"Delete {len(keys)} {_plural(entity)}"
        uses = [self.document.workspace.read(lead_use, entity, key) for key in keys]
        asking = len(uses) > 1 or uses[0].in_use
        question = several_question(uses) if len(uses) > 1 else uses[0].question()
        if asking and not confirm_delete(
            self, f"Delete {entity}", question, UNDO_HINT.format(label=label)
        ):
            table.setFocus()
            return

        def delete_all(session: Any) -> ops.Change:
            changes = tuple(ops.delete_item(session, entity, key) for key in keys)
            return changes[0] if len(changes) == 1 else ops.ChangeSet(changes, label)

        self.apply(delete_all)
        # Back to the table: the Delete button kept the focus, so Space deleted the next row.
        table.setFocus()


def _plural(entity: str) -> str:
    return "agencies" if entity == "agency" else f"{entity}s"


def run_workspace_settings_dialog(parent: QWidget, document: PlanDocument) -> None:
    WorkspaceSettingsDialog(document, parent).exec()
