"""Dates as officers type them in a plan's Start, Due and Timescale cells.

dateutil reads the spellings ("30.09.16", "1st June 2016", "2016-06-01"); the rules that are
ours sit on top of it: a month means its first day as a start and its last day as a due date
("March 2017" due is 31 March 2017), "Q3 16/17" is that quarter, and a day or month without a
year ("1st June", "end of March") takes its year from the plan's financial year (April to March).
Anything else ("Ongoing", "TBC", "Winter 2016") is not a date: the caller keeps it as text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

from cspdesk.core.plan import periods

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
_LEAD_WORDS = re.compile(
    r"^(?:(?:due|by|before|end\s+of|end|until|to|deadline|completed?\s+by|start(?:s|ing)?|from)"
    r"[\s:]+)+",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(r"^(?P<month>[a-z]+)\.?,?\s*['’]?\s*(?P<year>\d{4}|\d{2})$", re.IGNORECASE)
_MONTH_ONLY = re.compile(r"^(?P<month>[a-z]+)\.?$", re.IGNORECASE)
_QUARTER = re.compile(
    r"^q\s*(?P<q>[1-4])(?:\s*(?P<fy>\d{4}\s*[/-]\s*\d{2,4}|\d{2}\s*/\s*\d{2}))?$", re.IGNORECASE
)
_HAS_DIGIT_OR_MONTH = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE
)
_DEFAULTS = (dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2))  # tell given parts from defaults


@dataclass(frozen=True)
class TypedDate:
    day: dt.date
    how: str  # what was assumed, for the preview's guesses ("" when the text said it all)


def _month(word: str) -> int | None:
    return _MONTHS.get(word.lower()) or _MONTHS.get(word.lower()[:3])


def _year(text: str) -> int:
    number = int(text)
    return number + 2000 if number < 100 else number


def _fy_year(month: int, plan_year: str) -> int:
    """The calendar year of ``month`` within the financial year ``plan_year`` ("2016/17")."""
    start = periods.start_year(plan_year)
    return start if month >= 4 else start + 1


def _month_day(year: int, month: int, due: bool) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1] if due else 1)


@functools.lru_cache(maxsize=4096)  # a plan repeats its timescales ("Q1-4", "Ongoing")
def read_typed_date(text: str, *, due: bool, plan_year: str | None) -> TypedDate | None:
    """The date ``text`` names as a start (``due`` False) or a due date, or None."""
    raw = " ".join(str(text).split())
    words = _LEAD_WORDS.sub("", raw).strip(" .,")
    if not words or not _HAS_DIGIT_OR_MONTH.search(words) or len(words) > 40:
        return None
    end_of = bool(re.match(r"^end\s+(?:of\s+)?", raw, re.IGNORECASE))
    quarter = _QUARTER.match(words)
    if quarter:
        year = quarter["fy"] or plan_year
        if year is None:
            return None
        try:
            fy = periods.parse_year(year if len(year) > 5 else f"20{year}")
        except ValueError:
            return None
        first, last = periods.quarter_bounds(fy, int(quarter["q"]))
        how = "" if quarter["fy"] else f" (of the plan's year {fy})"
        return TypedDate(last if due else first, f"the {'last' if due else 'first'} day of the "
                         f"quarter{how}")  # fmt: skip
    month_year = _MONTH_YEAR.match(words)
    if month_year and (month := _month(month_year["month"])) is not None:
        year = _year(month_year["year"])
        if not 2000 <= year <= 2099:
            return None
        how = "the last day of the month" if due or end_of else "the first of the month"
        return TypedDate(_month_day(year, month, due or end_of), how)
    month_only = _MONTH_ONLY.match(words)
    if month_only and (month := _month(month_only["month"])) is not None:
        if plan_year is None:
            return None
        day = _month_day(_fy_year(month, plan_year), month, due or end_of)
        return TypedDate(day, f"in the plan's year {plan_year}")
    return _by_dateutil(words, plan_year)


def _by_dateutil(words: str, plan_year: str | None) -> TypedDate | None:
    try:
        first, second = (
            dateutil_parser.parse(words, dayfirst=True, default=default) for default in _DEFAULTS
        )
    except (ValueError, OverflowError, TypeError):
        return None
    if first.day != second.day or first.month != second.month:
        return None  # a month and year only is handled above; a bare year or day is no date
    if first.time() != dt.time() and first.time() != _DEFAULTS[0].time():
        return None
    if first.year == second.year:
        return TypedDate(first.date(), "") if 2000 <= first.year <= 2099 else None
    if plan_year is None:
        return None
    year = _fy_year(first.month, plan_year)
    try:
        return TypedDate(first.date().replace(year=year), f"in the plan's year {plan_year}")
    except ValueError:  # 29 February
        return None
