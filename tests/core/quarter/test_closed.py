"""The one answer to "is this quarter closed?" (core.quarter.guards), and every reader built on
it: the quarters listed closed, the date a return's refusal names, a frozen title block."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.core.plan import ops
from cspdesk.core.plan.plans import latest_plan_id
from cspdesk.core.quarter.changes import quarters_with_updates
from cspdesk.core.quarter.closing import close_quarter, reopen_quarter
from cspdesk.core.quarter.guards import closed_on, closed_quarters, is_quarter_closed
from cspdesk.core.quarter.snapshots import previous_closed, snapshot_payload
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def answers(workspace: Workspace, plan_id: int) -> list[bool]:
    return [workspace.read(is_quarter_closed, plan_id, q) for q in range(1, 5)]


def test_a_quarter_is_closed_from_its_close_until_it_is_reopened(workspace: Workspace) -> None:
    plan_id = workspace.read(latest_plan_id)
    assert answers(workspace, plan_id) == [False] * 4
    assert workspace.read(closed_quarters, plan_id) == set()
    assert workspace.read(closed_on, plan_id, 1) is None

    workspace.write(close_quarter, plan_id, 1)
    assert answers(workspace, plan_id) == [True, False, False, False]
    assert workspace.read(closed_quarters, plan_id) == {1}
    when = workspace.read(closed_on, plan_id, 1)
    assert isinstance(when, dt.datetime)
    assert abs(when - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)
    assert workspace.read(snapshot_payload, plan_id, 1) is not None

    workspace.write(reopen_quarter, plan_id, 1, "a late return")  # its snapshot row stays
    assert answers(workspace, plan_id) == [False] * 4
    assert workspace.read(closed_quarters, plan_id) == set()
    assert workspace.read(closed_on, plan_id, 1) is None
    assert workspace.read(snapshot_payload, plan_id, 1) is None
    assert workspace.read(previous_closed, plan_id, 2) is None

    workspace.write(close_quarter, plan_id, 1)
    assert answers(workspace, plan_id) == [True, False, False, False]
    assert workspace.read(previous_closed, plan_id, 2) == (plan_id, 1)


def test_another_plans_closed_quarter_is_not_this_ones(workspace: Workspace) -> None:
    plan_id = workspace.read(latest_plan_id)
    other = workspace.write(ops.add_item, "plan", None, year="2017/18").id
    workspace.write(close_quarter, other, 1)
    assert workspace.read(closed_quarters, other) == {1}
    assert answers(workspace, plan_id) == [False] * 4


def test_quarters_with_updates_count_words_or_a_rag(workspace: Workspace) -> None:
    plan_id = workspace.read(latest_plan_id)
    assert workspace.read(quarters_with_updates, plan_id) == {1}
