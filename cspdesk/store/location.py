"""Is a workspace somewhere SQLite files get damaged (network drive, cloud-sync folder)?

SQLite relies on file locks and on writes reaching the disk in order; network file systems and
sync clients (OneDrive, SharePoint, Dropbox, Google Drive...) break both, and a sync client may
upload half a transaction or restore a "conflicted copy". We warn and offer a local working copy.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

CLOUD_FOLDER_MARKERS = (
    "onedrive",
    "sharepoint",
    "dropbox",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "icloudrive",
    "iclouddrive",
    "box sync",
    "nextcloud",
    "owncloud",
    "pcloud",
    "megasync",
)
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "fuse.rclone",
        "fuse.s3fs",
        "davfs",
        "fuse.davfs2",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW: DRIVE_REMOTE

_ADVICE = (
    "SQLite workspace files kept there can be damaged by other computers or by syncing. "
    "Keep the working copy on this computer (cspdesk can copy it for you) and share exported "
    "reports instead."
)


def risky_location(path: Path | str, *, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """A plain warning if ``path`` is on a network drive or in a cloud-sync folder, else None."""
    raw = str(path)
    if _is_unc(raw):
        return f"This workspace is on a network share ({_share_name(raw)}). {_ADVICE}"
    resolved = _resolve(Path(path))
    cloud = _cloud_folder(resolved)
    if cloud is not None:
        return f"This workspace is in a cloud-sync folder ({cloud}). {_ADVICE}"
    if sys.platform == "win32":  # pragma: no cover - Windows only
        if _is_unc(str(resolved)):
            return f"This workspace is on a network share ({_share_name(str(resolved))}). {_ADVICE}"
        drive = PureWindowsPath(str(resolved)).drive
        if drive and _windows_drive_is_remote(drive):
            return f"This workspace is on a network drive ({drive}). {_ADVICE}"
        return None
    fs_type = _linux_fs_type(resolved, mounts_file)
    if fs_type is not None and fs_type in NETWORK_FS_TYPES:
        return f"This workspace is on a network file system ({fs_type}). {_ADVICE}"
    return None


def _is_unc(raw: str) -> bool:
    if raw.upper().startswith("\\\\?\\UNC\\"):
        return True
    return raw.startswith(("\\\\", "//")) and not raw.startswith(("\\\\?\\", "\\\\.\\"))


def _share_name(raw: str) -> str:
    parts = [p for p in raw.replace("/", "\\").split("\\") if p and p not in ("?", "UNC")]
    return "\\\\" + "\\".join(parts[:2]) if len(parts) >= 2 else raw


def _resolve(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _cloud_folder(path: Path) -> str | None:
    for part in path.parts:
        lowered = part.lower()
        for marker in CLOUD_FOLDER_MARKERS:
            # "OneDrive", "OneDrive - Castle Point Council", "Dropbox (Personal)"...
            if lowered == marker or lowered.startswith((marker + " ", marker + "-")):
                return part
    for variable in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        root = os.environ.get(variable)
        if root and _is_within(path, Path(root)):
            return Path(root).name or root
    return None


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(_resolve(root))
    except ValueError:
        return False
    return True


def _windows_drive_is_remote(drive: str) -> bool:  # pragma: no cover - Windows only
    try:
        import ctypes

        kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False
    return int(kind) == DRIVE_REMOTE


def _linux_fs_type(path: Path, mounts_file: Path) -> str | None:
    """The type of the file system holding ``path``, from the longest matching mount point."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best: tuple[int, str] | None = None
    text = str(path)
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = text == mount_point or text.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fields[2])
    return None if best is None else best[1]


def local_working_copy(path: Path | str) -> Path:
    """Where a local working copy of ``path`` goes: <cspdesk home>/workspaces/<file name>."""
    from cspdesk import paths

    return paths.home() / "workspaces" / Path(path).name


def copy_to_local(path: Path | str, target: Path | None = None) -> Path:
    """Copy the workspace at ``path`` to a local working copy (SQLite backup API, checked).

    Refuses to overwrite an existing copy; returns the new file.
    """
    from cspdesk.store.backup import BackupFailed, copy_checked

    target = target if target is not None else local_working_copy(path)
    if target.exists():
        raise BackupFailed(f"{target}: a local copy already exists; open it or move it away")
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_checked(Path(path), target)
    return target
