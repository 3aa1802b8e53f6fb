"""What a screen reader would call each focusable widget: the test helper that walks them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFormLayout, QGroupBox, QLabel, QWidget


def _label_of(widget: QWidget) -> str:
    """Qt's own fallback (QAccessibleWidget's buddy string): the label of its form row, or a
    label whose buddy it is."""
    parent = widget.parentWidget()
    if parent is None:
        return ""
    for form in parent.findChildren(QFormLayout):
        label = form.labelForField(widget)
        if isinstance(label, QLabel):
            return label.text()
    for label in parent.findChildren(QLabel):
        if label.buddy() is widget:
            return label.text()
    return ""


def spoken_name(widget: QWidget) -> str:
    """The accessible name, else what Qt reads out: a button's or group box's text, the label
    of its form row."""
    if widget.accessibleName():
        return widget.accessibleName()
    if _label_of(widget):
        return _label_of(widget)
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    if isinstance(widget, QGroupBox):
        return widget.title()
    if isinstance(widget, QLabel):  # a label that can be selected reads out its own text
        return widget.text()
    return ""


def unnamed_focusable(top: QWidget) -> list[str]:
    """Visible widgets under ``top`` that take the keyboard focus and would be read out with no
    name (a widget whose focus goes to another is that one's business)."""
    return [
        f"{type(widget).__name__} in {type(widget.parent()).__name__}"
        for widget in top.findChildren(QWidget)
        if widget.isVisibleTo(top)
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and widget.focusProxy() is None
        and not spoken_name(widget)
    ]


def unnamed_in_tab_order(top: QWidget) -> list[str]:
    """The widgets Tab walks through in ``top``, from its first, that would be read out with
    no name: where the keyboard really goes (an empty tab bar Qt keeps for docked panes
    included, though nothing of it shows)."""
    found: list[str] = []
    widget = top.nextInFocusChain()
    while widget is not top:
        takes_tab = bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)
        if (
            takes_tab
            and widget.isVisibleTo(top)
            and widget.isEnabled()
            and widget.focusProxy() is None
            and not spoken_name(widget)
        ):
            found.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
        widget = widget.nextInFocusChain()
    return found
