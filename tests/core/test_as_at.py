"""The "as at" rule: overdue and late judged at the end of the quarter viewed, once it is past."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cspdesk.core.quarter.checks import run_checks
from cspdesk.core.quarter.overdue import as_at, as_at_text, plan_as_at, returns_as_at
from cspdesk.returns.chase import AWAITED, LATE, chase_list
from cspdesk.returns.make import make_returns
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def test_as_at_is_the_quarter_end_once_past_and_today_before() -> None:
    assert as_at("2016/17", 1, dt.date(2026, 12, 1)) == dt.date(2016, 6, 30)
    assert as_at("2016/17", 4, dt.date(2026, 12, 1)) == dt.date(2017, 3, 31)
    assert as_at("2016/17", 2, dt.date(2016, 8, 15)) == dt.date(2016, 8, 15)
    assert as_at_text(dt.date(2016, 6, 30)) == "as at 30 June 2016"


def test_a_plan_and_its_returns(workspace: Workspace) -> None:
    assert workspace.read(plan_as_at, 1) == dt.date(2016, 6, 30)  # its current quarter, Q1
    assert workspace.read(plan_as_at, 1, 3) == dt.date(2016, 12, 31)
    # A quarter's returns are chased during the next quarter.
    assert workspace.read(returns_as_at, 1, 1) == dt.date(2016, 9, 30)
    assert workspace.read(returns_as_at, 1, 4) == dt.date(2017, 6, 30)


def test_the_chase_heading_names_both_dates_only_when_they_differ(workspace: Workspace) -> None:
    """One truth in the window: the returns' date, and the milestones' when it is another."""
    from cspdesk.core.quarter.overdue import chase_heading

    running = dt.date(2016, 5, 10)  # Q1 runs: returns and milestones both as at today
    assert workspace.read(chase_heading, 1, 1, running) == (
        running,
        "Q1 partner returns, late or not as at 10 May 2016",
    )
    chasing = dt.date(2016, 7, 20)  # Q1 is over, not closed: its returns are being chased
    day, heading = workspace.read(chase_heading, 1, 1, chasing)
    assert day == chasing == workspace.read(returns_as_at, 1, 1, chasing)
    assert heading == (
        "Q1 partner returns, late or not as at 20 July 2016: they are due after Q1 ends and "
        "chased during Q2. The plan's milestones are judged overdue as at 30 June 2016, as its "
        "Q1 report prints them."
    )
    assert workspace.read(plan_as_at, 1, None, chasing) == dt.date(2016, 6, 30)
    _day, last = workspace.read(chase_heading, 1, 4, dt.date(2026, 12, 1))
    assert "chased during Q1 2017/18" in last


def test_checker_and_chase_list_judge_as_at_by_default(
    workspace: Workspace, tmp_path: Path
) -> None:
    # "Campaign two launched" is due 31 Dec 2016 and not done: overdue today, not at Q1's end.
    assert not [f for f in workspace.read(run_checks, 1, 1) if "overdue" in f.message]
    assert [f for f in workspace.read(run_checks, 1, 4) if "overdue" in f.message]
    make_returns(workspace, 1, 1, tmp_path, due=dt.date(2016, 10, 14))
    assert {r.status for r in workspace.read(chase_list, 1, 1)} == {AWAITED}
    make_returns(workspace, 1, 2, tmp_path, due=dt.date(2016, 10, 14))
    assert {r.status for r in workspace.read(chase_list, 1, 2)} == {LATE}


def test_the_tree_judges_each_plan_as_at_its_own_quarter(workspace: Workspace) -> None:
    from cspdesk.core.plan import ops
    from cspdesk.core.quarter.outline import TreeLoader

    def second_plan(session):  # type: ignore[no-untyped-def]
        plan = ops.add_item(session, "plan", None, year="2017/18", title="Plan 2017/18").id
        priority = ops.add_item(session, "priority", plan, title="P").id
        objective = ops.add_item(session, "objective", priority, title="O").id
        action = ops.add_item(session, "action", objective, title="A").id
        ops.add_item(
            session, "milestone", action, title="Due in May 2017", due_date=dt.date(2017, 5, 1)
        )

    workspace.write(second_plan)
    today = dt.date(2026, 12, 1)
    root = workspace.read(lambda s: TreeLoader(s, today).load())
    overdue = {n.title: n.overdue for n in root.walk() if n.kind == "milestone"}
    assert overdue["Due in May 2017"]  # as at 30 June 2017
    assert not overdue["Campaign two launched"]  # due Dec 2016, as at 30 June 2016
    one = workspace.read(lambda s: TreeLoader(s, today).load_item("plan", 1))
    assert not any(n.overdue for n in one.walk())


@pytest.mark.parametrize(
    ("due", "done", "day", "words", "overdue"),
    [
        ("2016-10-31", None, dt.date(2016, 12, 31), "overdue – due 31 Oct 2016", True),
        ("2016-10-31", None, dt.date(2016, 10, 31), "due 31 Oct 2016", False),  # due that day
        ("2016-10-31", "2016-10-03", dt.date(2016, 12, 31), "done 3 Oct 2016", False),
        # Done after the day: not known then, so overdue as at the day.
        ("2016-09-15", "2016-11-20", dt.date(2016, 9, 30), "overdue – due 15 Sep 2016", True),
        (None, "2016-11-20", dt.date(2016, 9, 30), "", False),
        (dt.date(2016, 9, 1), None, dt.date(2016, 9, 30), "overdue – due 1 Sep 2016", True),
    ],
)
def test_a_milestone_as_at_a_day(
    due: object, done: object, day: dt.date, words: str, overdue: bool
) -> None:
    from cspdesk.core.quarter.as_at import milestone_as_at

    state = milestone_as_at(due, done, day)
    assert (state.words(), state.overdue) == (words, overdue)


def test_as_at_a_quarter_counts_figures_and_spending_to_its_end() -> None:
    from cspdesk.core.quarter.as_at import AsAt

    running = AsAt.of_quarter("2016/17", 3, dt.date(2016, 11, 15))
    assert (running.day, running.up_to) == (dt.date(2016, 11, 15), dt.date(2016, 12, 31))
    past = AsAt.of_quarter("2016/17", 1, dt.date(2026, 12, 1))
    assert (past.day, past.up_to, past.text) == (
        dt.date(2016, 6, 30),
        dt.date(2016, 6, 30),
        "as at 30 June 2016",
    )
    assert AsAt.today(dt.date(2017, 2, 1)).up_to == dt.date(2017, 2, 1)
