"""Benchmark: make the quarter's returns for a 10,000-action plan with 40 leads, and merge 40.

Run: python benchmarks/bench_returns.py [--actions 10000] [--leads 40] [--milestones 2]
Targets (issue 12): making the 40 returns <= 3 s; merging them <= 3 s (each as a whole).
Issue 23: one return merged in <= 0.15 s, 40 one by one in <= 6 s, 40 in one batch in <= 2 s.
The plan is generated with Core bulk inserts (this bench's own generator).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.record import record  # noqa: E402
from cspdesk.core.plan.model import (  # noqa: E402
    Action,
    ActionLead,
    Agency,
    Milestone,
    Objective,
    Plan,
    Priority,
    Update,
)
from cspdesk.store.db import Workspace  # noqa: E402


def generate(path: Path, actions: int, leads: int, milestones: int) -> Workspace:
    workspace = Workspace.create(path, "Bench CSP")
    rags = ["R", "A", "G", "B", "N"]

    def fill(session) -> None:  # type: ignore[no-untyped-def]
        conn = session.connection()
        conn.execute(
            insert(Agency),
            [
                {"id": i + 1, "name": f"Agency {i + 1:02d}", "email": f"lead{i + 1}@example.org"}
                for i in range(leads)
            ],
        )
        conn.execute(
            insert(Plan),
            [{"id": 1, "year": "2016/17", "title": "Bench plan", "current_quarter": 2}],
        )
        conn.execute(
            insert(Priority),
            [
                {"id": p + 1, "plan_id": 1, "position": p, "title": f"Priority {p + 1}"}
                for p in range(5)
            ],
        )
        objectives = 100
        conn.execute(
            insert(Objective),
            [
                {
                    "id": o + 1,
                    "priority_id": o % 5 + 1,
                    "position": o // 5,
                    "title": f"Objective {o + 1}",
                }
                for o in range(objectives)
            ],
        )
        conn.execute(
            insert(Action),
            [
                {
                    "id": a + 1,
                    "objective_id": a % objectives + 1,
                    "position": a // objectives,
                    "title": f"Action {a + 1}: deliver the agreed partnership work in the area",
                    "outcomes": "Outcome measured quarterly",
                    "timescale": "Q1-4",
                    "rag": rags[a % 5],
                }
                for a in range(actions)
            ],
        )
        conn.execute(
            insert(ActionLead),
            [
                {"action_id": a + 1, "position": 0, "agency_id": a % leads + 1}
                for a in range(actions)
            ]
            + [
                {"action_id": a + 1, "position": 1, "agency_id": (a + 7) % leads + 1}
                for a in range(0, actions, 5)
            ],
        )
        conn.execute(
            insert(Milestone),
            [
                {
                    "action_id": a + 1,
                    "position": m,
                    "title": f"Milestone {m + 1} of action {a + 1}",
                    "due_date": dt.date(2016, 9, 30),
                    "rag": "G",
                }
                for a in range(actions)
                for m in range(milestones)
            ],
        )
        conn.execute(
            insert(Update),
            [
                {
                    "action_id": a + 1,
                    "quarter": 1,
                    "text": f"Q1 progress on action {a + 1}.",
                    "rag": rags[a % 5],
                    "source": "officer",
                }
                for a in range(actions)
            ],
        )

    workspace.write(fill)
    return workspace


def fill_in(path: Path) -> None:
    """What a partner does: an update and a RAG per action, half the milestones done."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook["Actions"]
    for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=9), start=2):
        kind = str(row[0].value or " ")[0]  # the rows for new work have no id: left empty
        if kind == "A":
            row[6].value = f"Q2: work continued as planned (row {number})"
            row[7].value = "green" if number % 2 else "Amber"
        elif kind == "M" and number % 2:
            row[8].value = dt.date(2016, 9, 1)
    workbook.save(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--leads", type=int, default=40)
    parser.add_argument("--milestones", type=int, default=2, help="per action")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    import shutil

    from cspdesk.returns.apply import apply_return, apply_returns
    from cspdesk.returns.make import make_returns
    from cspdesk.returns.read import read_return, read_returns

    make_times, merge_times, per_file, batch_times = [], [], [], []
    make_cpu: list[float] = []
    merge_cpu: list[float] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            start = time.perf_counter()
            workspace = generate(
                folder / "bench.cspdesk", args.actions, args.leads, args.milestones
            )
            print(f"generate: {time.perf_counter() - start:.2f} s")
            out = folder / "returns"
            out.mkdir()
            start, cpu = time.perf_counter(), time.process_time()
            made = make_returns(workspace, 1, 2, out)
            make_times.append(time.perf_counter() - start)
            make_cpu.append(time.process_time() - cpu)
            print(f"make {len(made)} returns: {make_times[-1]:.2f} s ({make_cpu[-1]:.2f} s CPU)")
            for item in made:
                fill_in(item.path)
            workspace.close()
            shutil.copy(folder / "bench.cspdesk", folder / "batch.cspdesk")
            workspace = Workspace.open(folder / "bench.cspdesk")
            total = 0.0
            changes = 0
            cpu = time.process_time()
            for item in made:
                start = time.perf_counter()

                def merge(session, path=item.path):  # type: ignore[no-untyped-def]
                    diff = read_return(session, path)
                    apply_return(session, diff)
                    return len(diff.accepted())

                changes += workspace.write(merge)
                elapsed = time.perf_counter() - start
                per_file.append(elapsed)
                total += elapsed
            merge_times.append(total)
            merge_cpu.append(time.process_time() - cpu)
            print(
                f"merge {len(made)} returns ({changes} changes): {total:.2f} s "
                f"({merge_cpu[-1]:.2f} s CPU)"
            )
            workspace.close()
            batch = Workspace.open(folder / "batch.cspdesk")
            paths = [item.path for item in made]

            def merge_batch(session, paths=paths):  # type: ignore[no-untyped-def]
                diffs, _ = read_returns(session, paths)
                apply_returns(session, diffs)

            start, cpu = time.perf_counter(), time.process_time()
            batch.write(merge_batch)
            batch_times.append(time.perf_counter() - start)
            print(
                f"merge {len(made)} returns in one batch: {batch_times[-1]:.2f} s "
                f"({time.process_time() - cpu:.2f} s CPU)"
            )
            batch.close()
    print(
        f"median make all: {statistics.median(make_times):.2f} s; "
        f"median merge all: {statistics.median(merge_times):.2f} s; "
        f"median per return merged: {statistics.median(per_file):.3f} s; "
        f"median batch of all: {statistics.median(batch_times):.2f} s"
    )
    size = f"{args.leads} returns, {args.actions:,} actions"
    record(f"make {size}", statistics.median(make_times))
    record(f"merge {size} one by one", statistics.median(merge_times))
    record(f"merge one return ({args.actions:,} actions)", statistics.median(per_file))
    record(f"merge {size} in one batch", statistics.median(batch_times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
