"""Nothing of a failed or interrupted run is left beside a workspace: no unfinished lock, no
SQLite journal of a cut-short copy; and a pipe given as the workspace is refused at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cspdesk.store import lock as locking
from cspdesk.store.db import Workspace
from cspdesk.store.errors import NotAWorkspace, WorkspaceError
from cspdesk.store.part_files import STALE_AFTER_SECONDS, clean_stale_parts, clean_stale_parts_in

_ACQUIRE_ON_A_FULL_DISK = """
import resource, signal, sys
from cspdesk.store import lock
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20, 20))  # the kernel refuses writes past 20 bytes
try:
    lock.acquire(sys.argv[1])
except OSError as error:
    print(error.errno)
"""


def test_a_lock_that_could_not_be_written_is_not_left(workspace_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", _ACQUIRE_ON_A_FULL_DISK, str(workspace_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and run.stdout.strip(), run.stderr  # the write was refused
    assert not locking.lock_path(workspace_path).exists()
    with locking.acquire(workspace_path):  # and the next start is not told it is held
        pass


def _aged(path: Path, data: bytes = b"x") -> Path:
    path.write_bytes(data)
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(path, (old, old))
    return path


def test_stale_parts_go_with_their_journals(tmp_path: Path) -> None:
    target = tmp_path / "plan.cspdesk"
    part = _aged(tmp_path / ".plan.cspdesk.k2j4.part")
    journal = _aged(tmp_path / ".plan.cspdesk.k2j4.part-journal")
    orphan = _aged(tmp_path / ".plan.cspdesk.zz91.part-journal")  # its part already gone
    running = tmp_path / ".plan.cspdesk.live.part-journal"  # a copy being written now
    running.write_bytes(b"x")
    own = _aged(tmp_path / "plan.cspdesk-journal")  # the workspace's own: never touched
    removed = clean_stale_parts(target)
    assert set(removed) == {part, journal, orphan}
    assert running.exists() and own.exists()
    backups = tmp_path / "backups"
    backups.mkdir()
    kept = _aged(backups / "plan 2016-05-01.cspdesk")
    left = _aged(backups / ".plan 2016-05-02.cspdesk.abcd.part-journal")
    assert clean_stale_parts_in(backups) == [left]
    assert kept.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_given_as_the_workspace_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "plan.cspdesk"
    os.mkfifo(pipe)
    with pytest.raises(NotAWorkspace, match="is a pipe or device, not a workspace file"):
        Workspace.open(pipe, read_only=True)  # before the fix: waits for a writer forever
    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace.create(pipe, "Vale CSP")
    assert pipe.exists()  # not removed by the failed create
    run = subprocess.run(
        [sys.executable, "-m", "cspdesk", "export-json", "--db", str(pipe)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stderr == f"cspdesk: {pipe}: is a pipe or device, not a workspace file\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_given_as_the_backup_is_not_called_missing(workspace_path: Path) -> None:
    pipe = workspace_path.with_name("backup.cspdesk")
    os.mkfifo(pipe)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cspdesk",
            "restore",
            "--db",
            str(workspace_path),
            "--from",
            str(pipe),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stderr == f"cspdesk: {pipe}: is not a backup file\n"
