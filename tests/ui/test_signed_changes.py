"""The user's own name signs what they change, and a colleague's name is what they read."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from cspdesk import identity
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog
from tests.ui.test_main_window import first_action_index, history_rows

pytestmark = pytest.mark.both_engines


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The warnings the window shows, instead of a modal box nobody can close."""
    from cspdesk.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


def test_the_name_given_in_settings_signs_the_users_changes(
    qtbot, window, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(identity.USER_VARIABLE)
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "You"
    dialog.user_name.setText("Emma Clark")
    dialog.user_name.editingFinished.emit()
    dialog.close()

    action = first_action_index(window)
    node = window.document.model.node(action)
    assert window.document.edit_field("action", node.id, "timescale", "Q1-4 (extended)")
    window.tree.setCurrentIndex(action)
    assert ("Emma Clark", "Q1-4 (extended)") in history_rows(qtbot, window)

    # An update typed in the detail pane says who typed it.
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    box = window.detail.quarter_box
    key, (text, _rag, _slot) = next(iter(box.parts.items()))
    text.setPlainText("Typed in the window.")
    box._commit_part(key)
    qtbot.waitUntil(
        lambda: (
            window.detail.quarter_box is not None
            and any(
                label.text().startswith("Typed by Emma Clark, ")
                for label in window.detail.quarter_box.findChildren(QLabel)
            )
        )
    )
    # The name is kept for the next start, on this computer.
    assert identity.user_name() == "Emma Clark"
    assert messages == []


def test_a_colleagues_name_is_in_the_message_when_an_edit_is_refused(
    window, workspace_path: Location, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shown = messages
    document = window.document
    action_id = document.workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    seen = document.model.node(first_action_index(window)).title
    monkeypatch.setenv(identity.USER_VARIABLE, "Graham Browne")  # the colleague's own program
    with Workspace.open(workspace_path) as colleague:
        colleague.write(ops.edit_field, "action", action_id, "title", "Graham's title")
    # The window still shows the old title; saving over it is refused, naming Graham.
    document.apply(ops.edit_field, "action", action_id, "title", "Mine", expected=seen)
    assert len(shown) == 1
    assert shown[0].startswith("Graham Browne changed the action's title at ")


def test_the_quarter_box_never_saves_over_a_colleagues_words(
    qtbot, window, workspace_path: Location, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.core.quarter import contributions as contrib

    index = first_action_index(window)
    action_id = window.document.model.node(index).id
    window.tree.setCurrentIndex(index)
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    box = window.detail.quarter_box
    lead_key, (part_editor, _rag, slot) = next(iter(box.parts.items()))
    key = (action_id, 1, lead_key)
    monkeypatch.setenv(identity.USER_VARIABLE, "Graham Browne")  # the colleague's own program
    with Workspace.open(workspace_path) as colleague:
        colleague.write(ops.set_update, action_id, 1, ops.UpdateValue("Graham's summary", "G"))
        theirs = contrib.ContributionValue("Graham's words for the lead", "A", slot.name)
        colleague.write(contrib.write_contributions, {key: theirs})

    # The box still shows what it loaded; the user's words meet the colleague's and lose
    # nothing of theirs: each save is refused with the colleague's name.
    box.summary.setPlainText("My summary")
    box._commit_summary()
    assert messages[-1].startswith("Graham Browne changed the action's Q1 summary at ")
    part_editor.setPlainText("My words for the lead")
    box._commit_part(lead_key)
    assert messages[-1].startswith(f"Graham Browne changed {slot.name}' Q1 part at ")
    with Workspace.open(workspace_path) as check:
        summary = check.read(ops.get_update, action_id, 1)
        parts = dict(check.read(contrib.contributions_of, action_id, 1))
    assert summary is not None and summary.text == "Graham's summary"
    assert parts[key].text == "Graham's words for the lead"
    assert parts[key].source == "Graham Browne"


def test_undo_of_an_add_keeps_the_item_a_colleague_has_worked_on(
    window, workspace_path: Location, messages: list[str]
) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.core.plan.model import Objective

    document = window.document
    objective_id = document.workspace.read(
        lambda s: s.execute(select(Objective.id)).scalars().first()
    )
    added = document.add_item("action", objective_id, title="A new action")
    assert added is not None
    with Workspace.open(workspace_path) as colleague:
        colleague.write(ops.edit_field, "action", added[1], "title", "Graham's", "Graham Browne")
    window.undo_action.trigger()
    assert len(messages) == 1
    assert messages[0].startswith("Graham Browne changed the new action at ")
    with Workspace.open(workspace_path) as check:
        title = check.read(lambda s: s.get(Action, added[1]).title)
    assert title == "Graham's"
