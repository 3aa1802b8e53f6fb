"""A spend is dated within its plan's year (or not at all); a new entry starts on a date
inside that year. The rule lives in core.funding.spend_dates; add_spend obeys it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from cspdesk.core.funding import summary as funding
from cspdesk.core.funding.spend_dates import (
    default_spend_date,
    spend_date_problem,
    spends_outside_year,
)
from cspdesk.core.plan.model import Priority, Spend
from cspdesk.core.quarter.checks import SPEND_OUTSIDE_YEAR, run_checks
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.seed_figures import first_plan_id, priority_ids


@pytest.mark.parametrize(
    ("spent_on", "allowed"),
    [
        (None, True),
        (dt.date(2016, 4, 1), True),
        (dt.date(2016, 12, 7), True),
        (dt.date(2017, 3, 31), True),
        (dt.date(2016, 3, 31), False),
        (dt.date(2017, 4, 1), False),
        (dt.date(2000, 12, 7), False),
        (dt.date(2026, 12, 7), False),
    ],
)
def test_a_spend_is_dated_within_its_plans_year(spent_on: dt.date | None, allowed: bool) -> None:
    problem = spend_date_problem("2016/17", spent_on)
    assert (problem is None) == allowed
    if not allowed:
        assert spent_on is not None
        assert problem == (
            f"{spent_on.day} {spent_on:%b %Y} is outside the plan's year 2016/17 "
            "(1 Apr 2016 to 31 Mar 2017); spending is counted in the plan of the year it was spent"
        )


@pytest.mark.parametrize(
    ("today", "current_quarter", "expected"),
    [
        (dt.date(2016, 8, 15), 1, dt.date(2016, 8, 15)),  # the year runs: today
        (dt.date(2017, 3, 31), 4, dt.date(2017, 3, 31)),
        (dt.date(2026, 12, 7), 1, dt.date(2016, 6, 30)),  # an old plan: its quarter's end
        (dt.date(2026, 12, 7), 4, dt.date(2017, 3, 31)),  # ... the year's last day in Q4
        (dt.date(2015, 1, 10), 1, dt.date(2016, 6, 30)),  # a plan ahead of time
    ],
)
def test_a_new_spend_starts_on_a_date_inside_the_year(
    today: dt.date, current_quarter: int, expected: dt.date
) -> None:
    day = default_spend_date("2016/17", current_quarter, today)
    assert day == expected and spend_date_problem("2016/17", day) is None


def _pcc_grant(workspace: Workspace) -> tuple[int, list[int], int]:
    """The first plan, its priorities, and a PCC grant given to it (its id)."""
    plan_id = workspace.read(first_plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    return plan_id, workspace.read(priority_ids, plan_id), grant.id


@pytest.mark.both_engines
def test_add_spend_refuses_a_date_outside_the_year_and_writes_nothing(
    workspace: Workspace,
) -> None:
    plan_id, (first, _second), grant_id = _pcc_grant(workspace)
    allocation = workspace.write(funding.add_allocation, grant_id, "£4,000", priority_id=first)
    with pytest.raises(CspdeskError, match=r"^a spend dated 7 Dec 2000 is outside the plan's"):
        workspace.write(funding.add_spend, allocation.id, "£50", spent_on=dt.date(2000, 12, 7))
    assert workspace.read(lambda s: s.execute(select(func.count(Spend.id))).scalar_one()) == 0
    workspace.write(funding.add_spend, allocation.id, "£50", spent_on=dt.date(2017, 3, 31))
    assert workspace.read(funding.funding_summary, plan_id).total.spent == "£50"


def _stored_as_before(session: Session, allocation_id: int, day: dt.date, pence: int) -> None:
    """A spend written as a version before the rule wrote it: straight into its table."""
    session.execute(
        insert(Spend).values(
            allocation_id=allocation_id, spent_on=day, amount_pence=pence, description="Leaflets"
        )
    )


@pytest.mark.both_engines
def test_spending_stored_outside_the_year_is_counted_and_each_entry_is_checked(
    workspace: Workspace,
) -> None:
    plan_id, (first, second), grant_id = _pcc_grant(workspace)
    to_first = workspace.write(funding.add_allocation, grant_id, "£4,000", priority_id=first)
    to_second = workspace.write(funding.add_allocation, grant_id, "£1,000", priority_id=second)
    workspace.write(funding.add_spend, to_first.id, "£50", spent_on=dt.date(2016, 9, 1))
    workspace.write(_stored_as_before, to_first.id, dt.date(2017, 4, 3), 12_550)
    workspace.write(_stored_as_before, to_second.id, dt.date(2015, 12, 1), 2_000)
    workspace.write(_stored_as_before, to_second.id, dt.date(2017, 3, 31), 300)  # inside

    # Still counted: money is never dropped without a word.
    assert workspace.read(funding.funding_summary, plan_id).total.spent_pence == 5_000 + 14_850
    q4_end = dt.date(2017, 3, 31)
    in_q4 = workspace.read(funding.funding_summary, plan_id, spent_by=q4_end)
    assert in_q4.total.spent_pence == 5_000 + 2_000 + 300  # April 2017 is in no quarter

    outside = workspace.read(spends_outside_year, plan_id)
    assert [(s.spent_on, s.amount_pence, s.fund, s.year) for s in outside] == [
        (dt.date(2015, 12, 1), 2_000, "PCC grant", "2016/17"),
        (dt.date(2017, 4, 3), 12_550, "PCC grant", "2016/17"),
    ]
    titles = dict(workspace.read(lambda s: s.execute(select(Priority.id, Priority.title)).all()))
    assert [s.allocated_to for s in outside] == [titles[second], titles[first]]
    assert outside[0].message == (
        "£20 spent from PCC grant on 1 Dec 2015 (Leaflets) is dated outside the plan's year "
        "2016/17 (1 Apr 2016 to 31 Mar 2017); it is counted in this plan's spending, in every "
        "quarter. Delete the entry and record it again dated when it was spent, in the plan of "
        "that year"
    )
    assert "it is counted in this plan's total spending, though in no quarter's." in (
        outside[1].message
    )

    # The checker lists each, whatever the quarter, after the plan's own findings.
    for quarter in (1, 4):
        found = [f for f in workspace.read(run_checks, plan_id, quarter) if f.entity == "spend"]
        assert [(f.kind, f.id, f.message) for f in found] == [
            (SPEND_OUTSIDE_YEAR, s.spend_id, s.message) for s in outside
        ]
        assert found[0].path == f"Funding › PCC grant › {titles[second]}"


@pytest.mark.file_only
def test_quarter_check_names_a_spend_outside_the_year(workspace_path: Path) -> None:
    with Workspace.open(workspace_path) as workspace:
        allocation = workspace.write(funding.add_allocation, _pcc_grant(workspace)[2], "£4,000")
        workspace.write(_stored_as_before, allocation.id, dt.date(2017, 4, 3), 12_550)
    checked = run_cli("check", "--db", str(workspace_path), "--quarter", "Q1")
    assert checked.returncode == 1, checked.stderr
    assert (
        "Funding › PCC grant: £125.50 spent from PCC grant on 3 Apr 2017 (Leaflets) is dated "
        "outside the plan's year 2016/17 (1 Apr 2016 to 31 Mar 2017); it is counted in this "
        "plan's total spending, though in no quarter's. Delete the entry and record it again "
        "dated when it was spent, in the plan of that year  [spend "
    ) in checked.stdout, checked.stdout
