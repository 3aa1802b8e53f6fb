"""A runaway statement on a shared plan is stopped by the server (statement_timeout, set for
every session) and the officer is told so in words; bulk work that may rightly take longer
lifts the limit for its own transaction.

Run against the real server (CSPDESK_TEST_PG_URL); skipped, saying why, without one.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from cspdesk.store import server
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed
from cspdesk.store.server import ServerUnavailable
from tests.conftest import _fresh_server_database

LIMIT_MS = 400  # this test's statement_timeout


@pytest.fixture
def server_plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ServerAddress:
    monkeypatch.setattr(server, "STATEMENT_TIMEOUT_MS", LIMIT_MS)
    return _fresh_server_database(request, request.getfixturevalue("pg_template"))


def runaway(session: Session) -> None:
    session.execute(text("SELECT pg_sleep(5)")).all()


def test_every_session_starts_with_the_statement_timeout(server_plan: ServerAddress) -> None:
    with Workspace.open(server_plan) as workspace:
        shown = workspace.read(lambda s: s.execute(text("SHOW statement_timeout")).scalar())
    assert shown == f"{LIMIT_MS}ms"


def test_a_runaway_read_is_stopped_and_said_in_words(server_plan: ServerAddress) -> None:
    with Workspace.open(server_plan) as workspace, pytest.raises(ServerUnavailable) as stopped:
        workspace.read(runaway)
    assert str(stopped.value) == (
        f"{server_plan}: could not read the plan (the server cancelled the work (it took too "
        "long, or an administrator stopped it))"
    )


def test_a_runaway_save_is_stopped_saves_nothing_and_the_next_save_works(
    server_plan: ServerAddress,
) -> None:
    with Workspace.open(server_plan) as workspace:

        def rename_then_run_away(session: Session) -> None:
            session.execute(text("UPDATE partnership SET name = 'Half saved'"))
            runaway(session)

        with pytest.raises(SaveFailed) as stopped:
            workspace.write(rename_then_run_away)
        assert "the server cancelled the work (it took too long" in str(stopped.value)
        assert "nothing was changed" in str(stopped.value)
        name = "SELECT name FROM partnership"
        assert workspace.read(lambda s: s.execute(text(name)).scalar()) == "Test Vale CSP"
        workspace.write(lambda s: s.execute(text("UPDATE partnership SET name = 'Saved'")))
        assert workspace.read(lambda s: s.execute(text(name)).scalar()) == "Saved"


def test_bulk_work_lifts_the_limit_for_its_own_transaction(server_plan: ServerAddress) -> None:
    with Workspace.open(server_plan) as workspace:

        def slow_but_wanted(session: Session) -> None:
            server.unhurried(session.connection())
            session.execute(text(f"SELECT pg_sleep({LIMIT_MS * 2 / 1000})")).all()

        workspace.write(slow_but_wanted)
        with pytest.raises(SaveFailed):  # the next transaction has the limit again
            workspace.write(runaway)
