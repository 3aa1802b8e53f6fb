"""A drop-down in the details pane that changes the plan only by a pick from its open list.

A plain QComboBox changes its value, and says ``activated``, on an arrow, Page, Home or End key
or a typed letter while its list is closed, and on the mouse wheel. In the details pane each
``activated`` saves: an arrow pressed to move on after Escape closed the list, or the wheel
turned to scroll the pane, would silently change an action's RAG or the plan's current
quarter. Here those keys open the list at the current value instead (as a macOS pop-up button
does), so a change is always one the officer sees and picks with Enter or a click; the wheel
scrolls the pane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox

# Keys a closed QComboBox takes as "step to another value".
STEP_KEYS = frozenset(
    {
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
    }
)


class PickOnlyCombo(QComboBox):
    """A QComboBox whose value changes only by a pick from its open list."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.view().isVisible():  # the list is open: it takes the keys as usual
            super().keyPressEvent(event)
            return
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        stepping = event.key() in STEP_KEYS and plain
        typing = plain and event.text().isprintable() and event.text().strip() != ""
        if stepping or typing:
            self.showPopup()  # the list, open at the current value: the pick is the officer's
            event.accept()
            return
        super().keyPressEvent(event)  # Tab, Space, Alt+Down, F4, Escape: as usual

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # to the pane behind, which scrolls
