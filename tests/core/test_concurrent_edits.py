"""Two officers editing the same action at once, in two processes: nothing silently lost."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

EDITOR = Path(__file__).with_name("concurrent_editor.py")
EDITS_EACH = 60


def two_officers_edit(location: Location, mode: str) -> tuple[list[str], list[str], str]:
    with Workspace.open(location) as workspace:
        action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
        workspace.write(ops.edit_field, "action", action_id, "outcomes", "start")
    start_at = time.time() + 3  # both processes imported and connected by then
    runs = []
    for tag in ("emma", "graham"):
        command = [sys.executable, str(EDITOR), str(location), str(action_id), tag]
        command += [str(EDITS_EACH), repr(start_at), mode]
        runs.append(
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    saved: list[str] = []
    refused: list[str] = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        result = json.loads(out)
        saved += result["saved"]
        refused += result["refused"]
    with Workspace.open(location) as workspace:
        final = workspace.read(
            lambda s: s.execute(select(Action.outcomes).where(Action.id == action_id)).scalar_one()
        )
    return saved, refused, final


def test_every_edit_is_kept_or_refused(workspace_path: Location) -> None:
    saved, refused, final = two_officers_edit(workspace_path, "check")
    words = final.split()[1:]
    assert len(saved) + len(refused) == 2 * EDITS_EACH
    assert sorted(words) == sorted(saved)  # every saved edit is in the plan, nothing else
    assert not set(words) & set(refused)


def test_without_the_check_edits_are_lost(workspace_path: Location) -> None:
    """The control: the same two officers, edits saved without saying what they saw."""
    saved, refused, final = two_officers_edit(workspace_path, "nocheck")
    words = final.split()[1:]
    assert not refused and len(saved) == 2 * EDITS_EACH
    assert len(words) < len(saved), "the test failed to make two officers overlap"


def test_undo_never_overwrites_a_colleagues_later_change(workspace: Workspace) -> None:
    action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    mine = workspace.write(ops.edit_field, "action", action_id, "title", "My title", "Emma Clark")
    workspace.write(ops.edit_field, "action", action_id, "title", "Her title", "Graham Browne")
    with pytest.raises(ops.EditConflict, match="Graham Browne changed the action's title at"):
        workspace.write(mine.revert)
    title = workspace.read(
        lambda s: s.execute(select(Action.title).where(Action.id == action_id)).scalar_one()
    )
    assert title == "Her title"


def first_of(workspace: Workspace, column) -> int:  # type: ignore[no-untyped-def]
    return workspace.read(lambda s: s.execute(select(column)).scalars().first())


def test_undoing_an_add_never_deletes_a_colleagues_work(workspace: Workspace) -> None:
    from cspdesk.core.plan.model import Objective

    objective_id = first_of(workspace, Objective.id)
    added = workspace.write(ops.add_item, "action", objective_id, None, title="Mine")
    workspace.write(ops.edit_field, "action", added.id, "title", "Mine, renamed")  # my own
    workspace.write(ops.edit_field, "action", added.id, "outcomes", "Hers", "Emma Clark")
    with pytest.raises(ops.EditConflict, match="Emma Clark changed the new action at"):
        workspace.write(added.revert)
    # Nor with a milestone a colleague added under it.
    other = workspace.write(ops.add_item, "action", objective_id, None, title="Also mine")
    workspace.write(ops.add_item, "milestone", other.id, None, "Emma Clark", title="Her step")
    with pytest.raises(ops.EditConflict, match="Emma Clark changed the new action's milestones"):
        workspace.write(other.revert)
    assert workspace.read(lambda s: s.get(Action, other.id)) is not None
    # With only my own work on it, the add is undone.
    mine = workspace.write(ops.add_item, "action", objective_id, None, title="Only mine")
    workspace.write(ops.edit_field, "action", mine.id, "title", "Only mine, renamed")
    workspace.write(mine.revert)
    assert workspace.read(lambda s: s.get(Action, mine.id)) is None
    assert workspace.read(lambda s: s.get(Action, added.id)) is not None


def test_undoing_a_move_leads_or_update_keeps_a_colleagues_later_change(
    workspace: Workspace,
) -> None:
    from cspdesk.core.plan.model import Agency, Objective
    from cspdesk.core.quarter.contributions import ContributionValue, write_contributions

    action_id = first_of(workspace, Action.id)
    objectives = workspace.read(lambda s: list(s.execute(select(Objective.id)).scalars()))
    moved = workspace.write(ops.move_item, "action", action_id, objectives[1], 0)
    workspace.write(ops.move_item, "action", action_id, objectives[0], 0, "Emma Clark")
    with pytest.raises(ops.EditConflict, match="Emma Clark changed where the action is at"):
        workspace.write(moved.revert)

    agencies = workspace.read(lambda s: list(s.execute(select(Agency.id)).scalars()))
    leads = workspace.write(ops.set_leads, action_id, [(agencies[0], None)])
    workspace.write(ops.set_leads, action_id, [(agencies[1], None)], "Emma Clark")
    with pytest.raises(ops.EditConflict, match="Emma Clark changed the action's leads at"):
        workspace.write(leads.revert)

    summary = workspace.write(ops.set_update, action_id, 1, ops.UpdateValue("Mine", "G"))
    workspace.write(ops.set_update, action_id, 1, ops.UpdateValue("Hers", "G"), "Emma Clark")
    with pytest.raises(ops.EditConflict, match="Emma Clark changed the action's Q1 update at"):
        workspace.write(summary.revert)
    assert workspace.read(ops.get_update, action_id, 1).text == "Hers"

    key = (action_id, 1, "agency:1")
    part = workspace.write(write_contributions, {key: ContributionValue("Mine", "G", "Police")})
    workspace.write(
        write_contributions, {key: ContributionValue("Hers", "A", "Police")}, "Emma Clark"
    )
    with pytest.raises(ops.EditConflict, match="Emma Clark changed Police's Q1 part at"):
        workspace.write(part.revert)
