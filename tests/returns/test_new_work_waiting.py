"""New work a partner wrote in a return, kept until placed: who sent it, for which actions it
waits, and placed from where it waits (returns.new_work, returns.place)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core.plan.model import Action, Milestone
from cspdesk.errors import CspdeskError
from cspdesk.returns.chase import chase_list
from cspdesk.returns.new_work import waiting_for_action
from cspdesk.returns.place import Placement, place_kept
from cspdesk.store.db import Workspace
from tests.returns.returns_fill import merge_new_work

pytestmark = pytest.mark.both_engines

ALL = "All partners"


def action_id(workspace: Workspace, title: str) -> int:
    return workspace.read(lambda s: s.scalars(select(Action.id).where(Action.title == title)).one())


def test_new_work_waits_on_the_actions_of_the_lead_whose_return_holds_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = merge_new_work(workspace, tmp_path)
    shared = action_id(workspace, "Actively promote Essex wide campaigns")
    (waiting,) = workspace.read(waiting_for_action, shared)
    assert waiting.sent_by == f"{ALL} (completed by Essex Police, Emma Clark), {path.name}, row 6"
    assert waiting.describe() == (
        "Action / milestone: White Ribbon day stall; This quarter's update: Held on 25 Nov; "
        "RAG: Green"
    )
    assert waiting.quarter == 1
    police_only = action_id(workspace, "Joint days of action")
    assert workspace.read(waiting_for_action, police_only) == []


def test_new_work_placed_from_where_it_waits_is_placed_once_and_undone_whole(
    workspace: Workspace, tmp_path: Path
) -> None:
    merge_new_work(workspace, tmp_path)
    shared = action_id(workspace, "Actively promote Essex wide campaigns")
    (waiting,) = workspace.read(waiting_for_action, shared)
    change = workspace.write(place_kept, waiting.id, Placement("milestone", shared))
    titles = workspace.read(
        lambda s: s.scalars(select(Milestone.title).where(Milestone.action_id == shared)).all()
    )
    assert "White Ribbon day stall" in titles
    assert workspace.read(waiting_for_action, shared) == []
    (row,) = [r for r in workspace.read(chase_list, 1, 1) if r.lead == ALL]
    assert row.state == "returned"
    with pytest.raises(CspdeskError, match="placed already"):
        workspace.write(place_kept, waiting.id, Placement("note", shared))
    workspace.write(change.revert)  # one undo: the milestone goes, the work waits again
    assert [w.id for w in workspace.read(waiting_for_action, shared)] == [waiting.id]
