"""Docked panes on a small or scaled screen (1280×720 at 150%: a 837×440 window) leave the plan
tree the most room, and open at the height the officer last gave them (issue 28)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cspdesk.store.db import Workspace
from cspdesk.ui.window_state import PANE_HEIGHT


def _show_pane(qtbot, window, key: str):  # type: ignore[no-untyped-def]
    dock = window.features.docks[key]
    dock.show()
    qtbot.waitUntil(lambda: key in window.features.panes)
    qtbot.wait(50)
    return dock


def test_a_pane_on_a_small_screen_leaves_the_tree_the_most_room(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.resize(837, 440)
    qtbot.wait(50)
    dock = _show_pane(qtbot, window, "checker")
    # A third of the window, or as little as the pane can be (its own minimum), not 260.
    smallest = max(window.height() // 3, dock.minimumSizeHint().height())
    assert dock.height() <= smallest + 5 < PANE_HEIGHT
    rows = window.tree.viewport().height() // window.tree.sizeHintForRow(0)
    assert rows >= 7  # 4 when the pane took 260


def test_the_pane_height_the_officer_gave_is_kept_for_next_time(
    qtbot,  # type: ignore[no-untyped-def]
    window,
    workspace_path,
) -> None:
    from cspdesk.ui.main_window import MainWindow

    window.resize(1280, 760)
    qtbot.wait(50)
    dock = _show_pane(qtbot, window, "dashboard")
    window.resizeDocks([dock], [300], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: abs(dock.height() - 300) <= 2)
    given = dock.height()
    window.close()

    again = MainWindow(Workspace.open(workspace_path))
    qtbot.addWidget(again)
    again.resize(1280, 760)
    again.show()
    qtbot.waitExposed(again)
    shown = _show_pane(qtbot, again, "dashboard")
    assert abs(shown.height() - given) <= 2


def test_the_figures_pane_scrolls_on_a_small_screen_instead_of_taking_the_tree(  # type: ignore[no-untyped-def]
    qtbot, window
) -> None:
    """Figures and funding stack two tables, buttons and notes: their own minimum (284 of a 472
    window at 150%) pushed the plan tree down to three rows (screen test, 1)."""
    window.resize(837, 440)
    qtbot.wait(50)
    _show_pane(qtbot, window, "figures")
    rows = window.tree.viewport().height() // window.tree.sizeHintForRow(0)
    assert rows >= 7
    pane = window.features.panes["figures"]
    assert pane.minimumSizeHint().height() < window.height() // 3
