"""The workspace file: settings, schema, migrations and the errors a user sees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from cspdesk.core.plan.model import Base
from cspdesk.store.db import MIGRATIONS_DIR, Workspace
from cspdesk.store.errors import NewerSchema, NotAWorkspace, WorkspaceMissing, WorkspaceReadOnly
from cspdesk.store.schema import HEAD_REVISION, SCHEMA_REVISIONS


def pragma(workspace: Workspace, name: str) -> object:
    with workspace.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_connection_settings(workspace: Workspace) -> None:
    assert pragma(workspace, "foreign_keys") == 1
    assert pragma(workspace, "journal_mode") == "delete"
    assert pragma(workspace, "synchronous") == 2  # FULL
    assert pragma(workspace, "busy_timeout") == 5000


def test_transaction_takes_write_lock_at_begin(workspace: Workspace, workspace_path: Path) -> None:
    other = sqlite3.connect(workspace_path, timeout=0)
    with workspace.session() as session, session.begin():
        session.execute(text("SELECT 1"))  # a read only: the lock is already held
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()


def test_foreign_keys_enforced(workspace: Workspace) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        workspace.write(
            lambda s: s.execute(
                text("INSERT INTO objective (priority_id, position, title) VALUES (9999, 0, 'x')")
            )
        )


def test_migrations_match_the_model(tmp_path: Path) -> None:
    workspace = Workspace.create(tmp_path / "new.cspdesk", "CSP")
    with workspace.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == HEAD_REVISION
    walked = [rev.revision for rev in script.walk_revisions()]
    assert list(reversed(walked)) == list(SCHEMA_REVISIONS)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceMissing, match="no such workspace"):
        Workspace.open(tmp_path / "nope.cspdesk")


def test_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "plan.cspdesk"
    path.write_text("hello")
    with pytest.raises(NotAWorkspace, match="not a cspdesk workspace"):
        Workspace.open(path)


def test_other_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAWorkspace, match="another program"):
        Workspace.open(path)


def test_newer_schema_refused_and_untouched(workspace_path: Path) -> None:
    conn = sqlite3.connect(workspace_path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = workspace_path.read_bytes()
    with pytest.raises(NewerSchema, match="newer cspdesk"):
        Workspace.open(workspace_path)
    assert workspace_path.read_bytes() == before


def test_read_only_open_refuses_writes(workspace_path: Path) -> None:
    with Workspace.open(workspace_path, read_only=True) as workspace:
        with pytest.raises(WorkspaceReadOnly):
            workspace.write(lambda s: None)
        assert workspace.read(lambda s: s.execute(text("SELECT count(*) FROM action")).scalar())


def test_create_refuses_to_overwrite(workspace_path: Path) -> None:
    from cspdesk.store.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace.create(workspace_path, "Again")


def test_a_wal_file_is_switched_back_to_the_journal(workspace_path: Path) -> None:
    """A workspace left in WAL mode (by another tool) is opened with our settings."""
    conn = sqlite3.connect(workspace_path)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    conn.close()
    with Workspace.open(workspace_path) as workspace:
        assert pragma(workspace, "journal_mode") == "delete"


def test_journal_mode_that_cannot_be_set_is_an_error(workspace_path: Path) -> None:
    from cspdesk.store.errors import WorkspaceError

    holder = sqlite3.connect(workspace_path)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM action").fetchone()  # a reader keeps WAL in place
    try:
        with pytest.raises(WorkspaceError, match="another program"):
            Workspace.open(workspace_path)
    finally:
        holder.close()
