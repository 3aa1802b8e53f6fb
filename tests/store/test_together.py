"""Reads sent together (store/together.py) give exactly what each read alone gives, on both
engines, in a read and inside a write; a statement the server refuses is an error, worded by
the workspace like any other."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, exc, select, text, update
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Action, Milestone, Plan, RagStatus, Snapshot
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed
from cspdesk.store.server import ServerUnavailable
from cspdesk.store.together import fetch_together
from tests.tcp_proxy import DelayProxy

pytestmark = pytest.mark.both_engines

STATEMENTS = [
    select(Plan.id, Plan.year, Plan.read_only, Plan.current_quarter).order_by(Plan.id),
    select(Action.id, Action.title, Action.rag).where(Action.id.in_([1, 2, 3, 99999])),
    select(Milestone.id, Milestone.due_date, Milestone.done_date).order_by(Milestone.id),
    select(Snapshot.quarter).where(Snapshot.plan_id == 1),  # no rows
    select(RagStatus.code, RagStatus.is_complete).order_by(RagStatus.position),
    select(Action.__table__.c.id, Action.__table__.c.title).order_by(Action.id).limit(2),
]

RTT = 0.25  # seconds


def alone(session: Session) -> list[list[tuple]]:
    return [[tuple(row) for row in session.execute(s)] for s in STATEMENTS]


def together(session: Session) -> list[list[tuple]]:
    return [[tuple(row) for row in rows] for rows in fetch_together(session, STATEMENTS)]


def test_reads_together_give_what_each_read_gives(workspace: Workspace) -> None:
    expected = workspace.read(alone)
    assert any(expected[1]) and any(expected[2]) and expected[3] == []
    assert workspace.read(together) == expected
    rows = workspace.read(lambda s: fetch_together(s, STATEMENTS[1:2])[0])
    assert {row.title for row in rows} == {row[1] for row in expected[1]}  # by column name


def test_inside_a_write_the_reads_see_its_own_changes(workspace: Workspace) -> None:
    def write_then_read(session: Session) -> list[list[tuple]]:
        session.execute(update(Action).where(Action.id == 1).values(title="Renamed in the write"))
        return together(session)

    seen = workspace.write(write_then_read)
    assert ("Renamed in the write" in {row[1] for row in seen[1]}) is True
    assert seen == workspace.read(alone)


def test_each_statement_is_counted_as_sent(workspace: Workspace) -> None:
    sent: list[str] = []
    event.listen(workspace.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    workspace.read(together)
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) >= len(STATEMENTS)


def test_a_refused_read_is_an_error_and_a_write_saves_nothing(workspace: Workspace) -> None:
    bad = [select(Plan.id), text("SELECT nothing FROM no_such_table")]
    # A file's reader gets the driver's error; a server's is worded (ServerUnavailable).
    with pytest.raises((ServerUnavailable, exc.DBAPIError)) as raised:
        workspace.read(lambda s: fetch_together(s, bad))
    assert "no_such_table" in str(raised.value)
    assert workspace.read(together) == workspace.read(alone)  # the next read works

    def write_then_fail(session: Session) -> None:
        session.execute(update(Action).where(Action.id == 1).values(title="Never saved"))
        fetch_together(session, bad)

    with pytest.raises(SaveFailed, match="nothing was changed"):
        workspace.write(write_then_fail)
    titles = workspace.read(lambda s: s.scalar(select(Action.title).where(Action.id == 1)))
    assert titles != "Never saved"


def test_reads_together_cost_one_round_trip(workspace: Workspace) -> None:
    """Over a slow link the point of it all: the reads go, and their rows come back, once
    (timed over a link of RTT seconds: two round trips would take twice as long)."""
    if not isinstance(workspace.location, ServerAddress):
        pytest.skip("a file has no round trips")
    with (
        DelayProxy(workspace.location, rtt_ms=RTT * 1000) as proxy,
        Workspace.open(proxy.address) as through,
    ):

        def timed(session: Session) -> float:
            session.execute(select(Plan.id)).all()  # the transaction begun
            start = time.perf_counter()
            fetch_together(session, STATEMENTS)
            return time.perf_counter() - start

        assert RTT <= through.read(timed) < 1.6 * RTT
