"""A spend is dated within its plan's year (or not at all); a new entry starts on a date
inside that year. The rule lives in core.funding.spend_dates; add_spend obeys it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cspdesk.core.funding import summary as funding
from cspdesk.core.funding.spend_dates import default_spend_date, spend_date_problem
from cspdesk.core.plan.model import Spend
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
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


@pytest.mark.both_engines
def test_add_spend_refuses_a_date_outside_the_year_and_writes_nothing(
    workspace: Workspace,
) -> None:
    plan_id = workspace.read(first_plan_id)
    first, _second = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    allocation = workspace.write(funding.add_allocation, grant.id, "£4,000", priority_id=first)
    with pytest.raises(CspdeskError, match=r"^a spend dated 7 Dec 2000 is outside the plan's"):
        workspace.write(funding.add_spend, allocation.id, "£50", spent_on=dt.date(2000, 12, 7))
    assert workspace.read(lambda s: s.execute(select(func.count(Spend.id))).scalar_one()) == 0
    workspace.write(funding.add_spend, allocation.id, "£50", spent_on=dt.date(2017, 3, 31))
    assert workspace.read(funding.funding_summary, plan_id).total.spent == "£50"
