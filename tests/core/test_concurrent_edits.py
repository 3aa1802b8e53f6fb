"""Two officers editing the same action at once, in two processes: nothing silently lost."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core import ops
from cspdesk.core.model import Action
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
