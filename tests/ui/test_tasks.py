"""Background work (ui/tasks.py): off the UI thread, its result or error handed back, and a
progress dialog only when the work takes longer than SHOW_AFTER_MS."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from cspdesk.errors import CspdeskError
from cspdesk.ui.tasks import SHOW_AFTER_MS, ProgressFn, run_task, start_task


def shown_progress_dialogs() -> list[QProgressDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.isVisible()
    ]


def test_quick_work_returns_its_result_from_another_thread_and_shows_no_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[bool] = []

    def work(progress: ProgressFn) -> int:
        seen.append(threading.current_thread() is threading.main_thread())
        progress(1, 2)
        return 42

    assert run_task(parent, "Adding up…", work) == 42
    assert seen == [False]  # ran off the UI thread
    assert shown_progress_dialogs() == []


def test_an_error_in_the_work_is_raised_where_it_was_asked_for(qtbot) -> None:  # type: ignore[no-untyped-def]
    def work(_progress: ProgressFn) -> None:
        raise CspdeskError("plan.xlsx: no plan found")

    with pytest.raises(CspdeskError, match="no plan found"):
        run_task(None, "Reading…", work)


def test_long_work_shows_its_progress_after_the_delay_and_closes_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[tuple[str, int, int]] = []

    def look() -> None:
        for dialog in shown_progress_dialogs():
            seen.append((dialog.labelText(), dialog.value(), dialog.maximum()))

    QTimer.singleShot(SHOW_AFTER_MS // 3, look)  # too early: nothing shown yet
    QTimer.singleShot(SHOW_AFTER_MS + 600, look)

    def work(progress: ProgressFn) -> str:
        progress(1, 4)
        time.sleep((SHOW_AFTER_MS + 900) / 1000)
        return "done"

    assert run_task(parent, "Writing the appendix…", work) == "done"
    assert seen == [("Writing the appendix…", 1, 4)]
    assert shown_progress_dialogs() == []


def test_started_work_calls_back_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[tuple[object, bool]] = []
    on_ui_thread = lambda: threading.current_thread() is threading.main_thread()  # noqa: E731
    task = start_task(
        parent,
        "Writing…",
        lambda _progress: "written",
        succeeded=lambda result: results.append((result, on_ui_thread())),
        failed=lambda error: results.append((error, on_ui_thread())),
    )
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    task.wait()
    assert results == [("written", True)] and not task.running

    failed = start_task(
        parent,
        "Writing…",
        lambda _progress: 1 / 0,
        succeeded=lambda result: results.append((result, on_ui_thread())),
        failed=lambda error: results.append((type(error).__name__, on_ui_thread())),
    )
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    failed.wait()
    assert results[1] == ("ZeroDivisionError", True)
