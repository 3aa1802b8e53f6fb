"""Background work in the window goes the one way (ui/tasks.py): the half-hourly backup too."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from cspdesk.errors import CspdeskError
from cspdesk.ui.tasks import SHOW_AFTER_MS, Task
from cspdesk.ui.window_backups import BACKUP_AFTER_OPEN_MS


def test_a_background_backup_is_a_quiet_task_and_the_window_waits_for_it(
    qtbot,  # type: ignore[no-untyped-def]
    window,
) -> None:
    backups = window.backups
    qtbot.wait(BACKUP_AFTER_OPEN_MS + 100)  # the backup on open has started…
    qtbot.waitUntil(lambda: backups.task is None, timeout=5000)  # …and ended
    release = threading.Event()
    ran: list[bool] = []

    def slow_backup() -> None:
        release.wait(5)
        time.sleep(0.2)
        ran.append(threading.current_thread() is not threading.main_thread())

    backups._in_background(slow_backup)
    task = backups.task
    assert isinstance(task, Task) and task.running
    qtbot.wait(SHOW_AFTER_MS + 300)
    assert not task.dialog.isVisible()  # nothing in the way of the officer's typing
    backups._in_background(slow_backup)  # a tick meanwhile: one backup at a time
    assert backups.task is task
    release.set()
    backups.on_close()  # the file is closed only after the backup read it
    assert ran == [True]


def test_a_background_backup_that_fails_says_so(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    backups = window.backups
    qtbot.wait(BACKUP_AFTER_OPEN_MS + 100)  # the backup on open has started…
    qtbot.waitUntil(lambda: backups.task is None, timeout=5000)  # …and ended

    def full_disk() -> None:
        raise CspdeskError(f"No room left to write in {Path('/backups')}")

    backups._in_background(full_disk)
    qtbot.waitUntil(lambda: backups.task is None)
    assert window.statusBar().currentMessage() == (
        "Backup failed: No room left to write in /backups"
    )
