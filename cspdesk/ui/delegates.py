"""Editors inside the tree: the RAG drop-down shows each status's colour and its label, and
only a status picked from it is ever saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from cspdesk.ui.plan_model import RAG_CODE_ROLE, Column, RagStyle

AnyIndex = QModelIndex | QPersistentModelIndex


def fill_rag_combo(combo: QComboBox, style: RagStyle, *, allow_none: bool = True) -> None:
    combo.clear()
    if allow_none:
        combo.addItem("(not set)", None)
    for code in style.codes:
        combo.addItem(style.icons[code], style.label(code), code)


class ListPicker(QComboBox):
    """A drop-down used as a cell editor, where only a pick counts: Enter or a click on an item,
    or a key that changes it while its list is closed (all say ``activated``). Its list closed
    without a pick (Escape, a click elsewhere, the window left) says ``dismissed``, so the edit
    can end there with nothing changed, rather than leave a closed drop-down behind where the
    next Home or arrow key would pick a value the officer never chose."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picked = False
        self.activated.connect(self._note_pick)
        # The list is a window of its own that closes itself on Escape (hidePopup is not
        # called): only its Hide event tells every way it closes.
        self.view().window().installEventFilter(self)

    def _note_pick(self, _row: int) -> None:
        self.picked = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and watched is self.view().window():
            # A pick is announced (activated) just after its list hides: look once it has.
            QTimer.singleShot(0, self, self._after_list_closed)
        return super().eventFilter(watched, event)

    def _after_list_closed(self) -> None:
        # Picked, shown again meanwhile, or the edit already over (hidden): nothing to end.
        if not self.picked and self.isVisible() and not self.view().isVisible():
            self.dismissed.emit()


class RagDelegate(QStyledItemDelegate):
    """``style`` is asked on every edit, so a renamed status shows its new label at once."""

    def __init__(self, style: Callable[[], RagStyle], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current_style = style
        self.cursor_at_end = False  # F2: edit the text where it ends, as file managers do
        # The cell whose editor is open: a colleague's change to it waits until it closes.
        self.editing = QPersistentModelIndex()
        # Asked before any editor opens (a double-click too): True when the cell may not be
        # edited now, the reason said by the asker, so no editor opens only to refuse the save.
        self.refuse: Callable[[AnyIndex], bool] = lambda _index: False

    @property
    def rag_style(self) -> RagStyle:
        return self.current_style()

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        # Cut at the end, and only where the column has no room: what was typed in the filter
        # (near the start, mostly) stays in sight; the tooltip has all of it.
        option.textElideMode = Qt.TextElideMode.ElideRight  # type: ignore[attr-defined]
        if index.column() == Column.RAG:
            self._fit_rag_label(option, index)

    def _fit_rag_label(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """In a narrow column, or one running out of sight, "Green (plan)" reads "Green", not
        "Green (pl…": the words after the label are explained on hover, the label itself is
        what must be read."""
        text: str = option.text  # type: ignore[attr-defined]
        code = index.data(RAG_CODE_ROLE)
        label = self.rag_style.label(code)
        if not label or text == label or not option.rect.width():  # type: ignore[attr-defined]
            return
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
        room = area.width()
        if isinstance(widget, QAbstractItemView):  # a column half out of sight: what shows
            room = min(room, widget.viewport().width() - area.left())
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1)
        if option.fontMetrics.horizontalAdvance(text) + margin > room:  # type: ignore[attr-defined]
            option.text = label  # type: ignore[attr-defined]

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if self.refuse(index):
            # No editor: Qt's view takes a null one as "not editing" (the stubs do not say so).
            return None  # type: ignore[return-value]
        self.editing = QPersistentModelIndex(index)
        if index.column() != Column.RAG:
            editor = super().createEditor(parent, option, index)
            if self.cursor_at_end and isinstance(editor, QLineEdit):
                self.cursor_at_end = False
                # The view selects the whole text after this returns: move the cursor after it.
                QTimer.singleShot(0, lambda: editor.end(False))
            return editor
        combo = ListPicker(parent)
        combo.setAccessibleName("RAG status")
        combo.setFrame(False)  # as tall as the row where the style allows
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        fill_rag_combo(combo, self.rag_style)
        # Commit as soon as a status is picked (one click, one undo step), and close: the keys go
        # back to the tree, where Tab leaves it rather than moving to the next row's editor.
        combo.activated.connect(lambda _i: self._picked(combo))
        combo.dismissed.connect(lambda: self._dismissed(combo))
        return combo

    def _dismissed(self, combo: ListPicker) -> None:
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def _picked(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def destroyEditor(self, editor: QWidget, index: AnyIndex) -> None:
        self.editing = QPersistentModelIndex()
        super().destroyEditor(editor, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        if not isinstance(editor, QComboBox):
            super().updateEditorGeometry(editor, option, index)
            return
        # Over the whole cell (the combo draws its own swatch, so not after the cell's one),
        # never "Gree▾": as wide as its longest label, and inside the tree's visible width.
        cell = option.rect  # type: ignore[attr-defined]
        width = max(cell.width(), editor.sizeHint().width())
        viewport = editor.parentWidget()
        room = viewport.width() if viewport is not None else width
        left = max(0, min(cell.x(), room - width))
        # A combo is taller than a row: centred on its row, not hanging over the next one.
        height = max(cell.height(), editor.minimumSizeHint().height())
        editor.setGeometry(left, cell.center().y() - (height - 1) // 2, width, height)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox) and index.column() == Column.RAG:
            code = index.data(Qt.ItemDataRole.EditRole)
            editor.setCurrentIndex(max(0, editor.findData(code)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, ListPicker):
            # The view also commits when the editor loses the keys or another row is clicked:
            # what the drop-down merely shows (maybe the plan's RAG, not one agreed) is not saved.
            if editor.picked:
                model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
