"""Warnings for workspaces on network drives and in cloud-sync folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspdesk.store.location import risky_location


@pytest.mark.parametrize(
    "path",
    [
        r"\\council-fs01\csp\plan.cspdesk",
        "//council-fs01/csp/plan.cspdesk",
        r"\\?\UNC\council-fs01\csp\plan.cspdesk",
    ],
)
def test_unc_paths_warn(path: str) -> None:
    warning = risky_location(path)
    assert warning is not None and "network share" in warning
    assert "council-fs01" in warning and "on this computer" in warning


@pytest.mark.parametrize(
    "folder",
    [
        "OneDrive - Castle Point Council",
        "OneDrive",
        "Dropbox (Personal)",
        "Dropbox",
        "Google Drive",
    ],
)
def test_cloud_sync_folders_warn(tmp_path: Path, folder: str) -> None:
    warning = risky_location(tmp_path / folder / "CSP" / "plan.cspdesk")
    assert warning is not None and "cloud-sync folder" in warning and folder in warning


def test_sharepoint_library_synced_by_onedrive(tmp_path: Path) -> None:
    path = tmp_path / "SharePoint - Community Safety" / "plan.cspdesk"
    assert "cloud-sync" in (risky_location(path) or "")


def test_onedrive_environment_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "Work files"
    monkeypatch.setenv("OneDriveCommercial", str(root))
    assert risky_location(root / "plan.cspdesk") is not None


def test_local_folder_is_fine(tmp_path: Path) -> None:
    assert risky_location(tmp_path / "Documents" / "plan.cspdesk") is None
    assert risky_location(tmp_path / "dropboxes" / "plan.cspdesk") is None


@pytest.mark.parametrize("fs_type", ["nfs4", "cifs", "fuse.sshfs", "smb3"])
def test_linux_network_mounts(tmp_path: Path, fs_type: str) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/vda / ext4 rw 0 0\n"
        f"server:/share /mnt/council\\040share {fs_type} rw 0 0\n"
        "/dev/vdb /mnt/council\\040share/local ext4 rw 0 0\n"
    )
    warning = risky_location("/mnt/council share/plan.cspdesk", mounts_file=mounts)
    assert warning is not None and fs_type in warning
    assert risky_location("/mnt/council share/local/plan.cspdesk", mounts_file=mounts) is None
    assert risky_location("/home/amy/plan.cspdesk", mounts_file=mounts) is None


def test_copy_to_local(
    workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from cspdesk.store.backup import BackupFailed
    from cspdesk.store.location import copy_to_local

    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path / "home"))
    copy = copy_to_local(workspace_path)
    assert copy == tmp_path / "home" / "workspaces" / "plan.cspdesk"
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM action").fetchone()[0] == 3
    conn.close()
    with pytest.raises(BackupFailed, match="already exists"):
        copy_to_local(workspace_path)
