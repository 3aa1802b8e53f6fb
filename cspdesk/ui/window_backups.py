"""The window's backups: on open, every half hour and on close (files), and Backup now."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from cspdesk.errors import CspdeskError
from cspdesk.ui.tasks import Task, start_task

if TYPE_CHECKING:
    from cspdesk.store.address import ServerAddress
    from cspdesk.store.autobackup import BackupKeeper
    from cspdesk.store.db import Workspace
    from cspdesk.ui.main_window import MainWindow

BACKUP_TICK_MS = 60_000
BACKUP_AFTER_OPEN_MS = 1500  # after the window shows: opening is not slowed by it


class WindowBackups(QObject):
    failed = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.keeper: BackupKeeper | None = None
        self.task: Task | None = None  # the backup running in the background, if any
        self.failed.connect(
            lambda message: window.statusBar().showMessage(f"Backup failed: {message}", 15000)
        )
        self._timer = QTimer(self)
        self._timer.setInterval(BACKUP_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def start(self, workspace: Workspace) -> None:
        """Back up on open (in the background, after the window shows) and every 30 min."""
        from cspdesk.store.autobackup import BackupKeeper

        # Rotated backups are for files; a shared plan's are the server's (pg_dump).
        shared = workspace.is_shared
        self.keeper = None if workspace.read_only or shared else BackupKeeper(workspace)
        if self.keeper is not None:
            keeper = self.keeper
            # Tied to this object, and only for the file still open: a window closed (or a
            # plan changed) meanwhile starts nothing on a closed file.
            QTimer.singleShot(BACKUP_AFTER_OPEN_MS, self, lambda: self._back_up_on_open(keeper))

    def _back_up_on_open(self, keeper: BackupKeeper) -> None:
        if keeper is self.keeper:
            self._in_background(keeper.on_open)

    def backup_now(self) -> None:
        document = self.window.document
        if document is not None and document.workspace.is_shared:
            self._copy_shared_plan(document.workspace.location)  # type: ignore[arg-type]
            return
        if self.keeper is None:
            self.window.show_error(
                "This workspace is open read-only; back up the file it came from."
            )
            return
        try:
            target = self.keeper.backup_now()
        except CspdeskError as error:
            self.window.show_error(str(error))
            return
        self.window.file_notice.announce(f"Backup saved: {target}", Path(target), can_open=False)

    def _copy_shared_plan(self, address: ServerAddress) -> None:
        """Backup now on a shared plan: a local workspace file copy, made off the UI thread."""
        from cspdesk.store.backup import copy_shared_plan
        from cspdesk.ui.tasks import run_task

        try:
            target = run_task(
                self.window,
                "Copying the shared plan to this computer…",
                lambda _p: copy_shared_plan(address),
            )
        except CspdeskError as error:
            self.window.show_error(str(error))
            return
        self.window.statusBar().showMessage(
            f"A copy of the shared plan saved: {target} (the server's own backups are its "
            "administrator's)",
            15000,
        )

    def back_up_if_changed(self) -> None:
        """A backup of the edits not yet backed up; the keeper stays (the file stays open)."""
        if self.keeper is None:
            return
        self.wait()
        try:
            self.keeper.on_close()
        except CspdeskError as error:
            self.window.show_error(f"The backup failed: {error}")

    def on_close(self) -> None:
        """The last backup of a file let go (the window closes, or another plan opens)."""
        if self.keeper is None:
            return
        self.wait()  # the file is not closed under a backup still reading it
        try:
            self.keeper.on_close()
        except CspdeskError as error:
            self.window.show_error(f"The closing backup failed: {error}")
        self.keeper = None

    def wait(self) -> None:
        """Let a background backup finish (a local copy: a moment)."""
        if self.task is not None:
            self.task.wait()

    def _tick(self) -> None:
        if self.keeper is not None:
            self._in_background(self.keeper.tick)

    def _in_background(self, job: Callable[[], object]) -> None:
        if self.task is not None:
            return  # one backup at a time; the next tick comes soon enough
        task = start_task(
            self.window,
            "Backing up…",
            lambda _progress: job(),
            succeeded=lambda _path: None,
            failed=lambda error: self.failed.emit(str(error)),
            quiet=True,  # the officer did not ask for it: nothing in the way of her typing
        )
        task.ended.connect(lambda: self._ended(task))
        self.task = task

    def _ended(self, task: Task) -> None:
        if self.task is task:
            self.task = None
        task.deleteLater()
