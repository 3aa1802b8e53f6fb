"""When to back up an open workspace: on open, on close, and every 30 minutes while changed.

Qt-free; the main window calls ``tick()`` from a QTimer (say once a minute), ``on_open()`` after
opening and ``on_close()`` before closing. Each backup is followed by a rotation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from cspdesk.store import backup as backups
from cspdesk.store.db import Workspace

INTERVAL_SECONDS = 30 * 60


class BackupKeeper:
    def __init__(
        self,
        workspace: Workspace,
        folder: Path | None = None,
        *,
        interval: float = INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workspace = workspace
        self.folder = folder if folder is not None else backups.backup_folder(workspace.path)
        self.interval = interval
        self.clock = clock
        self._backed_up_count = workspace.write_count
        self._last_time = clock()
        self.last_backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.workspace.write_count != self._backed_up_count

    def backup_now(self) -> Path:
        """Back up now (raises BackupFailed), then thin the folder."""
        count = self.workspace.write_count
        path = backups.make_backup(self.workspace, self.folder)
        self._backed_up_count = count
        self._last_time = self.clock()
        self.last_backup = path
        backups.rotate(self.folder)
        return path

    def on_open(self) -> Path | None:
        """A backup of the file as found, unless the newest backup is already newer than it."""
        newest = backups.list_backups(self.folder)
        if newest and newest[0].path.stat().st_mtime >= self.workspace.path.stat().st_mtime:
            return None
        return self.backup_now()

    def tick(self) -> Path | None:
        if self.changed and self.clock() - self._last_time >= self.interval:
            return self.backup_now()
        return None

    def on_close(self) -> Path | None:
        return self.backup_now() if self.changed else None
