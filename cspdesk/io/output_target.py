"""Where an output may go: never over a workspace, a backup, or a file cspdesk did not write.

An existing file at the target is looked at (its bytes, not its name) before anything is
written: only an earlier output of the same kind may be replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

from cspdesk import APP_DISPLAY_NAME
from cspdesk.errors import CspdeskError

SQLITE_MAGIC = b"SQLite format 3\x00"
_WORKSPACE_SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")
_KIND_NAMES = {
    "xlsx": "a plan exported by cspdesk",
    "json": "a workspace exported by cspdesk as JSON",
    "pdf": "a report cspdesk wrote as PDF",
    "html": "a report cspdesk wrote as HTML",
    "docx": "a report cspdesk wrote for Word",
}
WORD_MARK = f"Written by {APP_DISPLAY_NAME}"  # the Word appendix's comments (docProps/core.xml)


# The marks our writers leave: the HTML page's generator, the PDF's Creator entry.
_GENERATOR = f'<meta name="generator" content="{APP_DISPLAY_NAME}">'.encode()
_PDF_CREATOR = f"/Creator ({APP_DISPLAY_NAME})".encode()
MAX_OWN_PDF_BYTES = 64 * 1024 * 1024


class OutputRefused(CspdeskError):
    """An output target that would replace something the command must not replace."""


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def refuse_replacing_database(target: Path) -> None:
    """Every output's last line of defence: a workspace or backup is never replaced."""
    from cspdesk.io.os_errors import describe_os_error

    try:
        target.stat()
    except FileNotFoundError:
        return
    except OSError as error:  # a name too long, a folder that may not be read ...
        raise OutputRefused(describe_os_error(target, error)) from error
    if target.is_dir():
        raise OutputRefused(f"{target}: is a folder; give a file name")
    if is_sqlite_file(target):
        raise OutputRefused(
            f"{target}: is a cspdesk workspace or backup (an SQLite database); nothing was "
            "written; choose another file name"
        )


def check_output(target: Path | str, kind: str, workspace: object = None) -> None:
    """Refuse ``target`` for an output of ``kind`` (xlsx, json, pdf, html) when it is the
    workspace (or one of its side files), a database, a backup, or a file of another kind."""
    target = Path(target)
    if isinstance(workspace, str | Path):  # a shared plan on a server has no files here
        _refuse_workspace_files(target, Path(workspace))
    refuse_replacing_database(target)
    if not target.exists():
        return
    if not target.is_file():
        raise OutputRefused(f"{target}: is not a regular file; give another file name")
    if not _written_by_us(target, kind):
        raise OutputRefused(
            f"{target}: exists and is not {_KIND_NAMES[kind]}; cspdesk replaces only its own "
            "outputs: choose another file name (nothing was written)"
        )


def _refuse_workspace_files(target: Path, workspace: Path) -> None:
    candidates = [workspace, *(Path(f"{workspace}{end}") for end in _WORKSPACE_SIDE_FILES)]
    for candidate in candidates:
        if _same_file(target, candidate):
            raise OutputRefused(
                f"{target}: is the workspace's own file; nothing was written; "
                "choose another file name"
            )
    from cspdesk.store.backup import backup_folder

    if _same_file(target.parent, backup_folder(workspace)):
        raise OutputRefused(
            f"{target}: is in the workspace's backup folder, which holds backups only; "
            "choose another folder"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _written_by_us(target: Path, kind: str) -> bool:
    from cspdesk.io.sniff import sniff

    try:
        if target.stat().st_size == 0:
            return True
        found = sniff(target)
    except OSError:
        return False
    if kind == "json":
        return found == "csv" and _head(target, 256).count(b'"format": "cspdesk-workspace"') == 1
    if kind == "html":
        return found == "html" and _GENERATOR in _head(target, 4096)
    if kind == "pdf":
        return found == "pdf" and _PDF_CREATOR in _head(target, MAX_OWN_PDF_BYTES)
    if kind == "docx":
        return found == "zip" and _is_our_word_file(target)
    return found == "zip" and _is_plan_export(target)


def _is_our_word_file(target: Path) -> bool:
    import zipfile
    from xml.sax.saxutils import escape

    try:
        with zipfile.ZipFile(target) as book:
            info = book.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:
                return False
            return escape(WORD_MARK).encode() in book.read(info)
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


def _head(target: Path, size: int) -> bytes:
    with target.open("rb") as handle:
        return handle.read(size)


def _is_plan_export(target: Path) -> bool:
    from cspdesk.io.gate import ImportRefused
    from cspdesk.io.xlsx_book import EXPORT_MARK, TOKEN_PROPERTY
    from cspdesk.io.xlsx_fast import open_fast

    try:
        with open_fast(target) as book:
            props = book.custom_props
    except ImportRefused:
        return False
    return EXPORT_MARK in props and TOKEN_PROPERTY not in props
