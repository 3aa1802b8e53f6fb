"""Database failures that reach the command line unworded, in the user's words.

Opening, reading and saving through a Workspace word their own failures; what is left is a
failure in the middle of a command's own work (a cut link, a server restart, a file on a disk
that filled up), which comes here as the driver raised it.
"""

from __future__ import annotations

import sqlite3


def describe_database_failure(error: BaseException) -> str | None:
    """One line for an SQLite or PostgreSQL failure; None for anything else."""
    original = getattr(error, "orig", None) or error
    if isinstance(original, sqlite3.Error):
        return _sqlite(original)
    if type(original).__module__.startswith("psycopg"):
        from cspdesk.store.server import describe_error

        return (
            f"the command stopped: {describe_error(None, error)}; each save it finished before "
            "this is kept, nothing after it was saved"
        )
    return None


def _sqlite(original: sqlite3.Error) -> str:
    text = str(original).lower()
    if "full" in text or "too big" in text or getattr(original, "sqlite_errorcode", 0) == 13:
        return "the disk is full (or the file may grow no larger); nothing was saved"
    if "readonly" in text or "read-only" in text:
        return "the workspace file or its folder is read-only; nothing was saved"
    if "unable to open" in text or "disk i/o" in text:
        return "the workspace could not be written (a full, removed or read-only disk?)"
    return f"the workspace could not be written ({original})"
