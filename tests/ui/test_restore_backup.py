"""The Restore from backup dialog, offscreen with pytest-qt."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from cspdesk.store import backup as backups
from cspdesk.ui.dialogs.restore_backup import RestoreBackupDialog


def titles(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM action ORDER BY id")]
    finally:
        conn.close()


def set_titles(path: Path, title: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE action SET title=?", (title,))
    conn.commit()
    conn.close()


def test_lists_backups_and_restores_the_chosen_one(
    qtbot, workspace_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "b"
    set_titles(workspace_path, "oldest")
    backups.make_backup(workspace_path, folder, now=dt.datetime(2024, 4, 1, 9, 0))
    set_titles(workspace_path, "middle")
    middle = backups.make_backup(workspace_path, folder, now=dt.datetime(2024, 5, 1, 9, 0))
    set_titles(workspace_path, "newest")
    damaged = backups.make_backup(workspace_path, folder, now=dt.datetime(2024, 6, 1, 9, 0))
    data = bytearray(damaged.read_bytes())
    data[4096:16384] = b"\xab" * 12288
    damaged.write_bytes(bytes(data))
    set_titles(workspace_path, "current")

    dialog = RestoreBackupDialog(None, workspace_path, folder)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 3
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(3)]
    assert rows[0][0].startswith("Sat 01 Jun 2024") and rows[0][2] == "Damaged"
    assert rows[1][0].startswith("Wed 01 May 2024") and rows[1][2] == "OK"
    assert all(row[1].endswith("KB") for row in rows)
    assert not table.item(0, 0).flags() & Qt.ItemFlag.ItemIsEnabled
    assert dialog.selected_backup() == middle  # the newest good one is preselected
    assert dialog.restore_button.isEnabled()

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.restored == workspace_path
    assert set(titles(workspace_path)) == {"middle"}
    assert dialog.kept_aside is not None and set(titles(dialog.kept_aside)) == {"current"}


def test_no_backups_yet(qtbot, workspace_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = RestoreBackupDialog(None, workspace_path, tmp_path / "none")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert "no backups" in dialog.intro.text()
    assert not dialog.restore_button.isEnabled()
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert dialog.restored is None


def test_cancelling_with_escape_leaves_the_plan_open_as_it_was(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cspdesk.ui.dialogs.restore_backup import RestoreBackupDialog as Dialog

    document, workspace = window.document, window.document.workspace
    window.tree.expandAll()
    window.select(("action", 2))
    assert document.add_item("milestone", 2, title="Checked") is not None  # to undo
    edits = document.undo_stack.count()
    selected = window.current_key()
    assert edits > 0 and selected is not None
    seen: list[Dialog] = []

    def press_escape() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, Dialog):
            QTimer.singleShot(20, press_escape)
            return
        seen.append(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, press_escape)
    window.features.restore_backup()
    assert seen and seen[0].restored is None
    assert window.document is document and not workspace.closed  # never closed nor reopened
    assert document.undo_stack.count() == edits and document.undo_stack.canUndo()
    assert window.current_key() == selected


def test_restoring_from_the_window_closes_the_file_only_then_and_reopens_it(
    qtbot,  # type: ignore[no-untyped-def]
    window,
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from cspdesk.ui.dialogs.restore_backup import RestoreBackupDialog as Dialog

    document = window.document
    path = document.workspace.path
    assert document.add_item("milestone", 2, title="Checked") is not None  # backed up first
    closed_while_choosing: list[bool] = []

    def restore() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, Dialog):
            QTimer.singleShot(20, restore)
            return
        closed_while_choosing.append(document.workspace.closed)
        assert dialog.selected_backup() is not None  # the edits just backed up
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, restore)
    window.features.restore_backup()
    assert closed_while_choosing == [False] and document.workspace.closed
    assert window.document is not document and window.document.workspace.path == path
    titles_now = window.document.workspace.read(
        lambda s: s.execute(text("SELECT title FROM milestone")).scalars().all()
    )
    assert "Checked" in titles_now  # the backup taken before the dialog, restored
    said = window.statusBar().currentMessage()  # said once open again, not done silently
    assert said.startswith(f"{path.name} restored from the backup of ")
    assert f"The file as it was is kept beside it as {path.name}.replaced-" in said
