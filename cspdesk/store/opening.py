"""Opening a workspace the way the app does: one writer, read-only fallbacks, damage check.

``open_for_editing(path)`` never shows a traceback for the ordinary troubles of a desktop file:
a read-only file or folder, another cspdesk holding it, a stale lock after a crash, a risky
location (network or cloud-sync folder). It returns the workspace together with what the window
should tell the user in a banner. A damaged file raises WorkspaceDamaged naming the newest good
backup, so the window can offer to restore it.

A shared plan on a server has none of these file troubles (no lock file, no network-drive
warning, no SQLite damage check): the server guards its own transactions and several officers
edit at once; it is opened as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cspdesk.store import backup as backups
from cspdesk.store import lock as locking
from cspdesk.store.address import Location, ServerAddress, parse_location
from cspdesk.store.db import SQLITE_MAGIC, Workspace, sniff_workspace_file
from cspdesk.store.errors import NotAWorkspace, WorkspaceError, WorkspaceReadOnly
from cspdesk.store.location import risky_location


class WorkspaceDamaged(WorkspaceError):
    """The file fails SQLite's quick_check; ``backup`` is the newest good one, if any."""

    def __init__(self, path: Path, backup: backups.BackupInfo | None) -> None:
        self.path = path
        self.backup = backup
        offer = (
            f"the newest good backup is from {backup.taken:%d %b %Y %H:%M}"
            if backup is not None
            else "no good backup was found"
        )
        super().__init__(f"{path.name}: the workspace file is damaged; {offer}")


@dataclass
class Opened:
    """A workspace opened by the app, and what to tell the user about it."""

    workspace: Workspace
    read_only_reason: str | None = None  # the banner text when opened read-only
    holder: locking.Holder | None = None  # who holds it, when that is why it is read-only
    broke_stale_lock: locking.Holder | None = None  # a crashed run's lock we removed
    location_warning: str | None = None  # network drive / cloud-sync folder

    @property
    def read_only(self) -> bool:
        return self.workspace.read_only


def why_read_only(path: Path) -> str | None:
    """Why ``path`` cannot be edited in place (a read-only file or folder), or None."""
    if not os.access(path, os.W_OK):
        return "The file is read-only, so it was opened for reading only."
    # SQLite writes a journal file beside the workspace, so the folder must be writable too.
    if not os.access(path.parent, os.W_OK):
        return (
            f"The folder {path.parent} is read-only (cspdesk needs to write beside the file), "
            "so it was opened for reading only."
        )
    return None


def open_for_editing(
    path: Location | str,
    *,
    read_only: bool = False,
    break_lock: bool = False,
    backup_dir: Path | None = None,
) -> Opened:
    """Open ``path`` for editing if we can, read-only (with the reason) if not.

    ``break_lock``: the user chose to break another holder's lock (one on another computer
    cannot be checked from here). Raises WorkspaceError for files that cannot be opened at all,
    WorkspaceDamaged for a file that fails its check.
    """
    location = parse_location(path)
    if isinstance(location, ServerAddress):
        shared = Workspace.open(location, read_only=read_only)
        asked = "Opened read-only, as asked." if read_only else None
        return Opened(shared, shared.read_only_reason or asked)
    path = location
    sniff_workspace_file(path)
    warning = risky_location(path)
    if read_only:
        workspace = _open_checked(path, read_only=True, backup_dir=backup_dir)
        return Opened(workspace, "Opened read-only, as asked.", location_warning=warning)
    reason = why_read_only(path)
    if reason is not None:
        workspace = _open_checked(path, read_only=True, backup_dir=backup_dir)
        return Opened(workspace, reason, location_warning=warning)

    broke: locking.Holder | None = None
    try:
        lock = locking.acquire(path)
    except locking.WorkspaceLocked as locked:
        if locked.stale or break_lock:
            broke = locked.holder
            locking.break_stale(path, force=True)
            lock = locking.acquire(path)
        else:
            workspace = _open_checked(path, read_only=True, backup_dir=backup_dir)
            text = f"{locked.holder.describe() if locked.holder else 'Another cspdesk has it open'}"
            return Opened(
                workspace,
                f"{text}, so it was opened for reading only.",
                holder=locked.holder,
                location_warning=warning,
            )
    except OSError as error:
        workspace = _open_checked(path, read_only=True, backup_dir=backup_dir)
        reason = f"cspdesk cannot write beside the file ({error.strerror or error})"
        return Opened(workspace, f"{reason}, so it was opened for reading only.")
    try:
        workspace = _open_checked(path, read_only=False, backup_dir=backup_dir)
    except BaseException:
        lock.release()
        raise
    workspace.lock = lock
    return Opened(workspace, broke_stale_lock=broke, location_warning=warning)


def _open_checked(path: Path, *, read_only: bool, backup_dir: Path | None) -> Workspace:
    folder = backup_dir if backup_dir is not None else backups.backup_folder(path)
    try:
        workspace = Workspace.open(path, read_only=read_only)
    except NotAWorkspace:
        journal = path.with_name(path.name + "-journal")
        if read_only and journal.exists() and why_read_only(path) is not None:
            raise WorkspaceReadOnly(
                f"{path.name}: a save was cut short here (by a crash or power cut) and the file "
                "is read-only, so it cannot be put right; open it once where it can be written"
            ) from None
        # An SQLite file (the header sniff passed) that cannot be read is damaged, not alien.
        if not backups.quick_check(path) and _has_sqlite_header(path):
            raise WorkspaceDamaged(path, backups.newest_good_backup(folder)) from None
        raise
    try:
        with workspace.engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
        ok = result == [("ok",)]
    except Exception:  # a damaged page can raise anything from DatabaseError up
        ok = False
    if not ok:
        workspace.close()
        raise WorkspaceDamaged(path, backups.newest_good_backup(folder))
    return workspace


def _has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
