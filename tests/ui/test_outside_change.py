"""The window notices a change made under its feet (another window, a colleague) and reloads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

TITLE = "Actively promote Essex wide campaigns"


def titles_shown(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [node.title for node in window.document.model.root.walk() if node.kind == "action"]


def test_a_change_made_elsewhere_is_shown(  # type: ignore[no-untyped-def]
    qtbot, window, workspace_path: Location, engine: str
) -> None:
    assert TITLE in titles_shown(window)
    action_id = window.document.workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.title == TITLE)).scalar_one()
    )
    assert window.document.edit_field("action", action_id, "outcomes", "Edited here")
    assert not window.reload_if_changed_elsewhere()
    assert window.document.undo_stack.count() == 1

    with Workspace.open(workspace_path) as colleague:
        colleague.write(ops.edit_field, "action", action_id, "title", "Renamed by a colleague")
    # The window's own poll (every 2 s) picks it up, or on a server the colleague's notice.
    qtbot.waitUntil(lambda: "Renamed by a colleague" in titles_shown(window), timeout=8000)
    assert TITLE not in titles_shown(window)
    if engine == "sqlite":
        assert window.document.undo_stack.count() == 0  # undo must not overwrite the change
        assert "changed elsewhere" in window.statusBar().currentMessage()
    else:  # the notice named the item: undoing our edit of another field stays safe
        assert window.document.undo_stack.count() == 1
        assert "changed 1 item" in window.statusBar().currentMessage()


def test_a_closed_window_stops_looking(window, workspace_path: Location) -> None:  # type: ignore[no-untyped-def]
    window.close()
    with Workspace.open(workspace_path) as colleague:
        colleague.write(ops.edit_field, "action", 1, "title", "Renamed after closing")
    assert not window.reload_if_changed_elsewhere()


def test_undo_does_not_overwrite_a_colleagues_later_change(
    window, workspace_path: Location, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *args: shown.append(args[2]))
    document = window.document
    action_id = document.workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.title == TITLE)).scalar_one()
    )
    assert document.edit_field("action", action_id, "title", "My new title")
    with Workspace.open(workspace_path) as colleague:
        colleague.write(ops.edit_field, "action", action_id, "title", "Her title", "Emma Clark")
    window.undo_action.trigger()
    assert len(shown) == 1
    assert "Emma Clark changed the action's title at" in shown[0]
    assert "not saved" in shown[0]
    assert "Her title" in titles_shown(window)
    with Workspace.open(workspace_path) as check:
        title = check.read(
            lambda s: s.execute(select(Action.title).where(Action.id == action_id)).scalar_one()
        )
    assert title == "Her title"


def test_a_reload_keeps_the_place_scrolled_to(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.resize(600, 230)
    window.tree.expandAll()
    bar = window.tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    scrolled = bar.value()
    window.document.reload()
    qtbot.wait(50)
    assert bar.value() == scrolled > 0
