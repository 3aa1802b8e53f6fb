"""The window and the workspace it holds: Backup now on a file or a shared plan, a failed open
that leaves the plan being worked on as it was, and a title that says where the plan is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.core.plan.model import Action
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
    else:  # said with a way to its folder
        notice = window.file_notice
        assert notice.isVisibleTo(window) and notice.text.text().startswith("Backup saved: ")
        assert notice.path is not None and notice.path.is_file()
        assert notice.folder_button.isVisibleTo(window)


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


def test_while_the_server_is_away_the_window_looks_less_often(
    qtbot, window, workspace_path: Location, engine: str, request: pytest.FixtureRequest
) -> None:  # type: ignore[no-untyped-def]
    """Each look at an unreachable server may wait for the connect timeout: the window backs
    off rather than freezing every two seconds, and is back to normal once it answers."""
    if engine == "sqlite":
        pytest.skip("a server that goes away: shared plans only")
    from cspdesk.ui.window_live import UNREACHABLE_POLL_LONGEST_MS

    server = request.getfixturevalue("pg_server")
    name = workspace_path.database
    timer = window.outside.timer
    server.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    server.execute(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    )
    qtbot.waitUntil(lambda: not window.live.listening)
    base = timer.interval()
    assert not window.reload_if_changed_elsewhere()
    assert timer.interval() == 2 * base
    for _ in range(10):
        window.reload_if_changed_elsewhere()
    assert timer.interval() == UNREACHABLE_POLL_LONGEST_MS

    server.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert not window.reload_if_changed_elsewhere()  # nothing changed meanwhile
    assert timer.interval() == window.outside.poll_interval() <= base
    node = window.document.model.node(first_action_index(window))
    assert window.document.edit_field("action", node.id, "title", "Back on the network")
