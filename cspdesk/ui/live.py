"""The live view of a shared plan in the window: colleagues' notices and who has the plan open.

One listening connection per open shared plan (store/live.py). Waiting on it costs nothing: a
QSocketNotifier on its socket wakes the event loop when a notice (or a broken connection)
arrives, and the drain that follows never blocks; no thread is needed, because nothing here
waits. Who else has the plan open is asked every few seconds on the same connection (one small
query, as the window's change-stamp poll was). If the connection drops, the view reconnects
quietly every few seconds and says so with ``live_changed`` so the window polls meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from cspdesk.store.db import Workspace
from cspdesk.store.live import Listener, LiveLost, Notice

PRESENCE_POLL_MS = 2000
RECONNECT_MS = 3000


class LiveView(QObject):
    notice = Signal(object)  # a store.live.Notice from someone else
    presence = Signal(object)  # [names] of the others who have the plan open
    live_changed = Signal(bool)  # True: listening (again); False: the connection dropped

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.listener: Listener | None = None
        self.others: list[str] = []
        self._notifier: QSocketNotifier | None = None
        self._presence_timer = QTimer(self)
        self._presence_timer.setInterval(PRESENCE_POLL_MS)
        self._presence_timer.timeout.connect(self.look_around)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RECONNECT_MS)
        self._retry_timer.timeout.connect(self.connect_listener)
        self.connect_listener()

    @property
    def listening(self) -> bool:
        return self.listener is not None

    def connect_listener(self) -> None:
        if self.workspace.closed:
            self.stop()
            return
        try:
            listener = Listener(self.workspace)
        except LiveLost:
            self._retry_timer.start()
            return
        self.listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self.drain)
        self._presence_timer.start()
        self.live_changed.emit(True)
        self.look_around()

    def drain(self) -> None:
        """Hand on every notice that has arrived (ours are skipped by the listener)."""
        if self.listener is None:
            return
        try:
            notices: list[Notice] = self.listener.notices()
        except LiveLost:
            self._lost()
            return
        for notice in notices:
            self.notice.emit(notice)

    def look_around(self) -> None:
        """Ask who else has the plan open; say so when it changed."""
        if self.listener is None:
            return
        if self.workspace.closed:
            self.stop()
            return
        try:
            others = self.listener.others()
        except LiveLost:
            self._lost()
            return
        self.drain()  # notices that came in during the query wait in the driver, not the socket
        self._set_others(others)

    def _set_others(self, others: list[str]) -> None:
        if others != self.others:
            self.others = others
            self.presence.emit(list(others))

    def _lost(self) -> None:
        self._close_listener()
        self._set_others([])
        self.live_changed.emit(False)
        self._retry_timer.start()

    def _close_listener(self) -> None:
        self._presence_timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)  # before the socket closes under it
            self._notifier.deleteLater()
            self._notifier = None
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def stop(self) -> None:
        """The plan is closing: stop listening and release the connection."""
        self._retry_timer.stop()
        self._close_listener()
