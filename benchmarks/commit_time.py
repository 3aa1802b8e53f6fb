"""Commit time of one inline edit (ops.edit_field through Workspace.write), per journal mode.

``python benchmarks/commit_time.py [N]``: median and 95th percentile over N edits (default 200)
on a workspace shaped like the seed plan, in a temporary folder on the local disk.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.store import db
from tests.conftest import small_plan_data

MODES = tuple(
    tuple(m.split("+"))
    for m in (
        sys.argv[2].split(",")
        if len(sys.argv) > 2
        else ["DELETE+FULL", "TRUNCATE+FULL", "PERSIST+FULL", "WAL+NORMAL", "WAL+FULL"]
    )
)


def measure(journal: str, synchronous: str, count: int) -> list[float]:
    db.JOURNAL_MODE, db.SYNCHRONOUS = journal, synchronous
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.cspdesk"
        with db.Workspace.create(path, "Bench CSP") as workspace:
            workspace.write(load_workspace_data, small_plan_data())
        with db.Workspace.open(path) as workspace:
            table = ops.table_of("action")
            action_id = workspace.read(lambda s: s.execute(select(table.c.id)).scalar())
            times = []
            for n in range(count):
                started = time.perf_counter()
                workspace.write(ops.edit_field, "action", action_id, "title", f"Edited {n}")
                times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for journal, synchronous in MODES:
        times = sorted(measure(journal, synchronous, count))
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{journal:6} {synchronous:6} median {statistics.median(times):6.2f} ms  "
            f"p95 {p95:6.2f} ms  max {times[-1]:6.2f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
