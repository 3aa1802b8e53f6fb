"""Ctrl+Z wherever the cursor is: a text box undoes its own typing first, then the plan's."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def _own_undo_left(widget: QObject) -> bool | None:
    """Whether a text box has typing of its own to undo (None: not a text box)."""
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.document().isUndoAvailable() and not widget.isReadOnly()
    return None


class PlanUndoKeys(QObject):
    """Lets Ctrl+Z (and redo) reach the plan's undo from a text box with nothing of its own to
    undo: such a box would otherwise take the key and do nothing."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or not self.window.isAncestorOf(watched):
            return False
        if not (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
        ):
            return False
        if _own_undo_left(watched) is False and event.matches(QKeySequence.StandardKey.Undo):
            event.ignore()  # not the box's: the window's Undo shortcut takes it
            return True
        if isinstance(watched, QLineEdit | QPlainTextEdit | QTextEdit) and event.matches(
            QKeySequence.StandardKey.Redo
        ):
            own_redo = (
                watched.isRedoAvailable()
                if isinstance(watched, QLineEdit)
                else watched.document().isRedoAvailable()
            )
            if not own_redo:
                event.ignore()
                return True
        return False
