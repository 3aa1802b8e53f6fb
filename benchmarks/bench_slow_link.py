"""A shared plan over a slow link (home over a VPN): the window's open, one edit, one merge.

Run: CSPDESK_BENCH_PG_URL=postgresql://USER@127.0.0.1:PORT/postgres \
     .venv/bin/python -m benchmarks.bench_slow_link [--rtt 30] [--runs 5]
(a user who may create databases; not part of pytest). The kernel here has no netem, so the
round trip is made by tests/tcp_proxy.py, in a process of its own: a proxy on loopback holding
every chunk for half the round trip each way. Prints medians and the statements each step sent
(a statement is at least one round trip). Targets (issue 27, at 30 ms): the 10,000-action plan
opened and its tree shown in at most 1.5 s; one edit at most 100 ms; merging one of the demo's
returns at most 0.5 s; merging the 40 returns of a 10,000-action plan (a third of its actions
joint, as benchmarks/bench_merge.py) in one batch at most 8 s, reading the files included.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def slow_link(upstream: Any, rtt_ms: float) -> Iterator[Any]:
    """``upstream`` through tests/tcp_proxy.py in a process of its own (in this one, the
    proxy's threads would wait on the measured program's GIL and add to every round trip)."""
    import dataclasses
    import subprocess

    script = ROOT / "tests" / "tcp_proxy.py"
    command = [sys.executable, str(script), upstream.host, str(upstream.port), str(rtt_ms)]
    proxy = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proxy.stdout is not None
        port = int(proxy.stdout.readline())
        yield dataclasses.replace(upstream, host="127.0.0.1", port=port)
    finally:
        assert proxy.stdin is not None
        proxy.stdin.close()
        proxy.wait(timeout=10)


class Statements:
    """Counts the statements an engine sends (each at least one round trip)."""

    def __init__(self) -> None:
        self.count = 0

    def watch(self, engine: Any) -> None:
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _seen(*_args: object) -> None:
            self.count += 1


def median(samples: list[float], name: str) -> str:
    """The median as printed; also recorded for `python -m benchmarks` (benchmarks/record.py)."""
    from benchmarks.record import record

    middle = statistics.median(samples)
    record(name, middle)
    return f"{middle * 1000:.0f} ms"


def open_and_edit(location: object, runs: int, edits: int, link: str) -> str:
    from PySide6.QtWidgets import QApplication

    from cspdesk.store.db import Workspace
    from cspdesk.ui.main_window import MainWindow

    opens: list[float] = []
    counted = Statements()
    for _ in range(runs):
        start = time.perf_counter()
        workspace = Workspace.open(location)
        counted.watch(workspace.engine)
        counted.count = 0
        window = MainWindow(workspace)
        window.show()
        QApplication.processEvents()
        opens.append(time.perf_counter() - start)
        opened_with = counted.count
        if _ < runs - 1:
            window.close()
            workspace.close()
            window.deleteLater()
            QApplication.processEvents()
    document = window.document
    node = next(n for n in document.model.root.walk() if n.kind == "action")
    times: list[float] = []
    for number in range(edits):
        counted.count = 0
        start = time.perf_counter()
        assert document.edit_field("action", node.id, "title", f"Edited title {number}")
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
    per_edit = counted.count
    window.close()
    workspace.close()
    return (
        f"open 10,000 actions and show the tree {median(opens, f'{link}: open 10k')} "
        f"({opened_with} statements after connecting); one edit "
        f"{median(times, f'{link}: one edit')} ({per_edit} statements)"
    )


def merge_one(location: object, folder: Path, runs: int, link: str) -> str:
    from cspdesk.returns.apply import apply_returns
    from cspdesk.returns.make import make_returns
    from cspdesk.returns.read import read_returns
    from cspdesk.store.db import Workspace
    from tests.returns_batch import fill_batch

    with Workspace.open(location) as workspace:
        made = make_returns(workspace, 1, 2, folder)
    paths = sorted((m.path for m in made), key=lambda p: p.stat().st_size, reverse=True)
    fill_batch(paths, set())
    times: list[float] = []
    counted = Statements()
    with Workspace.open(location) as workspace:
        counted.watch(workspace.engine)
        for path in paths[:runs]:
            counted.count = 0
            start = time.perf_counter()
            diffs, refused = workspace.read(read_returns, [path])
            assert not refused, refused
            workspace.write(apply_returns, diffs)
            times.append(time.perf_counter() - start)
    merged = median(times, f"{link}: merge one return")
    return f"merge one demo return {merged} ({counted.count} statements, the last)"


def batch_plan(folder: Path, actions: int) -> tuple[Path, list[Path]]:
    """The 10,000-action plan of benchmarks/bench_merge.py as a file, and its 40 returns filled
    in (made from the file: making them is not what is measured here)."""
    from benchmarks.bench_merge import add_joint_leads
    from benchmarks.bench_returns import fill_in, generate
    from cspdesk.returns.make import make_returns

    path = folder / "batch.cspdesk"
    workspace = generate(path, actions, 40, 2)
    add_joint_leads(workspace, actions, 40)
    out = folder / "batch returns"
    out.mkdir()
    made = make_returns(workspace, 1, 2, out)
    workspace.close()
    for item in made:
        fill_in(item.path)
    return path, [item.path for item in made]


def merge_batch(location: object, paths: list[Path], link: str) -> str:
    """`cspdesk returns apply` of the whole batch: read the files, merge them in one save."""
    from cspdesk.returns.apply import apply_returns
    from cspdesk.returns.read import read_returns
    from cspdesk.store.db import Workspace

    counted = Statements()
    with Workspace.open(location) as workspace:
        counted.watch(workspace.engine)
        start = time.perf_counter()
        diffs, refused = workspace.read(read_returns, paths)
        assert not refused, refused
        read = time.perf_counter() - start
        workspace.write(apply_returns, diffs)
        elapsed = time.perf_counter() - start
    changes = sum(len(diff.accepted()) for diff in diffs)
    merged = median([elapsed], f"{link}: merge {len(paths)} returns in a batch")
    return (
        f"merge {len(paths)} returns in one batch ({changes:,} changes) {merged}, reading "
        f"{read * 1000:.0f} ms ({counted.count} statements in all)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rtt", type=float, default=30.0, help="round trip in ms")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=11)
    parser.add_argument("--batch-actions", type=int, default=10_000)
    args = parser.parse_args()
    url = os.environ.get("CSPDESK_BENCH_PG_URL")
    if not url:
        print("set CSPDESK_BENCH_PG_URL=postgresql://USER@127.0.0.1:PORT/postgres", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, text

    from benchmarks.synthetic import make_synthetic_workspace
    from cspdesk.store.address import ServerAddress, parse_location
    from cspdesk.store.copying import copy_workspace
    from cspdesk.store.demo import create_demo_workspace
    from cspdesk.ui.app import make_application

    base = parse_location(url)
    assert isinstance(base, ServerAddress)
    folder = Path(tempfile.mkdtemp(prefix="cspdesk-slow-link-"))
    os.environ["CSPDESK_HOME"] = str(folder)
    big = folder / "big.cspdesk"
    make_synthetic_workspace(big, actions=10_000, milestones_per_action=4, leads=40)
    batch_file, batch_paths = batch_plan(folder, args.batch_actions)
    kinds = ("big", "demo0", "demo1", "batch0", "batch1")
    names = [f"cspdesk_slow_{os.getpid()}_{what}" for what in kinds]
    admin = create_engine(base.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    plans = [base.with_database(name) for name in names]
    big_plan, demo_plans, batch_plans = plans[0], plans[1:3], plans[3:]
    try:
        copy_workspace(big, big_plan)
        for demo_plan in demo_plans:  # one each: a return merged twice changes nothing
            create_demo_workspace(demo_plan).close()
        for batch in batch_plans:
            copy_workspace(batch_file, batch)
        app = make_application()
        for rtt, demo_plan in zip((0.0, args.rtt), demo_plans, strict=True):
            with slow_link(big_plan, rtt) as address:
                link = f"{rtt:.0f} ms"
                print(f"{link}: {open_and_edit(address, args.runs, args.edits, link)}")
            returns = folder / f"returns-{rtt:.0f}"
            returns.mkdir()
            with slow_link(demo_plan, rtt) as address:
                print(f"{link}: {merge_one(address, returns, args.runs, link)}")
        for rtt, batch in zip((0.0, args.rtt), batch_plans, strict=True):
            with slow_link(batch, rtt) as address:
                print(f"{rtt:.0f} ms: {merge_batch(address, batch_paths, f'{rtt:.0f} ms')}")
        app.quit()
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
