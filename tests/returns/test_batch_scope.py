"""What a batch of returns is compared with (returns/scope.py), loaded once for the batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspdesk.returns.scope import BatchScope, load_actions
from cspdesk.store.db import Workspace
from cspdesk.store.demo import create_demo_workspace


@pytest.mark.parametrize("quarter", [1, 2])
def test_quarter_rags_worked_out_later_are_those_loaded_at_once(
    tmp_path: Path, quarter: int
) -> None:
    """A merge loads the plan without each action's RAG this quarter (its returns show the
    RAG they were made with) and works it out only for the rows a manifest does not list:
    by the same rule, to the same RAG."""
    workspace = create_demo_workspace(tmp_path / "demo.cspdesk")

    def both(session):  # type: ignore[no-untyped-def]
        at_once = load_actions(session, 1, quarter)
        scope = BatchScope(session, BatchScope.WHOLE_PLAN_FROM)
        later = scope.actions(1, quarter)
        assert later.keys() == at_once.keys()
        assert all(action.quarter_rag is None for action in later.values())
        scope.quarter_rags(quarter, later.values())
        return at_once, later

    at_once, later = workspace.read(both)
    workspace.close()
    rags = {a: row.quarter_rag for a, row in at_once.items()}
    assert len(set(rags.values())) >= 3  # the demo's actions stand at several RAGs
    assert {a: row.quarter_rag for a, row in later.items()} == rags
    assert {a: row.last_update for a, row in later.items()} == {
        a: row.last_update for a, row in at_once.items()
    }


def test_quarter_rags_are_worked_out_once(workspace: Workspace) -> None:
    def twice(session):  # type: ignore[no-untyped-def]
        scope = BatchScope(session, BatchScope.WHOLE_PLAN_FROM)
        actions = list(scope.actions(1, 1).values())
        scope.quarter_rags(1, actions[:1])
        actions[0].quarter_rag = "worked out before"
        scope.quarter_rags(1, actions)  # the first is not read again
        return actions[0].quarter_rag

    assert workspace.read(twice) == "worked out before"


def test_a_whole_plan_holds_its_own_milestones_not_another_plans_among_them(
    tmp_path: Path,
) -> None:
    """A large batch reads the plan's milestones by the span of its action ids: an action of
    another plan made in between (its milestones in that span) is passed over."""
    from sqlalchemy import insert

    from cspdesk.core.plan.model import Action, Milestone, Objective, Plan, Priority

    workspace = create_demo_workspace(tmp_path / "demo.cspdesk")

    def add(session):  # type: ignore[no-untyped-def]
        session.execute(insert(Plan).values(id=2, year="2017/18", title="Next", current_quarter=1))
        session.execute(insert(Priority).values(id=90, plan_id=2, position=0, title="Other"))
        session.execute(insert(Objective).values(id=90, priority_id=90, position=0, title="O"))
        session.execute(insert(Action).values(id=33, objective_id=90, position=0, title="Theirs"))
        session.execute(insert(Action).values(id=34, objective_id=1, position=99, title="Ours"))
        session.execute(
            insert(Milestone),
            [
                {"id": 900, "action_id": 33, "position": 0, "title": "Another plan's"},
                {"id": 901, "action_id": 34, "position": 0, "title": "Our new one"},
            ],
        )

    workspace.write(add)
    actions = workspace.read(lambda s: BatchScope(s, BatchScope.WHOLE_PLAN_FROM).actions(1, 2))
    workspace.close()
    assert 33 not in actions and 34 in actions
    assert [m.title for m in actions[34].milestones] == ["Our new one"]
    assert all(m.action_id == a for a, row in actions.items() for m in row.milestones)
    assert 900 not in {m.id for row in actions.values() for m in row.milestones}
