"""When spending may be dated: within its plan's financial year, where it is counted.

A spend dated outside the year would be counted in that year's funding and report all the
same (the summary sums a plan's spending by allocation), so it is refused at the door: by
``add_spend``, and shown in the dialog and the command line's words before anything is written.
"""

from __future__ import annotations

import datetime as dt

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
