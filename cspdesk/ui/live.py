"""The live view of a shared plan in the window: colleagues' notices and who has the plan open.

One listening connection per open shared plan (store/live.py). Waiting on it costs nothing: a
QSocketNotifier on its socket wakes the event loop when a notice (or a broken connection)
arrives, and the drain that follows never blocks, so no thread sits waiting. Who else has the
plan open is asked every few seconds on the same connection (one small query, as the window's
change-stamp poll is). Connecting is the one step that can wait on the network (up to the
connect timeout when the server is out of reach), so it runs on a short-lived thread and never
holds up the window. If the connection drops, the view reconnects quietly, less often the
longer the server stays away, and says so with ``live_changed`` so the window polls meanwhile.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from cspdesk.store.db import Workspace
from cspdesk.store.live import Listener, LiveLost, Notice

PRESENCE_POLL_MS = 2000
RECONNECT_MS = 3000  # the first try again; doubled after each failure, up to the longest
LONGEST_RECONNECT_MS = 60_000


class LiveView(QObject):
    notice = Signal(object)  # a store.live.Notice from someone else
    presence = Signal(object)  # [names] of the others who have the plan open
    live_changed = Signal(bool)  # True: listening (again); False: the connection dropped
    answered = Signal()  # the server answered a query just now
    _opened = Signal(object)  # a Listener (or None), from the connecting thread

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
        self._retry_timer.timeout.connect(self.connect_listener)
        self._retry_ms = RECONNECT_MS
        self._opened.connect(self._listener_opened)
        self._connecting = False
        self._stopped = False
        self.connect_listener()

    @property
    def listening(self) -> bool:
        return self.listener is not None

    def connect_listener(self) -> None:
        """Open the listening connection in the background; ``live_changed`` says when."""
        if self.workspace.closed:
            self.stop()
        if self._stopped or self._connecting or self.listener is not None:
            return
        self._connecting = True
        # Not ui/tasks.py, on purpose: this thread must be able to outlive the window. Against
        # a server out of reach it waits up to the connect timeout, and closing the window
        # must not wait with it (a task's QThread would have to be waited for before the
        # window goes, or Qt aborts). A daemon thread is let go instead; a listener it opens
        # after the window closed is closed again (_open).
        threading.Thread(target=self._open, name="cspdesk-live-connect", daemon=True).start()

    def _open(self) -> None:
        try:
            listener: Listener | None = Listener(self.workspace)
        except LiveLost:
            listener = None
        try:
            self._opened.emit(listener)
        except RuntimeError:  # the window closed meanwhile
            if listener is not None:
                listener.close()

    def _listener_opened(self, listener: Listener | None) -> None:
        self._connecting = False
        if listener is None or self._stopped:
            if listener is not None:
                listener.close()
            if not self._stopped:
                self._try_again_later()
            return
        self._retry_ms = RECONNECT_MS
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
        self.answered.emit()

    def check_soon(self) -> None:
        """A save or read just failed on the network: find out now whether the server is
        there (a dead listener shows as lost), and while it is away try again at the
        shortest interval rather than the longest."""
        if self._stopped:
            return
        self._retry_ms = RECONNECT_MS
        if self.listener is not None:
            self.look_around()
        elif not self._connecting:
            self._retry_timer.start(RECONNECT_MS)

    def _set_others(self, others: list[str]) -> None:
        if others != self.others:
            self.others = others
            self.presence.emit(list(others))

    def _lost(self) -> None:
        self._close_listener()
        self._set_others([])
        self.live_changed.emit(False)
        self._try_again_later()

    def _try_again_later(self) -> None:
        self._retry_timer.start(self._retry_ms)
        self._retry_ms = min(self._retry_ms * 2, LONGEST_RECONNECT_MS)

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
        self._stopped = True
        self._retry_timer.stop()
        self._close_listener()
