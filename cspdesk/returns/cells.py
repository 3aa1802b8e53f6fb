"""Reading what partners type: dates in any common UK form, RAG words, blank-ish cells."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence

from cspdesk.core.plan.model import RagStatus
from cspdesk.core.rag.scheme import parse_rag
from cspdesk.returns.layout import normalise_text

_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B %y",
    "%d %b %y",
    "%B %d %Y",
    "%b %d %Y",
)
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
EXCEL_EPOCH = dt.date(1899, 12, 30)


class NotADate(ValueError):
    pass


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: object) -> dt.date | None:
    """A date from a date cell, an Excel serial number or typed text; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial day number whose date format was lost
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise NotADate(f"{value!r} is not a date")
    text = _ORDINAL.sub(r"\1", str(value)).replace(",", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if text.endswith(" 00:00:00"):
        text = text[: -len(" 00:00:00")]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise NotADate(f"{str(value).strip()!r} is not a date ({_why_not(text)})")


_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


def _why_not(text: str) -> str:
    """Why a day/month/year that looks like a date is not one: "there is no 31 September"."""
    match = _NUMERIC.match(text)
    if match is None:
        return "use dd/mm/yyyy"
    day, month, year = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}; use dd/mm/yyyy"
    year = year + 2000 if year < 100 else year
    last = calendar.monthrange(year, month)[1]
    if day > last or day < 1:
        return f"there is no {day} {calendar.month_name[month]} {year}"
    return "use dd/mm/yyyy"


def try_rag(value: object, scheme: Iterable[RagStatus]) -> tuple[bool, str | None]:
    """(True, code) when ``value`` is blank or names a status, else (False, None)."""
    try:
        return True, parse_rag(value, scheme)
    except ValueError:
        return False, None


_BOTH = re.compile(r"\s*(?:/|\\|&|\+|,|\bor\b|\band\b|\bto\b|-(?=\s*[A-Za-z]))\s*", re.I)
# "N/A" is "not applicable", never Not started and Amber at once.
_NOT_APPLICABLE = re.compile(r"\s*(?:n\s*[/\\.]\s*a\.?|not\s+applicable)\s*", re.I)


def read_rag(value: object, scheme: Sequence[RagStatus]) -> tuple[bool, str | None, str]:
    """(True, code, note) when ``value`` is blank or names a status; two statuses at once
    ("Amber/Red") give the less favourable, with a note saying so; one status said twice
    ("Green - on track") is that status; else (False, None, ""), "N/A" included."""
    ok, code = try_rag(value, scheme)
    if ok and code is None and not is_blank(value):
        return False, None, ""  # a number, or punctuation alone: something, but no status
    if ok or not isinstance(value, str):
        return ok, code, ""
    if _NOT_APPLICABLE.fullmatch(value):
        return False, None, ""
    parts = [p for p in _BOTH.split(value.strip()) if p]
    if len(parts) < 2:
        return False, None, ""
    codes = []
    for part in parts:
        ok, code = try_rag(part, scheme)
        if not ok or code is None:
            return False, None, ""
        codes.append(code)
    if len(set(codes)) == 1:  # "Green - on track": one status, said twice
        return True, codes[0], ""
    ranks = {s.code: s.rank for s in scheme}
    ranked = [c for c in codes if ranks.get(c) is not None]
    worst = min(ranked, key=lambda c: ranks[c] or 0) if ranked else codes[0]
    label = next((s.label for s in scheme if s.code == worst), worst)
    note = f"{value.strip()!r} names two statuses: the less favourable, {label}, was taken"
    return True, worst, note


def _clock(value: dt.time) -> str:
    return f"{value:%H:%M:%S}" if value.second or value.microsecond else f"{value:%H:%M}"


def cell_text(value: object) -> str:
    """A cell as text the way a partner sees it (dates as dd/mm/yyyy, 3.0 as 3)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return f"{value:%d/%m/%Y} {_clock(value.time())}"  # the time is the partner's too
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return _clock(value)
    if isinstance(value, bool):  # as a spreadsheet shows it, not Python's True
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise_text(value)
