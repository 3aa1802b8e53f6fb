"""cspdesk backup / restore, run as a user runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from cspdesk.store import lock as locking


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CSPDESK_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def first_title(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT title FROM action ORDER BY id").fetchone()[0]
    finally:
        conn.close()


def test_backup_list_and_restore(workspace_path: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    made = run(home, "backup", "--db", str(workspace_path))
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.split("backup written to ")[1].split(" (checked)")[0])
    assert backup.parent == home / "backups" / "plan"
    listed = run(home, "backup", "--db", str(workspace_path), "--list")
    assert str(backup) in listed.stdout and "checked" in listed.stdout

    original = first_title(workspace_path)
    conn = sqlite3.connect(workspace_path)
    conn.execute("UPDATE action SET title='changed after the backup'")
    conn.commit()
    conn.close()
    restored = run(home, "restore", "--db", str(workspace_path), "--from", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert first_title(workspace_path) == original
    assert "kept as" in restored.stdout


def test_restore_refused_while_someone_has_it_open(workspace_path: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    made = run(home, "backup", "--db", str(workspace_path), "--to", str(tmp_path / "b"))
    backup = next((tmp_path / "b").iterdir())
    assert made.returncode == 0
    with locking.acquire(workspace_path):
        result = run(home, "restore", "--db", str(workspace_path), "--from", str(backup))
    assert result.returncode == 1
    assert "has had it open since" in result.stderr and "Traceback" not in result.stderr


def test_backup_of_a_missing_file(tmp_path: Path) -> None:
    result = run(tmp_path, "backup", "--db", str(tmp_path / "nope.cspdesk"))
    assert result.returncode == 1 and "no such workspace" in result.stderr
