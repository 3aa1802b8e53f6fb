"""Workspaces written by every earlier schema open, upgrade in place, and keep their plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cspdesk.core.plan.model import Base
from cspdesk.core.workspace.serialize import export_workspace
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


def test_0004_keeps_every_update_and_agrees_the_current_rag(tmp_path: Path) -> None:
    """Updates a return wrote become that lead's contribution, the officer's stay summaries,
    each action's own RAG becomes its current quarter's agreed RAG, and closed quarters'
    snapshots are left byte for byte."""
    from sqlalchemy import text

    from cspdesk.store.db import make_engine, migrate

    path = tmp_path / "old.cspdesk"
    shutil.copy(FROZEN / "v0001_demo.cspdesk", path)
    engine = make_engine(path)
    migrate(engine, "0003")
    with engine.begin() as conn:
        police = conn.execute(text("SELECT id FROM agency WHERE name = 'Essex Police'")).scalar()
        conn.execute(
            text(
                "INSERT INTO return_record (token, plan_id, quarter, agency_id, lead_name, "
                "file_name, made_at, merged_at, merged_file) VALUES ('t', 1, 1, :a, "
                "'Essex Police', 'q1.xlsx', '2016-07-01', '2016-07-10', 'q1.xlsx')"
            ),
            {"a": police},
        )
        returned = conn.execute(text('SELECT id, action_id, text FROM "update" LIMIT 1')).one()
        conn.execute(
            text("UPDATE \"update\" SET source = 'return: Essex Police q1.xlsx' WHERE id = :i"),
            {"i": returned.id},
        )
        conn.execute(
            text(
                "INSERT INTO snapshot (plan_id, quarter, closed_at, closed_by, is_open, payload) "
                "VALUES (1, 1, '2016-07-20', 'officer', 0, '{\"frozen\": \"as printed\"}')"
            )
        )
        before = {
            row.id: (row.text, row.rag)
            for row in conn.execute(text('SELECT id, text, rag FROM "update"'))
        }
        own_rags = dict(conn.execute(text("SELECT id, rag FROM action")).all())
        current = conn.execute(text("SELECT current_quarter FROM plan")).scalar()
    engine.dispose()
    with Workspace.open(path) as workspace, workspace.engine.connect() as conn:
        said = conn.execute(
            text("SELECT action_id, lead_key, lead_name, text, return_id FROM contribution")
        ).all()
        after = {
            row.id: (row.text, row.rag)
            for row in conn.execute(text('SELECT id, text, rag FROM "update"'))
        }
        agreed = dict(
            conn.execute(
                text('SELECT action_id, rag FROM "update" WHERE quarter = :q'), {"q": current}
            ).all()
        )
        payload = conn.execute(text("SELECT payload FROM snapshot")).scalar()
    assert [tuple(r) for r in said] == [
        (returned.action_id, f"agency:{police}", "Essex Police", returned.text, 1)
    ]
    kept = {k: v for k, v in before.items() if k != returned.id}
    assert {k: after[k] for k in kept} == kept  # the officer's updates are untouched
    # Every action's quarter has a RAG: agreed, or (the returned one) its lead's.
    assert all(
        agreed.get(a) is not None or a == returned.action_id
        for a, rag in own_rags.items()
        if rag is not None
    )
    assert payload == '{"frozen": "as printed"}'


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FROZEN.glob("v*.cspdesk") if p.name >= "v0004")
)
def test_a_frozen_partners_words_survive_every_upgrade(tmp_path: Path, name: str) -> None:
    """From 0004 on, the frozen files hold a contribution by a partner with a long name."""
    from tests.store.frozen_workspaces import LONG_NAME

    copy = tmp_path / name
    shutil.copy(FROZEN / name, copy)
    with Workspace.open(copy) as workspace:
        data = workspace.read(export_workspace)
    parts = [
        part
        for p in data["plans"][0]["priorities"]
        for o in p["objectives"]
        for a in o["actions"]
        for part in a.get("contributions", [])
    ]
    words = [p["text"] for p in parts if LONG_NAME in str(p)]
    assert words == ["Offender managers attended every panel."]
