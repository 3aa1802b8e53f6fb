"""A TCP proxy on loopback between cspdesk and a PostgreSQL server: a slow link, or a cut one.

This kernel has no netem (FIELD-NOTES), so a link with a round trip of 30 ms (home over a VPN)
is made here: every chunk is held for half the round trip in each direction, in order, with no
limit on bandwidth. ``cut_when`` closes both sides the moment the client sends bytes holding a
marker (a real cut: the client sees the connection drop mid-query); ``before`` runs something
(an administrator's pg_terminate_backend, say) just before such bytes go on; each at most
``times`` times.

    with DelayProxy(server_address, rtt_ms=30) as proxy:
        Workspace.open(proxy.address)
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from cspdesk.store.address import ServerAddress


class DelayProxy:
    def __init__(
        self,
        upstream: ServerAddress,
        *,
        rtt_ms: float = 0.0,
        cut_when: bytes | None = None,
        before: tuple[bytes, Callable[[], None]] | None = None,
        times: int = 1,
    ) -> None:
        self.upstream = (upstream.host or "127.0.0.1", upstream.port or 5432)
        self.target = upstream
        self.delay = rtt_ms / 2000
        self.cut_when = cut_when
        self.before = before
        self.cuts = 0
        self.times = times  # cuts (or ``before`` runs) at most this many times, then passes
        self.befores = 0
        self.trips = 0  # chunks the client sent: about one a round trip
        self.log: list[bytes] | None = None  # set to a list to keep the start of each chunk
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()
        self._lock = threading.Lock()

    @property
    def address(self) -> ServerAddress:
        """The server's address, through the proxy."""
        return replace(self.target, host="127.0.0.1", port=self.port)

    def __enter__(self) -> DelayProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                _shut(sock)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets += [client, server]
            self._pump(client, server, watch=True)
            self._pump(server, client, watch=False)

    def _pump(self, source: socket.socket, sink: socket.socket, *, watch: bool) -> None:
        held: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                if watch and data:
                    self.trips += 1
                    if self.log is not None:
                        self.log.append(data[:120])
                    if self._cut(data, source, sink):
                        data = b""
                held.put((time.monotonic() + self.delay, data))
                if not data:
                    return

        def write() -> None:
            while True:
                due, data = held.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    _shut(sink)
                    return
                try:
                    sink.sendall(data)
                except OSError:
                    _shut(source)
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=write, daemon=True).start()

    def _cut(self, data: bytes, client: socket.socket, server: socket.socket) -> bool:
        if self.before is not None and self.before[0] in data and self.befores < self.times:
            self.befores += 1
            self.before[1]()
        if self.cut_when is not None and self.cut_when in data and self.cuts < self.times:
            self.cuts += 1
            _shut(client)
            _shut(server)
            return True
        return False


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def main(argv: list[str]) -> int:
    """``python tests/tcp_proxy.py HOST PORT RTT_MS``: serve until stdin closes, after printing
    the port (benchmarks run it in a process of its own, so the proxy never waits on the
    measured program's GIL)."""
    import sys

    host, port, rtt = argv[0], int(argv[1]), float(argv[2])
    with DelayProxy(ServerAddress(None, None, host, port), rtt_ms=rtt) as proxy:
        print(proxy.port, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
