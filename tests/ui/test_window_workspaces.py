"""The window and the workspace it holds: Backup now on a file or a shared plan, a failed open
that leaves the plan being worked on as it was, and a title that says where the plan is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.core.model import Action
from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.db import Workspace
from tests.ui.test_main_window import first_action_index

pytestmark = pytest.mark.both_engines


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window would show in a message box (no modal box in a test)."""
    from cspdesk.ui import main_window, opening

    shown: list[str] = []
    for module in (main_window, opening):
        for kind in ("warning", "critical"):
            monkeypatch.setattr(module.QMessageBox, kind, lambda *a: shown.append(a[2]))
    return shown


def action_count(location: Location) -> int:
    with Workspace.open(location, read_only=True) as workspace:
        return workspace.read(lambda s: s.execute(select(func.count(Action.id))).scalar_one())


def test_backup_now_keeps_a_copy_on_this_computer(
    qtbot, window, workspace_path: Location, messages: list[str]
) -> None:  # type: ignore[no-untyped-def]
    window.backup_now()
    assert messages == []
    shown = window.statusBar().currentMessage()
    if isinstance(workspace_path, ServerAddress):
        assert shown.startswith("A copy of the shared plan saved: ")
        assert "administrator's" in shown
        copy = Path(shown.removeprefix("A copy of the shared plan saved: ").split(" (")[0])
        assert copy.is_file() and copy.suffix == ".cspdesk"
        assert action_count(copy) == action_count(workspace_path) == 3
    else:
        assert shown.startswith("Backup saved: ")


def test_a_failed_open_leaves_the_plan_open_and_saving(
    qtbot, window, tmp_path: Path, messages: list[str]
) -> None:  # type: ignore[no-untyped-def]
    not_a_plan = tmp_path / "notes.cspdesk"
    not_a_plan.write_text("minutes of the last meeting", encoding="utf-8")
    assert not window.open_path(not_a_plan)
    assert len(messages) == 1 and "not a cspdesk workspace" in messages[0]
    document = window.document
    assert not document.workspace.closed
    node = document.model.node(first_action_index(window))
    assert document.edit_field("action", node.id, "title", "Still saving")
    assert messages == [messages[0]]


def test_the_title_says_where_the_plan_is(window, workspace_path: Location) -> None:  # type: ignore[no-untyped-def]
    title = window.windowTitle()
    if isinstance(workspace_path, ServerAddress):
        assert title.startswith(f"{workspace_path.database} on {workspace_path.host} – ")
    else:
        assert title.startswith("plan.cspdesk – ")
