"""plan_of: the one way a query goes from an item of the tree up to its plan."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cspdesk.core.plan import ops
from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Milestone, Objective, Plan, Priority
from cspdesk.core.plan.plans import latest_plan_id
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def count(workspace: Workspace, query) -> int:  # type: ignore[no-untyped-def]
    return workspace.read(lambda s: s.execute(select(func.count()).select_from(query)).scalar())


def test_each_level_reaches_its_plan_and_only_its_plan(workspace: Workspace) -> None:
    first = workspace.read(latest_plan_id)
    other = workspace.write(ops.add_item, "plan", None, year="2017/18").id
    priority = workspace.write(ops.add_item, "priority", other, title="Roads").id
    objective = workspace.write(ops.add_item, "objective", priority, title="Fewer crashes").id
    action = workspace.write(ops.add_item, "action", objective, title="Speed checks").id
    workspace.write(ops.add_item, "milestone", action, title="Cameras in")

    for start in (Objective, Action, Milestone):
        everything = count(workspace, select(start.id).subquery())
        mine = count(workspace, plan_of(select(start.id), start, plan_id=first).subquery())
        theirs = count(workspace, plan_of(select(start.id), start, plan_id=other).subquery())
        assert (mine, theirs) == (everything - 1, 1), start

    years = workspace.read(
        lambda s: set(
            s.execute(
                plan_of(select(Plan.year).select_from(Milestone), Milestone, with_plan=True)
            ).scalars()
        )
    )
    assert years == {"2016/17", "2017/18"}
    titles = workspace.read(
        lambda s: (
            s.execute(
                plan_of(select(Priority.title).select_from(Action)).where(Action.id == action)
            )
            .scalars()
            .all()
        )
    )
    assert titles == ["Roads"]
