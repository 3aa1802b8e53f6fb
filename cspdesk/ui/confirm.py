"""Asking before a delete that takes more than the user pointed at: Cancel is the default."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_delete(parent: QWidget | None, title: str, question: str, undo_hint: str) -> bool:
    """True when the user chose Delete; Enter, Escape and closing the box keep everything.
    ``undo_hint`` says where the undo is from there ("Undo (Ctrl+Z) puts it all back.")."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(undo_hint)
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete
