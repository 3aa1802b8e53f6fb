"""A second officer in another process, for the live-view tests: has the plan open (its
listening connection names it in pg_stat_activity) and commits edits read from stdin.

    python tests/ui/colleague.py ADDRESS "Graham Browne" [--no-notices]

Commands, one a line: ``title ID TEXT``, ``rag ID CODE``, ``add OBJECTIVE_ID POSITION TITLE``,
``move ID OBJECTIVE_ID POSITION``, ``delete ID``, ``import ID TITLE`` (a write that returns no
Change, as an import does), ``close``. After each commit it prints ``done`` and the wall-clock
time of the commit.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from cspdesk.core.plan import ops
from cspdesk.core.quarter import contributions
from cspdesk.store import live
from cspdesk.store.db import Workspace


def agree_rag(session: Any, action_id: int, rag: str, who: str) -> ops.Change:
    quarter = contributions.current_quarter_of(session, action_id)
    change = contributions.set_agreed_rag(session, action_id, quarter, rag, who)
    return ops.ChangeSet((change,), f"Set Q{quarter} RAG")


def import_title(session: Any, action_id: int, title: str, who: str) -> None:
    ops.edit_field(session, "action", action_id, "title", title, who)


def main(address: str, who: str, *flags: str) -> None:
    if "--no-notices" in flags:
        live.SEND_NOTICES = False
    workspace = Workspace.open(address)
    workspace.who = who  # type: ignore[attr-defined]
    listener = live.Listener(workspace)  # "has the plan open"
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        if command == "close":
            break
        if command == "title":
            item_id, text = rest.split(" ", 1)
            workspace.write(ops.edit_field, "action", int(item_id), "title", text, who)
        elif command == "rag":
            item_id, code = rest.split(" ", 1)
            workspace.write(agree_rag, int(item_id), code, who)
        elif command == "add":
            parent_id, position, title = rest.split(" ", 2)
            workspace.write(ops.add_item, "action", int(parent_id), int(position), who, title=title)
        elif command == "move":
            item_id, parent_id, position = map(int, rest.split())
            workspace.write(ops.move_item, "action", item_id, parent_id, position, who)
        elif command == "delete":
            workspace.write(ops.delete_item, "action", int(rest), who)
        elif command == "import":
            item_id, title = rest.split(" ", 1)
            workspace.write(import_title, int(item_id), title, who)
        print(f"done {time.time():.6f}", flush=True)
    listener.close()
    workspace.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
