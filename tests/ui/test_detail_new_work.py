"""New work partners sent in their returns waits in the detail pane of their actions, with who
sent it, until the officer places it there (offscreen, a real window on a real workspace)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from sqlalchemy import select

from cspdesk.core.plan.model import Milestone
from cspdesk.returns.apply import apply_return
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace
from cspdesk.ui.detail_pane import NewWorkBox
from tests.ui.test_main_window import first_action_index

pytestmark = pytest.mark.both_engines


def merge_new_work(workspace: Workspace, folder: Path) -> Path:
    """The All partners Q1 return, completed by Essex Police, with one row of new work."""
    path = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, folder)}["All partners"]
    book = load_workbook(path)
    book["Cover"]["B8"], book["Cover"]["B9"] = "Essex Police", "Emma Clark"
    sheet = book["Actions"]
    sheet["C6"], sheet["G6"], sheet["H6"] = "White Ribbon day stall", "Held on 25 Nov", "Green"
    book.save(path)
    workspace.write(apply_return, workspace.read(read_return, path))
    return path


def milestones(workspace: Workspace, action_id: int) -> list[str]:
    return workspace.read(
        lambda s: s.scalars(
            select(Milestone.title)
            .where(Milestone.action_id == action_id)
            .order_by(Milestone.position)
        ).all()
    )


def test_new_work_waits_in_the_pane_and_is_placed_from_it(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = window.document.workspace
    path = merge_new_work(workspace, tmp_path)
    action = first_action_index(window)
    action_id = window.document.model.node(action).id
    window.tree.setCurrentIndex(action)
    qtbot.waitUntil(lambda: bool(window.detail.findChildren(NewWorkBox)))
    box = window.detail.findChild(NewWorkBox)
    qtbot.waitUntil(box.isVisible)
    assert box.title() == "New work from partners to place (1)"
    said = [label.text() for label in box.findChildren(QLabel)]
    assert said == [
        f"Q1, from All partners (completed by Essex Police, Emma Clark), {path.name}, row 6:",
        "Action / milestone: White Ribbon day stall; This quarter's update: Held on 25 Nov; "
        "RAG: Green",
    ]
    choice = box.findChild(QComboBox)
    assert choice.accessibleName() == f"Place row 6 of {path.name} as"
    choice.setCurrentIndex(choice.findText("A new milestone of this action"))
    place = box.findChild(QPushButton)
    qtbot.mouseClick(place, Qt.MouseButton.LeftButton)
    assert milestones(workspace, action_id)[-1] == "White Ribbon day stall"

    def shown_box() -> NewWorkBox | None:
        found = window.detail.findChild(NewWorkBox)
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: shown_box() is None)  # nothing waits any more
    window.undo_action.trigger()  # one undo: the milestone goes and the work waits again
    qtbot.waitUntil(lambda: shown_box() is not None)
    assert "White Ribbon day stall" not in milestones(workspace, action_id)


def test_an_action_whose_lead_sent_no_new_work_shows_none(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    merge_new_work(window.document.workspace, tmp_path)
    model = window.document.model
    window.tree.expandAll()
    plan = model.index(0, 0)
    police_action = model.index(0, 0, model.index(0, 0, model.index(1, 0, plan)))
    assert model.node(police_action).title == "Joint days of action"
    window.tree.setCurrentIndex(police_action)
    qtbot.waitUntil(lambda: bool(window.detail.findChildren(NewWorkBox)))
    assert not window.detail.findChild(NewWorkBox).isVisible()
