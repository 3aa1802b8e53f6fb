"""Writing commands respect the window's one-writer lock; reads recover a cut-short save."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.store.opening import open_for_editing

pytestmark = pytest.mark.file_only

WRITING_COMMANDS = [
    ["close-quarter", "--quarter", "Q1"],
    ["roll-forward", "--from", "2016/17", "--to", "2017/18"],
]


@pytest.mark.parametrize("command", WRITING_COMMANDS, ids=lambda c: c[0])
def test_a_writing_command_is_refused_while_the_window_has_the_plan(
    command: list[str], workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    window = open_for_editing(workspace_path, backup_dir=workspace_path.parent / "backups")
    assert not window.read_only
    try:
        assert main([*command, "--db", str(workspace_path)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "has had it open since" in err and "commands that only read still work" in err
        # Reading still works beside the window.
        assert main(["export-json", "--db", str(workspace_path)]) == 0
        plan = json.loads(capsys.readouterr().out)["plans"][0]
        assert plan["current_quarter"] == 1
    finally:
        window.workspace.close()
    assert main([*command, "--db", str(workspace_path)]) == 0
    assert not workspace_path.with_name(workspace_path.name + ".lock").exists()


def _die_mid_save(path: Path) -> None:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child is killed mid-transaction
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA cache_size=1")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE action SET outcomes = hex(randomblob(3000))")
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)


def test_reads_after_a_killed_save_roll_it_back(
    workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-json", "--db", str(workspace_path)]) == 0
    before = capsys.readouterr().out
    _die_mid_save(workspace_path)
    journal = workspace_path.with_name(workspace_path.name + "-journal")
    assert journal.exists()
    assert main(["export-json", "--db", str(workspace_path)]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out == before  # the half-made save is gone, nothing else
    assert not journal.exists()
    assert main(["check", "--db", str(workspace_path)]) in (0, 1)
    assert "readonly" not in capsys.readouterr().err
