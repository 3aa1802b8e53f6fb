"""A merge over a link cut while its checks are read, or while its rows go with the commit:
nothing of it is stored, the officer is told in one sentence, and the merge run again lands. Two
officers merging the same return at once: the second waits, then merges nothing.

The cut is real: a TCP proxy on loopback (tests/tcp_proxy.py) closes the link the moment the
merge sends the given bytes. PostgreSQL only (CSPDESK_TEST_PG_URL); skipped, saying why, without.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.core.plan.model import Contribution, HistoryEntry, ReturnRecord
from cspdesk.returns.apply import ReturnChanged, apply_returns
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_returns
from cspdesk.store.address import ServerAddress
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed
from tests.conftest import _fresh_server_database
from tests.returns_batch import fill_batch
from tests.tcp_proxy import DelayProxy


@pytest.fixture
def server_plan(request: pytest.FixtureRequest) -> ServerAddress:
    return _fresh_server_database(request, request.getfixturevalue("pg_template"))


def stored(location: ServerAddress) -> tuple[int, int, int]:
    """Contributions, history rows, returns marked merged."""
    with Workspace.open(location, read_only=True) as workspace:
        return workspace.read(
            lambda s: (
                s.scalar(select(func.count()).select_from(Contribution)),
                s.scalar(select(func.count()).select_from(HistoryEntry)),
                s.scalar(select(func.count()).where(ReturnRecord.merged_at.is_not(None))),
            )
        )


NOTHING = "nothing was changed"
UNKNOWN = "may or may not have been saved"  # cut as the COMMIT went: the client cannot know


@pytest.mark.parametrize(
    ("marker", "told"),
    [
        # The checks: the return's record read and locked with the plan's state.
        (b"FOR NO KEY UPDATE", (NOTHING,)),
        # The rows: they leave ahead of the COMMIT, or with it (one send of the pipeline).
        (b"unnest(", (NOTHING, UNKNOWN)),
    ],
    ids=["checks", "rows"],
)
def test_a_merge_cut_off_stores_nothing_and_runs_again(
    server_plan: ServerAddress, tmp_path: Path, marker: bytes, told: tuple[str, ...]
) -> None:
    with Workspace.open(server_plan) as workspace:
        made = make_returns(workspace, 1, 1, tmp_path)
    paths = [m.path for m in made]
    fill_batch(paths, set())
    before = stored(server_plan)
    with Workspace.open(server_plan) as workspace:
        diffs, refused = workspace.read(read_returns, paths)
    assert not refused and sum(len(d.accepted()) for d in diffs) > 0
    proxy = DelayProxy(server_plan, cut_when=marker)
    with proxy, Workspace.open(proxy.address) as workspace, pytest.raises(SaveFailed) as failed:
        workspace.write(apply_returns, diffs)
    assert proxy.cuts == 1
    message = str(failed.value)
    assert any(words in message for words in told), message
    assert "\n" not in message and "Traceback" not in message
    assert stored(server_plan) == before
    with Workspace.open(server_plan) as workspace:
        workspace.write(apply_returns, diffs)
    assert stored(server_plan)[0] > before[0]


def test_a_colleague_merging_the_same_return_waits_then_is_refused(
    server_plan: ServerAddress, tmp_path: Path
) -> None:
    """Two officers merge the same return at the same moment: the second waits on the first's
    lock on the return's record, then finds the plan moved on and merges nothing."""
    with Workspace.open(server_plan) as workspace:
        made = make_returns(workspace, 1, 1, tmp_path)
    path = max((m.path for m in made), key=lambda p: p.stat().st_size)
    fill_batch([path], set())
    first, second = Workspace.open(server_plan), Workspace.open(server_plan)
    try:
        diffs, _ = first.read(read_returns, [path])
        again, _ = second.read(read_returns, [path])
        outcome: list[BaseException | None] = []
        with first.session() as session, session.begin():
            apply_returns(session, diffs)  # holds the record until this commits
            colleague = threading.Thread(target=lambda: outcome.append(merge(second, again)))
            colleague.start()
            colleague.join(timeout=1.0)
            assert colleague.is_alive(), "the colleague's merge did not wait"
        colleague.join(timeout=30)
        (error,) = outcome
        assert isinstance(error, ReturnChanged), error
        assert "nothing was merged: read the return again" in str(error)
    finally:
        first.close()
        second.close()
    history = stored(server_plan)[1]
    with Workspace.open(server_plan) as workspace:  # merged once: its rows are not doubled
        assert workspace.read(read_returns, [path])[0][0].accepted() == []
    assert stored(server_plan)[1] == history


def merge(workspace: Workspace, diffs: list) -> BaseException | None:  # type: ignore[type-arg]
    try:
        workspace.write(apply_returns, diffs)
    except Exception as error:  # handed to the test to look at
        return error
    return None
