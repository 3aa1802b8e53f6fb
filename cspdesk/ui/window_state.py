"""The window's size, panes and column widths, as the user left them (kept in settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from cspdesk.ui.screen_fit import GUESSED_FRAME, available_area

if TYPE_CHECKING:
    from cspdesk.ui.main_window import MainWindow

DEFAULT_SIZE = (1280, 760)
DEFAULT_TREE_WIDTH = 860  # of the default 1280
PANE_HEIGHT = 260  # a first-shown pane: a dozen rows, and the tree still has the most room
PANE_SHARE = 3  # ...but never more than a third of the window unless the officer made it so
PANE_HEIGHT_KEY = "window/pane_height"


def _saved(window: MainWindow, key: str) -> QByteArray | None:
    value = window.settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def restore_size(window: MainWindow) -> None:
    """Where and how big the window was; 1280×760 where there is room, else the screen."""
    geometry = _saved(window, "window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)  # from a bigger screen, perhaps: fitted as it shows
        return
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
    if height is None:
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
    window.settings.setValue("window/geometry", window.saveGeometry())
    if not panes:
        return
    window.settings.setValue("window/splitter", window.splitter.saveState())
    window.settings.setValue("window/tree_header", window.tree.header().saveState())
    window.settings.setValue("window/state", window.saveState())
    height = _shown_pane_height(window)
    if height is not None:
        window.settings.setValue(PANE_HEIGHT_KEY, height)
