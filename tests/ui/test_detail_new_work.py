"""New work partners sent in their returns waits in the detail pane of their actions, with who
sent it, until the officer places it there (offscreen, a real window on a real workspace)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from sqlalchemy import select

from cspdesk.core.plan.model import Milestone
from cspdesk.store.db import Workspace
from cspdesk.ui.new_work_box import NewWorkBox
from tests.returns.returns_fill import merge_new_work
from tests.ui.test_main_window import first_action_index

pytestmark = pytest.mark.both_engines


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
