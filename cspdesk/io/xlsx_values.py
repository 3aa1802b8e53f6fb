"""Turning cell values into plan values: text, dates, RAG (typed or by fill colour), milestones."""

from __future__ import annotations

import colorsys
import datetime as dt
import re
from collections.abc import Sequence

from cspdesk.core.leads.plan_draft import MilestoneDraft

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y",
                 "%d %b %Y", "%B %Y", "%b %Y")  # fmt: skip
_BULLET = re.compile(r"(?:^|\n)\s*(?:[•·▪◦●\-*]|o(?=\s))\s*")
_MILESTONE = re.compile(
    r"^(?P<title>.*?)(?:\s*\((?P<dates>(?:due|done)\b[^()]*)\))?(?:\s*\[(?P<rag>[^\]]+)\])?\s*$",
    re.DOTALL,
)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Plausible Excel serial day numbers: 1 Jan 2000 to 31 Dec 2060.
SERIAL_RANGE = (36526, 58805)


def is_blank(value: object) -> bool:
    return value is None or value == "" or (type(value) is str and value.isspace())


def as_text(value: object) -> str:
    """A cell as the text a person sees (dates as dd/mm/yyyy, 3.0 as 3)."""
    if type(value) is str:
        if "\r" not in value and "\n" not in value:
            return value.strip()
    elif value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def serial_to_date(number: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_date(value: object) -> tuple[dt.date | None, str | None]:
    """(date, note): a date cell, an Excel serial number or a typed date; note says what was
    assumed, or why nothing could be read."""
    if is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            day = serial_to_date(value)
            return day, f"date given as the number {as_text(value)}; read as {day:%d/%m/%Y}"
        return None, f"{as_text(value)} is not a date"
    text = as_text(value)
    quick = _DMY.match(text)
    if quick:
        day, month, year = (int(g) for g in quick.groups())
        try:
            return dt.date(year, month, day), None
        except ValueError:
            return None, f"{text!r} is not a date (use dd/mm/yyyy)"
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date(), None
        except ValueError:
            continue
    return None, f"{text!r} is not a date (use dd/mm/yyyy)"


def _hsv(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hsv(r, g, b)


def _family(hue: float) -> str:
    """The colour a person names: Excel's "Light Green" #92D050 is green, its yellow amber."""
    degrees = hue * 360
    limits = ((15, "red"), (66, "amber"), (170, "green"), (265, "blue"), (330, "purple"))
    for limit, family in limits:
        if degrees < limit:
            return family
    return "red"


def hue_rag(colour: str, scheme: Sequence[tuple[str, str]]) -> str | None:
    """The scheme code whose colour is of the same family as ``colour`` ("RRGGBB"), else the
    nearest by hue; greys to the grey status, white to None. ``scheme`` is (code, "#RRGGBB")."""
    try:
        hue, saturation, value = _hsv(colour)
    except ValueError:
        return None
    greys = [code for code, c in scheme if _hsv(c)[1] < 0.1]
    if saturation < 0.1:
        if value > 0.95 or value < 0.1:
            return None  # white or black: no status
        return greys[0] if greys else None
    coloured = [(code, _hsv(c)[0]) for code, c in scheme if _hsv(c)[1] >= 0.1]
    same = [code for code, h in coloured if _family(h) == _family(hue)]
    if same:
        return same[0]
    best, best_distance = None, 1.0
    for code, h in coloured:
        distance = min(abs(hue - h), 1 - abs(hue - h))
        if distance < best_distance:
            best, best_distance = code, distance
    return best


def split_lines(text: str) -> list[str]:
    """Items of a multi-line cell: by bullets when it has them, else by lines."""
    if not text.strip():
        return []
    if _BULLET.search(text) and re.search(r"[•·▪◦●]", text):
        parts = _BULLET.split(text)
    else:
        parts = text.split("\n")
    return [" ".join(p.split()) for p in parts if p and not p.isspace()]


def parse_milestones(
    text: str,
    rag_of: callable,  # type: ignore[valid-type]
) -> tuple[list[MilestoneDraft], list[str]]:
    """Milestones from a cell, one per line: "Title (due 30/06/2016, done 20/06/2016) [Blue]"."""
    milestones: list[MilestoneDraft] = []
    notes: list[str] = []
    for line in split_lines(text):
        if "(" not in line and "[" not in line:  # a bare title, the most common line
            milestones.append(MilestoneDraft(line))
            continue
        m = _MILESTONE.match(line)
        assert m is not None  # the pattern matches any text
        title = m.group("title").strip() or line
        milestone = MilestoneDraft(title)
        for part in (m.group("dates") or "").split(","):
            word, _, when = part.strip().partition(" ")
            day, note = parse_date(when.strip())
            if note:
                notes.append(f"milestone {title[:40]!r}: {note}")
            if word.lower() == "due":
                milestone.due_date = day
            elif word.lower() == "done":
                milestone.done_date = day
        if m.group("rag"):
            try:
                milestone.rag = rag_of(m.group("rag"))
            except ValueError as error:
                notes.append(f"milestone {title[:40]!r}: {error}")
        milestones.append(milestone)
    return milestones, notes


def format_milestone(
    title: str,
    due: dt.date | None,
    done: dt.date | None,
    rag_label: str | None,
    overdue: bool = False,
) -> str:
    """ "• Title (due 31/10/2016, overdue) [Green]": "overdue" reads back as nothing, so an
    export imported again gives the same milestone."""
    dates = [f"due {due.day:02d}/{due.month:02d}/{due.year}"] if due else []
    if done:
        dates.append(f"done {done.day:02d}/{done.month:02d}/{done.year}")
    if overdue and dates:
        dates.append("overdue")
    text = title if "\n" not in title else " ".join(title.split())
    if dates:
        text += f" ({', '.join(dates)})"
    if rag_label:
        text += f" [{rag_label}]"
    return f"• {text}"


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_MONTH_YEAR = re.compile(rf"\b({_MONTHS})[a-z]*\.?\s*'?(\d{{4}}|\d{{2}})\b", re.IGNORECASE)
_QUARTERS = re.compile(r"\bq\s*([1-4])(?:\s*[-–]+\s*q?\s*([1-4]))?\b", re.IGNORECASE)
_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")
# A timescale at the start of a cell: "Q1-4", "Q2 -Sept 16", "Q3 – Oct 16", "by March 2014".
_TIMESCALE = re.compile(
    rf"^(?P<ts>(?:by\s+|from\s+)?(?:q\s*[1-4](?:\s*[-–]+\s*q?\s*[1-4])?"
    rf"(?:\s*[-–]+\s*(?:{_MONTHS})[a-z]*\.?\s*\d{{2,4}})?(?:\s+on-?going)?"
    rf"|(?:{_MONTHS})[a-z]*\.?\s+\d{{2,4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
    # A word ("Ongoing") is a timescale only alone on its line: "On-going support…" is not.
    r"|(?:on-?going|annual(?:ly)?|monthly|weekly|quarterly)(?=[.:;,]|\s*\n|\s*$))"
    r"(?P<sep>[.:;,]?\s+|[.:;,]?$)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}
# A milestone's date written at the end of its title: "Launch event - Oct 16".
_TITLE_DATE = re.compile(
    rf"(?:\s*[-–(]+\s*|\s+(?=by\s))(?P<when>(?:by\s+)?(?:(?:{_MONTHS})[a-z]*\.?\s*'?\d{{2,4}}"
    r"|q\s*[1-4]|\d{1,2}/\d{1,2}/\d{2,4}))\)?[.\s]*$",
    re.IGNORECASE,
)


def split_timescale_update(text: str) -> tuple[str, str]:
    """A "Timescales / Updates" cell (seed 000): the timescale it starts with, then the update
    ("Q1-4 Q1 Rochford: 3 home inspections…" -> "Q1-4", "Q1 Rochford: 3 home inspections…")."""
    text = text.strip()
    m = _TIMESCALE.match(text)
    if m is None:
        return "", text
    return " ".join(m.group("ts").split()), m.group("rest").strip()


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def due_from_text(text: str, plan_year: str | None) -> dt.date | None:
    """The date a timescale names, as the end of the period named ("March 2017" -> 31 March
    2017; "Q3" -> 31 December of the plan's year; "Ongoing" -> None)."""
    from cspdesk.core.plan.periods import quarter_bounds

    days = _DAY.findall(text)
    if days:
        day, month, year = (int(g) for g in days[-1])
        try:
            return dt.date(year + 2000 if year < 100 else year, month, day)
        except ValueError:
            return None
    months = _MONTH_YEAR.findall(text)
    if months:
        name, year_text = months[-1]
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if 2000 <= year <= 2099:
            return _month_end(year, _MONTH_NUMBER[name[:3].lower()])
    quarters = _QUARTERS.findall(text)
    if quarters and plan_year is not None:
        first, last = quarters[-1]
        return quarter_bounds(plan_year, int(last or first))[1]
    return None


def title_and_due(title: str, plan_year: str | None) -> tuple[str, dt.date | None]:
    """A milestone title ending in its date ("Roadshow - Oct 16"): the title, and the date."""
    m = _TITLE_DATE.search(title)
    if m is None or m.start() == 0:
        return title, None
    due = due_from_text(m.group("when"), plan_year)
    if due is None:
        return title, None
    if m.group("when").lower().startswith("by"):
        return title, due  # "… by June 2013" is part of the sentence
    return title[: m.start()].rstrip(), due
