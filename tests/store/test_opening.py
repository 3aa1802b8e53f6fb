"""Opening as the app does: read-only files and folders, damage found at open."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cspdesk.store import backup as backups
from cspdesk.store.errors import WorkspaceReadOnly
from cspdesk.store.opening import WorkspaceDamaged, open_for_editing


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` truly unwritable: chmod for a user, the immutable flag for root."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a file read-only for root here (no chattr)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_file_opens_read_only_with_reason(workspace_path: Path, tmp_path: Path) -> None:
    with read_only(workspace_path):
        opened = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
        assert opened.read_only
        assert "file is read-only" in (opened.read_only_reason or "")
        assert opened.workspace.read(lambda s: 1) == 1
        with pytest.raises(WorkspaceReadOnly):
            opened.workspace.write(lambda s: None)
        opened.workspace.close()


def test_read_only_folder_opens_read_only_with_reason(workspace_path: Path, tmp_path: Path) -> None:
    with read_only(workspace_path.parent):
        opened = open_for_editing(workspace_path, backup_dir=tmp_path.parent / "b")
        assert opened.read_only
        assert "folder" in (opened.read_only_reason or "")
        opened.workspace.close()


def test_asked_read_only(workspace_path: Path, tmp_path: Path) -> None:
    opened = open_for_editing(workspace_path, read_only=True, backup_dir=tmp_path / "b")
    assert opened.read_only and opened.read_only_reason
    opened.workspace.close()


def _wreck(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 6] = b"\x5a" * (4096 * 5)
    path.write_bytes(bytes(data))


def test_damaged_file_names_the_newest_good_backup(workspace_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    good = backups.make_backup(workspace_path, folder)
    _wreck(workspace_path)
    with pytest.raises(WorkspaceDamaged) as caught:
        open_for_editing(workspace_path, backup_dir=folder)
    assert caught.value.backup is not None and caught.value.backup.path == good
    assert "damaged" in str(caught.value) and "newest good backup" in str(caught.value)
    backups.restore_backup(caught.value.backup.path, workspace_path)
    opened = open_for_editing(workspace_path, backup_dir=folder)
    assert not opened.read_only
    opened.workspace.close()


def test_damaged_header_without_backup(workspace_path: Path, tmp_path: Path) -> None:
    data = bytearray(workspace_path.read_bytes())
    data[16:100] = b"\xee" * 84  # page size and the rest of the header
    workspace_path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceDamaged, match="no good backup"):
        open_for_editing(workspace_path, backup_dir=tmp_path / "none")


def test_location_warning_is_passed_on(tmp_path: Path) -> None:
    from cspdesk.store.db import Workspace

    path = tmp_path / "OneDrive - Council" / "plan.cspdesk"
    Workspace.create(path, "CSP").close()
    opened = open_for_editing(path, backup_dir=tmp_path / "b")
    assert opened.location_warning and "OneDrive" in opened.location_warning
    opened.workspace.close()


def test_hot_journal_on_a_read_only_file(workspace_path: Path, tmp_path: Path) -> None:
    """A crash mid-save leaves a hot journal; read-only, it cannot be rolled back."""
    import signal
    import sqlite3

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child dies mid-transaction
        conn = sqlite3.connect(workspace_path, isolation_level=None)
        conn.execute("PRAGMA cache_size=1")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE action SET outcomes = hex(randomblob(3000))")
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    journal = workspace_path.with_name(workspace_path.name + "-journal")
    assert journal.exists()
    from cspdesk.store.errors import WorkspaceError

    with read_only(workspace_path.parent):
        try:
            opened = open_for_editing(workspace_path, backup_dir=tmp_path.parent / "b")
        except WorkspaceError as error:
            assert "cut short" in str(error), str(error)
        else:  # this SQLite could read past the journal: then it must say read-only
            assert opened.read_only
            opened.workspace.close()
    opened = open_for_editing(workspace_path, backup_dir=tmp_path.parent / "b")
    assert not opened.read_only and not journal.exists()
    opened.workspace.close()
