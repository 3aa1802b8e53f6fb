"""New work a partner wrote in a return, kept until placed: who sent it, for which actions it
waits, and placed from where it waits (returns.new_work, returns.place)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cspdesk.core.plan.model import Action, Milestone
from cspdesk.errors import CspdeskError
from cspdesk.returns.apply import apply_return
from cspdesk.returns.chase import chase_list
from cspdesk.returns.make import make_returns
from cspdesk.returns.new_work import waiting_for_action
from cspdesk.returns.place import Placement, place_kept
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

ALL = "All partners"


def action_id(workspace: Workspace, title: str) -> int:
    return workspace.read(lambda s: s.scalars(select(Action.id).where(Action.title == title)).one())


def merged_with_new_work(workspace: Workspace, tmp_path: Path) -> Path:
    """The All partners Q1 return with one row of new work, completed by Essex Police."""
    path = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}[ALL]
    book = load_workbook(path)
    book["Cover"]["B8"], book["Cover"]["B9"] = "Essex Police", "Emma Clark"
    sheet = book["Actions"]
    sheet["C6"], sheet["G6"], sheet["H6"] = "White Ribbon day stall", "Held on 25 Nov", "Green"
    book.save(path)
    workspace.write(apply_return, workspace.read(read_return, path))
    return path


def test_new_work_waits_on_the_actions_of_the_lead_whose_return_holds_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = merged_with_new_work(workspace, tmp_path)
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
    merged_with_new_work(workspace, tmp_path)
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
