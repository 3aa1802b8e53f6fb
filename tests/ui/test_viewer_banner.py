"""A viewer (a councillor, a manager) opening the shared plan in the window: read-only, with a
banner saying whom to ask for editing rights. Roles as the README sets them up
(tests/store/test_roles.py); skipped, saying why, without a test server."""

from __future__ import annotations

from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.opening import open_interactively
from tests.store.test_roles import Roles, roles

__all__ = ["roles"]  # the fixture, found here by pytest


def test_a_viewer_sees_the_plan_read_only_with_whom_to_ask(qtbot, roles: Roles) -> None:  # type: ignore[no-untyped-def]
    opened = open_interactively(None, roles.address("councillor"))
    assert opened is not None and opened.read_only
    window = MainWindow(opened.workspace, read_only_reason=opened.read_only_reason)
    qtbot.addWidget(window)
    window.show()
    shown = window.banner.text()
    assert window.banner.isVisible()
    assert f"You can read this plan; ask {roles.names['csp_owner']} (the plan's owner)" in shown
    assert f"to give {roles.names['councillor']} editing rights" in shown
    assert "[read-only]" in window.windowTitle()
    # F2 opens no editor only to refuse the save: the status bar says why, in the same words.
    window.tree.expandAll()
    action = next(n for n in window.document.model.root.walk() if n.kind == "action")
    window.select(action.key)
    window.editing.rename_action.trigger()
    assert window.tree.state() != window.tree.State.EditingState
    said = window.statusBar().currentMessage()
    assert said.startswith("You can read this plan; ask ")
    assert said.endswith("Changes cannot be saved.")
    window.close()
    opened.workspace.close()
