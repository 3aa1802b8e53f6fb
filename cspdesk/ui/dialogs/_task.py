"""Run one piece of long work off the UI thread, with a progress dialog shown only if it is long."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

ProgressFn = Callable[[int, int], None]
SHOW_AFTER_MS = 600


class _Worker(QObject):
    progressed = Signal(int, int)
    done = Signal(object, object)  # result, exception

    def __init__(self, fn: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self.fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.progressed.emit)
        except BaseException as error:  # handed back to the UI thread and raised there
            self.done.emit(None, error)
        else:
            self.done.emit(result, None)


class _Receiver(QObject):
    """Lives in the UI thread, so the worker's signals reach it queued."""

    def __init__(self, dialog: QProgressDialog, loop: QEventLoop) -> None:
        super().__init__()
        self.dialog = dialog
        self.loop = loop
        self.result: Any = None
        self.error: BaseException | None = None

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, total))

    @Slot(object, object)
    def on_done(self, result: Any, error: object) -> None:
        self.result = result
        self.error = error if isinstance(error, BaseException) else None
        self.loop.quit()


def run_task(parent: QWidget | None, label: str, fn: Callable[[ProgressFn], Any]) -> Any:
    """Run ``fn(progress)`` in a worker thread and return its result (or raise its error),
    keeping the UI responsive; a progress dialog appears after SHOW_AFTER_MS."""
    dialog = QProgressDialog(label, "", 0, 100, parent)
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    loop = QEventLoop()
    receiver = _Receiver(dialog, loop)
    thread = QThread()
    worker = _Worker(fn)
    worker.moveToThread(thread)
    worker.progressed.connect(receiver.on_progress)
    worker.done.connect(receiver.on_done)
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    if receiver.error is not None:
        raise receiver.error
    return receiver.result
