"""Issue 16's live view: from a colleague's commit (another process) to the window's tree showing
it, on the 10,000-action plan on a loopback PostgreSQL server; against a whole reload, which is
what the poll (the only way on a file) costs for the same change.

Run: CSPDESK_BENCH_PG_URL=postgresql://USER@127.0.0.1:PORT/postgres \
     .venv/bin/python -m benchmarks.bench_live
(a user who may create databases; prints medians; not part of pytest)
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EDITS = 21
COLLEAGUE = Path(__file__).parents[1] / "tests" / "ui" / "colleague.py"


def wait_for(condition: object, seconds: float = 5.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not show the change")
        QApplication.processEvents()
        time.sleep(0.001)


def measure(server: object) -> None:
    from cspdesk.store.db import Workspace
    from cspdesk.ui.main_window import MainWindow

    workspace = Workspace.open(server)
    workspace.who = "Emma Clark"  # type: ignore[attr-defined]
    window = MainWindow(workspace)
    window.show()
    model = window.document.model
    node = next(n for n in model.root.walk() if n.kind == "action")
    changed_at: list[float] = []
    model.dataChanged.connect(lambda *_: changed_at.append(time.time()))
    graham = subprocess.Popen(
        [sys.executable, str(COLLEAGUE), str(server), "Graham Browne"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert graham.stdin is not None and graham.stdout is not None
    assert graham.stdout.readline().strip() == "ready"
    delays = []
    for number in range(EDITS):
        title = f"Edited by Graham {number}"
        changed_at.clear()
        graham.stdin.write(f"title {node.id} {title}\n")
        graham.stdin.flush()
        committed = float(graham.stdout.readline().split()[1])
        wait_for(lambda t=title: node.title == t)
        delays.append(changed_at[0] - committed)
    graham.stdin.write("close\n")
    graham.stdin.flush()
    graham.communicate()  # reads his last line ("closed"), so he never writes to a closed pipe
    reloads = []
    for _ in range(5):
        start = time.perf_counter()
        window.document.reload()
        reloads.append(time.perf_counter() - start)
    print(
        f"commit to tree (live notice): median {statistics.median(delays) * 1000:.1f} ms, "
        f"max {max(delays) * 1000:.1f} ms (of {EDITS}); a whole reload instead: "
        f"{statistics.median(reloads) * 1000:.0f} ms (of 5), after up to 2 s of polling"
    )
    window.close()


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[object]:
    """A new database on the server at ``url``, dropped afterwards."""
    from sqlalchemy import create_engine, text

    from cspdesk.store.address import parse_location

    base = parse_location(url)
    name = f"cspdesk_bench_live_{os.getpid()}"
    admin = create_engine(base.sqlalchemy_url(), isolation_level="AUTOCOMMIT")  # type: ignore[union-attr]
    run = admin.connect().execution_options(isolation_level="AUTOCOMMIT")
    run.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.with_database(name)  # type: ignore[union-attr]
    finally:
        run.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        run.close()
        admin.dispose()


def main() -> int:
    from benchmarks.synthetic import make_synthetic_workspace
    from cspdesk.store.copying import copy_workspace
    from cspdesk.ui.app import make_application

    url = os.environ.get("CSPDESK_BENCH_PG_URL")
    if not url:
        print("set CSPDESK_BENCH_PG_URL=postgresql://USER@127.0.0.1:PORT/postgres", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="cspdesk-bench-"))
    os.environ["CSPDESK_HOME"] = str(folder)
    big = make_synthetic_workspace(folder / "big.cspdesk", actions=10_000)
    with scratch_database(url) as server:
        copy_workspace(big, server)  # type: ignore[arg-type]
        app = make_application()
        measure(server)
        app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
