"""Workspaces written by every earlier schema open, upgrade in place, and keep their plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cspdesk.core.model import Base
from cspdesk.core.serialize import export_workspace
from cspdesk.store.db import Workspace, read_revision
from cspdesk.store.schema import HEAD_REVISION

FROZEN = Path(__file__).resolve().parent.parent / "data" / "workspaces"


@pytest.mark.parametrize("name", sorted(p.name for p in FROZEN.glob("v*.cspdesk")))
def test_frozen_workspace_upgrades(tmp_path: Path, name: str) -> None:
    copy = tmp_path / name
    shutil.copy(FROZEN / name, copy)
    with Workspace.open(copy) as workspace:
        assert read_revision(workspace.engine) == HEAD_REVISION
        with workspace.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        data = workspace.read(export_workspace)
    actions = [
        a for p in data["plans"][0]["priorities"] for o in p["objectives"] for a in o["actions"]
    ]
    assert data["plans"][0]["year"] == "2016/17"
    assert len(actions) == 31
    assert sum(len(a["leads"]) for a in actions) > 50


def test_read_only_old_file_is_refused_not_changed(tmp_path: Path) -> None:
    from cspdesk.store.errors import WorkspaceReadOnly

    copy = tmp_path / "old.cspdesk"
    shutil.copy(FROZEN / "v0001_demo.cspdesk", copy)
    before = copy.read_bytes()
    with pytest.raises(WorkspaceReadOnly, match="older cspdesk"):
        Workspace.open(copy, read_only=True)
    assert copy.read_bytes() == before
