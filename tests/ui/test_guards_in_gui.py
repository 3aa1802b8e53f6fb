"""The GUI refuses edits to a closed quarter or a plan kept read-only, and says why."""

from __future__ import annotations

from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Plan
from cspdesk.core.quarter.closing import close_quarter


def test_closed_quarter_update_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    document = window.document
    workspace = document.workspace
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    workspace.write(close_quarter, plan_id, 1)
    action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    messages: list[str] = []
    document.error.disconnect()
    document.error.connect(messages.append)
    before = workspace.read(ops.get_update, action_id, 1)
    document.set_update(action_id, 1, ops.UpdateValue("changed after the close", "R"))
    assert workspace.read(ops.get_update, action_id, 1) == before
    assert messages and "Q1 2016/17 is closed" in messages[0]
    document.set_update(action_id, 2, ops.UpdateValue("Q2 is open", "G"))
    assert workspace.read(ops.get_update, action_id, 2).text == "Q2 is open"


def test_read_only_plan_refuses_edits_but_can_be_unlocked(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    document = window.document
    workspace = document.workspace
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    assert document.edit_field("plan", plan_id, "read_only", True)
    action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    messages: list[str] = []
    document.error.disconnect()
    document.error.connect(messages.append)
    assert not document.edit_field("action", action_id, "title", "Changed")
    assert "read-only" in messages[0]
    assert document.add_item("action", 1, None, title="x") is None
    assert document.edit_field("plan", plan_id, "read_only", False)
    assert document.edit_field("action", action_id, "title", "Changed")


def test_direction_of_travel_shows_in_the_tree(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.plan_model import Column

    document = window.document
    workspace = document.workspace
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    action_id = workspace.read(
        lambda s: s.execute(
            select(Action.id).where(Action.title == "Joint days of action")
        ).scalar_one()
    )
    document.set_update(action_id, 1, ops.UpdateValue("Held one", "R"))
    workspace.write(close_quarter, plan_id, 1)  # now Q2 is current
    document.set_update(action_id, 2, ops.UpdateValue("Held three", "G"))
    document.refresh_directions()
    index = document.model.find("action", action_id).siblingAtColumn(Column.DIRECTION)
    qtbot.waitUntil(lambda: index.data() == "▲ improved", timeout=10000)
