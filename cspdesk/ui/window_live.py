"""Changes made elsewhere, seen by the window: the poll, a shared plan's live notices, and who
else has the plan open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from cspdesk.errors import CspdeskError
from cspdesk.store.db import DRIVER_ERRORS
from cspdesk.ui.catch_up import describe as describe_outside_change
from cspdesk.ui.live import LiveView
from cspdesk.ui.live_status import LiveStatus

if TYPE_CHECKING:
    from cspdesk.store.db import Workspace
    from cspdesk.store.live import Notice
    from cspdesk.ui.main_window import MainWindow

OUTSIDE_CHANGE_POLL_MS = 2000
# A shared plan whose live notices arrive needs the poll only for writers that send none.
LIVE_FALLBACK_POLL_MS = 30_000
# A shared plan's server unreachable: each look may wait for the connect timeout, so look less
# often (doubling) until it answers again.
UNREACHABLE_POLL_LONGEST_MS = 120_000
# The server away, or a read failing under us: the next look tries again.
UNREACHABLE: tuple[type[Exception], ...] = (CspdeskError, *DRIVER_ERRORS)


class OutsideChanges(QObject):
    """A change made under our feet (a colleague on a shared plan, the holder of a plan we only
    read, a command-line write) is shown, not edited or undone over."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.live: LiveView | None = None
        self.live_status: LiveStatus | None = None  # server away, changes not saved (issue 31)
        self.timer = QTimer(self)
        self.timer.setInterval(OUTSIDE_CHANGE_POLL_MS)
        self.timer.timeout.connect(self.reload_if_changed)
        self.timer.start()
        self.presence_label = QLabel()
        self.presence_label.setObjectName("presenceLabel")
        self.presence_label.setAccessibleName("Who else has the plan open")
        window.statusBar().addPermanentWidget(self.presence_label)
        self.show_presence([])

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10000)

    def reload_if_changed(self) -> bool:
        document = self.window.document
        if document is None or not self.window.isVisible():
            return False
        if self.live is not None:
            self.live.drain()  # a notice already here shows the change item by item
        try:
            changed = document.workspace.changed_elsewhere()
        except UNREACHABLE:
            # Unreachable for now: the next edit says so; the poll backs off meanwhile.
            self.timer.setInterval(min(self.timer.interval() * 2, UNREACHABLE_POLL_LONGEST_MS))
            return False
        self.timer.setInterval(self.poll_interval())
        if not changed:
            return False
        try:
            # Undo is cleared as the reload happens (it could overwrite the newer change).
            document.catch_up(None, clear_undo=True)
        except UNREACHABLE:
            return False  # gone again in between: the next poll catches up
        self.window.schedule_pane_refresh()
        self._say(
            "The plan was changed elsewhere and will be reloaded when you finish editing."
            if document.outside.waiting
            else "The plan was changed elsewhere and has been reloaded (undo history cleared)."
        )
        return True

    def start(self, workspace: Workspace) -> None:
        """Follow ``workspace``: for a shared plan, its colleagues' changes as they commit."""
        self.stop()
        self.show_presence([])
        self.timer.setInterval(OUTSIDE_CHANGE_POLL_MS)
        self.timer.start()
        if not workspace.is_shared:
            return
        self.live = LiveView(workspace, self.window)
        if self.window.document is not None:
            self.live_status = LiveStatus(self.live, self.window.document, self.window.statusBar())
        self.live.notice.connect(self._notice)
        self.live.presence.connect(self.show_presence)
        self.live.live_changed.connect(self._live_changed)
        self.show_presence(self.live.others)  # as found while connecting
        if self.live.listening:
            self._live_changed(True)

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live.deleteLater()
            self.live = None
        if self.live_status is not None:
            self.live_status.stop()
            self.live_status = None

    def closing(self) -> None:
        """A closed window must not keep reloading the plan."""
        self.timer.stop()
        if self.live is not None:
            self.live.stop()

    def poll_interval(self) -> int:
        """How often to look for changes made elsewhere: rarely while notices arrive."""
        listening = self.live is not None and self.live.listening
        return LIVE_FALLBACK_POLL_MS if listening else OUTSIDE_CHANGE_POLL_MS

    def _live_changed(self, listening: bool) -> None:
        self.timer.setInterval(self.poll_interval())
        if listening:
            QTimer.singleShot(0, self.reload_if_changed)  # missed while away?

    def _notice(self, notice: Notice) -> None:
        document = self.window.document
        if document is None:
            return
        try:
            document.catch_up(notice.keys, clear_undo=True)
            document.workspace.changed_elsewhere()  # seen: the poll must not reload for it
        except UNREACHABLE:
            return  # the server is away for a moment: the poll catches up later
        self.window.schedule_pane_refresh()
        if notice.keys is not None:
            said = describe_outside_change(notice.who, notice.keys, document.outside.deleted)
        elif document.outside.waiting:
            said = f"{notice.who} changed the plan; it will be reloaded when you finish editing."
        else:
            said = f"{notice.who} changed the plan: reloaded (undo history cleared)."
        self._say(said)

    def show_presence(self, others: list[str]) -> None:
        self.presence_label.setText(f"Also open: {', '.join(others)}" if others else "")
        self.presence_label.setVisible(bool(others))
