"""The reader's place in the plan tree (what is open, what is selected), kept across reloads."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QPoint
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from cspdesk.ui.plan_model import PlanModel


class TreePlace:
    """Remembers expanded and selected items by key before a model reset, restores them after."""

    def __init__(self, tree: QTreeView, model: PlanModel) -> None:
        self.tree = tree
        self.model = model
        self.expanded: list[tuple[str, int]] = []
        self.selected: list[tuple[str, int]] = []
        self.current: tuple[str, int] | None = None
        self.paused = False  # while a filter resets the model: it sets the expansion itself
        model.modelAboutToBeReset.connect(self.remember)
        model.modelReset.connect(self.restore)
        # Rows added or deleted above the reader's place must not shift what they read.
        self._top: list[QPersistentModelIndex] = []
        model.rows_changing.connect(self._remember_top)
        for done in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            done.connect(self._keep_top)

    def remember(self) -> None:
        if self.paused:
            return
        self.expanded = []
        # Walk only the open branches: a folded objective's thousand actions cost nothing.
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if self.tree.isExpanded(index):
                    self.expanded.append(self.model.node(index).key)
                    stack.append(index)
        selection = self.tree.selectionModel()
        self.selected = [self.model.node(i).key for i in selection.selectedRows(0)]
        current = self.tree.currentIndex()
        self.current = self.model.node(current).key if current.isValid() else None

    def restore(self) -> None:
        if self.paused:
            return
        for key in self.expanded:
            index = self.model.find(*key)
            if index.isValid():
                self.tree.setExpanded(index, True)
        selection = self.tree.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        if self.current is not None:
            index = self.model.find(*self.current)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        selection.clearSelection()
        for key in self.selected:
            index = self.model.find(*key)
            if index.isValid():
                selection.select(index, flags)

    def _remember_top(self, *_args: object) -> None:
        """The first row the reader sees, and the rows under it (one may be the one to go)."""
        self._top = []
        index = self.tree.indexAt(QPoint(1, 1))
        while index.isValid() and len(self._top) < 8:
            self._top.append(QPersistentModelIndex(index))
            index = self.tree.indexBelow(index)

    def _keep_top(self, *_args: object) -> None:
        kept = next((index for index in self._top if index.isValid()), None)
        top = None if kept is None else kept.sibling(kept.row(), 0)
        self._top = []
        if top is None:
            return
        # Always: the view may not have laid the rows out again yet, so asking it where the
        # first row is now would still give the old answer.
        self.tree.scrollTo(top, QAbstractItemView.ScrollHint.PositionAtTop)
