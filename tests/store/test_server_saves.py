"""Saving to a shared plan while colleagues save too, or while the connection drops: a rolled
back transaction is re-run a few times, then reported; nothing half-saved, the next edit works.

Run against the real server (CSPDESK_TEST_PG_URL); skipped, saying why, without one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from cspdesk.cli import main
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Grant
from cspdesk.store import server
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed
from tests.conftest import PgServer, _fresh_server_database

COLLEAGUE_SAVING = (
    "could not save (a colleague was saving the same items at the same moment); "
    "nothing was changed — try again"
)
CONNECTION_LOST = "could not save (the connection to the server was lost); nothing was changed"


@pytest.fixture
def server_plan(request: pytest.FixtureRequest) -> ServerAddress:
    """The small plan in a fresh database of the test server."""
    return _fresh_server_database(request, request.getfixturevalue("pg_template"))


@pytest.fixture
def admin(pg_server: PgServer, server_plan: ServerAddress) -> Iterator[Engine]:
    """A connection of our own to the plan's database, as its administrator would have."""
    engine = create_engine(server_plan.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def action_ids(workspace: Workspace) -> list[int]:
    return workspace.read(
        lambda s: list(s.execute(select(Action.id).order_by(Action.id)).scalars())
    )


def column(workspace: Workspace, name: str, action_id: int) -> str:
    return workspace.read(
        lambda s: s.execute(
            select(getattr(Action, name)).where(Action.id == action_id)
        ).scalar_one()
    )


def test_a_deadlock_between_two_officers_is_retried_and_both_edits_land(
    server_plan: ServerAddress,
) -> None:
    """Emma saves action 1 then 2, Graham 2 then 1, at the same moment: the server finds a
    deadlock and rolls one back; that one is run again and lands after the other."""
    with Workspace.open(server_plan) as emma, Workspace.open(server_plan) as graham:
        first, second = action_ids(emma)[:2]
        both_hold_one = threading.Barrier(2, timeout=30)
        attempts = {"emma": 0, "graham": 0}
        errors: list[BaseException] = []

        def save(who: str, rows: tuple[int, int]) -> Callable[[Session], None]:
            def edit(session: Session) -> None:
                attempts[who] += 1
                ops.edit_field(session, "action", rows[0], "outcomes", f"{who} first", who)
                if attempts[who] == 1:
                    both_hold_one.wait()  # each holds one row: the next update deadlocks
                ops.edit_field(session, "action", rows[1], "title", f"{who} second", who)

            return edit

        def run(workspace: Workspace, who: str, rows: tuple[int, int]) -> None:
            try:
                workspace.write(save(who, rows))
            except BaseException as error:  # reported by the assert below
                errors.append(error)

        threads = [
            threading.Thread(target=run, args=(emma, "emma", (first, second))),
            threading.Thread(target=run, args=(graham, "graham", (second, first))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        assert sorted(attempts.values()) == [1, 2]  # one of them was run again
        retried = "emma" if attempts["emma"] == 2 else "graham"
        # The one run again saved last: its words stand on both rows.
        mine, theirs = (first, second) if retried == "emma" else (second, first)
        assert column(emma, "outcomes", mine) == f"{retried} first"
        assert column(emma, "title", theirs) == f"{retried} second"


def test_after_repeated_rollbacks_nothing_is_changed_and_the_officer_is_told(
    server_plan: ServerAddress, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "SAVE_ATTEMPTS", 3)
    with Workspace.open(server_plan) as workspace:
        action_id = action_ids(workspace)[0]
        before = column(workspace, "title", action_id)
        attempts = []

        def edit(session: Session) -> None:
            attempts.append(1)
            ops.edit_field(session, "action", action_id, "title", "Never saved")
            session.execute(
                text(
                    "DO $$ BEGIN RAISE EXCEPTION 'rolled back' "
                    "USING ERRCODE = 'serialization_failure'; END $$"
                )
            )

        with pytest.raises(SaveFailed) as failed:
            workspace.write(edit)
        assert str(failed.value) == f"{server_plan}: {COLLEAGUE_SAVING}"
        assert len(attempts) == 3
        assert column(workspace, "title", action_id) == before
        # Another kind of failure is not run again.
        attempts.clear()

        def broken(session: Session) -> None:
            attempts.append(1)
            session.execute(text("SELECT 1/0"))

        with pytest.raises(Exception, match="division by zero"):
            workspace.write(broken)
        assert len(attempts) == 1


def rolled_back_first(admin: Engine, times: int) -> None:
    """The server rolls back the first ``times`` grants saved as a serialization failure (the
    count is a sequence, which a rollback does not undo)."""
    with admin.connect() as conn:
        conn.execute(text("CREATE SEQUENCE grant_saves"))
        conn.execute(
            text(
                "CREATE FUNCTION fail_grant() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF nextval('grant_saves') <= {times} THEN RAISE EXCEPTION 'colleague' "
                "USING ERRCODE = 'serialization_failure'; END IF; RETURN NEW; END $$"
            )
        )
        conn.execute(
            text(
                'CREATE TRIGGER fail_grant BEFORE INSERT ON "grant" '
                "FOR EACH ROW EXECUTE FUNCTION fail_grant()"
            )
        )


def grants(server_plan: ServerAddress) -> int:
    with Workspace.open(server_plan) as workspace:
        return workspace.read(lambda s: s.execute(select(func.count(Grant.id))).scalar_one())


def add_grant(server_plan: ServerAddress) -> list[str]:
    where = str(server_plan)
    return ["funding", "add-grant", "--db", where, "--source", "PCC grant", "--amount", "£1,000"]


def test_the_command_retries_then_saves(
    server_plan: ServerAddress, admin: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    rolled_back_first(admin, 2)
    assert main(add_grant(server_plan)) == 0
    assert "Added grant" in capsys.readouterr().out
    assert grants(server_plan) == 1
    with admin.connect() as conn:
        assert conn.execute(text("SELECT last_value FROM grant_saves")).scalar() == 3


def test_the_command_gives_up_saying_so_and_saves_nothing(
    server_plan: ServerAddress, admin: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    rolled_back_first(admin, 1000)
    assert main(add_grant(server_plan)) == 1
    captured = capsys.readouterr()
    assert COLLEAGUE_SAVING in captured.err and "Traceback" not in captured.err
    assert "Added grant" not in captured.out
    assert grants(server_plan) == 0


def drop_our_connections(admin: Engine, database: str) -> int:
    """What a server restart or a dropped network does to every cspdesk connection."""
    with admin.connect() as conn:
        return len(
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": database},
            ).all()
        )


def test_a_connection_dropped_between_edits_reconnects(
    server_plan: ServerAddress, admin: Engine
) -> None:
    with Workspace.open(server_plan) as workspace:
        action_id = action_ids(workspace)[0]
        workspace.write(ops.edit_field, "action", action_id, "title", "Before the drop")
        assert drop_our_connections(admin, str(server_plan.database)) >= 1
        workspace.write(ops.edit_field, "action", action_id, "title", "After the drop")
        assert column(workspace, "title", action_id) == "After the drop"


def test_a_connection_dropped_during_an_edit_saves_nothing_then_the_next_works(
    server_plan: ServerAddress, admin: Engine
) -> None:
    with Workspace.open(server_plan) as workspace:
        first, second = action_ids(workspace)[:2]
        before = column(workspace, "title", first), column(workspace, "title", second)

        def cut_off_halfway(session: Session) -> None:
            ops.edit_field(session, "action", first, "title", "Half of an edit")
            drop_our_connections(admin, str(server_plan.database))
            ops.edit_field(session, "action", second, "title", "The other half")

        with pytest.raises(SaveFailed) as failed:
            workspace.write(cut_off_halfway)
        assert str(failed.value) == f"{server_plan}: {CONNECTION_LOST} — try again"
        assert (column(workspace, "title", first), column(workspace, "title", second)) == before
        workspace.write(ops.edit_field, "action", first, "title", "Tried again")
        assert column(workspace, "title", first) == "Tried again"


def test_every_connection_gives_up_on_a_silent_server_in_seconds(
    server_plan: ServerAddress,
) -> None:
    """A server that stops answering (the laptop left the network) fails a query within
    seconds instead of the system's quarter-hour TCP timeout: the window never hangs on it."""
    with Workspace.open(server_plan) as workspace:
        raw = workspace.engine.raw_connection()
        try:
            settings = raw.driver_connection.info.get_parameters()  # type: ignore[union-attr]
        finally:
            raw.close()
    assert settings["keepalives"] == "1"
    assert int(settings["tcp_user_timeout"]) <= 30_000
    assert int(settings["connect_timeout"]) == server.CONNECT_TIMEOUT_SECONDS
