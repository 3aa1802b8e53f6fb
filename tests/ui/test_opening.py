"""Opening from the GUI: a second window is read-only and says who has the file."""

from __future__ import annotations

from pathlib import Path

from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.opening import open_interactively


def test_second_opening_is_read_only_with_a_banner(qtbot, workspace_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = open_interactively(None, workspace_path)
    assert first is not None and not first.read_only
    second = open_interactively(None, workspace_path)
    assert second is not None and second.read_only
    assert "has had it open since" in (second.read_only_reason or "")
    window = MainWindow(second.workspace, read_only_reason=second.read_only_reason)
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and "has had it open since" in window.banner.text()
    assert ".." not in window.banner.text()
    assert "[read-only]" in window.windowTitle()
    window.close()
    first.workspace.close()
    third = open_interactively(None, workspace_path)
    assert third is not None and not third.read_only
    third.workspace.close()


def test_backup_now_writes_a_checked_backup(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.store.backup import list_backups

    window.backup_now()
    folder = window.backups.keeper.folder
    backups = list_backups(folder, checked=True)
    assert backups and all(b.ok for b in backups)
