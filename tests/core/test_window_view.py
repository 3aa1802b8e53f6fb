"""What the window reads on opening, as plain data, in one read (window_view)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from cspdesk.core.quarter.window_view import directions_by_action, window_view
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def test_the_tree_and_the_rag_scheme_come_in_one_read(workspace: Workspace) -> None:
    begun: list[object] = []
    event.listen(workspace.engine, "begin", begun.append)
    view = workspace.read(window_view)
    assert len(begun) == 1
    assert [code for code, *_ in view.rag_rows][:3] == ["R", "A", "G"]
    assert all(len(row) == 4 for row in view.rag_rows)
    plans = [node for node in view.root.children if node.kind == "plan"]
    assert plans and set(view.as_at_by_plan) == {node.id for node in plans}
    assert any(node.kind == "action" for node in view.root.walk())


def test_no_directions_before_a_quarter_is_closed(workspace: Workspace) -> None:
    assert workspace.read(directions_by_action) == {}


def test_each_table_is_read_once(workspace: Workspace) -> None:
    """Over a slow link every read is a round trip: the tree's RAG, printed update and leads
    share one read of each table."""
    tables: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            after_from = statement.split("FROM", 1)[1].split()[0].strip('"')
            tables.append(after_from)

    event.listen(workspace.engine, "before_cursor_execute", seen)
    workspace.read(window_view)
    event.remove(workspace.engine, "before_cursor_execute", seen)
    assert len(tables) == len(set(tables)), tables
    assert {"action", "update", "contribution", "action_lead", "plan", "rag_status"} <= set(tables)
