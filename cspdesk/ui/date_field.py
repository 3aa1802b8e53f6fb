"""A date as officers type it ("15/12/2016", "15 Dec 2016", blank for none), with a calendar
that opens near the plan's year. One Tab stop: Tab leaves it, never walks day, month, year."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QToolTip,
    QWidget,
    QWidgetAction,
)

SHOWN = "%d %b %Y"
TYPED_HINT = "dd/mm/yyyy or 15 Dec 2016; blank for none"


class DateField(QWidget):
    """``date()`` is the last date read (None: not set); ``edited`` fires when it changes.
    Text that is not a date changes nothing: the field says why and keeps what was typed."""

    edited = Signal()

    def __init__(self, value: dt.date | None, near: dt.date | None = None) -> None:
        super().__init__()
        self._date = value
        self.near = near or dt.date.today()
        self.text = QLineEdit()
        self.text.setPlaceholderText("Not set")
        self.text.setToolTip(f"Type a date ({TYPED_HINT}), or press Alt+Down for a calendar")
        self.text.editingFinished.connect(self._read_typed)
        self.text.installEventFilter(self)
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setAccessibleName("Choose from a calendar")
        self.button.setToolTip("Choose from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+Down from the text opens it
        self.button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.text)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._show(value)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.text.setAccessibleName(name)
        self.button.setAccessibleName(f"{name}: choose from a calendar")

    def date(self) -> dt.date | None:
        return self._date

    def setDate(self, value: dt.date | None) -> None:
        self._date = value
        self._show(value)

    def _show(self, value: dt.date | None) -> None:
        self.text.setText("" if value is None else value.strftime(SHOWN))
        self.text.setStyleSheet("")

    def _read_typed(self) -> None:
        # Imported with the first date typed: the window opens without the Excel readers.
        from cspdesk.io.xlsx_values import parse_date

        typed = self.text.text().strip()
        value, note = parse_date(typed)
        if typed and value is None:
            self.text.setStyleSheet("QLineEdit { border: 2px solid #C00000; }")
            QToolTip.showText(
                self.text.mapToGlobal(self.text.rect().bottomLeft()),
                f"{note}; not saved.",
                self.text,
            )
            return
        self._set(value)

    def _set(self, value: dt.date | None) -> None:
        changed = value != self._date
        self._date = value
        self._show(value)
        if changed:
            self.edited.emit()

    def make_calendar(self) -> QCalendarWidget:
        """A calendar at the date shown, or near the plan's year when none is set."""
        calendar = QCalendarWidget()
        calendar.setAccessibleName("Calendar")
        calendar.setGridVisible(True)
        start = self._date or self.near
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        return calendar

    def open_calendar(self) -> None:
        calendar = self.make_calendar()
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)

        def chosen(day: QDate) -> None:
            menu.close()
            self._set(dt.date(day.year(), day.month(), day.day()))

        calendar.activated.connect(chosen)
        calendar.clicked.connect(chosen)
        menu.aboutToShow.connect(calendar.setFocus)
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_F4)
            and (
                event.key() == Qt.Key.Key_F4 or event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
        ):
            self.open_calendar()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]
