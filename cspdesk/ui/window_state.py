"""The window's size, panes and column widths, as the user left them (kept in settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication

from cspdesk.ui.screen_fit import GUESSED_FRAME, available_area

if TYPE_CHECKING:
    from cspdesk.ui.main_window import MainWindow

DEFAULT_SIZE = (1280, 760)
DEFAULT_TREE_WIDTH = 860  # of the default 1280
PANE_HEIGHT = 260  # a first-shown pane: a dozen rows, and the tree still has the most room
PANE_SHARE = 3  # ...but never more than a third of the window unless the officer made it so
PANE_HEIGHT_KEY = "window/pane_height"
GEOMETRY_KEY = "window/geometry"
SCREEN_KEY = "window/screen"  # the screen's size (logical pixels) the geometry was saved on
MAXIMISED_KEY = "window/maximised"
# Below this (or the whole screen, if smaller) the filter box, the tree and the details are cut:
# a window restored smaller was left so at another scale or by accident, and opens at the default.
SENSIBLE_MINIMUM = (640, 400)


def _saved(window: MainWindow, key: str) -> QByteArray | None:
    value = window.settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def restore_size(window: MainWindow) -> None:
    """Where and how big the window was, when that was on a screen of this size (scale) and is
    big enough to show the plan; else 1280×760 where there is room, else the screen (maximised
    if it was)."""
    geometry = _saved(window, GEOMETRY_KEY)
    if (
        geometry is not None
        and _kept_on_this_screen(window)
        and window.restoreGeometry(geometry)  # False when saved at a very different scale
        and not _too_small(window)
    ):
        return  # from a bigger screen, perhaps: fitted as it shows
    _default_size(window)
    if geometry is not None and str(window.settings.value(MAXIMISED_KEY, "")).lower() == "true":
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def _kept_on_this_screen(window: MainWindow) -> bool:
    """Whether the sizes in settings were kept on a screen of this size and scale (True for
    settings from before the screen was kept)."""
    return window.settings.value(SCREEN_KEY, _screen_size()) == _screen_size()


def _screen_size() -> str:
    """The primary screen's size in logical pixels, as kept in settings ("910x512" at 150%)."""
    screen = QGuiApplication.primaryScreen()
    size = screen.size() if screen is not None else None
    return "" if size is None else f"{size.width()}x{size.height()}"


def _too_small(window: MainWindow) -> bool:
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return False
    area = available_area(window)
    least_w, least_h = SENSIBLE_MINIMUM
    if area is not None:
        least_w = min(least_w, area.width() - GUESSED_FRAME[0])
        least_h = min(least_h, area.height() - GUESSED_FRAME[1])
    return window.width() < least_w or window.height() < least_h


def _default_size(window: MainWindow) -> None:
    area = available_area(window)
    width, height = DEFAULT_SIZE
    if area is not None:
        width = min(width, area.width() - GUESSED_FRAME[0])
        height = min(height, area.height() - GUESSED_FRAME[1])
    window.resize(width, height)


def restore_panes(window: MainWindow) -> None:
    """The split between tree and detail, the docked panes and the tree's column widths."""
    splitter = _saved(window, "window/splitter")
    if splitter is not None:
        window.splitter.restoreState(splitter)
    else:
        width = window.width()
        tree = width * DEFAULT_TREE_WIDTH // DEFAULT_SIZE[0]
        window.splitter.setSizes([tree, width - tree])
    state = _saved(window, "window/state")
    if state is not None:
        window.restoreState(state)
    header = _saved(window, "window/tree_header")
    if header is not None:
        window.tree.header().restoreState(header)


def pane_height(window: MainWindow) -> int:
    """The height a docked pane opens at: as the officer last left it, else a dozen rows; on a
    small or scaled screen no more than a third of the window (half, if she made it taller),
    so the plan tree keeps the most room."""
    saved = window.settings.value(PANE_HEIGHT_KEY)
    try:
        height = int(saved) if saved is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        height = None
    if height is None or not _kept_on_this_screen(window):  # pixels of another scale
        return min(PANE_HEIGHT, window.height() // PANE_SHARE)
    return min(height, window.height() // 2)


def _shown_pane_height(window: MainWindow) -> int | None:
    features = window.features
    if features is None:
        return None
    shown = [dock for dock in features.docks.values() if dock.isVisible()]
    return shown[0].height() if shown else None


def save_state(window: MainWindow, *, panes: bool) -> None:
    """Kept for the next start; the panes only once a plan was shown (an empty frame has none)."""
    window.settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    window.settings.setValue(SCREEN_KEY, _screen_size())
    window.settings.setValue(MAXIMISED_KEY, window.isMaximized())
    if not panes:
        return
    window.settings.setValue("window/splitter", window.splitter.saveState())
    window.settings.setValue("window/tree_header", window.tree.header().saveState())
    window.settings.setValue("window/state", window.saveState())
    height = _shown_pane_height(window)
    if height is not None:
        window.settings.setValue(PANE_HEIGHT_KEY, height)
