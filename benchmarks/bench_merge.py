"""Benchmark: merge 40 partner returns (a third of the actions joint) and open the review.

Run: python -m benchmarks.bench_merge [--actions 10000] [--leads 40] [--repeat 3]
Targets (issue "One quarter, one truth"): merging the 40 returns of the 10,000-action plan,
each lead on ~250 actions and a third of them joint, in at most 3 s; the window's merge review
of the demo's 24 returns shown within 0.5 s (reading included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_returns import fill_in, generate  # noqa: E402
from benchmarks.record import record  # noqa: E402
from cspdesk.core.plan.model import ActionLead  # noqa: E402


def add_joint_leads(workspace, actions: int, leads: int) -> None:  # type: ignore[no-untyped-def]
    """Make every third action joint (the generator gives every fifth a second lead)."""

    def fill(session) -> None:  # type: ignore[no-untyped-def]
        have = {
            a
            for (a,) in session.execute(
                select(ActionLead.action_id).where(ActionLead.position == 1)
            )
        }
        session.execute(
            insert(ActionLead),
            [
                {"action_id": a + 1, "position": 1, "agency_id": (a + 13) % leads + 1}
                for a in range(0, actions, 3)
                if a + 1 not in have
            ],
        )

    workspace.write(fill)


def merge_all(workspace, paths: list[Path]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """What `cspdesk returns apply` does: read the batch, merge it in one transaction."""
    from cspdesk.returns.apply import apply_returns
    from cspdesk.returns.read import read_returns

    start, cpu = time.perf_counter(), time.process_time()
    diffs, refused = workspace.read(read_returns, paths)
    assert not refused, refused
    workspace.write(apply_returns, diffs)
    changes = sum(len(diff.accepted()) for diff in diffs)
    # CPU beside wall time: on a shared, loaded machine only the CPU compares run to run.
    print(f"merge CPU: {time.process_time() - cpu:.2f} s")
    return time.perf_counter() - start, changes


def review_time(folder: Path) -> float:
    """Seconds from choosing the demo's 24 filled-in returns to the review on screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cspdesk.core.rag.scheme import load_scheme
    from cspdesk.returns.make import make_returns
    from cspdesk.returns.read import read_returns
    from cspdesk.store.demo import create_demo_workspace
    from cspdesk.ui.dialogs.returns import ReviewDialog
    from tests.returns_batch import fill_batch

    app = QApplication.instance() or QApplication([])
    workspace = create_demo_workspace(folder / "demo.cspdesk")
    out = folder / "demo returns"
    out.mkdir()
    made = make_returns(workspace, 1, 2, out)
    joint = set()
    fill_batch([m.path for m in made], joint)
    start = time.perf_counter()
    diffs, refused = workspace.read(read_returns, [m.path for m in made], plan_id=1)
    dialog = ReviewDialog(None, diffs, refused, workspace.read(load_scheme))
    dialog.show()
    app.processEvents()
    elapsed = time.perf_counter() - start
    dialog.close()
    workspace.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--leads", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from cspdesk.returns.make import make_returns

    merges, reviews = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            workspace = generate(folder / "bench.cspdesk", args.actions, args.leads, 2)
            add_joint_leads(workspace, args.actions, args.leads)
            out = folder / "returns"
            out.mkdir()
            made = make_returns(workspace, 1, 2, out)
            for item in made:
                fill_in(item.path)
            elapsed, changes = merge_all(workspace, [m.path for m in made])
            merges.append(elapsed)
            print(f"merge {len(made)} returns ({changes} changes): {elapsed:.2f} s")
            workspace.close()
            reviews.append(review_time(folder))
            print(f"review of 24 demo returns shown: {reviews[-1]:.2f} s")
    print(
        f"median merge of {args.leads} returns: {statistics.median(merges):.2f} s (target 3 s); "
        f"median review shown: {statistics.median(reviews):.2f} s (target 0.5 s)"
    )
    record(f"merge {args.leads} returns in a batch", statistics.median(merges))
    record("review of 24 demo returns shown", statistics.median(reviews))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
