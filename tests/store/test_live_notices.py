"""Notices of committed writes on a shared plan (PostgreSQL LISTEN/NOTIFY): sent in the write's
own transaction, so a write that fails sends nothing; who wrote and what changed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from cspdesk.core.plan import ops
from cspdesk.store import live
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace


@pytest.fixture
def engine() -> str:
    return "postgresql"  # notices are a server's; skipped, saying why, without one


@pytest.fixture
def heard(workspace_path: ServerAddress) -> Iterator[Any]:
    """What a bystander's window would hear."""
    bystander = Workspace.open(workspace_path)
    listener = live.Listener(bystander)

    def notices(expected: int = 1) -> list[live.Notice]:
        found: list[live.Notice] = []
        deadline = time.monotonic() + 2
        while len(found) < expected and time.monotonic() < deadline:
            found += listener.notices()
            time.sleep(0.01)
        return found + listener.notices()

    yield notices
    listener.close()
    bystander.close()


def test_a_committed_edit_names_its_writer_and_item(workspace: Workspace, heard: Any) -> None:
    workspace.who = "Graham Browne"  # type: ignore[attr-defined]
    workspace.write(ops.edit_field, "action", 2, "title", "Renamed")
    assert heard() == [live.Notice("Graham Browne", live.source_of(workspace), (("action", 2),))]


def test_a_write_that_fails_sends_nothing(workspace: Workspace, heard: Any) -> None:
    def edit_then_fail(session: Any) -> None:
        ops.edit_field(session, "action", 2, "title", "Never saved")
        raise ValueError("refused")

    with pytest.raises(ValueError):
        workspace.write(edit_then_fail)
    assert heard(expected=0) == []


def test_a_write_that_returns_no_change_says_everything(workspace: Workspace, heard: Any) -> None:
    def import_something(session: Any) -> None:  # as an import or a merge of returns does
        ops.edit_field(session, "action", 2, "title", "Imported")

    workspace.write(import_something)
    (notice,) = heard()
    assert notice.everything
