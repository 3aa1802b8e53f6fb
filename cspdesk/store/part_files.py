"""The hidden ``.NAME.xxxx.part`` files that writes go through, and cleaning up the ones an
interrupted run (kill, power cut, full disk) left behind."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

SUFFIX = ".part"
JOURNAL = "-journal"  # what SQLite writes beside a database while a transaction runs
# A part this old belongs to no write still running: writes take seconds, not minutes.
STALE_AFTER_SECONDS = 10 * 60
_PREFIX_CHARS = 80  # leaves room for mkstemp's random letters within a 255-byte name


def part_prefix(target: Path) -> str:
    return f".{target.name[:_PREFIX_CHARS]}."


def clean_stale_parts(target: Path, suffix: str = SUFFIX) -> list[Path]:
    """Remove the stale parts of earlier writes to ``target``; returns what was removed."""
    return _clean(target.parent, f"{part_prefix(target)}*{suffix}")


def clean_stale_parts_in(folder: Path) -> list[Path]:
    """Remove every stale part in ``folder`` (a folder cspdesk owns, such as its backups)."""
    return _clean(folder, f".*{SUFFIX}")


def _clean(folder: Path, pattern: str) -> list[Path]:
    """Remove the stale parts matching ``pattern``, and the SQLite journals beside them (a part
    copied through SQLite leaves ``….part-journal`` when the copy is cut short), also a journal
    whose part is already gone."""
    removed: list[Path] = []
    cutoff = time.time() - STALE_AFTER_SECONDS
    with contextlib.suppress(OSError):
        found = [*folder.glob(pattern), *folder.glob(pattern + JOURNAL)]
        for part in found:
            with contextlib.suppress(OSError):
                if part.is_file() and part.stat().st_mtime < cutoff:
                    part.unlink()
                    removed.append(part)
    return removed
