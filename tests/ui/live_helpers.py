"""Helpers for the live-view tests: a colleague in another process, an officer's window on a
shared plan, and a loopback proxy that makes the server "go away" under an open window without
stopping the shared test server."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cspdesk.core.plan.model import Action
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace

COLLEAGUE = Path(__file__).with_name("colleague.py")
LIVE_MS = 2000  # the issue: "within a second or two"


class Colleague:
    """Graham Browne, in another process, with the plan open."""

    def __init__(self, address: ServerAddress, who: str, *flags: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(COLLEAGUE), str(address), who, *flags],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        )
        assert self._answer() == "ready"

    def _answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line, f"the colleague's process ended (exit {self.process.poll()})"
        return line

    def do(self, command: str) -> float:
        """Run one edit; the wall-clock time its commit returned."""
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        word, stamp = self._answer().split()
        assert word == "done"
        return float(stamp)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("close\n")
            self.process.stdin.flush()
            self.process.wait(timeout=20)


def open_window(qtbot: Any, address: ServerAddress, who: str = "Emma Clark") -> Any:
    from cspdesk.ui.main_window import MainWindow

    workspace = Workspace.open(address)
    workspace.who = who  # type: ignore[attr-defined]
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tree.expandAll()
    qtbot.waitUntil(lambda: window.live.listening, timeout=3000)  # it connects in the background
    return window


def action_id(window: Any, title: str) -> int:
    return window.document.workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.title == title)).scalar_one()
    )


class Proxy:
    """A TCP relay on loopback between a window and the test server. ``cut()`` drops every
    connection through it and refuses new ones (the server "went away"); ``restore()`` lets
    connections through again on the same port."""

    def __init__(self, target: ServerAddress) -> None:
        self.target = (target.host or "127.0.0.1", target.port or 5432)
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.restore()

    def address(self, address: ServerAddress) -> ServerAddress:
        return dataclasses.replace(address, host="127.0.0.1", port=self.port)

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
