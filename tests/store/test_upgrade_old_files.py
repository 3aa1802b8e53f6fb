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


def test_read_only_old_file_is_read_through_an_upgraded_copy(tmp_path: Path) -> None:
    copy = tmp_path / "old.cspdesk"
    shutil.copy(FROZEN / "v0001_demo.cspdesk", copy)
    before = copy.read_bytes()
    workspace = Workspace.open(copy, read_only=True)
    assert workspace.read_only
    data = workspace.read(export_workspace)
    assert data["plans"][0]["year"] == "2016/17"
    temporary = workspace._temporary_copy
    assert temporary is not None and temporary.exists()
    workspace.close()
    assert not temporary.exists()
    assert copy.read_bytes() == before


def test_0003_moves_decimals_out_of_the_unit(tmp_path: Path) -> None:
    """Files from before 0003 kept an indicator's decimal places in its unit text."""
    from sqlalchemy import text

    from cspdesk.store.db import make_engine, migrate

    path = tmp_path / "old.cspdesk"
    engine = make_engine(path)
    migrate(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO partnership (uid, name, areas, created_at) "
                "VALUES ('u', 'CSP', '', '2016-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO plan (year, title, version_label, introduction, "
                "current_quarter, read_only, position) "
                "VALUES ('2013/14', '', '', '', 1, 0, 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO priority (plan_id, position, title, sub_themes, "
                "indicators, baseline, target, lead_agencies, resources, key_risks, "
                "mitigations) VALUES (1, 0, 'P', '', '', '', '', '', '', '', '')"
            )
        )
        for name, unit in (("Burglary", "crimes; 1 dp"), ("ASB", "incidents")):
            conn.execute(
                text(
                    "INSERT INTO indicator (priority_id, position, name, unit, source, "
                    "better, baseline, baseline_period, target) "
                    "VALUES (1, 0, :n, :u, '', 'down', '', '', '')"
                ),
                {"n": name, "u": unit},
            )
    engine.dispose()
    with Workspace.open(path) as workspace:
        rows = workspace.read(
            lambda s: s.execute(
                text("SELECT name, unit, decimals FROM indicator ORDER BY name")
            ).all()
        )
    assert [tuple(r) for r in rows] == [("ASB", "incidents", None), ("Burglary", "crimes", 1)]
