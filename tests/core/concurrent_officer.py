"""One officer in a process of its own, changing the plan's structure or agreeing RAGs as the
window does. Run by tests/core/test_concurrent_structure.py and benchmarks/bench_shared.py.

Usage: python concurrent_officer.py TASK LOCATION ITEM_ID TAG COUNT START_AT check|nocheck
with TASK one of:
- adds: COUNT actions added under objective ITEM_ID (titled TAG0, TAG1 ...; every other one
  first in the list, the rest last); nocheck switches ops.LOCK_SIBLINGS off.
- shuffle: the same adds, with deletes and moves among them (see shuffle()).
- rag: COUNT times: read the agreed RAG of action ITEM_ID's current quarter, think, agree the
  next one (emma forwards, others backwards; saved as who=TAG<n>, stating the RAG seen);
  nocheck switches ops.CHECK_CONCURRENT_EDITS off.
Prints JSON: "saved" (for rag: [tag, seen, new] each), "refused" and "seconds" (per write).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from cspdesk.core.plan import ops
from cspdesk.core.quarter import contributions
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed

THINK_SECONDS = 0.01
RAG_CYCLE = ("R", "A", "G")


def adds(workspace: Workspace, objective_id: int, tag: str, count: int) -> dict[str, Any]:
    saved, refused, seconds = [], [], []
    for number in range(count):
        title = f"{tag}{number}"
        start = time.perf_counter()
        try:
            workspace.write(
                ops.add_item, "action", objective_id, 0 if number % 2 else None, tag, title=title
            )
        except SaveFailed:
            refused.append(title)
        else:
            saved.append(title)
        seconds.append(time.perf_counter() - start)
    return {"saved": saved, "refused": refused, "seconds": seconds}


def shuffle(workspace: Workspace, objective_id: int, tag: str, count: int) -> dict[str, Any]:
    """Adds under the objective; every third step deletes the add before it, every fourth
    moves its newest add to the top. "saved": the titles that should be in the plan."""
    kept: dict[str, int] = {}
    for number in range(count):
        title = f"{tag}{number}"
        kept[title] = workspace.write(
            ops.add_item, "action", objective_id, None, tag, title=title
        ).id
        if number % 3 == 2:
            workspace.write(ops.delete_item, "action", kept.pop(f"{tag}{number - 1}"), tag)
        if number % 4 == 3:
            workspace.write(ops.move_item, "action", kept[title], objective_id, 0, tag)
    return {"saved": list(kept), "refused": [], "seconds": []}


def rags(workspace: Workspace, action_id: int, tag: str, count: int) -> dict[str, Any]:
    quarter = workspace.read(contributions.current_quarter_of, action_id)
    # Officers step through the RAGs in opposite directions, so a lost edit never hides
    # behind two officers picking the same RAG.
    step = 1 if tag == "emma" else 2
    saved, refused, seconds = [], [], []
    for number in range(count):
        who = f"{tag}{number}"
        seen = workspace.read(contributions.agreed_rag, action_id)
        new = RAG_CYCLE[(RAG_CYCLE.index(seen) + step) % 3 if seen in RAG_CYCLE else 0]
        time.sleep(THINK_SECONDS)  # the officer looks at the RAG, then picks another
        start = time.perf_counter()
        try:
            workspace.write(
                contributions.set_agreed_rag, action_id, quarter, new, who, expected=seen
            )
        except (ops.EditConflict, SaveFailed):
            refused.append(who)
        else:
            saved.append([who, seen, new])
        seconds.append(time.perf_counter() - start)
    return {"saved": saved, "refused": refused, "seconds": seconds}


def main() -> None:
    task, location, item_id, tag, count, start_at, mode = sys.argv[1:]
    ops.CHECK_CONCURRENT_EDITS = ops.LOCK_SIBLINGS = mode == "check"
    with Workspace.open(location) as workspace:
        while time.time() < float(start_at):
            time.sleep(0.001)
        run = {"adds": adds, "shuffle": shuffle, "rag": rags}[task]
        result = run(workspace, int(item_id), tag, int(count))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
