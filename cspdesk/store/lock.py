"""One writer per workspace: a small lock file beside it saying who holds it.

``plan.cspdesk`` is guarded by ``plan.cspdesk.lock``, created atomically (O_EXCL) and holding
JSON: user, host, pid, the process's start time and when the lock was taken. A second cspdesk
reads it at once (no waiting) and can tell the user who has the workspace open. A lock whose
process is gone on this same computer is stale and can be broken; one held on another computer
cannot be checked from here, so only the user can decide to break it (``force=True``).

SQLite's own locks still guard every transaction; this file only gives the user a name and
keeps two people from editing the same plan side by side.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cspdesk.store.errors import WorkspaceError

LOCK_SUFFIX = ".lock"
UNREADABLE_GRACE_SECONDS = 10


@dataclass(frozen=True)
class Holder:
    """Who holds a workspace lock."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601, local time with offset
    started: float | None = None  # the process's start time where the OS tells it

    def describe(self) -> str:
        try:
            when = dt.datetime.fromisoformat(self.since).strftime("%d %b %Y at %H:%M")
        except ValueError:
            when = self.since or "an unknown time"
        return f"{self.user} on {self.host} has had it open since {when}"

    def on_this_host(self) -> bool:
        return self.host.lower() == socket.gethostname().lower()

    def is_stale(self) -> bool:
        """True when the holder ran on this computer and its process is gone."""
        if not self.on_this_host():
            return False
        if not _pid_alive(self.pid):
            return True
        # The pid may have been reused by another program since a crash.
        started = _process_start(self.pid)
        return self.started is not None and started is not None and abs(started - self.started) > 1


class WorkspaceLocked(WorkspaceError):
    """Someone else has the workspace open for editing."""

    def __init__(self, path: Path, holder: Holder | None, advice: str = "") -> None:
        self.path = path
        self.holder = holder
        if holder is None:
            who = "another cspdesk has it open (its lock file cannot be read)"
            if _unreadable_for_long(path):
                who = (
                    "a cspdesk that stopped while opening it left a damaged lock (it can be broken)"
                )
        else:
            who = holder.describe()
            if holder.is_stale():
                who += ", but that program is no longer running (the lock can be broken)"
        super().__init__(f"{path.name}: {who}" + (f"; {advice}" if advice else ""))

    @property
    def stale(self) -> bool:
        if self.holder is None:
            return _unreadable_for_long(self.path)
        return self.holder.is_stale()


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


class Lock:
    """A held workspace lock; release() it (or use ``with``) when the workspace closes."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.holder = holder
        self.released = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        # Remove only our own lock: it may have been broken and taken by someone else.
        if read_holder(self.path) == self.holder:
            with contextlib.suppress(FileNotFoundError):
                lock_path(self.path).unlink()

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def current_holder() -> Holder:
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return Holder(
        user=_user(),
        host=socket.gethostname(),
        pid=os.getpid(),
        since=now,
        started=_process_start(os.getpid()),
    )


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in ``path``'s lock file; None if there is none or it is unreadable."""
    try:
        data = json.loads(lock_path(path).read_text(encoding="utf-8"))
        return Holder(
            user=str(data["user"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            since=str(data["since"]),
            started=None if data.get("started") is None else float(data["started"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def acquire(path: Path | str) -> Lock:
    """Take the lock for the workspace at ``path`` or raise WorkspaceLocked at once.

    An OSError other than "already exists" (a read-only folder, say) propagates: the caller
    then opens the workspace read-only.
    """
    path = Path(path)
    holder = current_holder()
    target = lock_path(path)
    payload = json.dumps(asdict(holder)).encode("utf-8")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise WorkspaceLocked(path, read_holder(path)) from None
    try:
        try:
            written = 0
            while written < len(payload):  # a nearly full disk takes part of it, then refuses
                written += os.write(fd, payload[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        # A lock we could not finish is no lock: left behind, it would tell every command for
        # the next seconds that another cspdesk has the file open.
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return Lock(path, holder)


def break_stale(path: Path | str, *, force: bool = False) -> bool:
    """Remove the lock if its holder is gone (or whenever ``force``); True if removed."""
    path = Path(path)
    target = lock_path(path)
    if not target.exists():
        return False
    holder = read_holder(path)
    if not force and holder is not None and not holder.is_stale():
        return False
    if not force and holder is None and not _unreadable_for_long(path):
        return False  # unreadable: perhaps being written this instant
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    return True


def _unreadable_for_long(path: Path) -> bool:
    """An unreadable lock file older than a few seconds was left half-written by a crash."""
    try:
        age = time.time() - lock_path(path).stat().st_mtime
    except OSError:
        return False
    return read_holder(path) is None and age > UNREADABLE_GRACE_SECONDS


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "someone"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information = 0x1000
    still_active = 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def _process_start(pid: int) -> float | None:
    """The process's start time in clock ticks since boot (Linux); None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        # Field 22 (starttime), counted after the command name in parentheses.
        return float(stat.rsplit(")", 1)[1].split()[19])
    except (IndexError, ValueError):
        return None
