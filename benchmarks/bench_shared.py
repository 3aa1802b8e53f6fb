"""Issue 16's speed figures: the 10,000-action plan from a loopback PostgreSQL server vs SQLite.

Run: CSPDESK_BENCH_PG_URL=postgresql://USER@127.0.0.1:PORT/postgres \
     .venv/bin/python -m benchmarks.bench_shared
(a user who may create databases; prints medians; not part of pytest). The concurrent adds run
tests/core/concurrent_officer.py in two processes.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 5
EDITS = 21
ADDS_EACH = 200  # two officers (processes) at once, under one objective
OFFICER = Path(__file__).parents[1] / "tests" / "core" / "concurrent_officer.py"


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms"


def open_and_edit(location: object, label: str) -> None:
    from PySide6.QtWidgets import QApplication

    from cspdesk.store.db import Workspace
    from cspdesk.ui.main_window import MainWindow

    opens = []
    for _ in range(RUNS):
        start = time.perf_counter()
        window = MainWindow(Workspace.open(location))
        window.show()
        QApplication.processEvents()
        opens.append(time.perf_counter() - start)
        window.close()
        window.document.workspace.close()
        window.deleteLater()
        QApplication.processEvents()
    window = MainWindow(Workspace.open(location))
    window.show()
    QApplication.processEvents()
    document = window.document
    node = next(n for n in document.model.root.walk() if n.kind == "action")
    edits = []
    for number in range(EDITS):
        start = time.perf_counter()
        assert document.edit_field("action", node.id, "title", f"Edited title {number}")
        QApplication.processEvents()
        edits.append(time.perf_counter() - start)
    print(f"{label}: open 10,000 actions and show the tree {median_ms(opens)} "
          f"(of {RUNS}); one edit committed {median_ms(edits)} (of {EDITS})")  # fmt: skip
    window.close()
    document.workspace.close()


def concurrent_adds(location: object, label: str) -> None:
    """Two officers adding under one objective at once: time per add, and nothing lost."""
    import json
    import subprocess

    from sqlalchemy import func, select

    from cspdesk.core.plan.model import Action, Objective
    from cspdesk.store.db import Workspace

    def under(workspace: Workspace, objective_id: int) -> list[tuple[str, int]]:
        return [
            tuple(row)
            for row in workspace.read(
                lambda s: s.execute(
                    select(Action.title, Action.position).where(Action.objective_id == objective_id)
                ).all()
            )
        ]

    with Workspace.open(location) as workspace:
        objective_id = workspace.read(lambda s: s.execute(select(func.min(Objective.id))).scalar())
        before = len(under(workspace, objective_id))
    start_at = time.time() + 3
    command = [sys.executable, str(OFFICER), "adds", str(location), str(objective_id)]
    runs = [
        subprocess.Popen(
            [*command, tag, str(ADDS_EACH), repr(start_at), "check"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for tag in ("emma", "graham")
    ]
    results = [json.loads(run.communicate()[0]) for run in runs]
    with Workspace.open(location) as workspace:
        rows = under(workspace, objective_id)
    titles = {title for title, _ in rows}
    saved = [title for result in results for title in result["saved"]]
    lost = sum(title not in titles for title in saved)
    refused = sum(len(result["refused"]) for result in results)
    dense = sorted(p for _, p in rows) == list(range(len(rows))) and len(rows) == before + len(
        saved
    )
    seconds = [s for result in results for s in result["seconds"]]
    per_add = statistics.median(seconds) * 1000
    print(f"{label}: 2 x {ADDS_EACH} adds under one objective at once: {per_add:.1f} ms "
          f"per add (median), {lost} lost, {refused} refused, "
          f"order {'dense and unique' if dense else 'BROKEN'}")  # fmt: skip


def main() -> int:
    from sqlalchemy import create_engine, text

    from benchmarks.synthetic import make_synthetic_workspace
    from cspdesk.store.address import ServerAddress, parse_location
    from cspdesk.store.copying import copy_workspace
    from cspdesk.ui.app import make_application

    url = os.environ.get("CSPDESK_BENCH_PG_URL")
    if not url:
        print("set CSPDESK_BENCH_PG_URL=postgresql://USER@127.0.0.1:PORT/postgres", file=sys.stderr)
        return 2
    base = parse_location(url)
    assert isinstance(base, ServerAddress)
    folder = Path(tempfile.mkdtemp(prefix="cspdesk-bench-"))
    os.environ["CSPDESK_HOME"] = str(folder)
    big = folder / "big.cspdesk"
    make_synthetic_workspace(big, actions=10_000, milestones_per_action=4, leads=40)

    name = f"cspdesk_bench_{os.getpid()}"
    admin = create_engine(base.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server = base.with_database(name)
    try:
        start = time.perf_counter()
        copy_workspace(big, server)
        print(f"copy file -> server: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        copy_workspace(server, folder / "back.cspdesk")
        print(f"copy server -> file: {time.perf_counter() - start:.1f} s")
        app = make_application()
        open_and_edit(big, "SQLite file")
        open_and_edit(server, "loopback PostgreSQL")
        concurrent_adds(big, "SQLite file")
        concurrent_adds(server, "loopback PostgreSQL")
        app.quit()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
