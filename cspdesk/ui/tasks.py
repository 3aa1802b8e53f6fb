"""Long work off the UI thread, the one way the window does it: the work runs on a QThread, and
a progress dialog (Qt's QProgressDialog) appears only once it has taken SHOW_AFTER_MS.

``run_task`` waits for the result (the window keeps drawing meanwhile); ``start_task`` returns
at once and calls back on the UI thread when the work is done or has failed (``quiet``: no
progress dialog, for work the officer did not ask for, such as the half-hourly backup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

ProgressFn = Callable[[int, int], None]
SHOW_AFTER_MS = 600
T = TypeVar("T")


class _Worker(QThread):
    def __init__(self, fn: Callable[[ProgressFn], Any], progress: ProgressFn) -> None:
        super().__init__()
        self.fn, self.progress = fn, progress
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn(self.progress)
        except BaseException as error:  # handed back to the UI thread
            self.error = error


class Task(QObject):
    """``fn(progress)`` running on its own thread; its signals arrive on the UI thread."""

    progressed = Signal(int, int)  # done, total: emitted by the work, shown by the dialog
    succeeded = Signal(object)  # the result
    failed = Signal(object)  # the exception the work raised
    ended = Signal()  # after either

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        fn: Callable[[ProgressFn], Any],
        *,
        quiet: bool = False,
    ) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog(label, "", 0, 0, parent)  # busy until a total is known
        self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.quiet = quiet
        self._worker = _Worker(fn, self.progressed.emit)
        # Bound methods of this object, which lives on the UI thread: queued there.
        self.progressed.connect(self._show_progress)
        self._worker.finished.connect(self._finish)
        self.running = False

    @property
    def result(self) -> Any:
        return self._worker.result

    @property
    def error(self) -> BaseException | None:
        return self._worker.error

    def start(self) -> None:
        self.running = True
        if not self.quiet:
            self.dialog.setValue(0)  # starts the clock: the dialog shows after SHOW_AFTER_MS
        self._worker.start()

    def wait(self) -> None:
        """Block until the work has finished (its callbacks run later, on the event loop)."""
        self._worker.wait()

    def _show_progress(self, done: int, total: int) -> None:
        if self.quiet:
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, total))

    def _finish(self) -> None:
        self._worker.wait()
        self.running = False
        self.dialog.reset()  # stops the timer that would show it
        self.dialog.close()
        self.dialog.deleteLater()
        if self.error is not None:
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
        self.ended.emit()


def start_task(
    parent: QWidget | None,
    label: str,
    fn: Callable[[ProgressFn], T],
    succeeded: Callable[[T], object],
    failed: Callable[[BaseException], object],
    *,
    quiet: bool = False,
) -> Task:
    """Start ``fn(progress)`` on a worker thread and return; ``succeeded(result)`` or
    ``failed(error)`` is called on the UI thread when it ends. Keep the Task until then."""
    task = Task(parent, label, fn, quiet=quiet)
    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.start()
    return task


def run_task(parent: QWidget | None, label: str, fn: Callable[[ProgressFn], T]) -> T:
    """Run ``fn(progress)`` on a worker thread and return its result (or raise its error),
    keeping the window responsive; a progress dialog appears after SHOW_AFTER_MS."""
    task = Task(parent, label, fn)
    loop = QEventLoop()
    task.ended.connect(loop.quit)
    task.start()
    loop.exec()
    task.deleteLater()
    if task.error is not None:
        raise task.error
    return task.result  # type: ignore[no-any-return]
