"""Every operation changes the stored plan, and its revert puts it back exactly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, HistoryEntry, Milestone, Objective
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def state(workspace: Workspace) -> dict[str, Any]:
    return workspace.read(export_workspace)


def first_id(workspace: Workspace, model: type) -> int:
    return workspace.read(
        lambda s: s.execute(select(model.id).order_by(model.id)).scalars().first()
    )


def titles(workspace: Workspace, objective_id: int) -> list[str]:
    return workspace.read(
        lambda s: list(
            s.execute(
                select(Action.title)
                .where(Action.objective_id == objective_id)
                .order_by(Action.position)
            ).scalars()
        )
    )


def test_edit_field_and_revert(workspace: Workspace) -> None:
    before = state(workspace)
    action_id = first_id(workspace, Action)
    change = workspace.write(ops.edit_field, "action", action_id, "rag", "R")
    assert change.old == "G" and change.new == "R"
    assert workspace.read(lambda s: s.get(Action, action_id).rag) == "R"
    inverse = workspace.write(change.revert)
    assert state(workspace) == before
    workspace.write(inverse.revert)
    assert workspace.read(lambda s: s.get(Action, action_id).rag) == "R"


def test_edit_records_history(workspace: Workspace) -> None:
    action_id = first_id(workspace, Action)
    workspace.write(ops.edit_field, "action", action_id, "title", "New title", who="HC")
    rows = workspace.read(
        lambda s: (
            s.execute(
                select(HistoryEntry).where(
                    HistoryEntry.entity_id == action_id, HistoryEntry.field == "title"
                )
            )
            .scalars()
            .all()
        )
    )
    assert [(r.who, r.new) for r in rows] == [("HC", "New title")]


def test_edit_refuses_structural_fields(workspace: Workspace) -> None:
    action_id = first_id(workspace, Action)
    for name in ("id", "position", "objective_id", "nonsense"):
        try:
            workspace.write(ops.edit_field, "action", action_id, name, 1)
        except ValueError:
            continue
        raise AssertionError(f"{name} was editable")


def test_moved_milestone_keeps_original_due_date(workspace: Workspace) -> None:
    milestone_id = first_id(workspace, Milestone)
    change = workspace.write(
        ops.edit_field, "milestone", milestone_id, "due_date", dt.date(2016, 9, 30)
    )
    row = workspace.read(lambda s: s.get(Milestone, milestone_id))
    assert row.original_due_date == dt.date(2016, 6, 30)
    workspace.write(change.revert)
    row = workspace.read(lambda s: s.get(Milestone, milestone_id))
    assert row.due_date == dt.date(2016, 6, 30) and row.original_due_date is None


def test_add_at_position_and_revert(workspace: Workspace) -> None:
    before = state(workspace)
    objective_id = first_id(workspace, Objective)
    change = workspace.write(ops.add_item, "action", objective_id, 1, title="Inserted")
    assert titles(workspace, objective_id) == [
        "Actively promote Essex wide campaigns",
        "Inserted",
        "Re-introduce the J9 scheme in both districts",
    ]
    workspace.write(change.revert)
    assert state(workspace) == before


def test_delete_subtree_and_restore_with_same_ids(workspace: Workspace) -> None:
    before = state(workspace)
    objective_id = first_id(workspace, Objective)
    change = workspace.write(ops.delete_item, "objective", objective_id)
    after = state(workspace)
    assert len(after["plans"][0]["priorities"][0]["objectives"]) == 0
    restored = workspace.write(change.revert)
    assert state(workspace) == before
    assert restored.id == objective_id


def test_delete_then_add_never_reuses_an_id(workspace: Workspace) -> None:
    objective_id = first_id(workspace, Objective)
    last = workspace.read(lambda s: max(s.execute(select(Action.id)).scalars()))
    workspace.write(ops.delete_item, "action", last)
    added = workspace.write(ops.add_item, "action", objective_id, title="Fresh")
    assert added.id > last


def test_move_within_and_across_parents(workspace: Workspace) -> None:
    before = state(workspace)
    objectives = workspace.read(
        lambda s: list(s.execute(select(Objective.id).order_by(Objective.id)).scalars())
    )
    first, second = objectives[0], objectives[1]
    moving = workspace.read(
        lambda s: (
            s.execute(
                select(Action.id).where(Action.objective_id == first).order_by(Action.position)
            )
            .scalars()
            .first()
        )
    )
    down = workspace.write(ops.move_item, "action", moving, first, 1)
    assert titles(workspace, first)[1] == "Actively promote Essex wide campaigns"
    across = workspace.write(ops.move_item, "action", moving, second, 0)
    assert titles(workspace, second)[0] == "Actively promote Essex wide campaigns"
    assert titles(workspace, first) == ["Re-introduce the J9 scheme in both districts"]
    workspace.write(across.revert)
    workspace.write(down.revert)
    assert state(workspace) == before


def test_set_leads_and_update_revert(workspace: Workspace) -> None:
    before = state(workspace)
    action_id = first_id(workspace, Action)
    leads = workspace.write(ops.set_leads, action_id, [(1, 1), (None, 2)])
    assert workspace.read(ops.get_leads, action_id) == ((1, 1), (None, 2))
    update = workspace.write(
        ops.set_update, action_id, 2, ops.UpdateValue("Q2 text", "A", "return: Essex Police")
    )
    assert workspace.read(ops.get_update, action_id, 2).source == "return: Essex Police"
    workspace.write(update.revert)
    workspace.write(leads.revert)
    assert state(workspace) == before


def test_change_set_reverts_in_reverse_order(workspace: Workspace) -> None:
    before = state(workspace)
    objective_id = first_id(workspace, Objective)

    def two_changes(session):  # type: ignore[no-untyped-def]
        added = ops.add_item(session, "action", objective_id, 0, title="A")
        moved = ops.move_item(session, "action", added.id, objective_id, 2)
        return ops.ChangeSet((added, moved), "Add and move")

    change = workspace.write(two_changes)
    workspace.write(change.revert)
    assert state(workspace) == before


def test_rag_scheme_is_editable_by_code(workspace: Workspace) -> None:
    from cspdesk.core.plan.model import RagStatus

    change = workspace.write(ops.edit_field, "rag_status", "A", "label", "At risk")
    assert workspace.read(lambda s: s.get(RagStatus, "A").label) == "At risk"
    workspace.write(change.revert)
    assert workspace.read(lambda s: s.get(RagStatus, "A").label) == "Amber"
    try:
        workspace.write(ops.edit_field, "rag_status", "A", "code", "X")
    except ValueError:
        return
    raise AssertionError("a status code was editable")


def test_a_delete_is_told_with_who_made_it(workspace: Workspace) -> None:
    action_id = first_id(workspace, Action)
    objective_id = first_id(workspace, Objective)
    assert workspace.read(ops.deleted_message, "action", action_id) == (
        "This action was deleted elsewhere"  # not deleted (yet): nobody to name
    )
    workspace.write(ops.delete_item, "action", action_id, "Graham Browne")
    said = workspace.read(ops.deleted_message, "action", action_id)
    assert said.startswith("Graham Browne deleted this action at ")
    workspace.write(ops.delete_item, "objective", objective_id, "Graham Browne")
    assert workspace.read(ops.deleted_message, "objective", objective_id) == (
        "This objective was deleted elsewhere"  # objectives keep no history: no name to give
    )
