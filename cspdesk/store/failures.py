"""Database failures that reach the command line unworded, in the user's words.

Opening, reading and saving through a Workspace word their own failures; what is left is a
failure in the middle of a command's own work (a cut link, a server restart, a file on a disk
that filled up), which comes here as the driver raised it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# SQLite's result codes for a file it finds damaged (SQLITE_CORRUPT) or not a database at all
# (SQLITE_NOTADB): a truncated or overwritten workspace.
_DAMAGED_CODES = (11, 26)


def describe_database_failure(error: BaseException, workspace: object = None) -> str | None:
    """One line for an SQLite failure (full disk, read-only place, a damaged file ...) or a
    PostgreSQL one (a cut link, a restart); None for anything else. ``workspace``: the file the
    command opened (--db), to name its latest good backup when the file turns out damaged."""
    original = getattr(error, "orig", None) or error
    if type(original).__module__.startswith("psycopg"):
        from cspdesk.store.server import describe_error

        return (
            f"the command stopped: {describe_error(None, error)}; each save it finished before "
            "this is kept, nothing after it was saved"
        )
    if not isinstance(original, sqlite3.Error):
        return None
    text = str(original).lower()
    code = getattr(original, "sqlite_errorcode", 0) & 0xFF
    if code in _DAMAGED_CODES or "malformed" in text or "not a database" in text:
        damaged = damaged_workspace(workspace) if isinstance(workspace, Path) else None
        return damaged or "the workspace file is damaged; nothing was saved"
    if "full" in text or "too big" in text or code == 13:
        return "the disk is full (or the file may grow no larger); nothing was saved"
    if "readonly" in text or "read-only" in text:
        return "the workspace file or its folder is read-only; nothing was saved"
    if "unable to open" in text:
        return "the workspace file could not be opened (a removed disk, or a folder moved?)"
    doing = _doing(error)
    if "disk i/o" in text:
        return f"the workspace could not be {doing} (a full, removed or read-only disk?)"
    return f"the workspace could not be {doing} ({original})"


def _doing(error: BaseException) -> str:
    """What failed, as far as the statement tells: a read is not called a failed write."""
    statement = str(getattr(error, "statement", "") or "").lstrip().upper()
    if not statement:
        return "read or written"
    return "read" if statement.startswith(("SELECT", "PRAGMA", "WITH")) else "written"


def damaged_workspace(path: Path) -> str | None:
    """One line for a workspace file SQLite cannot read, naming its latest good backup and the
    command that puts it back; None when the file is not a damaged SQLite file."""
    from cspdesk.store import backup as backups
    from cspdesk.store.db import SQLITE_MAGIC

    if not path.is_file():  # a pipe would be waited on for ever
        return None
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None
    except OSError:
        return None
    if backups.quick_check(path):
        return None
    good = backups.newest_good_backup(backups.backup_folder(path))
    if good is None:
        return f"{path}: the workspace file is damaged, and no good backup of it was found"
    return (
        f"{path}: the workspace file is damaged; the latest good backup is {good.path.name}, "
        f"taken {good.taken:%d %b %Y at %H:%M} (cspdesk restore --db {_argument(path)} "
        f"--from {_argument(good.path)})"
    )


def _argument(path: Path) -> str:
    """A path as typed on a command line (quoted when it holds spaces)."""
    text = str(path)
    return f'"{text}"' if any(c.isspace() for c in text) else text
