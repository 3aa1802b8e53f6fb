"""The live view of a shared plan: a colleague's commit shows in the window within two seconds,
item by item, and the status bar says who else has the plan open. PostgreSQL only (a file has
no notices: its window polls, tests/ui/test_outside_change.py)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.exceptions import TimeoutError as WaitTimeout
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Objective
from cspdesk.store import live
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from tests.ui.live_helpers import LIVE_MS, Colleague, open_window

TITLE = "Re-introduce the J9 scheme in both districts"


@pytest.fixture
def engine() -> str:
    return "postgresql"  # notices are a server's; skipped, saying why, without one


@pytest.fixture
def colleagues() -> Iterator[list[Colleague]]:
    started: list[Colleague] = []
    yield started
    for colleague in started:
        colleague.close()


@pytest.fixture
def window(qtbot: Any, workspace_path: ServerAddress) -> Any:
    return open_window(qtbot, workspace_path)


def action_id(window: Any, title: str = TITLE) -> int:
    return window.document.workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.title == title)).scalar_one()
    )


def shown(window: Any, key: tuple[str, int], column: int) -> str:
    """The cell's text as the tree shows it."""
    model = window.document.model
    return str(model.find(*key).siblingAtColumn(column).data(Qt.ItemDataRole.DisplayRole))


def presence(window: Any) -> str:
    label = window.presence_label
    return label.text() if label.isVisible() else ""


def count_resets(window: Any) -> list[int]:
    resets: list[int] = []
    window.document.model.modelReset.connect(lambda: resets.append(1))
    return resets


def test_a_colleagues_edit_shows_within_two_seconds_without_a_reload(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    from cspdesk.ui.plan_model import Column

    key = ("action", action_id(window))
    assert shown(window, key, Column.RAG).startswith("Amber")
    resets = count_resets(window)
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    qtbot.waitUntil(lambda: presence(window) == "Also open: Graham Browne", timeout=5000)

    graham.do(f"title {key[1]} J9 scheme relaunched")
    graham.do(f"rag {key[1]} R")
    qtbot.waitUntil(
        lambda: (
            shown(window, key, Column.TITLE) == "J9 scheme relaunched"
            and shown(window, key, Column.RAG).startswith("Red")
        ),
        timeout=LIVE_MS,
    )
    assert resets == []  # item by item, not a reload of the tree
    assert "Graham Browne changed 1 item" in window.statusBar().currentMessage()
    # The slow poll that stays as a fallback must not reload the tree again for it.
    assert not window.reload_if_changed_elsewhere()
    assert resets == []

    graham.close()
    qtbot.waitUntil(lambda: presence(window) == "", timeout=5000)


def test_the_status_bar_names_everyone_else_who_has_the_plan_open(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    assert presence(window) == ""  # alone: nothing said
    colleagues.append(Colleague(workspace_path, "Graham Browne"))
    qtbot.waitUntil(lambda: presence(window) == "Also open: Graham Browne", timeout=5000)
    colleagues.append(Colleague(workspace_path, "Siân Ørsted"))  # not just ASCII names
    qtbot.waitUntil(
        lambda: presence(window) == "Also open: Graham Browne, Siân Ørsted", timeout=5000
    )
    colleagues[0].close()
    qtbot.waitUntil(lambda: presence(window) == "Also open: Siân Ørsted", timeout=5000)


def test_a_colleagues_new_action_appears_in_place(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    model = window.document.model
    objective_id = window.document.workspace.read(
        lambda s: s.execute(
            select(Objective.id).where(Objective.title == "To raise awareness of Domestic abuse")
        ).scalar_one()
    )
    objective = model.index_by_key[("objective", objective_id)]
    before = [child.title for child in objective.children]
    assert len(before) == 2
    resets = count_resets(window)
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    graham.do(f"add {objective_id} 1 Street pastors in Rayleigh")
    qtbot.waitUntil(lambda: len(objective.children) == 3, timeout=LIVE_MS)
    assert [child.title for child in objective.children] == [
        before[0],
        "Street pastors in Rayleigh",
        before[1],
    ]
    index = model.find(*objective.children[1].key)
    assert index.row() == 1 and index.data() == "Street pastors in Rayleigh"
    assert resets == []


def test_a_colleagues_move_and_delete_show_in_place(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    model = window.document.model
    objective = next(n for n in model.root.walk() if n.title.startswith("To raise awareness"))
    first, second = (child.id for child in objective.children)
    milestones = [child.key for child in objective.children[0].children]
    assert milestones
    resets = count_resets(window)
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    graham.do(f"move {second} {objective.id} 0")
    qtbot.waitUntil(lambda: [c.id for c in objective.children] == [second, first], timeout=LIVE_MS)
    assert model.find("action", second).row() == 0
    graham.do(f"delete {first}")
    qtbot.waitUntil(lambda: [c.id for c in objective.children] == [second], timeout=LIVE_MS)
    assert ("action", first) not in model.index_by_key
    assert not any(key in model.index_by_key for key in milestones)  # they went with it
    assert resets == []


def test_a_change_the_notice_cannot_name_reloads_the_tree_keeping_the_place(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    key = ("action", action_id(window))
    window.select(key)
    window.tree.collapse(window.document.model.find("action", 1))
    assert window.document.edit_field("action", key[1], "outcomes", "Mine")
    resets = count_resets(window)
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    graham.do(f"import {key[1]} Imported title")  # an import: "everything" may have changed
    qtbot.waitUntil(lambda: window.document.model.index_by_key[key].title == "Imported title")
    assert resets == [1]  # one reload, and not a second one from the poll
    assert not window.reload_if_changed_elsewhere()
    assert window.current_key() == key  # the place is kept
    assert not window.tree.isExpanded(window.document.model.find("action", 1))
    assert window.tree.isExpanded(window.document.model.find(*key).parent())
    assert window.document.undo_stack.count() == 0  # as after any whole reload
    assert "Graham Browne changed the plan: reloaded" in window.statusBar().currentMessage()


def test_undo_after_a_colleagues_live_change_does_not_overwrite_it(
    qtbot: Any,
    window: Any,
    workspace_path: ServerAddress,
    colleagues: list[Colleague],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cspdesk.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *args: shown.append(args[2]))
    key = ("action", action_id(window))
    node = window.document.model.index_by_key[key]
    assert window.document.edit_field(*key, "title", "Emma's title")
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    graham.do(f"title {key[1]} Graham's title")
    qtbot.waitUntil(lambda: node.title == "Graham's title", timeout=LIVE_MS)
    assert window.document.undo_stack.count() == 1  # the notice named the item: undo stays

    window.undo_action.trigger()
    assert len(shown) == 1
    assert "Graham Browne changed the action's title at" in shown[0]
    assert window.document.model.index_by_key[key].title == "Graham's title"
    with Workspace.open(workspace_path) as check:
        assert check.read(lambda s: s.get(Action, key[1]).title) == "Graham's title"


def test_the_windows_own_edits_are_not_refreshed_again(
    qtbot: Any, window: Any, workspace_path: ServerAddress
) -> None:
    heard: list[object] = []
    assert window.live is not None and window.live.listening
    window.live.notice.connect(heard.append)
    resets = count_resets(window)
    spy = live.Listener(Workspace.open(workspace_path))  # a bystander hears every notice
    try:
        assert window.document.edit_field("action", action_id(window), "title", "Edited here")
        qtbot.waitUntil(lambda: bool(spy.notices()), timeout=LIVE_MS)  # the notice went out
        qtbot.wait(500)
    finally:
        spy.close()
    assert heard == []  # ...but the window that sent it skipped it
    assert resets == []
    assert window.document.undo_stack.count() == 1
    assert not window.reload_if_changed_elsewhere()


def test_without_notices_the_window_would_not_see_the_edit_in_time(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    """The control run: with the NOTIFY switched off the first test's check fails; only the
    slow fallback poll (which reloads the whole tree) would show the edit."""
    from cspdesk.ui.plan_model import Column

    key = ("action", action_id(window))
    graham = Colleague(workspace_path, "Graham Browne", "--no-notices")
    colleagues.append(graham)
    graham.do(f"title {key[1]} J9 scheme relaunched")
    with pytest.raises(WaitTimeout):
        qtbot.waitUntil(
            lambda: shown(window, key, Column.TITLE) == "J9 scheme relaunched", timeout=LIVE_MS
        )
    resets = count_resets(window)
    assert window.reload_if_changed_elsewhere()  # the fallback: a whole reload
    assert shown(window, key, Column.TITLE) == "J9 scheme relaunched"
    assert resets == [1]


def test_a_dropped_connection_reconnects_quietly_and_polls_meanwhile(
    qtbot: Any, window: Any, workspace_path: ServerAddress, pg_server: Any, colleagues: list
) -> None:
    from cspdesk.ui import window_live
    from cspdesk.ui.plan_model import Column

    view = window.live
    assert window.outside.timer.interval() == window_live.LIVE_FALLBACK_POLL_MS
    pid = view.listener._conn.info.backend_pid
    pg_server.execute(f"SELECT pg_terminate_backend({pid})")
    qtbot.waitUntil(lambda: not view.listening, timeout=3000)
    assert window.outside.timer.interval() == window_live.OUTSIDE_CHANGE_POLL_MS
    qtbot.waitUntil(lambda: view.listening, timeout=10000)
    assert view.listener._conn.info.backend_pid != pid
    assert window.outside.timer.interval() == window_live.LIVE_FALLBACK_POLL_MS

    key = ("action", action_id(window))
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    graham.do(f"title {key[1]} Heard after reconnecting")
    qtbot.waitUntil(
        lambda: shown(window, key, Column.TITLE) == "Heard after reconnecting", timeout=LIVE_MS
    )


def test_the_server_drops_a_vanished_windows_session_within_a_minute(window: Any) -> None:
    """So "Also open" does not name a laptop gone from the network for the system's 2 hours."""
    conn = window.live.listener._conn
    shown = {
        name: conn.execute(f"SHOW {name}").fetchone()[0]
        for name in ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")
    }
    assert shown == {
        "tcp_keepalives_idle": "30",
        "tcp_keepalives_interval": "10",
        "tcp_keepalives_count": "3",
    }


@pytest.fixture
def two_roles(workspace_path: ServerAddress, pg_server: Any) -> Iterator[tuple[str, str]]:
    """Two login roles (two officers' own accounts) with the rights an officer's IT grants."""
    roles = (f"cspdesk_emma_{os.getpid()}", f"cspdesk_graham_{os.getpid()}")
    from sqlalchemy import create_engine, text

    admin = create_engine(workspace_path.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in roles:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
            conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"'))
            conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    yield roles
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(:roles)"
            ),
            {"roles": list(roles)},
        )
        for role in roles:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def test_two_officers_signing_in_as_different_roles_see_each_other(
    qtbot: Any,
    workspace_path: ServerAddress,
    two_roles: tuple[str, str],
    colleagues: list[Colleague],
) -> None:
    from cspdesk.ui.plan_model import Column

    emma_role, graham_role = two_roles
    window = open_window(qtbot, dataclasses.replace(workspace_path, user=emma_role))
    try:
        graham = Colleague(dataclasses.replace(workspace_path, user=graham_role), "Graham Browne")
        colleagues.append(graham)
        qtbot.waitUntil(lambda: presence(window) == "Also open: Graham Browne", timeout=5000)
        key = ("action", action_id(window))
        graham.do(f"title {key[1]} Edited under another role")
        qtbot.waitUntil(
            lambda: shown(window, key, Column.TITLE) == "Edited under another role",
            timeout=LIVE_MS,
        )
        graham.close()
        qtbot.waitUntil(lambda: presence(window) == "", timeout=5000)
    finally:
        window.close()


def test_notice_payloads_name_the_items_or_say_everything() -> None:
    """The keys a notice carries, derived from the Change a write returned."""
    edited = ops.FieldEdited("action", 7, "title", "Old", "New")
    unchanged = ops.FieldEdited("action", 7, "title", "Same", "Same")
    quarter = ops.FieldEdited("plan", 1, "current_quarter", 1, 2)
    assert live.changed_keys(edited) == [("action", 7)]
    assert live.changed_keys(unchanged) == []  # nothing to tell
    assert live.changed_keys(quarter) is None  # every milestone is judged afresh
    both = ops.ChangeSet((edited, ops.LeadsSet(9, (), ((1, None),))), "Change leads")
    assert live.changed_keys(both) == [("action", 7), ("action", 9)]
    assert live.changed_keys(None) is None  # an import, a merge: not a Change
    big = live.Notice("Emma Clark", "x", tuple(("action", n) for n in range(2000)))
    payload = live.encode_notice(big)
    assert len(payload.encode()) < 8000
    assert live.decode_notice(payload).everything
    assert live.decode_notice("not json").everything
    assert live.decode_notice(live.encode_notice(live.Notice("Emma", "x", (("action", 7),)))) == (
        live.Notice("Emma", "x", (("action", 7),))
    )


def test_nothing_is_sent_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite windows poll: a write to a file sends no NOTIFY (and needs no server)."""
    sent: list[str] = []
    monkeypatch.setattr(live.server, "send_notice", lambda conn, payload: sent.append(payload))
    with Workspace.create(tmp_path / "plan.cspdesk", "Test Vale CSP") as workspace:
        workspace.write(ops.edit_field, "partnership", 1, "name", "Renamed CSP")
    assert sent == []


def test_measure_time_from_commit_to_tree(
    qtbot: Any, window: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    """Median time from a colleague's commit to the tree showing it (printed; kept loose)."""
    import statistics

    from cspdesk.ui.plan_model import Column

    key = ("action", action_id(window))
    graham = Colleague(workspace_path, "Graham Browne")
    colleagues.append(graham)
    shown_at: list[float] = []
    window.document.model.dataChanged.connect(lambda *_: shown_at.append(time.time()))
    delays = []
    for n in range(20):
        title = f"Edit number {n}"
        shown_at.clear()
        committed = graham.do(f"title {key[1]} {title}")
        qtbot.waitUntil(lambda t=title: shown(window, key, Column.TITLE) == t, timeout=LIVE_MS)
        delays.append(shown_at[0] - committed)
    median = statistics.median(delays) * 1000
    print(f"\ncommit to tree: median {median:.1f} ms, max {max(delays) * 1000:.1f} ms (20 edits)")
    assert median < LIVE_MS


def test_a_window_opened_after_a_colleague_names_them_at_once(
    qtbot: Any, workspace_path: ServerAddress, colleagues: list[Colleague]
) -> None:
    colleagues.append(Colleague(workspace_path, "Graham Browne"))
    window = open_window(qtbot, workspace_path)
    assert presence(window) == "Also open: Graham Browne"  # as soon as it listens


def test_while_the_server_refuses_the_listener_the_window_polls_and_says_nothing(
    qtbot: Any,
    workspace_path: ServerAddress,
    two_roles: tuple[str, str],
    pg_server: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cspdesk.ui import live as live_view
    from cspdesk.ui import main_window, window_live

    said: list[str] = []
    for box in ("warning", "critical"):
        monkeypatch.setattr(main_window.QMessageBox, box, lambda *args: said.append(args[2]))
    window = open_window(qtbot, dataclasses.replace(workspace_path, user=two_roles[0]))
    view = window.live
    database = f'"{workspace_path.database}"'
    pg_server.execute(f'REVOKE CONNECT ON DATABASE {database} FROM PUBLIC, "{two_roles[0]}"')
    try:
        pg_server.execute(  # every connection of hers: the listener's and the pool's
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE usename = '{two_roles[0]}'"
        )
        qtbot.waitUntil(lambda: not view.listening, timeout=3000)
        assert window.outside.timer.interval() == window_live.OUTSIDE_CHANGE_POLL_MS
        qtbot.waitUntil(lambda: view._retry_ms > 2 * live_view.RECONNECT_MS, timeout=8000)
        assert not view.listening  # refused, and tried again less often
    finally:
        pg_server.execute(f"GRANT CONNECT ON DATABASE {database} TO PUBLIC")
    qtbot.waitUntil(lambda: view.listening, timeout=15000)
    assert window.outside.timer.interval() == window_live.LIVE_FALLBACK_POLL_MS
    assert said == []
    window.close()


def test_a_command_line_change_shows_in_the_window(
    qtbot: Any, window: Any, workspace_path: ServerAddress
) -> None:
    """A command (closing a quarter) cannot name the items it changed: one reload, at once."""
    resets = count_resets(window)
    command = ["close-quarter", "--db", str(workspace_path), "--quarter", "Q1"]
    closed = subprocess.run(
        [sys.executable, "-m", "cspdesk", *command, "--who", "Graham Browne"],
        capture_output=True,
        text=True,
        env={**os.environ, "CSPDESK_USER": "Graham Browne"},
    )
    assert closed.returncode == 0, closed.stderr
    qtbot.waitUntil(lambda: resets == [1], timeout=LIVE_MS)
    assert "Graham Browne changed the plan: reloaded" in window.statusBar().currentMessage()
