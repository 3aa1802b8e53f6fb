"""Column headings of police performance summaries read as periods.

Understands "1 Apr – 31 Dec 2013", "01 April 2013 to 31 December 2013", "1/4/16 to 31/3/17",
"Apr–Dec 2013", "Q3 2013/14", "2016/17", and the words such sheets use for the comparison
columns ("Same period last year", "Previous year", "PYTD") and for columns we compute ourselves
("Change", "% change", "Difference").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from cspdesk.core.plan import periods

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_SIDE = re.compile(
    rf"^(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})(?:\s*[-'’]?\s*(?P<year>\d{{4}}|\d{{2}}))?$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4}|\d{2})$")
_RANGE_WORD = re.compile(r"\s+(?:to|until)\s+", re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:–|—|-)\s*")
_FY = r"(?P<fy>\d{4}\s*[/-]\s*(?:\d{4}|\d{2})|\d{2}\s*/\s*\d{2})"
_FY2 = _FY.replace("<fy>", "<fy2>")
_QUARTER = re.compile(
    rf"\bq\s*(?P<q>[1-4])\b.*?{_FY}|{_FY2}.*?\bq\s*(?P<q2>[1-4])\b", re.IGNORECASE
)
_WHOLE_FY = re.compile(rf"^(?:fy|financial year|year)?\s*{_FY}$", re.IGNORECASE)
PREVIOUS_WORDS = re.compile(
    r"\b(last year|previous year|prior year|same period last year|pytd|ly|previous)\b",
    re.IGNORECASE,
)
CURRENT_WORDS = re.compile(r"\b(this year|current|ytd|year to date|cytd|ty)\b", re.IGNORECASE)
DIFFERENCE_WORDS = re.compile(
    r"^(no\.?|number|numeric|actual)?\s*(change|difference|diff|\+/-|\+/−)$", re.IGNORECASE
)
VALUE_WORDS = re.compile(
    r"^(total|number|no\.?|count|figure|actual|recorded)?\s*(of\s+)?"
    r"(crimes?|incidents?|offences?|victims?)?$",
    re.IGNORECASE,
)
COMPUTED_WORDS = re.compile(
    r"(change|difference|diff\b|variance|%|per ?cent|direction|trend|rank|notes?|comment)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def shifted(self, years: int) -> Period:
        return Period(_add_years(self.start, years), _add_years(self.end, years))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    number = int(text)
    return number + 2000 if number < 100 else number


def _side(text: str) -> tuple[int | None, int, int | None] | None:
    """(day, month, year) of one end of a range; day or year may be missing."""
    text = text.strip().strip(",")
    match = _NUMERIC.match(text)
    if match:
        return int(match["day"]), int(match["month"]), _year(match["year"])
    match = _SIDE.match(text)
    if match:
        month = MONTHS.get(match["month"].lower().rstrip("."))
        if month is None:
            month = MONTHS.get(match["month"].lower()[:3])
        if month is None:
            return None
        return (int(match["day"]) if match["day"] else None), month, _year(match["year"])
    return None


def _fy_start(text: str) -> int | None:
    try:
        return periods.start_year(text.replace(" ", "") if len(text) > 5 else "20" + text)
    except ValueError:
        return None


def parse_period(text: str) -> Period | None:
    """The period a heading names, or None when it names none."""
    text = " ".join(str(text).split())
    if not text:
        return None
    match = _QUARTER.search(text)
    if match:
        start_year = _fy_start(match["fy"] or match["fy2"])
        if start_year is None:
            return None
        year = f"{start_year}/{str(start_year + 1)[-2:]}"
        return Period(*periods.quarter_bounds(year, int(match["q"] or match["q2"])))
    match = _WHOLE_FY.match(text)
    if match:
        start_year = _fy_start(match["fy"])
        return (
            None
            if start_year is None
            else Period(dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31))
        )
    # A range: strip any words before the first date ("Summary of crime for 1/4/16 to ...").
    found = re.search(
        rf"(\b\d{{1,2}}[/.]\d|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|\b{_MONTH})",
        text,
        re.IGNORECASE,
    )
    if not found:
        return None
    rest = text[found.start() :]
    splitter = _RANGE_WORD if _RANGE_WORD.search(rest) else _RANGE
    sides = splitter.split(rest, maxsplit=1)
    if len(sides) != 2:
        return None
    left, right = _side(sides[0]), _side(sides[1])
    if left is None or right is None or right[2] is None:
        return None
    end_year = right[2]
    end_day = right[0] or calendar.monthrange(end_year, right[1])[1]
    try:
        end = dt.date(end_year, right[1], end_day)
        start_year = left[2] if left[2] is not None else end_year
        start = dt.date(start_year, left[1], left[0] or 1)
    except ValueError:
        return None
    if left[2] is None and start > end:
        start = _add_years(start, -1)
    return Period(start, end) if start <= end else None


def is_previous_heading(text: str) -> bool:
    return bool(PREVIOUS_WORDS.search(str(text)))


def is_current_heading(text: str) -> bool:
    return bool(CURRENT_WORDS.search(str(text)))


def is_computed_heading(text: str) -> bool:
    return bool(COMPUTED_WORDS.search(str(text)))


def is_difference_heading(text: str) -> bool:
    """ "Change", "No. change", "Difference": last year is the figure less this."""
    return bool(DIFFERENCE_WORDS.match(" ".join(str(text).split())))


def is_value_heading(text: str) -> bool:
    """ "Total crimes", "Number", "Incidents": the figure for the period named above the table."""
    text = " ".join(str(text).split())
    return bool(text) and bool(VALUE_WORDS.match(text))


def heading_kind(text: str) -> str | None:
    """ "period", "previous", "difference", "current", "computed" or None (a plain heading)."""
    if not text:
        return None
    if parse_period(text) is not None:
        return "period"
    if is_previous_heading(text):
        return "previous"
    if is_difference_heading(text):
        return "difference"
    if is_computed_heading(text):
        return "computed"
    if is_current_heading(text) or is_value_heading(text):
        return "current"
    return None
