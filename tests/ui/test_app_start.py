"""Starting the app: first run offers the demo or an empty workspace; bad files say why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from cspdesk.ui.app import open_start_workspace
from cspdesk.ui.dialogs.partnership_name import PartnershipNameDialog


def click_when_shown(button_text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        for button in box.buttons():
            if button.text() == button_text:
                button.click()

    QTimer.singleShot(20, click)


def test_first_run_opens_the_demo(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path))
    click_when_shown("Open the demo plan")
    opened = open_start_workspace(None, False)
    assert opened is not None
    workspace = opened.workspace
    assert workspace.path == tmp_path / "workspace.cspdesk"
    assert (
        workspace.read(
            lambda s: s.execute(
                __import__("sqlalchemy").text("SELECT count(*) FROM action")
            ).scalar()
        )
        > 20
    )
    workspace.close()
    # The second start opens it straight away, without asking.
    again = open_start_workspace(None, False)
    assert again is not None and again.workspace.path == workspace.path
    again.workspace.close()


def answer_in_turn(*steps: tuple[type, Callable[[Any], None]]) -> list[str]:
    """Answer each modal window as it comes, in order: (its class, what the user does). The
    list returned names what was answered, to show none was skipped."""
    answered: list[str] = []
    pending = list(steps)
    seen: list[object] = []

    def poll() -> None:
        if not pending:
            return
        kind, act = pending[0]
        shown = QApplication.activeModalWidget()
        if isinstance(shown, kind) and shown.isVisible() and shown not in seen:
            pending.pop(0)
            seen.append(shown)
            answered.append(kind.__name__)
            act(shown)
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return answered


def click(text: str) -> Callable[[QMessageBox], None]:
    return lambda box: next(b for b in box.buttons() if b.text() == text).click()


def test_first_run_start_empty(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The tester's OK with no name typed closed the program without a word (fs2 → fs3)."""
    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path))

    def nothing_typed_then_cancel(dialog: PartnershipNameDialog) -> None:
        assert dialog.focusWidget() is dialog.name and not dialog.ok.isEnabled()
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter with nothing typed: stays
        qtbot.keyClicks(dialog.name, "   ")
        assert not dialog.ok.isEnabled() and dialog.isVisible()
        dialog.reject()  # Cancel: back to the welcome box

    def type_the_name(dialog: PartnershipNameDialog) -> None:
        qtbot.keyClicks(dialog.name, " Test Vale CSP ")
        assert dialog.ok.isEnabled()
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    answered = answer_in_turn(
        (QMessageBox, click("Start empty")),
        (PartnershipNameDialog, nothing_typed_then_cancel),
        (QMessageBox, click("Start empty")),
        (PartnershipNameDialog, type_the_name),
    )
    opened = open_start_workspace(None, False)
    assert answered == ["QMessageBox", "PartnershipNameDialog"] * 2
    assert opened is not None
    workspace = opened.workspace
    name = workspace.read(
        lambda s: s.execute(__import__("sqlalchemy").text("SELECT name FROM partnership")).scalar()
    )
    assert name == "Test Vale CSP"
    workspace.close()


def test_first_run_cancelled_at_the_welcome_box_makes_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path))
    answered = answer_in_turn(
        (QMessageBox, click("Start empty")),
        (PartnershipNameDialog, lambda dialog: dialog.reject()),
        (QMessageBox, click("Cancel")),
    )
    assert open_start_workspace(None, False) is None
    assert answered == ["QMessageBox", "PartnershipNameDialog", "QMessageBox"]
    assert not (tmp_path / "workspace.cspdesk").exists()


def test_gui_with_a_missing_file_says_so_and_exits_1(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CSPDESK_HOME": str(tmp_path)}
    code = (
        "import sys; from PySide6.QtWidgets import QMessageBox; "
        "QMessageBox.critical = staticmethod(lambda p, t, m: print('SHOWN:', m)); "
        "from cspdesk.cli import main; sys.exit(main(['--db', sys.argv[1]]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "none.cspdesk")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "SHOWN:" in result.stdout and "no such workspace file" in result.stdout


def demo_start(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A demo workspace, and the environment of a start that quits once the window painted."""
    db = tmp_path / "demo.cspdesk"
    subprocess.run(
        [sys.executable, "-m", "cspdesk", "demo", "--db", str(db)], check=True, capture_output=True
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CSPDESK_HOME": str(tmp_path),
        "CSPDESK_QUIT_AFTER_PAINT": "1",
    }
    return db, env


def test_gui_starts_and_paints_on_the_demo(tmp_path: Path) -> None:
    db, env = demo_start(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "cspdesk", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# Read before the window's first paint only if the user needs them there: the frame and the
# plan's name show first, the store and the plan right after (issue 30).
NOT_BEFORE_FIRST_PAINT = (
    "sqlalchemy",
    "cspdesk.store.db",
    "cspdesk.core.plan.model",
    "cspdesk.ui.document",
    "cspdesk.ui.detail_pane",
    "cspdesk.ui.live",
    "cspdesk.identity",
    "cspdesk.commands.report",
)
# Not needed to show the plan either: they come with the first item or file the user opens,
# and SQLAlchemy's mappers are set up with the first query that needs them.
NOT_BEFORE_THE_PLAN = (
    "cspdesk.io.xlsx_values",
    "cspdesk.returns.new_work",
    "cspdesk.ui.quarter_box",
)
WATCH_FIRST_PAINT = """
import gc, json, linecache, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from cspdesk.ui.app import make_application

app = make_application()
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() != QEvent.Type.Paint or not isinstance(watched, QWidget):
            return False
        if "title" not in seen:
            seen["title"] = watched.window().windowTitle()
            seen["imported"] = [m for m in sys.argv[2].split(",") if m in sys.modules]
        document = getattr(watched.window(), "document", None)
        if document is not None and "plan rows" not in seen:
            seen["plan rows"] = document.model.rowCount()
            seen["with the plan"] = [m for m in sys.argv[3].split(",") if m in sys.modules]
            from cspdesk.core.plan.model import Action
            seen["mappers set up"] = Action.__mapper__.configured
            read = [name for name in linecache.cache if name.endswith(".py")]
            seen["sources read"] = [name for name in read if "sqlalchemy" in name]
            seen["collector"] = [gc.isenabled(), gc.get_freeze_count()]
        return False

watch = FirstPaint()
app.installEventFilter(watch)
from cspdesk.cli import main
seen["code"] = main(["--db", sys.argv[1]])
print(json.dumps(seen))
"""


def watched_start(tmp_path: Path, script: str, *args: str) -> dict[str, Any]:
    """Start the demo under ``script`` (which watches the start and prints what it saw as
    JSON on its last line), with fresh settings: what it saw."""
    db, env = demo_start(tmp_path)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "settings")
    result = subprocess.run(
        [sys.executable, "-c", script, str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_the_window_paints_before_the_store_is_imported(tmp_path: Path) -> None:
    seen = watched_start(
        tmp_path,
        WATCH_FIRST_PAINT,
        ",".join(NOT_BEFORE_FIRST_PAINT),
        ",".join(NOT_BEFORE_THE_PLAN),
    )
    assert seen["imported"] == []  # none of them before the first paint
    assert seen["title"].startswith("demo.cspdesk – ")  # the plan's name shows at once
    assert seen["plan rows"] >= 1 and seen["code"] == 0  # and the plan followed
    assert seen["with the plan"] == [] and not seen["mappers set up"]
    # PySide6 did not read the source of every module imported after it (the store's
    # SQLAlchemy among them) to look for its __feature__ switches.
    assert seen["sources read"] == []
    # The collector rested while start-up made what lives on, froze it, and runs again.
    enabled, frozen = seen["collector"]
    assert enabled and frozen > 100_000


# A window last closed on a bigger screen: the frame fits this one as it first shows, before
# the application-wide watch that fits every dialog has come with the plan.
FRAME_FROM_A_BIGGER_SCREEN = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QMainWindow, QWidget
from cspdesk.ui.app import make_application

app = make_application()
big = QMainWindow()
big.setGeometry(0, 0, 3000, 2000)
QSettings().setValue("window/geometry", big.saveGeometry())
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and not seen:
            window = watched.window()
            seen["inside"] = window.screen().availableGeometry().contains(window.frameGeometry())
        return False

watch = FirstPaint()
app.installEventFilter(watch)
from cspdesk.cli import main
seen["code"] = main(["--db", sys.argv[1]])
print(json.dumps(seen))
"""


def test_the_frame_restored_from_a_bigger_screen_fits_as_it_first_paints(tmp_path: Path) -> None:
    assert watched_start(tmp_path, FRAME_FROM_A_BIGGER_SCREEN) == {"inside": True, "code": 0}
