"""Financial years ("2016/17", April to March) and their quarters (Q1 = Apr-Jun)."""

from __future__ import annotations

import datetime as dt
import re

_YEAR = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$")
_YEAR_IN_TEXT = re.compile(r"\b(20\d\d)(\s*[/\-–]\s*)(20\d\d|\d\d)\b")
QUARTER_NAMES = {1: "1st Quarter", 2: "2nd Quarter", 3: "3rd Quarter", 4: "4th Quarter"}
QUARTER_MONTHS = {1: "Apr–Jun", 2: "Jul–Sep", 3: "Oct–Dec", 4: "Jan–Mar"}


def parse_year(text: str) -> str:
    """Normalise "2016/17", "2016-17", "2016/2017" to "2016/17"; ValueError otherwise."""
    match = _YEAR.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a financial year like 2016/17")
    start = int(match.group(1))
    end = match.group(2)
    end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if end_full != start + 1:
        raise ValueError(f"{text!r} is not a financial year like 2016/17")
    return f"{start}/{str(start + 1)[-2:]}"


def retitled(title: str, year: str) -> str:
    """``title`` naming ``year`` where it names another financial year, in the title's own
    style ("Plan 2016/17" -> "Plan 2018/19", "Plan 2016-2017" -> "Plan 2018-2019"); as it was
    when it names no year, or more than one."""
    named = []
    for found in _YEAR_IN_TEXT.finditer(title):
        try:
            parse_year(found.group(0))
        except ValueError:
            continue
        named.append(found)
    if len(named) != 1:
        return title
    found, first = named[0], start_year(year)
    end = str(first + 1) if len(found.group(3)) == 4 else str(first + 1)[-2:]
    return f"{title[: found.start()]}{first}{found.group(2)}{end}{title[found.end() :]}"


def start_year(year: str) -> int:
    return int(parse_year(year)[:4])


def next_year(year: str) -> str:
    first = start_year(year) + 1
    return f"{first}/{str(first + 1)[-2:]}"


def year_of(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{str(first + 1)[-2:]}"


def parse_quarter(text: str | int) -> int:
    """1-4 from "Q1", "q 2", "3" or 4."""
    match = re.fullmatch(r"\s*[qQ]?\s*([1-4])\s*", str(text))
    if not match:
        raise ValueError(f"{text!r} is not a quarter (Q1 to Q4)")
    return int(match.group(1))


def quarter_bounds(year: str, quarter: int) -> tuple[dt.date, dt.date]:
    first = start_year(year)
    start_month = {1: 4, 2: 7, 3: 10, 4: 1}[quarter]
    calendar_year = first + 1 if quarter == 4 else first
    start = dt.date(calendar_year, start_month, 1)
    end_month = start_month + 3
    end = dt.date(calendar_year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - dt.timedelta(
        days=1
    )
    return start, end


def quarter_of(day: dt.date) -> int:
    return {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)


def quarter_title(year: str, quarter: int) -> str:
    return f"{QUARTER_NAMES[quarter]} Update"
