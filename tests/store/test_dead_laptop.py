"""Nobody waits on a dead laptop: a session left in the middle of a save (its laptop asleep, or
gone from the network with its connection still open) holds its locks only until the server's
idle-in-transaction timeout ends it; a colleague kept waiting meanwhile is told who within
seconds, and saves once it is gone.

Run against the real server (CSPDESK_TEST_PG_URL); skipped, saying why, without one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.store import server
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed
from tests.conftest import TEST_USER, _fresh_server_database

IDLE_SECONDS = 4  # the holder's idle_in_transaction_session_timeout in this test
LOCK_SECONDS = 1  # the colleague's lock_timeout in this test

# A laptop that took the lock on an action and then went quiet: the process lives on, its
# connection stays open, its transaction never ends (as a laptop closed mid-save, or cut off
# from the network with nothing to reset the connection).
HOLDER = """
import sys, time
from cspdesk.store import server
from cspdesk.store.db import Workspace
from cspdesk.core.plan.model import Action
from sqlalchemy import update
server.IDLE_IN_TRANSACTION_TIMEOUT_MS = int(sys.argv[3])
workspace = Workspace.open(sys.argv[1])
session = workspace.session()
session.begin()
session.execute(update(Action).where(Action.id == int(sys.argv[2])).values(title="Half saved"))
print("holding", flush=True)
time.sleep(600)
"""


@pytest.fixture
def server_plan(request: pytest.FixtureRequest) -> ServerAddress:
    return _fresh_server_database(request, request.getfixturevalue("pg_template"))


@pytest.fixture
def actions(server_plan: ServerAddress) -> list[int]:
    with Workspace.open(server_plan, read_only=True) as workspace:
        return workspace.read(lambda s: list(s.scalars(select(Action.id).order_by(Action.id))))


@pytest.fixture
def first_action(actions: list[int]) -> int:
    return actions[0]


def start_holder(server_plan: ServerAddress, action_id: int, who: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", HOLDER, str(server_plan), str(action_id)]
    command.append(str(IDLE_SECONDS * 1000))
    holder = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CSPDESK_USER": who},
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()  # type: ignore[union-attr]
    return holder


@pytest.fixture
def stopped_holders() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for holder in started:
        holder.kill()
        holder.wait()


def idle_sessions(server_plan: ServerAddress) -> list[str]:
    engine = create_engine(server_plan.sqlalchemy_url())
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "SELECT application_name FROM pg_stat_activity WHERE datname = :db "
                        "AND state = 'idle in transaction'"
                    ),
                    {"db": server_plan.database},
                ).scalars()
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("holder_name", "told"),
    [
        ("Graham Browne", "Graham Browne's save is holding these items; try again in a minute"),
        # The officer's own save, cut off a moment ago, is what the retry waits on.
        (TEST_USER, "your own earlier save, cut off, is still holding these items"),
    ],
)
def test_a_colleague_is_told_who_then_released_when_the_server_ends_the_idle_save(
    server_plan: ServerAddress,
    first_action: int,
    actions: list[int],
    stopped_holders: list[subprocess.Popen[str]],
    monkeypatch: pytest.MonkeyPatch,
    holder_name: str,
    told: str,
) -> None:
    monkeypatch.setattr(server, "LOCK_TIMEOUT_MS", LOCK_SECONDS * 1000)
    holder = start_holder(server_plan, first_action, holder_name)
    stopped_holders.append(holder)
    # Another colleague in the middle of a save of other items: not the one to name.
    stopped_holders.append(start_holder(server_plan, actions[1], "Emma Clark"))
    assert sorted(idle_sessions(server_plan)) == sorted(
        server.application_name("cspdesk at work: ", name) for name in (holder_name, "Emma Clark")
    )

    with Workspace.open(server_plan) as workspace:
        started = time.monotonic()
        with pytest.raises(SaveFailed) as refused:
            workspace.write(ops.edit_field, "action", first_action, "title", "Colleague's title")
        assert time.monotonic() - started < LOCK_SECONDS + 3
        message = str(refused.value)
        assert message.startswith(f"{server_plan}: nothing was saved — {told}"), message

        # Within the idle timeout (and a little), the server ends the holder's session and
        # its locks go: the colleague's next try saves, and the half-save is gone.
        deadline = time.monotonic() + IDLE_SECONDS + 10
        while True:
            try:
                workspace.write(
                    ops.edit_field, "action", first_action, "title", "Colleague's title"
                )
                break
            except SaveFailed:
                assert time.monotonic() < deadline, "the dead laptop's locks were never let go"
                time.sleep(0.5)
        assert time.monotonic() - started < IDLE_SECONDS + LOCK_SECONDS + 6
        title = workspace.read(lambda s: s.get(Action, first_action).title)
    assert title == "Colleague's title"
    assert holder.poll() is None  # the laptop is still "there": the server let go of it
    assert "Emma Clark" not in message
    assert server.application_name("cspdesk at work: ", holder_name) not in idle_sessions(
        server_plan
    )


def test_every_connection_starts_with_the_servers_timeouts_and_the_officers_name(
    server_plan: ServerAddress,
) -> None:
    with Workspace.open(server_plan) as workspace, workspace.engine.connect() as conn:
        shown = {
            name: conn.execute(text(f"SHOW {name}")).scalar()
            for name in (
                "tcp_keepalives_idle",
                "tcp_keepalives_interval",
                "tcp_keepalives_count",
                "tcp_user_timeout",
                "lock_timeout",
                "idle_in_transaction_session_timeout",
                "application_name",
            )
        }
    assert shown == {
        "tcp_keepalives_idle": "30",
        "tcp_keepalives_interval": "10",
        "tcp_keepalives_count": "3",
        "tcp_user_timeout": "60000",
        "lock_timeout": "8s",
        "idle_in_transaction_session_timeout": "1min",
        "application_name": "cspdesk at work: Alex Morgan",
    }
