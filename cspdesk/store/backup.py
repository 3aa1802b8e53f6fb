"""Backups of a workspace with SQLite's online backup API (never a file copy), and restores.

A file copy taken while a transaction is being written can be torn; the backup API copies a
consistent snapshot under SQLite's own locks. Every backup is checked with ``integrity_check``
before it is kept. Backups live in ``paths.backup_dir() / <workspace stem>`` and are thinned
(the newest few, then one a day, one a week, one a month).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.errors import WorkspaceError
from cspdesk.store.part_files import clean_stale_parts, clean_stale_parts_in, part_prefix

if TYPE_CHECKING:
    from cspdesk.store.db import Workspace

STAMP = "%Y-%m-%d_%H%M%S"
KEEP_RECENT = 10
KEEP_DAILY = 12
KEEP_WEEKLY = 10
KEEP_MONTHLY = 9


class BackupFailed(WorkspaceError):
    """A backup could not be written or did not pass its check."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: dt.datetime
    size: int
    ok: bool | None = None  # None: not checked

    def describe(self) -> str:
        state = {True: "checked", False: "DAMAGED", None: ""}[self.ok]
        return f"{self.taken:%d %b %Y %H:%M:%S}  {_human_size(self.size)}  {state}".rstrip()


def backup_folder(workspace_path: Location | str) -> Path:
    """Where the backups of a workspace go: <backup_dir>/<file stem, or database name>."""
    from cspdesk import paths

    if isinstance(workspace_path, ServerAddress):
        return paths.backup_dir() / workspace_path.file_stem
    return paths.backup_dir() / Path(workspace_path).stem


def _connect_existing(path: Path, *, read_only: bool) -> sqlite3.Connection:
    mode = "ro" if read_only else "rw"
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode={mode}", uri=True, timeout=5)


def _integrity_ok(conn: sqlite3.Connection, pragma: str = "integrity_check") -> bool:
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def check(path: Path | str, *, full: bool = False) -> bool:
    """True if ``path`` is an SQLite file passing quick_check (integrity_check if ``full``).

    Opened read-write when possible, so a hot journal left by a crash is rolled back first
    (exactly as opening it for work would); read-only otherwise.
    """
    path = Path(path)
    if not path.is_file():
        return False
    pragma = "integrity_check" if full else "quick_check"
    for read_only in (False, True):
        try:
            conn = _connect_existing(path, read_only=read_only)
        except sqlite3.Error:
            continue
        try:
            return _integrity_ok(conn, pragma)
        except sqlite3.Error:
            continue
        finally:
            conn.close()
    return False


def quick_check(path: Path | str) -> bool:
    return check(path, full=False)


def _copy_with_backup_api(source: Path, target: Path) -> None:
    """Copy ``source`` into a new file ``target`` with the backup API and check the copy."""
    src = _connect_existing(source, read_only=True)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            if not _integrity_ok(dst):
                raise BackupFailed(f"{source.name}: the copy failed its integrity check")
        finally:
            dst.close()
    finally:
        src.close()


def copy_checked(source: Path, target: Path) -> None:
    """Copy ``source`` to a new ``target`` via the backup API, checked, through a temp file."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        temp.unlink()
        _copy_with_backup_api(source, temp)
        os.replace(temp, target)
    except sqlite3.Error as error:
        raise BackupFailed(f"{source.name}: copy failed ({error})") from error
    except OSError as error:
        raise BackupFailed(f"{target}: could not write ({error.strerror or error})") from error
    finally:
        temp.unlink(missing_ok=True)


def make_backup(
    source: Workspace | Path | str,
    backup_dir: Path | None = None,
    *,
    now: dt.datetime | None = None,
) -> Path:
    """Back up a workspace (open or by path) into ``backup_dir``; returns the new file."""
    path = Path(source) if isinstance(source, (str, Path)) else Path(source.path)
    folder = backup_dir if backup_dir is not None else backup_folder(path)
    taken = (now or dt.datetime.now()).replace(microsecond=0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, path, taken)
    except OSError as error:
        raise BackupFailed(
            f"{path.name}: could not write a backup in {folder} ({error.strerror or error})"
        ) from error
    clean_stale_parts_in(folder)
    copy_checked(path, target)
    return target


def copy_shared_plan(address: ServerAddress, folder: Path | None = None) -> Path:
    """A shared plan's backup: a local workspace file copy of it (store/copying.py) in
    ``folder`` (default: its backup folder). The server's routine backups are its
    administrator's (pg_dump); copies are not rotated."""
    from cspdesk.store.copying import copy_workspace

    folder = folder if folder is not None else backup_folder(address)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupFailed(
            f"{folder}: could not write a backup there ({error.strerror or error})"
        ) from None
    target = free_name(folder, Path(f"{address.file_stem}.cspdesk"), dt.datetime.now())
    copy_workspace(address, target)
    return target


def free_name(folder: Path, source: Path, taken: dt.datetime) -> Path:
    """A new backup file name for ``source`` taken at ``taken``, in ``folder``."""
    taken = taken.replace(microsecond=0)
    base = f"{source.stem}-{taken.strftime(STAMP)}"
    suffix = source.suffix or ".cspdesk"
    candidate = folder / f"{base}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}{suffix}"
        n += 1
    return candidate


def _parse_taken(path: Path) -> dt.datetime | None:
    # <stem>-YYYY-mm-dd_HHMMSS[-n]<suffix>; the stem itself may contain dashes.
    name = path.stem
    for cut in (0, 1):
        parts = name.rsplit("-", 3 + cut)
        if len(parts) < 4 + cut:
            continue
        stamp = "-".join(parts[1:4])
        try:
            return dt.datetime.strptime(stamp, STAMP)
        except ValueError:
            continue
    return None


def list_backups(backup_dir: Path, *, checked: bool = False) -> list[BackupInfo]:
    """The backups in ``backup_dir``, newest first (``checked``: run quick_check on each)."""
    if not backup_dir.is_dir():
        return []
    found: list[BackupInfo] = []
    for entry in backup_dir.iterdir():
        if entry.name.startswith(".") or not entry.is_file():
            continue
        taken = _parse_taken(entry)
        if taken is None:
            continue
        ok = quick_check(entry) if checked else None
        found.append(BackupInfo(entry, taken, entry.stat().st_size, ok))
    found.sort(key=lambda info: (info.taken, info.path.name), reverse=True)
    return found


def newest_good_backup(backup_dir: Path) -> BackupInfo | None:
    for info in list_backups(backup_dir):
        if check(info.path, full=True):
            return BackupInfo(info.path, info.taken, info.size, True)
    return None


def choose_kept(
    backups: list[BackupInfo],
    *,
    recent: int = KEEP_RECENT,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[Path]:
    """The backups a rotation keeps: the newest ``recent``, then the newest of each of the last
    ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months that have one."""
    ordered = sorted(backups, key=lambda info: info.taken, reverse=True)
    kept = {info.path for info in ordered[:recent]}
    for count, bucket in (
        (daily, lambda t: t.date()),
        (weekly, lambda t: tuple(t.isocalendar())[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ):
        seen: list[object] = []
        for info in ordered:
            key = bucket(info.taken)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            kept.add(info.path)
    return kept


def rotate(backup_dir: Path, **limits: int) -> list[Path]:
    """Delete the backups the rotation does not keep; returns what was removed."""
    backups = list_backups(backup_dir)
    kept = choose_kept(backups, **limits)
    removed = []
    for info in backups:
        if info.path not in kept:
            with contextlib.suppress(OSError):
                info.path.unlink()
                removed.append(info.path)
    return removed


def restore_backup(backup: Path | str, target: Path | str) -> Path | None:
    """Replace ``target`` with ``backup`` (via the backup API, checked, then an atomic rename).

    The file being replaced (and any journal beside it) is kept aside as
    ``<name>.replaced-<time>``; returns that path, or None when there was no file.
    """
    backup, target = Path(backup), Path(target)
    if not check(backup, full=True):
        raise BackupFailed(f"{backup.name}: this backup is damaged; choose another")
    stamp = dt.datetime.now().strftime(STAMP)
    clean_stale_parts(target, ".restore")
    fd, temp_name = tempfile.mkstemp(
        prefix=part_prefix(target), suffix=".restore", dir=target.parent
    )
    os.close(fd)
    temp = Path(temp_name)
    aside: Path | None = None
    try:
        temp.unlink()
        _copy_with_backup_api(backup, temp)
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists() and not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "the workspace file is read-only")
        if target.exists():
            aside = target.with_name(f"{target.name}.replaced-{stamp}")
            shutil.copy2(target, aside)
        # A journal left beside the old file must not be rolled back into the restored one.
        journal = target.with_name(target.name + "-journal")
        if journal.exists():
            os.replace(journal, target.with_name(f"{target.name}.replaced-{stamp}-journal"))
        os.replace(temp, target)
    except sqlite3.Error as error:
        raise BackupFailed(f"{backup.name}: could not restore ({error})") from error
    except OSError as error:
        if aside is not None and target.exists():  # the file was not replaced: no copy of it
            aside.unlink(missing_ok=True)
        raise BackupFailed(
            f"{target.name}: could not restore ({error.strerror or error}); nothing was replaced"
        ) from error
    finally:
        temp.unlink(missing_ok=True)
    return aside


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover
