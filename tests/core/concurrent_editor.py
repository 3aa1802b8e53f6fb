"""One officer in a process of its own, editing one action's outcomes as the window does: read
the value shown, then save it with a word added. Run by tests/core/test_concurrent_edits.py.

Usage: python concurrent_editor.py LOCATION ACTION_ID TAG COUNT START_AT check|nocheck
(nocheck: the control run, with ops.CHECK_CONCURRENT_EDITS switched off).
Prints JSON: the tags saved and the tags refused.
"""

from __future__ import annotations

import json
import sys
import time

from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store.db import Workspace

THINK_SECONDS = 0.01


def main() -> None:
    location, action_id, tag, count, start_at, mode = sys.argv[1:]
    ops.CHECK_CONCURRENT_EDITS = mode == "check"
    saved: list[str] = []
    refused: list[str] = []
    with Workspace.open(location) as workspace:
        while time.time() < float(start_at):
            time.sleep(0.001)
        for number in range(int(count)):
            word = f"{tag}{number}"
            seen = workspace.read(
                lambda s: s.execute(
                    select(Action.outcomes).where(Action.id == int(action_id))
                ).scalar_one()
            )
            time.sleep(THINK_SECONDS)  # the officer reads the value, then types
            try:
                workspace.write(
                    ops.edit_field,
                    "action",
                    int(action_id),
                    "outcomes",
                    f"{seen} {word}",
                    tag,
                    expected=seen,
                )
            except ops.EditConflict:
                refused.append(word)
            else:
                saved.append(word)
    print(json.dumps({"saved": saved, "refused": refused}))


if __name__ == "__main__":
    main()
