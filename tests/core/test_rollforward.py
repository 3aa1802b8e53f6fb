"""Roll-forward refusals, completed work left behind, and history across two years."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.history import action_history, carried_chain
from cspdesk.core.plan.model import Action, Milestone, Plan
from cspdesk.core.quarter.rollforward import preview_roll_forward, roll_forward
from cspdesk.core.workspace.plan_tree import build_plan_tree
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def action_id(workspace: Workspace, title: str, plan_year: str | None = None) -> int:
    def find(session):  # type: ignore[no-untyped-def]
        ids = session.execute(select(Action.id).where(Action.title == title).order_by(Action.id))
        return ids.scalars().all()

    ids = workspace.read(find)
    return ids[-1] if plan_year else ids[0]


def test_plan_tree_matches_export_workspace(workspace: Workspace) -> None:
    exported = workspace.read(export_workspace)["plans"][0]
    # The export adds the figures, funding, title-block and returns sections, which the plan tree
    # leaves out.
    for kept_beside in ("returns", "new_work", "closed_quarters"):
        exported.pop(kept_beside)
    exported.pop("funding")
    exported.pop("title_blocks")
    exported.pop("performance_indicators")
    for priority in exported["priorities"]:
        priority.pop("performance_indicators")
        for objective in priority["objectives"]:
            for action in objective["actions"]:
                action.pop("performance_indicators")
    assert workspace.read(build_plan_tree, 1) == exported


def test_completed_actions_stay_behind(workspace: Workspace) -> None:
    joint = action_id(workspace, "Joint days of action")
    promote = action_id(workspace, "Actively promote Essex wide campaigns")
    workspace.write(ops.edit_field, "action", joint, "rag", "B")  # complete
    workspace.write(ops.set_update, promote, 4, ops.UpdateValue("All done", "B"))  # reported done
    preview = workspace.read(preview_roll_forward, 1, "2017/18")
    assert (preview.carried, preview.completed, preview.priorities, preview.objectives) == (
        1,
        2,
        2,
        2,
    )
    workspace.write(roll_forward, 1, "2017/18")
    new_id = workspace.read(
        lambda s: s.execute(select(Plan.id).where(Plan.year == "2017/18")).scalar_one()
    )
    tree = workspace.read(build_plan_tree, new_id)
    assert [p["title"] for p in tree["priorities"]] == [
        "Safeguarding Vulnerable People",
        "Anti-Social Behaviour",
    ]
    assert tree["priorities"][1]["baseline"] == "1259 incidents"
    assert tree["priorities"][1]["objectives"][0]["actions"] == []  # kept, now empty
    carried = tree["priorities"][0]["objectives"][0]["actions"]
    assert [a["title"] for a in carried] == ["Re-introduce the J9 scheme in both districts"]
    assert tree["current_quarter"] == 1 and not tree["read_only"]
    old = workspace.read(build_plan_tree, 1)
    assert old["read_only"] and len(old["priorities"][1]["objectives"][0]["actions"]) == 1


def test_refusals_change_nothing(workspace: Workspace) -> None:
    before = workspace.read(export_workspace)
    for year, message in [("2015/16", "not a later year"), ("2016/17", "not a later year")]:
        with pytest.raises(CspdeskError, match=message):
            workspace.write(roll_forward, 1, year)
    with pytest.raises(CspdeskError, match="no plan"):
        workspace.write(roll_forward, 99)
    assert workspace.read(export_workspace) == before
    workspace.write(roll_forward, 1, "2017/18")
    with pytest.raises(CspdeskError, match="rolled forward into 2017/18 already"):
        workspace.write(roll_forward, 1, "2018/19")
    with pytest.raises(CspdeskError, match="there is a 2017/18 plan already"):
        workspace.write(roll_forward, 1, "2017/18")


def test_history_follows_two_years_back(workspace: Workspace) -> None:
    j9 = action_id(workspace, "Re-introduce the J9 scheme in both districts")
    milestone = workspace.write(ops.add_item, "milestone", j9, title="Venue found").id
    workspace.write(ops.edit_field, "action", j9, "rag", "R", who="return: RDC")
    workspace.write(roll_forward, 1)
    second = workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.carried_from_id == j9)).scalar_one()
    )
    workspace.write(ops.edit_field, "action", second, "rag", "G", who="Helen Collins")
    plan2 = workspace.read(
        lambda s: s.execute(select(Plan.id).where(Plan.year == "2017/18")).scalar_one()
    )
    workspace.write(roll_forward, plan2)
    third = workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.carried_from_id == second)).scalar_one()
    )
    assert workspace.read(carried_chain, third) == [
        (third, "2018/19"),
        (second, "2017/18"),
        (j9, "2016/17"),
    ]
    history = workspace.read(action_history, third)
    rag_changes = [(h.year, h.who, h.old, h.new) for h in history if h.what == "RAG"]
    assert rag_changes == [
        ("2017/18", "Helen Collins", "A", "G"),
        ("2016/17", "return: RDC", "A", "R"),
    ]
    added = [h for h in history if h.entity == "milestone"]
    assert [(h.entity_id, h.what, h.action_id) for h in added] == [
        (milestone, "Milestone: Added", j9)
    ]
    # The milestone (not done) was carried too, under each new action.
    titles = workspace.read(
        lambda s: (
            s.execute(select(Milestone.action_id).where(Milestone.title == "Venue found"))
            .scalars()
            .all()
        )
    )
    assert sorted(titles) == sorted([j9, second, third])


def test_undo_and_redo_keep_ids_and_links(workspace: Workspace) -> None:
    from cspdesk.core.plan.bulkdump import PlanAdded

    before = workspace.read(export_workspace)
    first = workspace.write(roll_forward, 1)
    middle = workspace.read(
        lambda s: s.execute(select(Plan.id).where(Plan.year == "2017/18")).scalar_one()
    )
    workspace.write(ops.set_update, _any_action(workspace, middle), 1, ops.UpdateValue("x", "G"))
    workspace.write(roll_forward, middle)
    both = workspace.read(export_workspace)
    # Taking the middle year out nulls the links of the last year; putting it back restores them.
    removed = workspace.write(PlanAdded(middle, "test").revert)
    last = workspace.read(export_workspace)["plans"][-1]
    assert last["year"] == "2018/19"
    assert all(a["carried_from_id"] is None for a in _actions(last))
    workspace.write(removed.revert)
    assert workspace.read(export_workspace) == both
    # Undoing the first roll-forward on its own (the last is ours to remove first here).
    workspace.write(
        ops.delete_item,
        "plan",
        workspace.read(
            lambda s: s.execute(select(Plan.id).where(Plan.year == "2018/19")).scalar_one()
        ),
    )
    workspace.write(ops.edit_field, "plan", middle, "read_only", False)
    redo = workspace.write(first.revert)
    assert workspace.read(export_workspace) == before
    workspace.write(redo.revert)
    assert workspace.read(build_plan_tree, middle)["year"] == "2017/18"
    assert workspace.read(build_plan_tree, 1)["read_only"]


def _actions(plan: dict) -> list[dict]:  # type: ignore[type-arg]
    return [a for p in plan["priorities"] for o in p["objectives"] for a in o["actions"]]


def _any_action(workspace: Workspace, plan_id: int) -> int:
    return _actions(workspace.read(build_plan_tree, plan_id))[0]["id"]
