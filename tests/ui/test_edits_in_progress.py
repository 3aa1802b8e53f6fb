"""A colleague's change never throws away what the user is typing: it waits until the edit
ends, and the save then meets the optimistic check, whose message gives the text back. On a
file the change arrives by the window's poll, on a server by the colleague's notice."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

TITLE = "Re-introduce the J9 scheme in both districts"
OUTCOMES = "Partner agencies trained"


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from cspdesk.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


@pytest.fixture
def emma(qtbot: Any, workspace_path: Location) -> Any:
    from cspdesk.ui.main_window import MainWindow

    workspace = Workspace.open(workspace_path)
    workspace.who = "Emma Clark"  # type: ignore[attr-defined]
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tree.expandAll()
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def stored(location: Location, field: str, action_id: int) -> Any:
    with Workspace.open(location) as check:
        column = getattr(Action, field)
        return check.read(
            lambda s: s.execute(select(column).where(Action.id == action_id)).scalar_one()
        )


def graham_writes(location: Location, action_id: int, field: str, value: str) -> None:
    with Workspace.open(location) as graham:
        graham.write(ops.edit_field, "action", action_id, field, value, "Graham Browne")


def the_action(window: Any) -> int:
    return window.document.workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.title == TITLE)).scalar_one()
    )


def focus_in_pane(qtbot: Any, window: Any, action_id: int, field: str) -> QPlainTextEdit:
    """Select the action and put the cursor in one of the detail pane's text fields."""
    window.select(("action", action_id))
    qtbot.waitUntil(lambda: window.detail.key == ("action", action_id))
    editor = window.detail.editors[field]
    assert isinstance(editor, QPlainTextEdit)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    return editor


def arrived(window: Any, location: Location, action_id: int, field: str) -> bool:
    """The colleague's change has reached the window: it waits for the user, or (were it not
    to wait) the window already shows it somewhere."""
    if window.document.outside.waiting or window.detail._stale:
        return True
    value = stored(location, field, action_id)
    node = window.document.model.index_by_key.get(("action", action_id))
    pane = window.detail.editors.get(field)
    return (node is not None and getattr(node, field, None) == value) or (
        isinstance(pane, QPlainTextEdit) and pane.toPlainText() == value
    )


def test_typing_in_a_cell_survives_a_colleagues_change_of_it(
    qtbot: Any, emma: Any, workspace_path: Location, messages: list[str]
) -> None:
    action_id = the_action(emma)
    index = emma.document.model.find("action", action_id)
    emma.tree.setCurrentIndex(index)
    emma.tree.edit(index)
    editor = emma.tree.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "My own words")

    graham_writes(workspace_path, action_id, "title", "Graham's words")
    qtbot.waitUntil(lambda: arrived(emma, workspace_path, action_id, "title"), timeout=6000)
    qtbot.wait(300)
    assert emma.tree.indexWidget(index) is editor
    assert editor.text() == "My own words"  # not thrown away, not overwritten

    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    assert "Graham Browne changed the action's title at" in messages[0]
    assert "your change was not saved" in messages[0]
    assert "What you typed: My own words" in messages[0]  # the words are given back
    assert stored(workspace_path, "title", action_id) == "Graham's words"
    qtbot.waitUntil(
        lambda: emma.document.model.index_by_key[("action", action_id)].title == "Graham's words"
    )


def test_typing_in_the_detail_pane_survives_a_colleagues_change_of_it(
    qtbot: Any, emma: Any, workspace_path: Location, messages: list[str]
) -> None:
    action_id = the_action(emma)
    editor = focus_in_pane(qtbot, emma, action_id, "title")
    editor.selectAll()
    qtbot.keyClicks(editor, "My pane words")

    graham_writes(workspace_path, action_id, "title", "Graham's words")
    qtbot.waitUntil(lambda: arrived(emma, workspace_path, action_id, "title"), timeout=6000)
    qtbot.wait(300)
    assert emma.detail.editors["title"] is editor  # the page was not rebuilt under the typing
    assert editor.toPlainText() == "My pane words"

    emma.tree.setFocus()  # leaving the field saves it
    qtbot.waitUntil(lambda: bool(messages), timeout=3000)
    assert "Graham Browne changed the action's title at" in messages[0]
    assert "What you typed: My pane words" in messages[0]
    assert stored(workspace_path, "title", action_id) == "Graham's words"
    qtbot.waitUntil(
        lambda: emma.detail.editors["title"].toPlainText() == "Graham's words", timeout=3000
    )


def test_leaving_a_field_the_user_did_not_change_keeps_the_colleagues_value(
    qtbot: Any, emma: Any, workspace_path: Location, messages: list[str]
) -> None:
    action_id = the_action(emma)
    editor = focus_in_pane(qtbot, emma, action_id, "outcomes")
    assert editor.toPlainText() == OUTCOMES

    graham_writes(workspace_path, action_id, "outcomes", "Forty officers trained")
    qtbot.waitUntil(lambda: arrived(emma, workspace_path, action_id, "outcomes"), timeout=6000)
    emma.tree.setFocus()  # tabbing past an untouched field saves nothing
    qtbot.waitUntil(
        lambda: emma.detail.editors["outcomes"].toPlainText() == "Forty officers trained",
        timeout=3000,
    )
    assert stored(workspace_path, "outcomes", action_id) == "Forty officers trained"
    assert messages == []
