"""Benchmark: close a quarter and compute direction of travel on a 10,000-action plan.

Run: /work/main/.venv/bin/python benchmarks/bench_quarter.py [--actions 10000] [--runs 5]

Builds its own synthetic workspace with Core bulk inserts (10 priorities x 10 objectives x
100 actions, 4 milestones, a lead and Q1/Q2 updates per action), then times, each ``--runs``
times, closing Q1 (undone between runs), direction of travel for Q2 against the closed Q1, the
changes report, the checker and a roll-forward (undone between runs). Target: close and
direction each at most 2 s (median).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from benchmarks.record import record
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    Milestone,
    Objective,
    Plan,
    Priority,
    Update,
)
from cspdesk.core.quarter.changes import changes_since_last_quarter
from cspdesk.core.quarter.checks import run_checks
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.core.quarter.direction import direction_of_travel
from cspdesk.core.quarter.rollforward import roll_forward
from cspdesk.store.db import Workspace

RAGS = ("R", "A", "G", "B", "N", None)


def build(path: Path, actions: int, milestones_each: int = 4, seed: int = 7) -> Workspace:
    """A workspace with one 2016/17 plan of ``actions`` actions, written with Core inserts."""
    rng = random.Random(seed)
    workspace = Workspace.create(path, "Benchmark CSP")
    priorities, objectives_each = 10, 10
    per_objective = max(1, actions // (priorities * objectives_each))
    with workspace.engine.begin() as conn:
        conn.execute(insert(Agency), [{"id": i, "name": f"Agency {i}"} for i in range(1, 21)])
        conn.execute(insert(Plan).values(id=1, year="2016/17", title="Plan 2016/17"))
        conn.execute(
            insert(Priority),
            [
                {
                    "id": p,
                    "plan_id": 1,
                    "position": p - 1,
                    "title": f"Priority {p}",
                    "baseline": "100",
                    "target": "90",
                }
                for p in range(1, priorities + 1)
            ],
        )
        objective_rows, action_rows, milestone_rows, lead_rows, update_rows = [], [], [], [], []
        objective_id = action_id = milestone_id = 0
        for p in range(1, priorities + 1):
            for o in range(objectives_each):
                objective_id += 1
                objective_rows.append(
                    {
                        "id": objective_id,
                        "priority_id": p,
                        "position": o,
                        "title": f"Objective {p}.{o}",
                    }
                )
                for a in range(per_objective):
                    action_id += 1
                    q1, q2 = rng.choice(RAGS), rng.choice(RAGS)
                    action_rows.append(
                        {
                            "id": action_id,
                            "objective_id": objective_id,
                            "position": a,
                            "title": f"Action {action_id} " + "word " * 12,
                            "outcomes": "Outcome " * 10,
                            "timescale": "Q1-4",
                            "rag": q2,
                            "lead_note": "Agency",
                        }
                    )
                    lead_rows.append(
                        {"action_id": action_id, "position": 0, "agency_id": rng.randint(1, 20)}
                    )
                    for quarter, rag in ((1, q1), (2, q2)):
                        update_rows.append(
                            {
                                "action_id": action_id,
                                "quarter": quarter,
                                "rag": rag,
                                "text": f"Q{quarter} progress " + "text " * 30,
                                "source": "officer",
                            }
                        )
                    for m in range(milestones_each):
                        milestone_id += 1
                        due = dt.date(2016, 4, 1) + dt.timedelta(days=rng.randint(0, 360))
                        milestone_rows.append(
                            {
                                "id": milestone_id,
                                "action_id": action_id,
                                "position": m,
                                "title": f"Milestone {m}",
                                "due_date": due,
                                "original_due_date": due - dt.timedelta(days=30)
                                if m == 0
                                else None,
                                "done_date": due if rng.random() < 0.3 else None,
                                "rag": rng.choice(RAGS),
                            }
                        )
        conn.execute(insert(Objective), objective_rows)
        conn.execute(insert(Action), action_rows)
        conn.execute(insert(ActionLead), lead_rows)
        conn.execute(insert(Update), update_rows)
        conn.execute(insert(Milestone), milestone_rows)
    return workspace


def timed(
    runs: int, fn: Callable[[], object], after: Callable[[object], None] | None = None
) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if after is not None:
            after(result)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--carried-index",
        action="store_true",
        help="add an index on action.carried_from_id first (not in schema 0001): without it, "
        "deleting actions scans the action table once per deleted row (ON DELETE SET NULL)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        workspace = build(Path(folder) / "bench.cspdesk", args.actions)
        if args.carried_index:
            with workspace.engine.begin() as conn:
                conn.exec_driver_sql(
                    "CREATE INDEX ix_action_carried_from_id ON action (carried_from_id)"
                )
        counts = workspace.read(
            lambda s: (s.query(Action).count(), s.query(Milestone).count())  # type: ignore[no-any-return]
        )
        print(
            f"built {counts[0]} actions, {counts[1]} milestones in "
            f"{time.perf_counter() - start:.1f} s"
        )
        results = {
            "close Q1": timed(
                args.runs,
                lambda: workspace.write(close_quarter, 1, 1),
                lambda change: workspace.write(change.revert),  # type: ignore[attr-defined]
            ),
        }
        workspace.write(close_quarter, 1, 1)
        results["direction of travel Q2"] = timed(
            args.runs, lambda: workspace.read(direction_of_travel, 1, 2)
        )
        results["changes since Q1"] = timed(
            args.runs, lambda: workspace.read(changes_since_last_quarter, 1, 2)
        )
        results["checker Q2"] = timed(
            args.runs, lambda: workspace.read(run_checks, 1, 2, dt.date(2016, 10, 5))
        )
        undo: list[float] = []

        def revert(change: object) -> None:
            start = time.perf_counter()
            workspace.write(change.revert)  # type: ignore[attr-defined]
            undo.append(time.perf_counter() - start)

        results["roll forward"] = timed(1, lambda: workspace.write(roll_forward, 1), revert)
        results["undo roll forward"] = undo
        workspace.close()
    for name, times in results.items():
        print(
            f"{name:24} median {statistics.median(times):.3f} s  "
            f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} runs)"
        )
        record(f"{name} ({args.actions:,} actions)", statistics.median(times))
    slow = [n for n in ("close Q1", "direction of travel Q2") if statistics.median(results[n]) > 2]
    if slow:
        print("OVER 2 s:", ", ".join(slow))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
