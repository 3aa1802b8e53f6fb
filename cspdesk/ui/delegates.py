"""Editors inside the tree: the RAG drop-down shows each status's colour and its label."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from cspdesk.ui.plan_model import Column, RagStyle

AnyIndex = QModelIndex | QPersistentModelIndex


def fill_rag_combo(combo: QComboBox, style: RagStyle, *, allow_none: bool = True) -> None:
    combo.clear()
    if allow_none:
        combo.addItem("(not set)", None)
    for code in style.codes:
        combo.addItem(style.icons[code], style.label(code), code)


class RagDelegate(QStyledItemDelegate):
    def __init__(self, style: RagStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rag_style = style

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() != Column.RAG:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setAccessibleName("RAG status")
        fill_rag_combo(combo, self.rag_style)
        # Commit as soon as a status is picked: one click, one undo step.
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox) and index.column() == Column.RAG:
            code = index.data(Qt.ItemDataRole.EditRole)
            editor.setCurrentIndex(max(0, editor.findData(code)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox) and index.column() == Column.RAG:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
