"""Starting the app: first run offers the demo or an empty workspace; bad files say why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from cspdesk.ui.app import open_start_workspace


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


def test_first_run_start_empty(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Test Vale CSP", True))
    click_when_shown("Start empty")
    opened = open_start_workspace(None, False)
    assert opened is not None
    workspace = opened.workspace
    name = workspace.read(
        lambda s: s.execute(__import__("sqlalchemy").text("SELECT name FROM partnership")).scalar()
    )
    assert name == "Test Vale CSP"
    workspace.close()


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


def test_gui_starts_and_paints_on_the_demo(tmp_path: Path) -> None:
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
    result = subprocess.run(
        [sys.executable, "-m", "cspdesk", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
