"""What an operating-system error on a path means, in the user's words."""

from __future__ import annotations

import errno
from pathlib import Path

NAME_LIMIT = 255  # bytes in one file or folder name on the file systems cspdesk meets


def describe_os_error(target: Path | str, error: OSError) -> str:
    """One line naming ``target`` and what to do about ``error``."""
    target = Path(target)
    code = error.errno
    if _is_temporary(target):  # a write's own hidden file: the user chose only its folder
        return describe_folder_error(target.parent, error)
    if code == errno.ENAMETOOLONG or _name_too_long(target):
        return (
            f"{target.name[:40]}…: the file name is too long (a name may have at most "
            f"{NAME_LIMIT} bytes); choose a shorter one"
        )
    if code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None)):
        return f"{target}: the disk is full; nothing was written (free some space and retry)"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        where = _folder_or_file(target)
        return (
            f"{target}: {where} is read-only (no permission to write there); choose another place"
        )
    if code == errno.ENOENT and not target.parent.is_dir():
        return f"{target}: the folder {target.parent} does not exist"
    if code == errno.EISDIR:
        return f"{target}: is a folder; give a file name"
    if code == errno.ENOTDIR:
        return f"{target}: part of the path is a file, not a folder"
    return f"{target}: could not write ({error.strerror or error})"


def describe_folder_error(folder: Path, error: OSError) -> str:
    code = error.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{folder}: the folder is read-only (no permission to write there); choose another"
    if code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None)):
        return f"{folder}: the disk is full; nothing was written (free some space and retry)"
    return f"{folder}: could not write there ({error.strerror or error})"


def _is_temporary(target: Path) -> bool:
    return target.name.startswith(".") and target.suffix in (".part", ".restore")


def _name_too_long(target: Path) -> bool:
    return any(len(part.encode("utf-8", "surrogateescape")) > NAME_LIMIT for part in target.parts)


def _folder_or_file(target: Path) -> str:
    import os

    try:
        if target.is_file() and os.access(target.parent, os.W_OK):
            return "the file"
    except OSError:
        pass
    return f"the folder {target.parent}"
