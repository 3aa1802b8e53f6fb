"""A shared plan's connection cut by the server while the officer's edit is being saved: the
window says it was not saved, the tree keeps the saved title, and the next edit works."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, event, select, text

from cspdesk.core.plan.model import Action
from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.ui.plan_model import Column

pytestmark = pytest.mark.both_engines

TITLE = "Actively promote Essex wide campaigns"


def saved_title(location: Location, action_id: int) -> str:
    with Workspace.open(location) as check:
        return check.read(
            lambda s: s.execute(select(Action.title).where(Action.id == action_id)).scalar_one()
        )


def test_an_edit_cut_off_by_the_server_is_not_saved_and_says_so(
    qtbot: Any, window: Any, workspace_path: Location, engine: str, monkeypatch: Any
) -> None:
    if engine == "sqlite":
        pytest.skip("a connection the server cuts: shared plans only (files: test_disk_full)")
    assert isinstance(workspace_path, ServerAddress)
    from cspdesk.ui import main_window

    shown: list[str] = []
    monkeypatch.setattr(main_window.QMessageBox, "warning", lambda *args: shown.append(args[2]))
    document = window.document
    model = document.model
    action_id = document.workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.title == TITLE)).scalar_one()
    )
    admin = create_engine(workspace_path.sqlalchemy_url(), isolation_level="AUTOCOMMIT")

    def cut_off(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE action"):  # the server drops us as the edit is saved
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})

    engine_ = document.workspace.engine
    event.listen(engine_, "before_cursor_execute", cut_off)
    index = model.find("action", action_id).siblingAtColumn(Column.TITLE)
    assert not model.setData(index, "Typed while the server went away", Qt.ItemDataRole.EditRole)
    event.remove(engine_, "before_cursor_execute", cut_off)
    admin.dispose()

    assert len(shown) == 1
    assert shown[0].startswith("Not saved: the connection to the server was lost.")
    assert "What you typed is kept: Typed while the server went away" in shown[0]
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == TITLE
    assert saved_title(workspace_path, action_id) == TITLE
    # The server itself answers (only that connection was cut): the kept edit is offered.
    assert [edit.text for edit in document.unsaved.edits] == ["Typed while the server went away"]
    qtbot.waitUntil(window.live_status.save_now.isEnabled, timeout=5000)
    # Trying again just works (a new connection), and the kept edit is out of date.
    assert model.setData(index, "Typed again", Qt.ItemDataRole.EditRole)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "Typed again"
    assert saved_title(workspace_path, action_id) == "Typed again"
    assert len(document.unsaved) == 0
