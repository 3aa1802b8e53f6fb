"""File > Restore from backup…: the workspace's backups with dates, sizes and whether each
passes its check; restoring replaces the workspace file (the old one is kept aside).

The workspace stays open while the officer chooses: ``before_restore`` closes it (and releases
its lock) only once a backup is chosen, so Cancel leaves the plan as it was. The caller reopens
the file after a restore was tried.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.errors import CspdeskError
from cspdesk.store import backup as backups

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Taken", "Size", "Check")


class RestoreBackupDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        workspace_path: Path,
        backup_dir: Path | None = None,
        before_restore: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.before_restore = before_restore
        self.workspace_path = Path(workspace_path)
        self.backup_dir = backup_dir or backups.backup_folder(workspace_path)
        self.restored: Path | None = None
        self.kept_aside: Path | None = None
        self.said = ""  # what the restore did, for the status bar once the file is open again
        self.setWindowTitle("Restore from backup")
        self.resize(560, 380)

        self.intro = QLabel(
            f"Choose a backup of {self.workspace_path.name} to go back to. The current file is "
            "kept beside it, so nothing is lost."
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Backups")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(lambda *_: self.restore_selected())

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.load()

    def load(self) -> None:
        found = backups.list_backups(self.backup_dir, checked=True)
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            state = {True: "OK", False: "Damaged", None: ""}[info.ok]
            cells = (f"{info.taken:%a %d %b %Y  %H:%M:%S}", _size(info.size), state)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(PATH_ROLE, str(info.path))
                if info.ok is False:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                    item.setToolTip("This backup failed its check and cannot be restored")
                self.table.setItem(row, column, item)
        if not found:
            self.intro.setText(f"There are no backups of {self.workspace_path.name} yet.")
        else:
            first_good = next((r for r, info in enumerate(found) if info.ok), None)
            if first_good is not None:
                self.table.selectRow(first_good)

    def selected_backup(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        if self.before_restore is not None:
            self.before_restore()
        try:
            self.kept_aside = backups.restore_backup(backup, self.workspace_path)
        except CspdeskError as error:
            QMessageBox.warning(self, "Restore from backup", str(error))
            return
        self.restored = self.workspace_path
        taken = self.table.item(self.table.currentRow(), 0)
        aside = (
            f" The file as it was is kept beside it as {self.kept_aside.name}."
            if self.kept_aside is not None
            else ""
        )
        when = f" of {' '.join(taken.text().split())}" if taken is not None else ""
        self.said = f"{self.workspace_path.name} restored from the backup{when}.{aside}"
        self.accept()


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:,.1f} MB"


def run_restore_dialog(
    parent: QWidget | None,
    workspace_path: Path,
    backup_dir: Path | None = None,
    before_restore: Callable[[], None] | None = None,
    said: list[str] | None = None,
) -> Path | None:
    """Show the dialog; the restored workspace path, or None when cancelled. ``said``, once
    restored: what was restored and where the replaced file is kept."""
    dialog = RestoreBackupDialog(parent, workspace_path, backup_dir, before_restore)
    dialog.exec()
    if dialog.restored is not None and said is not None:
        said.append(dialog.said)
    return dialog.restored
