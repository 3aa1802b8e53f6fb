"""Kill -9 harness: a child saves edits in a loop through Workspace.write and core.plan.ops, and is
killed at random moments; after each kill the file is checked.

Each edit is one transaction setting the title of every action to ``edit N`` (one history row
per action, so several pages change at once). The child acknowledges N on a pipe only after
``write`` returned. After a kill: ``integrity_check`` must be ok, all titles must be equal (no
half-applied transaction), N must be the last acknowledged edit or the one after it (nothing
acknowledged is lost), and there must be exactly one title history row per action per edit.

Used by tests/store/test_crash.py (bounded) and benchmarks/crash_loop.py (full run).
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

ACTIONS = 60
# A small page cache makes SQLite spill pages to the file in the middle of a transaction, as a
# big edit would; the journal must cover that too. Both runs use it: only the journal differs.
CACHE_PAGES = 4


@dataclass
class CrashResult:
    kills: int = 0
    edits_acknowledged: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def make_workspace(path: Path) -> None:
    """A workspace with ACTIONS actions under one objective."""
    from sqlalchemy import select, update

    from cspdesk.core.plan import ops
    from cspdesk.core.workspace.serialize import load_workspace_data
    from cspdesk.store.db import Workspace
    from tests.conftest import small_plan_data

    with Workspace.create(path, "Crash Test CSP") as workspace:
        workspace.write(load_workspace_data, small_plan_data())
        objective_id = workspace.read(
            lambda s: s.execute(select(ops.table_of("objective").c.id)).scalars().first()
        )

        def add_actions(session):  # type: ignore[no-untyped-def]
            for n in range(ACTIONS - 3):
                ops.add_item(session, "action", objective_id, title=f"a{n}", outcomes="x" * 300)

        workspace.write(add_actions)
        workspace.write(lambda s: s.execute(update(ops.table_of("action")).values(title="edit 0")))


def _child(path: Path, write_fd: int, journal_mode: str) -> None:
    """Runs in the forked child: save edits forever, acknowledging each after commit."""
    from sqlalchemy import select

    from cspdesk.core.plan import ops
    from cspdesk.store import db

    db.JOURNAL_MODE = journal_mode
    connect = db._connect

    def small_cache(target: Path, read_only: bool) -> sqlite3.Connection:
        conn = connect(target, read_only)
        conn.execute(f"PRAGMA cache_size={CACHE_PAGES}")
        return conn

    db._connect = small_cache
    workspace = db.Workspace.open(path)
    action = ops.table_of("action")
    ids = workspace.read(lambda s: s.execute(select(action.c.id)).scalars().all())
    first = workspace.read(lambda s: s.execute(select(action.c.title)).scalars().first())
    n = int(first.split()[1])
    while True:
        n += 1

        def edit(session, n=n):  # type: ignore[no-untyped-def]
            for item_id in ids:
                ops.edit_field(session, "action", item_id, "title", f"edit {n}", who="crash")

        workspace.write(edit)
        os.write(write_fd, f"{n}\n".encode())


def check(path: Path, last_ack: int) -> list[str]:
    """What is wrong with the file after a kill (empty: nothing)."""
    try:
        conn = sqlite3.connect(path, timeout=5)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                return [f"integrity_check: {integrity[:3]}"]
            titles = {row[0] for row in conn.execute("SELECT title FROM action")}
            history = conn.execute(
                "SELECT count(*) FROM history WHERE entity='action' AND field='title'"
            ).fetchone()[0]
            count = conn.execute("SELECT count(*) FROM action").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return [f"unreadable: {error}"]
    problems = []
    if len(titles) != 1:
        return [f"half-applied edit: titles {sorted(titles)[:4]}"]
    n = int(titles.pop().split()[1])
    if n not in (last_ack, last_ack + 1):
        problems.append(f"edit {n} on file, {last_ack} acknowledged")
    if history != n * count:
        problems.append(f"{history} history rows for {n} edits of {count} actions")
    return problems


def run(
    path: Path,
    kills: int,
    *,
    journal_mode: str = "DELETE",
    max_delay: float = 0.1,
    seed: int = 7,
    stop_on_failure: bool = False,
) -> CrashResult:
    """Fork a saving child ``kills`` times, SIGKILL it at random, check the file each time."""
    rng = random.Random(seed)
    result = CrashResult()
    last_ack = 0
    for _ in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            os.close(read_fd)
            try:
                _child(path, write_fd, journal_mode)
            finally:
                os._exit(1)
        os.close(write_fd)
        buffer = b""
        # Wait for the first acknowledged edit (the child is up), then kill at a random moment.
        deadline = time.monotonic() + 30
        while b"\n" not in buffer and time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], 0.5)
            if ready:
                chunk = os.read(read_fd, 4096)
                if not chunk:
                    break
                buffer += chunk
        time.sleep(rng.uniform(0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 4096):
            buffer += chunk
        os.close(read_fd)
        acks = [int(line) for line in buffer.decode().split()]
        if not acks:
            result.failures.append("child never acknowledged an edit")
            break
        last_ack = acks[-1]
        result.kills += 1
        result.edits_acknowledged += len(acks)
        problems = check(path, last_ack)
        if problems:
            result.failures.append(f"kill {result.kills}: {'; '.join(problems)}")
            if stop_on_failure:
                break
            if "integrity" in problems[0] or "unreadable" in problems[0]:
                break  # a broken file cannot be tested further
            last_ack = int(
                sqlite3.connect(path).execute("SELECT title FROM action").fetchone()[0].split()[1]
            )
    return result
