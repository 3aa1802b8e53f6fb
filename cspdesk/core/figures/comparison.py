"""A figure against the same period last year: the change, the % change and the direction,
computed exactly (Decimal) and printed the way councils print them.

Rounding is half up (away from zero on a tie: 12.5% prints as 13%), never banker's rounding.
Counts compare by % change; rates ("%" unit, e.g. a solved rate) compare in percentage points,
so 26.1% against 24.3% is "1.8% better" as seed 004 prints it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BETTER = "better"
WORSE = "worse"
SAME = "same"
RATE_UNITS = {"%", "percent", "per cent", "percentage", "rate"}
COUNT_UNITS = {"", "count", "number", "no.", "no"}
# What a cell holds when a figure is not available (seed 004: "currently unavailable").
UNAVAILABLE = {"", "-", "–", "—", "n/a", "na", "n.a.", "*", "..", "unavailable", "tbc", "tba"}
GROUP_FROM = Decimal(10_000)  # "1833" but "13,058": the seeds' tables group only from 10,000


def is_rate(unit: str) -> bool:
    return unit.strip().lower() in RATE_UNITS


def noun(unit: str, amount: Decimal) -> str:
    """The unit as the thing counted ("crimes", "incidents"), singular for one."""
    word = unit.strip()
    if word.lower() in COUNT_UNITS or is_rate(word):
        return ""
    if abs(amount) == 1 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def parse_figure(text: object) -> Decimal | None:
    """A figure as typed or read from a cell ("1,833", "26.1%", 727): exact; None if blank.

    Raises ValueError for text that is not a number.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int | float):
        return Decimal(str(text))
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.lower() in UNAVAILABLE:
        return None
    cleaned = cleaned.removesuffix("%")
    if not re.fullmatch(r"[-+−]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?", cleaned) or not any(
        c.isdigit() for c in cleaned
    ):
        raise ValueError(f"{text!r} is not a number")
    try:
        return Decimal(cleaned.replace(",", "").replace("−", "-"))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{text!r} is not a number") from error


@dataclass(frozen=True)
class Comparison:
    value: Decimal | None
    previous: Decimal | None
    rate: bool
    better: str  # "up" or "down"
    decimals: int

    @property
    def difference(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def percent(self) -> Decimal | None:
        """% change rounded half up to ``decimals`` places; None for rates or from zero."""
        difference = self.difference
        if difference is None or self.rate or self.previous == 0:
            return None
        assert self.previous is not None
        exact = difference * 100 / self.previous
        return exact.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    @property
    def direction(self) -> str:
        difference = self.difference
        if difference is None:
            return ""
        if difference == 0:
            return SAME
        improved = difference > 0 if self.better == "up" else difference < 0
        return BETTER if improved else WORSE


def compare(
    value: Decimal | None, previous: Decimal | None, *, unit: str, better: str, decimals: int
) -> Comparison:
    return Comparison(value, previous, is_rate(unit), better, decimals)


def format_number(number: Decimal) -> str:
    """Digits as stored, grouped with commas only from 10,000 (the seeds' tables print 1833)."""
    text = format(abs(number), ",f" if abs(number) >= GROUP_FROM else "f")
    return ("-" if number < 0 else "") + text


def format_value(number: Decimal | None, rate: bool) -> str:
    if number is None:
        return ""
    return format_number(number) + ("%" if rate else "")


def _signed(number: Decimal) -> str:
    if number == 0:
        return format_number(abs(number))
    return ("+" if number > 0 else "-") + format_number(abs(number))


def format_difference(c: Comparison) -> str:
    """ "+28", "-5", "0"; for rates, percentage points: "+1.8 points"."""
    difference = c.difference
    if difference is None:
        return ""
    return _signed(difference) + (" points" if c.rate else "")


def format_percent(c: Comparison) -> str:
    """ "+4%", "-2%", "+8.7%", "0%"; "n/a" from a zero last year; "" for rates."""
    if c.rate or c.difference is None:
        return ""
    percent = c.percent
    if percent is None:
        return "n/a"
    return _signed(percent) + "%"


def summary(c: Comparison, unit: str) -> str:
    """The sentence councils head a figure with: "22.6% increase (38 crimes)", "0% change"."""
    difference = c.difference
    if difference is None:
        return "figure unavailable" if c.value is None else "no figure for last year"
    if c.rate:
        if difference == 0:
            return "no change"
        return f"{format_number(abs(difference))}% {c.direction}"
    counted = noun(unit, difference)
    amount = format_number(abs(difference)) + (f" {counted}" if counted else "")
    percent = c.percent
    if percent is None:
        return f"{amount} more than none last year" if difference > 0 else "no change"
    if difference == 0:
        return f"{format_number(abs(percent))}% change"
    word = "increase" if difference > 0 else "reduction"
    return f"{format_number(abs(percent))}% {word} ({amount})"


def headline(summary_text: str, name: str, unit: str, difference: Decimal | None) -> str:
    """ "22.6% increase (38 crimes) in Burglary Dwelling": the summary, then what it is of. The
    unit is said once: "(12 incidents) in Anti-Social Behaviour", not "... Behaviour incidents"."""
    counted = noun(unit, difference).lower() if difference is not None else ""
    if counted:
        for word in {counted, unit.strip().lower()}:
            if name.lower().endswith(" " + word):
                name = name[: -len(word) - 1].rstrip()
                break
    return f"{summary_text} in {name}"


def format_period(start: dt.date | None, end: dt.date | None) -> str:
    """ "1 Apr – 31 Dec 2013", or "1 Apr 2016 – 31 Mar 2017" across a calendar year."""
    if start is None or end is None:
        day = start or end
        return "" if day is None else f"{day.day} {day:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
