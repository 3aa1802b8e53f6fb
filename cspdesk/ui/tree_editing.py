"""Editing in the plan tree: add, delete, move, rename and the cell editors, with their keys."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QApplication, QComboBox, QMenu, QWidget

from cspdesk.core.plan.held import delete_scope
from cspdesk.core.plan.model import child_level, parent_level
from cspdesk.core.plan.new_plan import free_plan_year
from cspdesk.errors import CspdeskError
from cspdesk.ui.confirm import confirm_delete
from cspdesk.ui.delegates import RagDelegate
from cspdesk.ui.plan_model import EDITABLE, Column

if TYPE_CHECKING:
    from cspdesk.ui.document import PlanDocument
    from cspdesk.ui.main_window import MainWindow

NEW_TITLES = {
    "plan": "New plan",
    "priority": "New priority",
    "objective": "New objective",
    "action": "New action",
    "milestone": "New milestone",
}


class TreeEditing(QObject):
    """The Edit menu's items for the tree (and its context menu), and what they do."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tree = window.tree
        self._pending_insert: tuple[str, int] | None = None
        self._asked = False  # the cell about to be edited was just asked about: not again
        std = QKeySequence.StandardKey
        self.add_sibling_action = self._action(
            "Add &item", self.add_sibling, "Ins", tip="Add an item after the selected one"
        )
        self.add_child_action = self._action(
            "Add &child", self.add_child, "Ctrl+Ins", tip="Add an item under the selected one"
        )
        self.delete_action = self._action("&Delete", self.delete_selected, std.Delete)
        self.move_up_action = self._action("Move u&p", lambda: self.move_selected(-1), "Ctrl+Up")
        self.move_down_action = self._action(
            "Move do&wn", lambda: self.move_selected(+1), "Ctrl+Down"
        )
        self.leads_action = self._action("Edit &leads…", self.edit_leads, "Ctrl+L")
        self.rename_action = self._action("&Edit cell", self.rename_selected, "F2")
        self.rag_action = self._action(
            "Set R&AG…",
            lambda: self.edit_column(Column.RAG),
            "Ctrl+R",
            tip="Choose the selected action's agreed RAG, or a milestone's, from the list",
        )
        self.due_action = self._action(
            "Edit &timescale / due",
            lambda: self.edit_column(Column.TIMESCALE),
            "Ctrl+D",
            tip="Type an action's timescale, or a milestone's due date (15/12/2016)",
        )
        for action in self.menu_actions():
            if action is self.rename_action:
                continue  # F2 is the window's: it renames wherever the focus is
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str,
        *,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        return action

    def menu_actions(self) -> list[QAction]:
        """The Edit menu's items after Undo and Redo, in order."""
        return [
            self.rename_action,
            self.rag_action,
            self.due_action,
            self.add_sibling_action,
            self.add_child_action,
            self.delete_action,
            self.move_up_action,
            self.move_down_action,
            self.leads_action,
        ]

    @property
    def document(self) -> PlanDocument:
        assert self.window.document is not None
        return self.window.document

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 5000)

    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self.window)
        menu.addActions(
            [
                self.rename_action,
                self.rag_action,
                self.due_action,
                self.add_sibling_action,
                self.add_child_action,
                self.leads_action,
            ]
        )
        menu.addSeparator()
        menu.addActions([self.move_up_action, self.move_down_action, self.delete_action])
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def current_changed(self, kind: str | None) -> None:
        """The items that apply to the current row only are enabled for it."""
        self.leads_action.setEnabled(kind == "action")
        self.add_child_action.setEnabled(kind is not None and child_level(kind) is not None)

    # ---- edits ----

    def add_sibling(self) -> None:
        key = self.window.current_key()
        if key is None:
            self._add("plan", None, None)
            return
        node = self.document.model.index_by_key[key]
        parent = node.parent
        parent_id = None if parent is None or parent.kind == "root" else parent.id
        position = parent.children.index(node) + 1 if parent is not None else None
        self._add(node.kind, parent_id, position)

    def add_child(self) -> None:
        key = self.window.current_key()
        if key is None:
            return
        kind = child_level(key[0])
        if kind is not None:
            self._add(kind, key[1], None)

    def _add(self, kind: str, parent_id: int | None, position: int | None) -> None:
        above = parent_level(kind)
        refusal = self._kept_refusal(
            [(above, parent_id)] if above is not None and parent_id is not None else [],
            whole_plans=True,
        )
        if refusal is not None:  # said before an item appears, never after in a box
            self._say(refusal)
            return
        values = {"title": NEW_TITLES[kind]}
        if kind == "plan":
            values = {"year": self._free_year(), "title": "Partnership Plan"}
        new_key = self.document.add_item(kind, parent_id, position, **values)
        if new_key is not None:
            parent_index = self.document.model.find(*new_key).parent()
            self.tree.expand(parent_index)
            self.window.select(new_key)
            self._pending_insert = new_key if kind != "plan" else None
            self.tree.edit(self.document.model.find(*new_key))

    def editor_closed(self, _editor: QWidget, hint: object) -> None:
        """Escape on the title of an item just inserted takes the insert back."""
        pending, self._pending_insert = self._pending_insert, None
        document = self.window.document
        if document is not None:  # once the editor is gone: what waited for it
            QTimer.singleShot(0, document.catch_up_waiting)
        if pending is None or document is None:
            return
        if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
            node = document.model.index_by_key.get(pending)
            if node is not None and node.title == NEW_TITLES[pending[0]]:
                document.undo_stack.undo()

    def start_plan_by_hand(self) -> None:
        """From an empty workspace: a plan for this year and its first priority, title to type."""
        plan = self.document.add_item(
            "plan", None, None, year=self._free_year(), title="Partnership Plan"
        )
        if plan is not None:
            self._add("priority", plan[1], None)

    def _free_year(self) -> str:
        return self.document.workspace.read(free_plan_year, dt.date.today())

    def delete_selected(self) -> None:
        keys = self.window.selected_keys()
        if not keys:
            return
        # Deleting a parent deletes its children: drop children of selected parents.
        chosen = set(keys)
        model = self.document.model
        top = []
        for key in keys:
            ancestor = model.index_by_key[key].parent
            while ancestor is not None and ancestor.key not in chosen:
                ancestor = ancestor.parent
            if ancestor is None:
                top.append(key)
        document = self.document
        refusal = self._kept_refusal(top, whole_plans=False)
        if refusal is not None:  # said before any question: a Yes would only be refused
            self._say(f"{refusal} Nothing was deleted.")
            return
        try:  # what goes with them, to ask first
            scope = document.workspace.read(delete_scope, top)
        except (CspdeskError, ValueError, LookupError) as error:
            if not document.held_back(error):  # the server away says so, like a failed save
                document.error.emit(f"{error}\nNothing was deleted.")
            return
        several = len(top) > 1  # asked, as a file manager asks: a stray Shift+click is not lost
        if (scope.holds_anything or several) and not confirm_delete(
            self.window, "Delete", scope.question(), "Undo (Ctrl+Z) puts it all back."
        ):
            return
        if document.delete_items(top):  # refused, server away: not said
            self._say(f"{scope.done()} Undo with Ctrl+Z.")

    def _kept_refusal(self, keys: list[tuple[str, int]], *, whole_plans: bool) -> str | None:
        """Why these items may not be changed (a workspace open read-only, items of a plan
        kept read-only), or None; checked before any question is asked or item added. Not
        ``whole_plans``: a plan itself may go even when kept read-only (deleting)."""
        if self.document.read_only:
            return self.document.read_only_sentence()
        plans: set[int] = set()
        for key in keys:
            node = self.document.model.index_by_key[key]
            if node.kind == "plan" and not whole_plans:
                continue
            while node.parent is not None and node.kind != "plan":
                node = node.parent
            plans.add(node.id)
        for plan_id in sorted(plans):
            reason = self.document.why_not_editable("plan", plan_id)
            if reason is not None:
                return reason
        return None

    def move_selected(self, step: int) -> None:
        key = self.window.current_key()
        if key is None:
            return
        node = self.document.model.index_by_key[key]
        parent = node.parent
        if parent is None:
            return
        position = parent.children.index(node) + step
        if not 0 <= position < len(parent.children):
            return
        parent_id = None if parent.kind == "root" else parent.id
        self.document.move_items([key], parent_id, position)
        self.window.select(key)

    def rename_selected(self) -> None:
        """F2: edit the current cell, or the title when that cell cannot be edited."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            index = index.siblingAtColumn(Column.TITLE)
        if self.refuse_edit(index):
            return
        self.tree.setCurrentIndex(index)
        delegate = self.tree.itemDelegate()
        if isinstance(delegate, RagDelegate):
            delegate.cursor_at_end = True
        self._edit_asked(index)

    def refuse_edit(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """True when the cell may not be edited now (a workspace or plan kept read-only, a
        closed quarter's RAG): the status bar says why once, and no editor opens."""
        node = self.document.model.node(index)
        reason = self.document.why_not_editable(
            node.kind,
            node.id,
            in_current_quarter=index.column() == Column.RAG and node.kind == "action",
        )
        if reason is not None:
            self._say(reason)
        return reason is not None

    def refuse_on_open(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """The delegate's question before any editor opens (a double-click too): asked unless
        F2, Ctrl+R or Ctrl+D asked it a moment ago."""
        return not self._asked and self.refuse_edit(index)

    def _edit_asked(self, index: QModelIndex) -> None:
        self._asked = True
        try:
            self.tree.edit(index)
        finally:
            self._asked = False

    def edit_column(self, column: Column) -> None:
        """Open the editor of ``column`` in the current row (the RAG list opens at once)."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        cell = index.siblingAtColumn(column)
        kind = self.document.model.node(cell).kind
        if kind not in EDITABLE[column]:
            what = "RAG" if column == Column.RAG else "timescale or due date"
            article = "An" if kind[0] in "aeiou" else "A"
            self._say(f"{article} {kind} has no {what} to set here.")
            return
        if self.refuse_edit(cell):
            return
        # The selection as it is: the view would read the Ctrl still held as Ctrl+click and
        # take the row out of the selection.
        self.tree.selectionModel().setCurrentIndex(cell, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.tree.scrollTo(cell)
        self._edit_asked(cell)
        editor = self.tree.indexWidget(cell) or QApplication.focusWidget()
        if column == Column.RAG and isinstance(editor, QComboBox):
            QTimer.singleShot(0, editor.showPopup)

    def edit_leads(self) -> None:
        key = self.window.current_key()
        if key is None or key[0] != "action" or self.window.detail is None:
            return
        self.window.detail._pick_leads(key[1])
