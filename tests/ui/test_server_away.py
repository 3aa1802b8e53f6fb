"""A shared plan's server going away under an open window (a loopback proxy cut and restored,
so the shared test server keeps running): the status bar says so plainly, what is typed
meanwhile is kept and never shown as saved, and "Save now" saves it once the server answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from cspdesk.core.plan.model import Action
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.ui.live_status import AWAY
from tests.ui.live_helpers import Colleague, Proxy, action_id, open_window

TITLE = "Re-introduce the J9 scheme in both districts"
OTHER = "Actively promote Essex wide campaigns"
UNPLAIN = ("psycopg", "sqlalche.me", "Traceback", "OperationalError", "Error:")


@pytest.fixture
def engine() -> str:
    return "postgresql"  # a server that goes away: shared plans only


@pytest.fixture
def proxy(workspace_path: ServerAddress) -> Iterator[Proxy]:
    relay = Proxy(workspace_path)
    yield relay
    relay.close()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from cspdesk.ui import error_report, main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(
        error_report.QMessageBox, "critical", lambda *a: shown.append("UNEXPECTED " + a[2])
    )
    return shown


@pytest.fixture
def window(qtbot: Any, workspace_path: ServerAddress, proxy: Proxy) -> Any:
    window = open_window(qtbot, proxy.address(workspace_path))
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def stored_title(address: ServerAddress, item_id: int) -> str:
    with Workspace.open(address) as check:
        return check.read(lambda s: s.get(Action, item_id).title)


def status(window: Any) -> Any:
    assert window.live_status is not None
    return window.live_status


def test_typing_while_the_server_is_away_is_kept_and_saved_when_it_answers(
    qtbot: Any, window: Any, workspace_path: ServerAddress, proxy: Proxy, said: list[str]
) -> None:
    graham = Colleague(workspace_path, "Graham Browne")
    try:
        qtbot.waitUntil(lambda: window.presence_label.text() == "Also open: Graham Browne")
        key = ("action", action_id(window, TITLE))
        other = ("action", action_id(window, OTHER))
        window.select(key)
        qtbot.waitUntil(lambda: window.detail.key == key)
        editor = window.detail.editors["title"]
        editor.setFocus()
        qtbot.waitUntil(editor.hasFocus)
        qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(editor, " by March")

        proxy.cut()
        bar = status(window)
        qtbot.waitUntil(lambda: bar.label.isVisible() and bar.label.text() == AWAY, timeout=5000)
        assert not window.presence_label.isVisible()  # not "my colleague left": the server
        assert editor.toPlainText() == f"{TITLE} by March"  # the typing is left alone

        window.tree.setFocus()  # leaving the field tries to save it
        qtbot.waitUntil(lambda: bool(said), timeout=5000)
        assert len(said) == 1, said
        assert said[0].split("\n")[0] in {
            "Not saved: the connection to the server was lost.",  # the pooled one, cut
            "Not saved: cannot reach the server (is it running, and is the address right?).",
        }
        assert f"What you typed is kept: {TITLE} by March" in said[0]
        assert "Save now" in said[0]
        assert not any(word in said[0] for word in UNPLAIN), said[0]
        model = window.document.model
        assert model.index_by_key[key].title == TITLE  # never shown as saved
        assert bar.unsaved_label.text() == "1 change not saved"
        assert bar.save_now.isVisible() and not bar.save_now.isEnabled()
        window.save_requested()  # Ctrl+S from habit: the change waits, and it says so
        assert (
            window.statusBar()
            .currentMessage()
            .startswith("The server is not answering: 1 change waits to be saved")
        )
        assert len(window.document.unsaved) == 1

        # Moving on and typing elsewhere while it is away: no error, nothing thrown away.
        window.select(other)
        qtbot.wait(300)
        assert window.current_key() == other
        assert len(said) == 1  # said once, not at every step
        assert len(window.document.unsaved) == 1

        proxy.restore()
        qtbot.waitUntil(lambda: not bar.label.isVisible(), timeout=15000)
        message = window.statusBar().currentMessage()
        assert message.startswith("The server is answering again"), message
        assert "1 change typed meanwhile is not saved yet" in message
        qtbot.waitUntil(
            lambda: window.presence_label.text() == "Also open: Graham Browne", timeout=5000
        )
        assert bar.save_now.isEnabled()
        assert stored_title(workspace_path, key[1]) == TITLE
        # The pane, which could not show the item while the server was away, shows it now.
        qtbot.waitUntil(lambda: window.detail.editors.get("title") is not None)
        assert window.detail.editors["title"].toPlainText() == OTHER

        qtbot.mouseClick(bar.save_now, Qt.MouseButton.LeftButton)
        assert window.statusBar().currentMessage() == "Saved 1 change."
        assert stored_title(workspace_path, key[1]) == f"{TITLE} by March"
        assert model.index_by_key[key].title == f"{TITLE} by March"
        assert len(window.document.unsaved) == 0
        qtbot.waitUntil(lambda: not bar.isVisible())
        assert len(said) == 1
    finally:
        graham.close()


def test_a_kept_edit_a_colleague_overtook_is_refused_with_the_words_given_back(
    qtbot: Any, window: Any, workspace_path: ServerAddress, proxy: Proxy, said: list[str]
) -> None:
    from cspdesk.ui.plan_model import Column

    key = ("action", action_id(window, TITLE))
    index = window.document.model.find(*key).siblingAtColumn(Column.TITLE)
    proxy.cut()
    assert not window.document.model.setData(index, "Mine, typed offline")
    assert len(said) == 1 and "What you typed is kept: Mine, typed offline" in said[0]
    with Workspace.open(workspace_path) as other:  # a colleague saves the title meanwhile
        from cspdesk.core.plan import ops

        other.write(ops.edit_field, "action", key[1], "title", "Graham's title", "Graham Browne")
    proxy.restore()
    bar = status(window)
    qtbot.waitUntil(bar.save_now.isEnabled, timeout=15000)
    qtbot.mouseClick(bar.save_now, Qt.MouseButton.LeftButton)
    assert "Saved" not in window.statusBar().currentMessage()  # refused: not said to be saved
    assert len(said) == 2
    assert "Graham Browne changed the action's title at" in said[1]
    assert "What you typed: Mine, typed offline" in said[1]
    assert stored_title(workspace_path, key[1]) == "Graham's title"
    assert len(window.document.unsaved) == 0


def test_closing_with_changes_the_server_did_not_take_asks_first(
    qtbot: Any, window: Any, proxy: Proxy, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    from cspdesk.ui.live_status import LiveStatus
    from cspdesk.ui.plan_model import Column

    key = ("action", action_id(window, TITLE))
    index = window.document.model.find(*key).siblingAtColumn(Column.TITLE)
    proxy.cut()
    assert not window.document.model.setData(index, "Typed offline")
    monkeypatch.setattr(LiveStatus, "_ask", lambda self: "cancel")
    assert not window.close()
    assert window.isVisible() and len(window.document.unsaved) == 1
    monkeypatch.setattr(LiveStatus, "_ask", lambda self: "discard")
    assert window.close()
    assert QApplication.clipboard().text() == "Typed offline"


def test_closing_while_typing_with_the_server_away_asks_too(
    qtbot: Any, window: Any, proxy: Proxy, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspdesk.ui.live_status import LiveStatus

    asked: list[int] = []
    monkeypatch.setattr(LiveStatus, "_ask", lambda self: asked.append(1) or "cancel")
    key = ("action", action_id(window, TITLE))
    window.select(key)
    qtbot.waitUntil(lambda: window.detail.key == key)
    editor = window.detail.editors["outcomes"]
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "Typed as the server went ")
    proxy.cut()
    assert not window.close()
    assert asked == [1]
    assert [edit.text for edit in window.document.unsaved.edits] == [
        "Typed as the server went Partner agencies trained"
    ]
    monkeypatch.setattr(LiveStatus, "_ask", lambda self: "discard")
    assert window.close()


def test_undo_or_delete_while_the_server_is_away_says_so_each_time_and_keeps_the_history(
    qtbot: Any, window: Any, workspace_path: ServerAddress, proxy: Proxy, said: list[str]
) -> None:
    document = window.document
    key = ("action", action_id(window, TITLE))
    assert document.edit_field(*key, "outcomes", "Before the server went")
    proxy.cut()
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: len(said) == 1)
    assert said[0] == (
        "The connection to the server was lost; nothing was changed. Try again once the "
        "server answers."
    ) or said[0].startswith("Cannot reach the server"), said[0]
    assert not any(word in said[0] for word in UNPLAIN)
    qtbot.wait(100)
    assert document.undo_stack.count() == 1 and document.undo_stack.index() == 1
    window.select(key)
    window.statusBar().clearMessage()
    window.delete_selected()
    assert len(said) == 2  # a delete not done says so too, every time
    assert key in document.model.index_by_key
    assert "Deleted" not in window.statusBar().currentMessage()

    proxy.restore()
    qtbot.waitUntil(lambda: not window.live_status.away, timeout=15000)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: document.undo_stack.index() == 0)
    with Workspace.open(workspace_path) as check:
        assert check.read(lambda s: s.get(Action, key[1]).outcomes) == "Partner agencies trained"


def test_the_words_for_a_save_the_server_did_not_take() -> None:
    """Each true for its case: not saved, or (the connection lost as it was committed) maybe."""
    from cspdesk.ui.unsaved import HeldEdit, not_saved_message

    held = HeldEdit(("action", 1, "title"), "the action's title", "J9 relaunched", lambda: True)
    lost = "the connection to the server was lost"
    assert not_saved_message(lost, held, "could not save (…); nothing was changed").startswith(
        "Not saved: the connection to the server was lost.\n\nWhat you typed is kept: J9"
    )
    maybe = "x: the connection was lost while …, so it may or may not have been saved; open …"
    assert "it may or may not have been saved" in not_saved_message(lost, held, maybe)
    assert "nothing was changed" not in not_saved_message(lost, None, maybe)
    assert not_saved_message(lost, None, "could not save").startswith(
        "The connection to the server was lost; nothing was changed."
    )


def test_what_a_colleague_saved_while_the_server_was_out_of_reach_shows_once_it_answers(
    qtbot: Any, window: Any, workspace_path: ServerAddress, proxy: Proxy, said: list[str]
) -> None:
    key = ("action", action_id(window, TITLE))
    graham = Colleague(workspace_path, "Graham Browne")  # on the server side of the cut
    try:
        proxy.cut()
        qtbot.waitUntil(lambda: status(window).away, timeout=5000)
        graham.do(f"title {key[1]} Saved while Emma was cut off")
        qtbot.wait(500)
        assert window.document.model.index_by_key[key].title == TITLE  # she cannot know yet
        proxy.restore()
        qtbot.waitUntil(
            lambda: window.document.model.index_by_key[key].title == "Saved while Emma was cut off",
            timeout=15000,
        )
        qtbot.waitUntil(
            lambda: window.presence_label.text() == "Also open: Graham Browne", timeout=15000
        )
        assert not status(window).isVisible()
        assert said == []
    finally:
        graham.close()


def test_a_summary_typed_while_the_server_is_away_is_kept_and_saved_later(
    qtbot: Any, window: Any, workspace_path: ServerAddress, proxy: Proxy, said: list[str]
) -> None:
    from cspdesk.core.plan import ops

    key = ("action", action_id(window, TITLE))
    window.select(key)
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    summary = window.detail.quarter_box.summary
    summary.setFocus()
    qtbot.waitUntil(summary.hasFocus)
    summary.selectAll()
    qtbot.keyClicks(summary, "Training booked for all partners")
    proxy.cut()
    window.tree.setFocus()
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "What you typed is kept: Training booked for all partners" in said[0]
    assert not any(word in said[0] for word in UNPLAIN)
    proxy.restore()
    bar = status(window)
    qtbot.waitUntil(bar.save_now.isEnabled, timeout=15000)
    qtbot.mouseClick(bar.save_now, Qt.MouseButton.LeftButton)
    with Workspace.open(workspace_path) as check:
        saved = check.read(ops.get_update, key[1], 1)
    assert saved is not None and saved.text == "Training booked for all partners"
    assert len(said) == 1
