"""One writer: the lock file beside a workspace, its holder, stale locks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cspdesk.store import lock as locking
from cspdesk.store.opening import open_for_editing


def test_second_acquire_is_told_who_holds_it(workspace_path: Path) -> None:
    held = locking.acquire(workspace_path)
    started = time.perf_counter()
    with pytest.raises(locking.WorkspaceLocked) as caught:
        locking.acquire(workspace_path)
    assert time.perf_counter() - started < 1.0
    holder = caught.value.holder
    assert holder is not None
    assert holder.pid == os.getpid()
    assert holder.host == socket.gethostname()
    assert holder.user in str(caught.value)
    assert "since" in str(caught.value)
    assert not caught.value.stale
    held.release()
    locking.acquire(workspace_path).release()
    assert not locking.lock_path(workspace_path).exists()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _write_lock(path: Path, **fields: object) -> None:
    data = {
        "user": "amy",
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": "2024-05-01T09:30:00+01:00",
        "started": None,
    }
    data.update(fields)
    locking.lock_path(path).write_text(json.dumps(data))


def test_stale_lock_from_a_crashed_run_is_detected_and_broken(workspace_path: Path) -> None:
    _write_lock(workspace_path, pid=_dead_pid())
    with pytest.raises(locking.WorkspaceLocked) as caught:
        locking.acquire(workspace_path)
    assert caught.value.stale
    assert "no longer running" in str(caught.value)
    assert locking.break_stale(workspace_path)
    locking.acquire(workspace_path).release()


def test_live_or_remote_lock_is_not_broken_unless_forced(workspace_path: Path) -> None:
    _write_lock(workspace_path, host="other-pc")
    assert not locking.break_stale(workspace_path)
    _write_lock(workspace_path)  # this very process: alive
    assert not locking.break_stale(workspace_path)
    assert locking.break_stale(workspace_path, force=True)


def test_reused_pid_counts_as_stale(workspace_path: Path) -> None:
    started = locking.current_holder().started
    if started is None:
        pytest.skip("process start times are not available here")
    _write_lock(workspace_path, started=started - 1000)
    assert locking.read_holder(workspace_path).is_stale()  # type: ignore[union-attr]


def test_release_leaves_someone_elses_lock(workspace_path: Path) -> None:
    held = locking.acquire(workspace_path)
    _write_lock(workspace_path, user="bob", host="other-pc")  # broken and retaken elsewhere
    held.release()
    assert locking.read_holder(workspace_path).user == "bob"  # type: ignore[union-attr]


def test_second_app_opens_read_only_with_holder(workspace_path: Path, tmp_path: Path) -> None:
    first = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
    assert not first.read_only and first.read_only_reason is None
    second = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
    assert second.read_only
    assert second.holder is not None and second.holder.pid == os.getpid()
    assert "opened for reading only" in (second.read_only_reason or "")
    second.workspace.close()
    first.workspace.close()
    assert not locking.lock_path(workspace_path).exists()


def test_app_breaks_a_stale_lock_and_says_so(workspace_path: Path, tmp_path: Path) -> None:
    _write_lock(workspace_path, pid=_dead_pid(), user="crashed")
    opened = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
    assert not opened.read_only
    assert opened.broke_stale_lock is not None and opened.broke_stale_lock.user == "crashed"
    opened.workspace.close()


def test_user_may_break_a_remote_lock(workspace_path: Path, tmp_path: Path) -> None:
    _write_lock(workspace_path, host="other-pc", user="bob")
    opened = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
    assert opened.read_only and "bob on other-pc" in (opened.read_only_reason or "")
    opened.workspace.close()
    opened = open_for_editing(workspace_path, backup_dir=tmp_path / "b", break_lock=True)
    assert not opened.read_only
    opened.workspace.close()


def test_real_second_process_then_crash(workspace_path: Path, tmp_path: Path) -> None:
    code = (
        "import sys, time; from cspdesk.store.opening import open_for_editing; "
        f"o = open_for_editing({str(workspace_path)!r}, backup_dir={str(tmp_path / 'b')!r}); "
        "print('ready', o.read_only, flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().split() == ["ready", "False"]
        started = time.perf_counter()
        second = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
        assert time.perf_counter() - started < 1.0
        assert second.read_only and second.holder is not None
        assert second.holder.pid == holder.pid
        second.workspace.close()
    finally:
        holder.kill()  # SIGKILL: the lock file stays behind, as after a crash
        holder.wait()
    assert locking.lock_path(workspace_path).exists()
    third = open_for_editing(workspace_path, backup_dir=tmp_path / "b")
    assert not third.read_only and third.broke_stale_lock is not None
    assert third.broke_stale_lock.pid == holder.pid
    third.workspace.close()


def test_half_written_lock_file(workspace_path: Path) -> None:
    target = locking.lock_path(workspace_path)
    target.write_text("")  # a crash between creating and writing it
    with pytest.raises(locking.WorkspaceLocked) as caught:
        locking.acquire(workspace_path)
    assert not caught.value.stale  # it may be being written this very moment
    assert not locking.break_stale(workspace_path)
    old = time.time() - 60
    os.utime(target, (old, old))
    with pytest.raises(locking.WorkspaceLocked) as caught:
        locking.acquire(workspace_path)
    assert caught.value.stale and "can be broken" in str(caught.value)
    assert locking.break_stale(workspace_path)
