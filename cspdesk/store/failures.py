"""Database failures that reach the command line unworded, in the user's words."""

from __future__ import annotations

import sqlite3


def describe_database_failure(error: BaseException) -> str | None:
    """One line for an SQLite failure (full disk, read-only place ...); None for anything else."""
    original = getattr(error, "orig", None) or error
    if not isinstance(original, sqlite3.Error):
        return None
    text = str(original).lower()
    if "full" in text or "too big" in text or getattr(original, "sqlite_errorcode", 0) == 13:
        return "the disk is full (or the file may grow no larger); nothing was saved"
    if "readonly" in text or "read-only" in text:
        return "the workspace file or its folder is read-only; nothing was saved"
    if "unable to open" in text or "disk i/o" in text:
        return "the workspace could not be written (a full, removed or read-only disk?)"
    return f"the workspace could not be written ({original})"
