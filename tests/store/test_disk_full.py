"""A full disk while saving: a clear message, no crash, the file whole with every committed edit.

Two real ways to run out of room: a 1 MB tmpfs (when we may mount one: root on Linux), and a
file-size limit (RLIMIT_FSIZE) in a forked child, where the kernel refuses the write (EFBIG).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.core.plan import ops
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed

BIG = "A full paragraph of quarterly update text. " * 60  # about 2.5 KB a milestone


def add_milestone(workspace: Workspace, n: int) -> None:
    action_id = workspace.read(lambda s: s.execute(select(ops.table_of("action").c.id)).scalar())
    workspace.write(
        lambda s: ops.add_item(s, "milestone", action_id, title=f"m{n}", outcomes=f"{n} {BIG}")
    )


def save_until_full(workspace: Workspace, limit: int = 2000) -> tuple[int, str]:
    """Add milestones until a save fails; returns (committed count, the message)."""
    for n in range(limit):
        try:
            add_milestone(workspace, n)
        except SaveFailed as error:
            return n, str(error)
    raise AssertionError("the disk never filled up")


def committed_milestones(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        query = "SELECT title FROM milestone WHERE title GLOB 'm[0-9]*' ORDER BY id"
        return [row[0] for row in conn.execute(query)]
    finally:
        conn.close()


@contextlib.contextmanager
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if sys.platform != "linux" or shutil.which("mount") is None:
        pytest.skip("no tmpfs here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_tmpfs(workspace_path: Path, tmp_path: Path) -> None:
    with small_tmpfs(tmp_path) as disk:
        path = disk / "plan.cspdesk"
        shutil.copy(workspace_path, path)
        # Leave about 100 KB: room for some edits, and a filler to remove afterwards.
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * max(free - 100_000, 0))
        with Workspace.open(path) as workspace:
            committed, message = save_until_full(workspace)
            assert "disk is full" in message and "nothing was changed" in message
            assert (
                workspace.read(
                    lambda s: s.execute(select(func.count()).select_from(ops.table_of("milestone")))
                ).scalar()
                >= committed
            )
        titles = committed_milestones(path)
        assert titles == [f"m{n}" for n in range(committed)]
        assert not path.with_name(path.name + "-journal").exists()
        # Room again: saving works, on the same file.
        (disk / "filler").unlink()
        with Workspace.open(path) as workspace:
            workspace.write(lambda s: ops.delete_item(s, "milestone", _first_milestone(s)))
            add_milestone(workspace, committed)
        assert len(committed_milestones(path)) == committed


def _first_milestone(session) -> int:  # type: ignore[no-untyped-def]
    table = ops.table_of("milestone")
    return session.execute(select(table.c.id).where(table.c.title == "m0")).scalar_one()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and RLIMIT_FSIZE")
def test_file_size_limit(workspace_path: Path) -> None:
    import resource

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            limit = workspace_path.stat().st_size + 40_000
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
            with Workspace.open(workspace_path) as workspace:
                committed, message = save_until_full(workspace)
                # Still usable for reading after the failure.
                workspace.read(lambda s: s.execute(select(1)).scalar())
            os.write(write_fd, json.dumps([committed, message]).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    _, status = os.waitpid(pid, 0)
    data = os.read(read_fd, 65536)
    os.close(read_fd)
    assert os.WIFEXITED(status) and data, f"the child crashed (status {status})"
    committed, message = json.loads(data)
    assert committed > 0
    assert "could not save" in message and "nothing was changed" in message
    assert "disk" in message
    assert committed_milestones(workspace_path) == [f"m{n}" for n in range(committed)]
