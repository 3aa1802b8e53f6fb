"""A server failing in each phase of a command (connecting, reading, saving, committing): one
line that says what happened and what was saved, never a traceback.

The failures are real: a TCP proxy on loopback (tests/tcp_proxy.py) cuts the link the moment
the command sends a given statement, or an administrator ends the session just before it.
Run against the real server (CSPDESK_TEST_PG_URL); skipped, saying why, without one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed
from tests.cli.runner import run_cli
from tests.conftest import _fresh_server_database
from tests.returns_batch import fill_batch
from tests.tcp_proxy import DelayProxy

LOST = "the connection to the server was lost"


@pytest.fixture
def server_plan(request: pytest.FixtureRequest) -> ServerAddress:
    return _fresh_server_database(request, request.getfixturevalue("pg_template"))


@pytest.fixture
def admin(server_plan: ServerAddress) -> Iterator[Engine]:
    engine = create_engine(server_plan.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    assert stderr.count("\n") == 1, stderr
    return stderr


def titles(server_plan: ServerAddress) -> list[str]:
    with Workspace.open(server_plan, read_only=True) as workspace:
        return workspace.read(lambda s: list(s.scalars(select(Action.title).order_by(Action.id))))


def test_a_link_cut_while_connecting(server_plan: ServerAddress) -> None:
    with DelayProxy(server_plan, cut_when=b"user\x00", times=100) as proxy:
        run = run_cli("export-json", "--db", str(proxy.address))
    assert run.returncode == 1
    assert f"{proxy.address}: could not open (" in one_line(run.stderr)


def test_a_link_cut_while_reading(server_plan: ServerAddress) -> None:
    with DelayProxy(server_plan, cut_when=b"FROM action") as proxy:
        run = run_cli("export-json", "--db", str(proxy.address))
    assert proxy.cuts == 1 and run.returncode == 1
    assert LOST in one_line(run.stderr)


def test_a_server_restart_while_a_merge_reads(
    server_plan: ServerAddress, admin: Engine, tmp_path: Path
) -> None:
    """An administrator ends every cspdesk session (as a restart does) as `returns apply` reads
    the plan: AdminShutdown, worded; nothing was merged; run again, it merges."""
    where = str(server_plan)
    made = run_cli("returns", "make", "--db", where, "--quarter", "Q1", "-o", str(tmp_path))
    assert made.returncode == 0, made.stderr
    paths = sorted(tmp_path.glob("*.xlsx"))
    fill_batch(paths[:1], set())
    before = titles(server_plan)

    def restart() -> None:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

    with DelayProxy(server_plan, before=(b"FROM action", restart)) as proxy:
        run = run_cli("returns", "apply", "--db", str(proxy.address), str(paths[0]))
        assert proxy.befores == 1
    assert run.returncode == 1, run.stdout + run.stderr
    assert LOST in one_line(run.stderr)
    assert "merged" not in run.stdout
    assert titles(server_plan) == before
    again = run_cli("returns", "apply", "--db", str(server_plan), str(paths[0]))
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_link_cut_while_saving(server_plan: ServerAddress) -> None:
    with Workspace.open(server_plan, read_only=True) as workspace:
        action = workspace.read(lambda s: s.scalars(select(Action.id)).first())
    proxy = DelayProxy(server_plan, cut_when=b"UPDATE action")
    with proxy, Workspace.open(proxy.address) as workspace, pytest.raises(SaveFailed) as failed:
        workspace.write(ops.edit_field, "action", action, "title", "Cut off")
    assert str(failed.value) == (
        f"{proxy.address}: could not save ({LOST}); nothing was changed — try again"
    )
    assert "Cut off" not in titles(server_plan)


def test_a_link_cut_while_committing_says_the_save_may_not_have_landed(
    server_plan: ServerAddress,
) -> None:
    with Workspace.open(server_plan, read_only=True) as workspace:
        action = workspace.read(lambda s: s.scalars(select(Action.id)).first())
    proxy = DelayProxy(server_plan, cut_when=b"COMMIT")
    with proxy, Workspace.open(proxy.address) as workspace, pytest.raises(SaveFailed) as failed:
        workspace.write(ops.edit_field, "action", action, "title", "Cut at commit")
    assert str(failed.value).startswith(
        f"{proxy.address}: the connection was lost while the save was being committed ("
    )
    assert "may or may not have been saved; open the plan again to see" in str(failed.value)


def test_a_connection_the_server_dropped_while_idle_is_replaced_without_a_word(
    server_plan: ServerAddress, admin: Engine
) -> None:
    """No ping before each transaction (a round trip each over a slow link): a pooled
    connection the server dropped fails on its first statement, and that transaction runs
    again on a fresh connection, for reads and saves alike."""
    with Workspace.open(server_plan) as workspace:
        action = workspace.read(lambda s: s.scalars(select(Action.id)).first())
        for step in ("read", "save"):
            with admin.connect() as conn:
                ended = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar()
            assert ended, step
            if step == "read":
                assert workspace.read(lambda s: s.get(Action, action).id) == action
            else:
                workspace.write(ops.edit_field, "action", action, "title", "After a restart")
    assert "After a restart" in titles(server_plan)


def test_a_driver_error_that_reaches_the_command_line_is_one_line(
    server_plan: ServerAddress,
) -> None:
    """What no Workspace worded (a command's own work on the connection) is worded at the top:
    a real AdminShutdown, as a server restart gives."""
    import psycopg

    from cspdesk.store.failures import describe_database_failure

    with psycopg.connect(str(server_plan)) as conn, pytest.raises(psycopg.Error) as cut:
        conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    assert describe_database_failure(cut.value) == (
        "the command stopped: the connection to the server was lost; each save it finished "
        "before this is kept, nothing after it was saved"
    )


def test_a_one_statement_save_cut_at_commit_is_not_run_again(
    server_plan: ServerAddress, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a transaction's first statement on a dropped connection is run again; a commit cut
    off may have landed, so it is reported, never repeated (a repeat could save twice)."""
    from cspdesk.core.plan.model import Agency
    from cspdesk.store import live

    monkeypatch.setattr(live, "SEND_NOTICES", False)  # the insert is the only statement
    proxy = DelayProxy(server_plan, cut_when=b"COMMIT")
    with proxy, Workspace.open(proxy.address) as workspace, pytest.raises(SaveFailed) as failed:
        workspace.write(ops.add_row, "agency", name="Cut at commit")
    assert "may or may not have been saved" in str(failed.value)
    with Workspace.open(server_plan, read_only=True) as workspace:
        names = workspace.read(lambda s: list(s.scalars(select(Agency.name))))
    assert "Cut at commit" not in names
