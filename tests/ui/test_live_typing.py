"""Typing in a shared plan's window while a colleague changes the same item: the window never
raises, says who did what and what became of the typing, and holds back only the field being
typed in. Two officers: this window and a colleague in another process (PostgreSQL only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from tests.ui.live_helpers import LIVE_MS, Colleague, action_id, open_window

TITLE = "Re-introduce the J9 scheme in both districts"
OTHER = "Actively promote Essex wide campaigns"


@pytest.fixture
def engine() -> str:
    return "postgresql"  # notices are a server's; skipped, saying why, without one


@pytest.fixture
def graham(workspace_path: ServerAddress) -> Iterator[Colleague]:
    colleague = Colleague(workspace_path, "Graham Browne")
    yield colleague
    colleague.close()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The message boxes the window shows (warnings; a critical one is an unexpected error)."""
    from cspdesk.ui import error_report, main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(
        error_report.QMessageBox, "critical", lambda *a: shown.append("UNEXPECTED " + a[2])
    )
    return shown


@pytest.fixture
def window(qtbot: Any, workspace_path: ServerAddress) -> Any:
    window = open_window(qtbot, workspace_path)
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def type_into(qtbot: Any, window: Any, key: tuple[str, int], field: str, words: str) -> Any:
    """Select the item, put the cursor at the end of one of the pane's fields and type."""
    window.select(key)
    qtbot.waitUntil(lambda: window.detail.key == key and field in window.detail.editors)
    editor = window.detail.editors[field]
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, words)
    return editor


def test_a_colleague_deleting_the_action_you_type_in_says_who_and_keeps_your_words(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    document = window.document
    other = ("action", action_id(window, OTHER))
    assert document.edit_field(*other, "outcomes", "Something to undo")
    key = ("action", action_id(window, TITLE))
    type_into(qtbot, window, key, "outcomes", " and the Rayleigh schools")

    graham.do(f"delete {key[1]}")
    qtbot.waitUntil(lambda: key not in document.model.index_by_key, timeout=LIVE_MS)
    qtbot.waitUntil(lambda: bool(said), timeout=LIVE_MS)
    qtbot.wait(200)
    assert len(said) == 1, said
    assert "Graham Browne deleted this action" in said[0]
    assert "your change was not saved" in said[0]
    assert "Partner agencies trained and the Rayleigh schools" in said[0]
    assert "It is on the clipboard" in said[0]
    assert QApplication.clipboard().text() == "Partner agencies trained and the Rayleigh schools"
    assert document.undo_stack.count() == 1  # the colleague's delete named the item
    assert window.current_key() != key
    assert "Graham Browne deleted" in window.statusBar().currentMessage()


def test_a_colleague_deleting_the_selected_action_says_who(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    window.select(key)
    graham.do(f"delete {key[1]}")
    qtbot.waitUntil(lambda: key not in window.document.model.index_by_key, timeout=LIVE_MS)
    message = window.statusBar().currentMessage()
    assert message == f"Graham Browne deleted the action “{TITLE}”.", message
    assert said == []


def test_deleting_twice_over_never_raises(qtbot: Any, window: Any, said: list[str]) -> None:
    """The model forgets an item once, however many times the news of its going arrives."""
    key = ("action", action_id(window, TITLE))
    model = window.document.model
    with Workspace.open(window.document.workspace.path) as other:
        from cspdesk.core.plan import ops

        other.write(ops.delete_item, "action", key[1])
    window.document.catch_up([key])
    window.document.catch_up([key])
    model.remove_node(key)
    assert key not in model.index_by_key
    assert said == []


def test_only_the_field_being_typed_in_is_held_back(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    timescale = type_into(qtbot, window, key, "timescale", " (extended)")
    pane = window.detail
    title_editor = pane.editors["title"]
    history = pane._history[0].title()

    graham.do(f"title {key[1]} J9 scheme relaunched")
    qtbot.waitUntil(lambda: title_editor.toPlainText() == "J9 scheme relaunched", timeout=LIVE_MS)
    graham.do(f"rag {key[1]} R")
    qtbot.waitUntil(lambda: "Red" in pane.quarter_box.rag_label.text(), timeout=LIVE_MS)
    assert pane.editors["title"] is title_editor  # in place, not a rebuilt page
    assert pane._history[0].title() != history  # the labels follow too: "History (n changes)"
    assert timescale.hasFocus()
    assert timescale.text() == "Q2 – Sept 16 (extended)"  # the typing is left alone

    # Editing the title now starts from the colleague's title: saved, not refused.
    title_editor.setFocus()
    qtbot.waitUntil(title_editor.hasFocus)
    qtbot.keyClick(title_editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(title_editor, " in Rochford")
    window.tree.setFocus()
    qtbot.waitUntil(
        lambda: window.document.model.index_by_key[key].title == "J9 scheme relaunched in Rochford"
    )
    with Workspace.open(window.document.workspace.path) as check:
        from cspdesk.core.plan.model import Action

        stored = check.read(lambda s: s.get(Action, key[1]))
        assert (stored.title, stored.timescale) == (
            "J9 scheme relaunched in Rochford",
            "Q2 – Sept 16 (extended)",
        )
    assert said == []


def test_agreeing_a_rag_shows_it_as_this_quarters_at_once(
    qtbot: Any, window: Any, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    window.select(key)
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    box = window.detail.quarter_box
    assert "Amber" in box.rag_label.text()
    box.agreed.setFocus()
    qtbot.waitUntil(box.agreed.hasFocus)
    red = box.agreed.findData("R")
    # Picked from the open list (an arrow on the closed one only opens it: ui.pick_combo).
    qtbot.keyClick(box.agreed, Qt.Key.Key_Down)
    qtbot.waitUntil(box.agreed.view().isVisible)
    box.agreed.view().setCurrentIndex(box.agreed.model().index(red, 0))
    qtbot.keyClick(box.agreed.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Red" in box.rag_label.text(), timeout=LIVE_MS)
    # Offscreen, the closed list stays the active window: give the window back its keys.
    window.activateWindow()
    qtbot.waitUntil(box.agreed.hasFocus)  # the field kept them: no rebuild took them away
    assert window.detail.quarter_box is box
    assert said == []


def test_the_first_visible_row_stays_put_when_a_colleague_adds_or_deletes_above_it(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    from PySide6.QtCore import QPoint

    document, tree = window.document, window.tree
    objective = next(n for n in document.model.root.walk() if n.title.startswith("To reduce ASB"))
    for number in range(30):  # a plan long enough to scroll
        document.add_item("action", objective.id, None, title=f"Patrol {number}")
    tree.expandAll()
    window.resize(700, 320)
    key = ("action", action_id(window, TITLE))

    def top() -> tuple[str, int]:
        return document.model.node(tree.indexAt(QPoint(1, 1))).key

    def scrolled() -> bool:
        tree.scrollTo(document.model.find(*key), tree.ScrollHint.PositionAtTop)
        return top() == key

    qtbot.waitUntil(scrolled)
    first = document.model.index_by_key[key].parent
    graham.do(f"add {first.id} 0 Street pastors in Rayleigh")
    qtbot.waitUntil(lambda: len(first.children) == 3, timeout=LIVE_MS)
    assert top() == key
    graham.do(f"delete {action_id(window, OTHER)}")
    qtbot.waitUntil(lambda: len(first.children) == 2, timeout=LIVE_MS)
    assert top() == key
    assert said == []


def test_words_refused_for_a_clash_outlive_the_message(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    QApplication.clipboard().clear()
    editor = type_into(qtbot, window, key, "title", " by March")
    graham.do(f"title {key[1]} Graham's title")
    qtbot.waitUntil(lambda: window.document.model.index_by_key[key].title == "Graham's title")
    assert editor.toPlainText() == f"{TITLE} by March"  # held back while typed in

    window.tree.setFocus()  # leaving the field tries to save it: refused
    qtbot.waitUntil(lambda: bool(said), timeout=LIVE_MS)
    assert "Graham Browne changed the action's title at" in said[0]
    assert f"What you typed: {TITLE} by March" in said[0]
    assert "It is on the clipboard: paste it with Ctrl+V." in said[0]
    assert QApplication.clipboard().text() == f"{TITLE} by March"  # after the box is gone
    qtbot.waitUntil(lambda: window.detail.editors["title"].toPlainText() == "Graham's title")


def test_a_whole_plan_change_shows_at_once_around_the_field_being_typed_in(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    timescale = type_into(qtbot, window, key, "timescale", " (extended)")
    resets: list[int] = []
    window.document.model.modelReset.connect(lambda: resets.append(1))

    graham.do(f"import {key[1]} Imported title")  # a write that cannot name its items
    qtbot.waitUntil(
        lambda: window.detail.editors["title"].toPlainText() == "Imported title", timeout=LIVE_MS
    )
    assert window.document.model.index_by_key[key].title == "Imported title"
    assert resets == [1]
    assert timescale.hasFocus() and window.detail.editors["timescale"] is timescale
    assert timescale.text() == "Q2 – Sept 16 (extended)"
    window.tree.setFocus()
    node = window.document.model.index_by_key[key]
    qtbot.waitUntil(lambda: node.timescale.endswith("(extended)"))
    assert said == []


def test_a_colleague_deleting_the_action_whose_cell_you_type_in_says_who(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    from PySide6.QtWidgets import QLineEdit

    key = ("action", action_id(window, TITLE))
    index = window.document.model.find(*key)
    window.tree.setCurrentIndex(index)
    window.tree.edit(index)
    qtbot.waitUntil(lambda: isinstance(window.tree.indexWidget(index), QLineEdit))
    editor = window.tree.indexWidget(index)
    editor.selectAll()
    qtbot.keyClicks(editor, "My cell words")
    graham.do(f"delete {key[1]}")
    qtbot.waitUntil(lambda: window.document.outside.waiting, timeout=LIVE_MS)
    assert window.tree.indexWidget(index) is editor  # waits for the typing to end

    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(said), timeout=LIVE_MS)
    assert said[0].startswith("Graham Browne deleted this action at ")
    assert "What you typed: My cell words" in said[0]
    qtbot.waitUntil(lambda: key not in window.document.model.index_by_key)
    qtbot.wait(100)
    assert len(said) == 1


def test_a_colleague_moving_the_action_you_type_in_keeps_your_typing(
    qtbot: Any, window: Any, graham: Colleague, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    objective = window.document.model.index_by_key[key].parent
    editor = type_into(qtbot, window, key, "outcomes", " this year")
    graham.do(f"move {key[1]} {objective.id} 0")
    qtbot.waitUntil(lambda: objective.children[0].key == key, timeout=LIVE_MS)
    assert editor.hasFocus() and window.detail.editors["outcomes"] is editor
    window.tree.setFocus()
    node = window.document.model.index_by_key[key]
    with Workspace.open(window.document.workspace.path) as check:
        from cspdesk.core.plan.model import Action

        qtbot.waitUntil(
            lambda: (
                check.read(lambda s: s.get(Action, key[1]).outcomes)
                == "Partner agencies trained this year"
            )
        )
    assert node.parent is objective
    assert said == []
