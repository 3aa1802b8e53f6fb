"""Undo and redo pass the same refusals as the edit they replay, say why, and leave the stack
where it was; a closed quarter is reopened only through the reopen dialog."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Plan
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.core.quarter.guards import is_quarter_closed


def _shortcut(window, key: QKeySequence.StandardKey) -> QAction:  # type: ignore[no-untyped-def]
    wanted = QKeySequence(key)
    return next(a for a in window.findChildren(QAction) if a.shortcut() == wanted)


def _setup(window):  # type: ignore[no-untyped-def]
    document = window.document
    messages: list[str] = []
    document.error.disconnect()  # the window shows these in a message box
    document.error.connect(messages.append)
    workspace = document.workspace
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    return document, workspace, plan_id, action_id, messages


def test_ctrl_z_after_closing_a_quarter_does_not_reopen_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    document, workspace, plan_id, action_id, messages = _setup(window)
    document.set_update(action_id, 1, ops.UpdateValue("Held one", "G"))
    document.push(workspace.write(close_quarter, plan_id, 1), "Close Q1")  # as the dialog does
    index = document.undo_stack.index()
    _shortcut(window, QKeySequence.StandardKey.Undo).trigger()
    assert workspace.read(is_quarter_closed, plan_id, 1)
    assert "undo does not reopen a quarter: use Quarter > Reopen quarter…" in messages[0]
    qtbot.waitUntil(lambda: document.undo_stack.index() == index)
    _shortcut(window, QKeySequence.StandardKey.Undo).trigger()  # refused again, not skipped
    assert workspace.read(is_quarter_closed, plan_id, 1)
    assert workspace.read(ops.get_update, action_id, 1).text == "Held one"


def test_undo_of_an_update_in_a_quarter_closed_since_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    document, workspace, plan_id, action_id, messages = _setup(window)
    document.set_update(action_id, 1, ops.UpdateValue("Held one", "G"))
    workspace.write(close_quarter, plan_id, 1)  # by the command line, or another window
    _shortcut(window, QKeySequence.StandardKey.Undo).trigger()
    assert workspace.read(ops.get_update, action_id, 1).text == "Held one"
    assert "Q1 2016/17 is closed" in messages[0] and "Nothing was undone" in messages[0]
    qtbot.waitUntil(lambda: document.undo_stack.canUndo() and not document.undo_stack.canRedo())


def test_redo_into_a_plan_locked_since_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    document, workspace, plan_id, action_id, messages = _setup(window)
    title = workspace.read(lambda s: s.get(Action, action_id).title)
    assert document.edit_field("action", action_id, "title", "Renamed")
    _shortcut(window, QKeySequence.StandardKey.Undo).trigger()
    assert workspace.read(lambda s: s.get(Action, action_id).title) == title
    workspace.write(ops.edit_field, "plan", plan_id, "read_only", True)
    _shortcut(window, QKeySequence.StandardKey.Redo).trigger()
    assert workspace.read(lambda s: s.get(Action, action_id).title) == title
    assert "read-only" in messages[0]
    qtbot.waitUntil(lambda: document.undo_stack.canRedo())
    workspace.write(ops.edit_field, "plan", plan_id, "read_only", False)
    _shortcut(window, QKeySequence.StandardKey.Redo).trigger()  # unlocked: redo works again
    assert workspace.read(lambda s: s.get(Action, action_id).title) == "Renamed"


def test_undo_of_a_delete_into_a_plan_locked_since_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    document, workspace, plan_id, action_id, messages = _setup(window)
    document.delete_items([("action", action_id)])
    workspace.write(ops.edit_field, "plan", plan_id, "read_only", True)
    _shortcut(window, QKeySequence.StandardKey.Undo).trigger()
    assert workspace.read(lambda s: s.get(Action, action_id)) is None
    assert "kept read-only for the record" in messages[0]
