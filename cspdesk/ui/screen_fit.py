"""Every window inside the screen: the main window and each dialog are shrunk and moved, as they
show, to lie within the screen's available area (a 1366×768 laptop at 150% has 910×512 to offer).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

# A window not yet shown has no frame: leave room for a typical title bar and borders.
GUESSED_FRAME = (16, 40)  # width, height (logical pixels)


def available_area(widget: QWidget) -> QRect | None:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry()


def fit_on_screen(widget: QWidget) -> None:
    """Shrink ``widget`` (a top-level window) to its screen's available area and move it in."""
    area = available_area(widget)
    if area is None or widget.isMaximized() or widget.isFullScreen():
        return
    frame, inner = widget.frameGeometry(), widget.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    if extra_w == 0 and extra_h == 0:  # not known yet (before the first show, or no frame)
        extra_w, extra_h = GUESSED_FRAME
    width = min(inner.width(), area.width() - extra_w)
    height = min(inner.height(), area.height() - extra_h)
    if (width, height) != (inner.width(), inner.height()):
        widget.resize(max(width, 1), max(height, 1))
    outer_w, outer_h = widget.width() + extra_w, widget.height() + extra_h
    x = min(max(frame.x(), area.left()), area.left() + area.width() - outer_w)
    y = min(max(frame.y(), area.top()), area.top() + area.height() - outer_h)
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.left()), max(y, area.top()))


class _ScreenFit(QObject):
    """Fits the main window and each dialog as it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QDialog | QMainWindow)
            and watched.isWindow()
        ):
            fit_on_screen(watched)
        return False


def keep_windows_on_screen() -> None:
    """Install the fitting once for the application."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and not hasattr(app, "_cspdesk_screen_fit"):
        watcher = _ScreenFit(app)
        app.installEventFilter(watcher)
        app._cspdesk_screen_fit = watcher  # type: ignore[attr-defined]
