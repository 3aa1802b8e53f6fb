"""The user's own name signs what they change, and a colleague's name is what they read."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from cspdesk import identity
from cspdesk.core import ops
from cspdesk.core.model import Action
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
