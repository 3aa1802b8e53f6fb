"""Saving a multi-line editor when it loses focus (QPlainTextEdit has no editingFinished)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject


class FocusOut(QObject):
    """An event filter that calls back when the watched editor loses focus."""

    def __init__(self, callback: Callable[[], object]) -> None:
        super().__init__()
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.callback()
        return False
