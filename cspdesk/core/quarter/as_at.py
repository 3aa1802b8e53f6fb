"""The one "as at" rule: what a quarter's appendix, its charts and the export may say.

A quarter is printed as it stood at its end: figures only for periods that ended by then,
spending dated by then, a milestone done only if done by then and overdue if its due date had
passed by then. While the quarter runs, "then" is today. The export is the plan as it stands
today (``AsAt.today``). The PDF, the HTML, the Word appendix and the export all read this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cspdesk.core.plan.periods import quarter_bounds


def as_at(year: str, quarter: int, today: dt.date | None = None) -> dt.date:
    """The date overdue and late are judged on for ``quarter`` of the plan ``year``: its end
    once it is over, else today."""
    today = today or dt.date.today()
    return min(quarter_bounds(year, quarter)[1], today)


def as_at_text(day: dt.date) -> str:
    """'as at 30 June 2016'."""
    return f"as at {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class AsAt:
    """``day``: milestones are judged on it; ``up_to``: the last day a figure's period or a
    spend may end on and still be counted (the quarter's end, even while it runs, so figures
    entered for the quarter itself count)."""

    day: dt.date
    up_to: dt.date

    @classmethod
    def of_quarter(cls, year: str, quarter: int, today: dt.date | None = None) -> AsAt:
        return cls(as_at(year, quarter, today), quarter_bounds(year, quarter)[1])

    @classmethod
    def today(cls, today: dt.date | None = None) -> AsAt:
        day = today or dt.date.today()
        return cls(day, day)

    @property
    def text(self) -> str:
        return as_at_text(self.day)


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime, an ISO string (a plan tree or a snapshot) or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class MilestoneAsAt:
    """A milestone as it stood on a day: done (by then), overdue, or still to come."""

    due: dt.date | None
    done: dt.date | None  # None when not done by the day, even if done since
    overdue: bool

    def words(self) -> str:
        """ "done 3 Oct 2016", "overdue – due 31 Oct 2016", "due 30 Sep 2016" or ""."""
        if self.done is not None:
            return f"done {_day(self.done)}"
        if self.overdue and self.due is not None:
            return f"overdue – due {_day(self.due)}"
        return f"due {_day(self.due)}" if self.due is not None else ""


def milestone_as_at(due: Any, done: Any, day: dt.date) -> MilestoneAsAt:
    """The milestone on ``day``: a done date after it is not yet known; due before it and not
    done is overdue (due on the day itself is not yet)."""
    due_date, done_date = as_date(due), as_date(done)
    if done_date is not None and done_date > day:
        done_date = None
    overdue = done_date is None and due_date is not None and due_date < day
    return MilestoneAsAt(due_date, done_date, overdue)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"
