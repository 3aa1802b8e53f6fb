"""When spending may be dated: within its plan's financial year, where it is counted.

A spend dated outside the year would be counted in that year's funding and report all the
same (the summary sums a plan's spending by allocation), so it is refused at the door: by
``add_spend``, and shown in the dialog and the command line's words before anything is written.
Spending an older version stored outside its year stays counted (money left out of the totals
without a word would be worse) and is named, each entry, by ``spends_outside_year`` for the
checker, so the officer can correct it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cspdesk.core.funding.money import format_money
from cspdesk.core.plan.model import Action, Allocation, Grant, Plan, Priority, Spend
from cspdesk.core.plan.periods import quarter_bounds


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the financial year "2016/17" (1 Apr 2016, 31 Mar 2017)."""
    return quarter_bounds(year, 1)[0], quarter_bounds(year, 4)[1]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def spend_date_problem(year: str, spent_on: dt.date | None) -> str | None:
    """Why a spend dated ``spent_on`` cannot go in the plan of ``year``; None when it can
    (undated spending is allowed: it is counted in the year, in no quarter)."""
    if spent_on is None:
        return None
    first, last = year_bounds(year)
    if first <= spent_on <= last:
        return None
    return (
        f"{_day(spent_on)} is outside the plan's year {year} ({_day(first)} to {_day(last)}); "
        "spending is counted in the plan of the year it was spent"
    )


def default_spend_date(year: str, current_quarter: int, today: dt.date) -> dt.date:
    """The date a new spend entry starts with: today while the plan's year runs, else the
    end of the quarter the plan is in (the one being reported), which is inside its year."""
    first, last = year_bounds(year)
    if first <= today <= last:
        return today
    return quarter_bounds(year, current_quarter)[1]


@dataclass(frozen=True)
class SpendOutsideYear:
    """A spend entry stored dated outside its plan's year (by a version before the rule)."""

    spend_id: int
    fund: str  # the grant's source ("PCC grant")
    allocated_to: str  # the action's or priority's title ("" when not assigned)
    spent_on: dt.date
    amount_pence: int
    description: str
    year: str  # the plan's ("2016/17")

    @property
    def message(self) -> str:
        """What the officer is told: which money, when, the year, and how it is counted."""
        first, last = year_bounds(self.year)
        what = f" ({' '.join(self.description.split())})" if self.description.strip() else ""
        counted = (
            "counted in this plan's spending, in every quarter"
            if self.spent_on < first
            else "counted in this plan's total spending, though in no quarter's"
        )
        return (
            f"{format_money(self.amount_pence)} spent from {self.fund} on "
            f"{_day(self.spent_on)}{what} is dated outside the plan's year {self.year} "
            f"({_day(first)} to {_day(last)}); it is {counted}. Delete the entry and record it "
            "again dated when it was spent, in the plan of that year"
        )


def spends_outside_year(session: Session, plan_id: int) -> list[SpendOutsideYear]:
    """Every spend entry of the plan dated outside its year, in date order."""
    year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one()
    first, last = year_bounds(year)
    rows = session.execute(
        select(
            Spend.id,
            Grant.source,
            Action.title,
            Priority.title,
            Spend.spent_on,
            Spend.amount_pence,
            Spend.description,
        )
        .join(Allocation, Allocation.id == Spend.allocation_id)
        .join(Grant, Grant.id == Allocation.grant_id)
        .outerjoin(Action, Action.id == Allocation.action_id)
        .outerjoin(Priority, Priority.id == Allocation.priority_id)
        .where(
            Grant.plan_id == plan_id,
            or_(Spend.spent_on < first, Spend.spent_on > last),
        )
        .order_by(Spend.spent_on, Spend.id)
    )
    return [
        SpendOutsideYear(
            spend_id, source, action or priority or "", spent_on, amount, description or "", year
        )
        for spend_id, source, action, priority, spent_on, amount, description in rows
        if spent_on is not None  # undated spending is allowed (counted in no quarter)
    ]
