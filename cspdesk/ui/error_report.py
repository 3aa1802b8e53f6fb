"""An error nobody expected in the window: a message box for the officer, details in the log."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from cspdesk.paths import log_dir

LOG_NAME = "cspdesk.log"
_logger = logging.getLogger("cspdesk.ui")


def log_file() -> Path:
    """The log file, with a handler writing to it attached once."""
    path = log_dir() / LOG_NAME
    if not any(getattr(h, "baseFilename", None) == str(path) for h in _logger.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        _logger.addHandler(handler)
        _logger.setLevel(logging.INFO)
    return path


def outcome(saved: bool | None) -> str:
    """What an unexpected error left saved, in words that are true whatever happened."""
    if saved is True:
        return "Your change was saved, but the window could not show it: reopen the plan to see it."
    if saved is False:
        return "This change was not saved; what you saved before it is kept."
    return (
        "What you saved before this is kept. The step you were taking may or may not have been "
        "saved: look at the item (Edit › Undo names the last saved change) before doing it again."
    )


def report_unexpected(
    parent: QWidget | None, title: str, error: BaseException, *, saved: bool | None = None
) -> None:
    """Show an error nobody expected; ``saved``: whether the change in hand was (None: unknown)."""
    path = log_file()
    _logger.error("%s: unexpected error", title, exc_info=error)
    QMessageBox.critical(
        parent,
        title,
        f"Something went wrong: {error}\n\n{outcome(saved)}\n\nThe details were written to {path}.",
    )


def install_excepthook(window: QWidget) -> None:
    """An exception no code caught (a Qt slot's, say) reaches the officer as a message box and
    the log, not as a traceback on a console nobody sees."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        report_unexpected(window, window.windowTitle() or "cspdesk", error.with_traceback(trace))

    sys.excepthook = hook
