"""Left and Home in the plan tree once the keyboard is on a cell other than the title (after
Ctrl+R or Ctrl+D, or a click there): back towards the title, as in a table.

Left steps to the column before it on screen (hidden ones skipped), Home goes to the title at
once; on the title both keep the tree's own meaning (fold the item or go to its parent; the
first item).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from cspdesk.ui.plan_model import Column

BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Home)


class CellKeys(QObject):
    """Installed on the tree: moves the current cell within its row for Left and Home."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        tree.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in BACK_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        tree = self.tree
        current = tree.currentIndex()
        if (
            not current.isValid()
            or current.column() == Column.TITLE
            or tree.state() == QAbstractItemView.State.EditingState
        ):
            return False
        column = Column.TITLE if event.key() == Qt.Key.Key_Home else self._before(current.column())
        if column is None:
            return False
        # Within the row: what is selected stays selected.
        tree.selectionModel().setCurrentIndex(
            current.siblingAtColumn(column), QItemSelectionModel.SelectionFlag.NoUpdate
        )
        tree.scrollTo(tree.currentIndex())
        return True

    def _before(self, column: int) -> int | None:
        """The nearest shown column left of ``column`` as the columns stand on screen (the
        officer may have dragged them), or None at the left edge."""
        header = self.tree.header()
        place = header.visualIndex(column) - 1
        while place >= 0 and header.isSectionHidden(header.logicalIndex(place)):
            place -= 1
        return header.logicalIndex(place) if place >= 0 else None
