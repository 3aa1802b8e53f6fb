"""Over a slow link every statement costs a round trip: the statements the window sends to
open a plan and to save one edit must not grow with the plan (a clock-free guard, on both
engines; benchmarks/bench_slow_link.py times them over a 30 ms link)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, insert, select

from cspdesk.core.plan.model import Action, Milestone, Objective
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from cspdesk.ui.document import PlanDocument

pytestmark = pytest.mark.both_engines

GROWN_BY = 600  # actions added (more than the loader's 500-id IN lists), 2 milestones each
# Each table the window shows read once (rag_status, plan, priority, objective, action, update,
# contribution, action_lead, milestone) and the one statement that starts the read (SQLite's
# BEGIN, a shared plan's change stamp); it was 17 when the tree read six of them twice.
OPEN_STATEMENTS = 10
EDIT_STATEMENTS = 4  # read (and lock) the value, write it, its history row, the notice


class Statements:
    def __init__(self, workspace: Workspace) -> None:
        self.sent: list[str] = []
        event.listen(workspace.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.sent.append(statement)


def grow(workspace: Workspace, actions: int) -> None:
    def add(session):  # type: ignore[no-untyped-def]
        objective = session.execute(select(Objective.id).order_by(Objective.id)).scalars().first()
        first = 1000
        session.execute(
            insert(Action),
            [
                {"objective_id": objective, "position": first + n, "title": f"Grown {n}"}
                for n in range(actions)
            ],
        )
        ids = session.execute(select(Action.id).where(Action.position >= first)).scalars()
        session.execute(
            insert(Milestone),
            [
                {"action_id": action_id, "position": n, "title": f"Step {n}"}
                for action_id in ids
                for n in range(2)
            ],
        )

    workspace.write(add)


def counted(location: Location) -> tuple[int, int]:
    """Statements sent opening the plan as the window does, and saving one title."""
    workspace = Workspace.open(location)
    statements = Statements(workspace)
    document = PlanDocument(workspace)
    opened = len(statements.sent)
    node = next(n for n in document.model.root.walk() if n.kind == "action")
    statements.sent.clear()
    assert document.edit_field("action", node.id, "title", f"{node.title} (edited)")
    edited = len(statements.sent)
    workspace.close()
    return opened, edited


def test_opening_and_one_edit_send_as_many_statements_on_a_bigger_plan(
    workspace_path: Location, qtbot: object
) -> None:
    small = counted(workspace_path)
    with Workspace.open(workspace_path) as workspace:
        grow(workspace, GROWN_BY)
    big = counted(workspace_path)
    assert big == small
    assert small[0] <= OPEN_STATEMENTS
    assert small[1] <= EDIT_STATEMENTS
