"""Roles as a council's IT sets them up from the README: an owner, editors and viewers.

The README's grants are run as written (names made unique), the plan is put on the server by
its owner, and then a colleague edits, merges a return and closes a quarter; a viewer reads,
takes a copy home and is told in words that it cannot save; a role with the grants IT often
gives (tables, no sequences) opens read-only saying what is missing. Roles get scram passwords
(the test server trusts its logins, so they are not asked for here; tests/store/
test_session_password.py covers signing in with one).

Run against the real server (CSPDESK_TEST_PG_URL); skipped, saying why, without one.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, HistoryEntry
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.demo import create_demo_workspace
from cspdesk.store.errors import SaveFailed, WorkspaceReadOnly
from cspdesk.store.opening import open_for_editing
from cspdesk.store.schema import SCHEMA_REVISIONS
from tests.cli.runner import run_cli
from tests.conftest import PgServer
from tests.returns_batch import fill_batch

README = Path(__file__).parents[2] / "README.md"
EXAMPLE_NAMES = ("csp_owner", "csp_editors", "csp_viewers", "councillor", "emma", "csp")
_numbers = itertools.count(1)


def readme_sql() -> tuple[list[str], list[str]]:
    """The two SQL blocks of the README's roles: (in the database postgres, in the plan's)."""
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2, "the README's roles section has its two SQL blocks"
    statements = [[part.strip() for part in block.split(";") if part.strip()] for block in blocks]
    return statements[0], statements[1]


@dataclass(frozen=True)
class Roles:
    database: str
    names: dict[str, str]  # README name -> the name made here
    base: ServerAddress

    def address(self, readme_role: str) -> ServerAddress:
        base = self.base
        return ServerAddress(self.database, self.names[readme_role], base.host, base.port)

    def admin_sql(self, statement: str) -> None:
        engine = create_engine(
            self.base.with_database(self.database).sqlalchemy_url(), isolation_level="AUTOCOMMIT"
        )
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()


def _renamed(statement: str, names: dict[str, str]) -> str:
    for example in EXAMPLE_NAMES:  # longest first where one name starts another
        statement = re.sub(rf"\b{example}\b", names[example], statement)
    return statement


@pytest.fixture
def roles(pg_server: PgServer) -> Iterator[Roles]:
    """The README's roles and database, with names of this test's own."""
    prefix = f"cspdesk_test_{os.getpid()}_r{next(_numbers)}"
    names = {example: f"{prefix}_{example}" for example in EXAMPLE_NAMES}
    names["csp"] = f"{prefix}_db"
    in_postgres, in_plan = readme_sql()
    made = Roles(names["csp"], names, pg_server.address)
    try:
        pg_server.execute("SET password_encryption = 'scram-sha-256'")
        for statement in in_postgres:
            pg_server.execute(_renamed(statement, names))
        for statement in in_plan:
            made.admin_sql(_renamed(statement, names))
        with create_demo_workspace(made.address("csp_owner")):
            pass
        yield made
    finally:
        pg_server.execute(f'DROP DATABASE IF EXISTS "{names["csp"]}" WITH (FORCE)')
        for example in ("emma", "councillor", "csp_editors", "csp_viewers", "csp_owner"):
            pg_server.execute(f'DROP ROLE IF EXISTS "{names[example]}"')


def first_action(workspace: Workspace) -> int:
    return workspace.read(lambda s: s.scalars(select(Action.id).order_by(Action.id)).first())


def test_the_passwords_are_scram(roles: Roles, pg_server: PgServer) -> None:
    engine = pg_server.admin
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :name"),
            {"name": roles.names["emma"]},
        ).scalar()
    assert str(stored).startswith("SCRAM-SHA-256$")


def test_an_editor_edits_merges_a_return_and_closes_a_quarter(roles: Roles, tmp_path: Path) -> None:
    emma = str(roles.address("emma"))
    with Workspace.open(emma) as workspace:
        assert not workspace.read_only and workspace.read_only_reason is None
        action = first_action(workspace)
        workspace.write(ops.edit_field, "action", action, "title", "Edited by a colleague")
        added = workspace.write(ops.add_item, "action", _objective(workspace), title="New")
        assert added.id > action
    made = run_cli("returns", "make", "--db", emma, "--quarter", "Q2", "-o", str(tmp_path))
    assert made.returncode == 0, made.stderr
    paths = sorted(tmp_path.glob("*.xlsx"))
    fill_batch(paths[:1], set())
    merged = run_cli("returns", "apply", "--db", emma, str(paths[0]))
    assert merged.returncode == 0, merged.stdout + merged.stderr
    closed = run_cli("close-quarter", "--db", emma, "--quarter", "Q1")
    assert closed.returncode == 0, closed.stdout + closed.stderr
    with Workspace.open(emma, read_only=True) as workspace:
        fields = workspace.read(lambda s: set(s.scalars(select(HistoryEntry.field)).all()))
    assert "title" in fields and any(f.startswith("q2_update (") for f in fields)


def _objective(workspace: Workspace) -> int:
    return workspace.read(lambda s: s.scalars(select(Action.objective_id)).first())


def test_a_viewer_reads_and_is_told_in_words_it_cannot_save(roles: Roles, tmp_path: Path) -> None:
    councillor = roles.address("councillor")
    banner = (
        f"You can read this plan; ask {roles.names['csp_owner']} (the plan's owner) or your IT "
        f"to give {roles.names['councillor']} editing rights — the server does not let "
        f"{roles.names['councillor']} change "
    )
    opened = open_for_editing(councillor)
    with opened.workspace as workspace:
        assert opened.read_only and opened.read_only_reason is not None
        assert opened.read_only_reason.startswith(banner), opened.read_only_reason
        action = first_action(workspace)
        with pytest.raises(WorkspaceReadOnly, match="You can read this plan; ask"):
            workspace.write(ops.edit_field, "action", action, "title", "Not allowed")

    refused = run_cli("close-quarter", "--db", str(councillor), "--quarter", "Q1")
    assert refused.returncode == 1
    assert "You can read this plan; ask" in refused.stderr and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1
    read = run_cli("export-json", "--db", str(councillor))
    assert read.returncode == 0 and '"plans"' in read.stdout
    home = tmp_path / "home.cspdesk"
    copied = run_cli("copy", "--from", str(councillor), "--to", str(home))
    assert copied.returncode == 0, copied.stdout + copied.stderr


def test_table_grants_without_the_sequences_open_read_only_saying_so(roles: Roles) -> None:
    """The grants IT often gives first: every table, but not the sequences."""
    typical = f"{roles.names['csp']}_typical"
    roles.admin_sql(f"CREATE ROLE \"{typical}\" LOGIN PASSWORD 'change me'")
    try:
        roles.admin_sql(f'GRANT CONNECT ON DATABASE "{roles.database}" TO "{typical}"')
        roles.admin_sql(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{typical}"'
        )
        address = ServerAddress(roles.database, typical, roles.base.host, roles.base.port)
        with Workspace.open(address) as workspace:
            assert workspace.read_only
            assert workspace.read_only_reason is not None
            assert "use the id sequences every save needs (action_id_seq, " in (
                workspace.read_only_reason
            )
    finally:
        roles.admin_sql(f'DROP OWNED BY "{typical}"')
        roles.admin_sql(f'DROP ROLE "{typical}"')


def test_rights_taken_away_while_open_are_worded(roles: Roles) -> None:
    with Workspace.open(roles.address("emma")) as workspace:
        action = first_action(workspace)
        roles.admin_sql(
            f"REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {roles.names['csp_editors']}"
        )
        with pytest.raises(SaveFailed) as refused:
            workspace.write(ops.edit_field, "action", action, "title", "After the revoke")
    message = str(refused.value)
    assert (
        f"the server does not let {roles.names['emma']} use the sequence history_id_seq that "
        "every save needs" in message
    ), message
    assert "nothing was changed" in message


def test_a_plan_to_upgrade_waits_for_its_owner(roles: Roles) -> None:
    """Changing the tables takes their owner: an editor is told whom to ask, and after the
    owner has opened it once the editor works as before."""
    before = SCHEMA_REVISIONS[-2]  # the last migration (widening columns) runs again harmlessly
    roles.admin_sql(f"UPDATE alembic_version SET version_num = '{before}'")
    owner = roles.names["csp_owner"]
    with pytest.raises(WorkspaceReadOnly) as refused:
        Workspace.open(roles.address("emma"))
    assert str(refused.value) == (
        f"{roles.address('emma')}: made by an older cspdesk (schema {before}); ask {owner} (the "
        "plan's owner) to open it once with this version to upgrade it"
    )
    Workspace.open(roles.address("csp_owner")).close()
    with Workspace.open(roles.address("emma")) as workspace:
        assert not workspace.read_only
        workspace.write(ops.edit_field, "action", first_action(workspace), "title", "Upgraded")
