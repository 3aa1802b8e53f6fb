"""What a plan started by hand is given: the first financial year no plan has yet."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan import periods
from cspdesk.core.plan.model import Plan


def free_plan_year(session: Session, today: dt.date) -> str:
    """This financial year ("2016/17"), or the next one that has no plan in the workspace."""
    taken = set(session.execute(select(Plan.year)).scalars())
    year = periods.year_of(today)
    while year in taken:
        year = periods.next_year(year)
    return year
