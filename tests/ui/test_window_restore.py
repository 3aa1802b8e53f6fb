"""The window opens as big as it was left, unless that was at another scale or too small to show
the plan: then at the default size for this screen, and maximised if it was (screen test, 1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from cspdesk.store.db import Workspace
from cspdesk.ui.screen_fit import GUESSED_FRAME, available_area
from cspdesk.ui.window_state import DEFAULT_SIZE, SCREEN_KEY


def reopened(qtbot, workspace_path: Path):  # type: ignore[no-untyped-def]
    from cspdesk.ui.main_window import MainWindow

    window = MainWindow(Workspace.open(workspace_path))
    qtbot.addWidget(window)
    return window


def default_for(window) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    area = available_area(window)
    assert area is not None
    return (
        min(DEFAULT_SIZE[0], area.width() - GUESSED_FRAME[0]),
        min(DEFAULT_SIZE[1], area.height() - GUESSED_FRAME[1]),
    )


def left_at(window, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    window.showNormal()
    window.resize(width, height)
    window.close()


def test_a_size_the_officer_chose_is_kept(qtbot, window, workspace_path: Path) -> None:  # type: ignore[no-untyped-def]
    left_at(window, 700, 450)
    again = reopened(qtbot, workspace_path)
    assert (again.width(), again.height()) == (700, 450)


def test_a_window_left_too_small_for_the_plan_opens_at_the_default(  # type: ignore[no-untyped-def]
    qtbot, window, workspace_path: Path
) -> None:
    """Left at 470×238 (705×357 pixels at 150%): the filter box said "Fi…" and the tree had
    three rows."""
    left_at(window, 470, 238)
    again = reopened(qtbot, workspace_path)
    assert (again.width(), again.height()) == default_for(again)


def test_a_size_kept_on_another_screen_size_opens_at_the_default(  # type: ignore[no-untyped-def]
    qtbot, window, workspace_path: Path
) -> None:
    """The same screen at another scale has another size in logical pixels (1366×768 at 100%,
    911×512 at 150%): the size kept there says nothing of what fits here."""
    left_at(window, 700, 450)
    QSettings().setValue(SCREEN_KEY, "1366x768")
    again = reopened(qtbot, workspace_path)
    assert (again.width(), again.height()) == default_for(again)
    assert not again.isMaximized()


def test_a_maximised_window_stays_maximised_on_another_screen_size(  # type: ignore[no-untyped-def]
    qtbot, window, workspace_path: Path
) -> None:
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    window.close()
    QSettings().setValue(SCREEN_KEY, "1366x768")
    again = reopened(qtbot, workspace_path)
    again.show()
    qtbot.waitExposed(again)
    assert again.isMaximized()


# Run twice on the same X server with the same settings: closed at one scale, opened at another.
CLOSE_THEN_OPEN = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from cspdesk.ui.app import make_application
from cspdesk.ui.main_window import MainWindow
from cspdesk.store.db import Workspace

app = make_application()
window = MainWindow(Workspace.open(Path(sys.argv[1])))
window.show()
for _ in range(20):
    app.processEvents()
area = window.screen().availableGeometry()
seen = {"size": [window.width(), window.height()], "area": [area.width(), area.height()]}
window.close()
if sys.argv[2] == "forget the screen":  # settings kept before the screen was
    QSettings().remove("window/screen")
print(json.dumps(seen))
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (xvfb-run)")
@pytest.mark.parametrize("kept", ["with the screen", "forget the screen"])
def test_closed_at_100_percent_then_opened_at_150_fills_the_screen(
    tmp_path: Path, kept: str
) -> None:
    """The tester's steps under a real X server at 1366×768: used at 100%, quit, started again
    at 150%: the window opened 470×238 (705×357 pixels)."""
    db = tmp_path / "demo.cspdesk"
    subprocess.run(
        [sys.executable, "-m", "cspdesk", "demo", "--db", str(db)], check=True, capture_output=True
    )
    seen = []
    for scale in ("1", "1.5", "1.5"):
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="xcb",
            QT_SCALE_FACTOR=scale,
            CSPDESK_HOME=str(tmp_path),
            XDG_CONFIG_HOME=str(tmp_path / "settings"),
        )
        command = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-c"]
        run = subprocess.run(
            [*command, CLOSE_THEN_OPEN, str(db), kept],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if "could not connect to display" in run.stderr:
            pytest.skip(f"no usable X server here: {run.stderr.strip()[-200:]}")
        assert run.returncode == 0, run.stderr[-2000:]
        seen.append(json.loads(run.stdout.splitlines()[-1]))
    for opened in seen[1:]:  # at 150%: the screen is 911×512 logical pixels
        (width, height), (area_w, area_h) = opened["size"], opened["area"]
        assert width >= area_w - 2 * GUESSED_FRAME[0] and height >= area_h - 2 * GUESSED_FRAME[1]


def test_a_pane_height_kept_at_another_scale_gives_way_to_the_default(  # type: ignore[no-untyped-def]
    window,
) -> None:
    """430 pixels of a 760 window at 100% were kept for the pane: at 150% the window is 472."""
    from cspdesk.ui.window_state import PANE_HEIGHT, PANE_HEIGHT_KEY, PANE_SHARE, pane_height

    window.resize(900, 472)
    QSettings().setValue(PANE_HEIGHT_KEY, 430)
    assert pane_height(window) == 472 // 2  # on this screen: hers, up to half the window
    QSettings().setValue(SCREEN_KEY, "1366x768")
    assert pane_height(window) == min(PANE_HEIGHT, 472 // PANE_SHARE)
