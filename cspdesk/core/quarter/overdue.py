"""Overdue milestones and late returns: a due date that has passed, judged "as at" one date.

The as-at date (core.quarter.as_at, the one rule) is the end of the quarter being viewed or
printed once that quarter is over, and today while it runs: a 2016/17 plan opened years later
reads as it stood at its quarter's end, not with every milestone overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Plan
from cspdesk.core.plan.periods import next_year
from cspdesk.core.quarter.as_at import as_at, as_at_text, milestone_as_at

__all__ = ["as_at", "as_at_text", "chase_heading", "is_overdue", "plan_as_at", "returns_as_at"]


def plan_as_at(
    session: Session, plan_id: int, quarter: int | None = None, today: dt.date | None = None
) -> dt.date:
    """``as_at`` for a plan's ``quarter`` (default: its current quarter)."""
    year, current = session.execute(
        select(Plan.year, Plan.current_quarter).where(Plan.id == plan_id)
    ).one()
    return as_at(year, quarter or current, today)


def returns_as_at(
    session: Session, plan_id: int, quarter: int, today: dt.date | None = None
) -> dt.date:
    """The date a quarter's partner returns are judged late on.

    Returns for a quarter are due after it ends and chased during the next one, so they are
    judged as at that next quarter's end (or today while it runs).
    """
    year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one()
    if quarter < 4:
        return as_at(year, quarter + 1, today)
    return as_at(next_year(year), 1, today)


def chase_heading(
    session: Session, plan_id: int, quarter: int, today: dt.date | None = None
) -> tuple[dt.date, str]:
    """The date a quarter's returns are judged late on, and the chase list's heading saying it.

    When that is not the date the plan's milestones are judged overdue on (the tree's, the
    checker's, the report's: ``plan_as_at``), the heading names both and why they differ, so
    the window never shows two "as at" dates that seem to disagree.
    """
    year, current = session.execute(
        select(Plan.year, Plan.current_quarter).where(Plan.id == plan_id)
    ).one()
    returns_day = returns_as_at(session, plan_id, quarter, today)
    milestones_day = as_at(year, current, today)
    heading = f"Q{quarter} partner returns, late or not {as_at_text(returns_day)}"
    if returns_day == milestones_day:
        return returns_day, heading
    chased_in = f"Q{quarter + 1}" if quarter < 4 else f"Q1 {next_year(year)}"
    return returns_day, (
        f"{heading}: they are due after Q{quarter} ends and chased during {chased_in}. "
        f"The plan's milestones are judged overdue {as_at_text(milestones_day)}, as its "
        f"Q{current} report prints them."
    )


def is_overdue(milestone_or_fields: Any, today: dt.date) -> bool:
    """True when the due date is before ``today`` and there is no done date.

    Takes a Milestone, a Core row, or a mapping with ``due_date`` and ``done_date`` (dates or
    ISO strings, as in a plan tree or a snapshot payload). Due today is not yet overdue.
    """
    if isinstance(milestone_or_fields, Mapping):
        due = milestone_or_fields.get("due_date")
        done = milestone_or_fields.get("done_date")
    elif hasattr(milestone_or_fields, "_mapping"):
        fields = milestone_or_fields._mapping
        due, done = fields.get("due_date"), fields.get("done_date")
    else:
        due = getattr(milestone_or_fields, "due_date", None)
        done = getattr(milestone_or_fields, "done_date", None)
    return milestone_as_at(due, done, today).overdue
