"""The committee's crime lines from the police counts kept in the workspace.

For a quarter: the year to date (1 April to the quarter's end) against the same months of the
year before, for the partnership and for each of its districts, worded as the seeds word them
("All crime: 2.1% increase (144 more crimes)", "Anti-social behaviour: 9.2% increase (241
incidents)"), with the period named ("1 April – 31 December 2016 against the same period of
2015"). Only months held for both years are compared; a month missing from the data is named
and the period ends at the last month compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures.comparison import compare, format_number
from cspdesk.core.plan import periods
from cspdesk.core.plan.model import Partnership, Plan, PoliceCount, PoliceMonth

ASB = "Anti-social behaviour"
ALL_CRIME = "All crime"  # every police crime type but anti-social behaviour
PERCENT_PLACES = 1  # police summaries print 4.9%, 2.9%, 22.6%
HEADING = "Police recorded crime"


def month_name(day: dt.date) -> str:
    return f"{day:%B %Y}"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - dt.timedelta(days=1)


def unit_of(name: str) -> str:
    return "incidents" if name == ASB else "crimes"


def change_words(value: int, previous: int, unit: str) -> str:
    """ "2.1% increase (144 more crimes)", "9.2% increase (241 incidents)", "0% change (206
    crimes both years)"; the % half up to one place (core.figures.comparison)."""
    c = compare(
        Decimal(value), Decimal(previous), unit=unit, better="down", decimals=PERCENT_PLACES
    )
    difference = value - previous
    thing = unit if abs(difference) != 1 else unit[:-1]
    if previous == 0:
        if value == 0:
            return f"none either year (no {unit})"
        return f"{format_number(Decimal(value))} {thing} (none in the same period last year)"
    if difference == 0:
        return f"0% change ({format_number(Decimal(value))} {unit} both years)"
    assert c.percent is not None
    word = "increase" if difference > 0 else "reduction"
    amount = format_number(Decimal(abs(difference)))
    if unit == "crimes":
        amount += " more" if difference > 0 else " fewer"
    return f"{format_number(abs(c.percent))}% {word} ({amount} {thing})"


# ---- the window compared --------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The months of a quarter's year to date that are compared with the year before."""

    year: str
    quarter: int
    months: tuple[dt.date, ...]  # this year's months compared (first days)
    missing: tuple[str, ...]  # what is not compared, as words

    @property
    def start(self) -> dt.date:
        return periods.quarter_bounds(self.year, 1)[0]

    @property
    def end(self) -> dt.date:
        return month_end(self.months[-1])

    @property
    def period(self) -> str:
        """ "1 April – 31 December 2016 against the same period of 2015"."""
        start, end = self.start, self.end
        if start.year == end.year:
            this = f"1 {start:%B} – {end.day} {end:%B %Y}"
            before = str(start.year - 1)
        else:
            this = f"1 {start:%B %Y} – {end.day} {end:%B %Y}"
            before = f"{start.year - 1}/{str(start.year)[-2:]}"
        return f"{this} against the same period of {before}"


def window(year: str, quarter: int, present: Iterable[dt.date]) -> Window | None:
    """Which months of ``quarter``'s year to date can be compared (held for both years), or
    None when none can."""
    held = set(present)
    start = periods.quarter_bounds(year, 1)[0]
    end = periods.quarter_bounds(year, quarter)[0]
    wanted = []
    month = start
    while month <= add_months(end, 2):
        wanted.append(month)
        month = add_months(month, 1)
    compared = [m for m in wanted if m in held and add_months(m, -12) in held]
    if not compared:
        return None
    missing = []
    for m in wanted:
        if m in compared:
            continue
        if m not in held and m > compared[-1]:
            missing.append(f"{month_name(m)} is not in the data yet")
        elif m not in held:
            missing.append(f"{month_name(m)} is not in the data (left out of both years)")
        else:
            before = month_name(add_months(m, -12))
            missing.append(f"{before} is not in the data ({month_name(m)} left out)")
    return Window(year, quarter, tuple(compared), tuple(missing))


# ---- the summary printed -------------------------------------------------------------------


@dataclass(frozen=True)
class CrimeLine:
    name: str
    unit: str
    value: int
    previous: int
    words: str  # "2.1% increase (144 more crimes)"

    @property
    def text(self) -> str:
        return f"{self.name}: {self.words}"


@dataclass(frozen=True)
class AreaLines:
    area: str  # the partnership's name, or a district
    lines: tuple[CrimeLine, ...]


@dataclass(frozen=True)
class CrimeSummary:
    """A quarter's crime lines, as the appendix prints them (plain, JSON-able)."""

    period: str
    start: str  # ISO dates of this year's period
    end: str
    notes: tuple[str, ...]
    areas: tuple[AreaLines, ...]
    source: str

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CrimeSummary:
        areas = tuple(
            AreaLines(a["area"], tuple(CrimeLine(**line) for line in a["lines"]))
            for a in data["areas"]
        )
        return cls(
            data["period"], data["start"], data["end"], tuple(data["notes"]), areas, data["source"]
        )

    def texts(self) -> list[str]:
        """Every printed line in order: the period, notes, then each area's lines."""
        out = [f"{HEADING}: {self.period}", *self.notes]
        for area in self.areas:
            out.append(area.area)
            out.extend(line.text for line in area.lines)
        return out


Totals = dict[tuple[dt.date, str, str], int]  # (month, district, crime type) -> count


def stored_counts(session: Session, first: dt.date, last: dt.date) -> tuple[Totals, list[Any]]:
    """The counts and month rows kept for months ``first`` to ``last``."""
    counts: Totals = {}
    for month, district, crime_type, n in session.execute(
        select(
            PoliceCount.month, PoliceCount.district, PoliceCount.crime_type, PoliceCount.count
        ).where(PoliceCount.month >= first, PoliceCount.month <= last)
    ):
        counts[(month, district, crime_type)] = n
    months = (
        session.execute(
            select(PoliceMonth).where(PoliceMonth.month >= first, PoliceMonth.month <= last)
        )
        .scalars()
        .all()
    )
    return counts, list(months)


def area_totals(
    counts: Totals, months: Iterable[dt.date], districts: Iterable[str] | None = None
) -> dict[str, int]:
    """Counts per crime type (and ALL_CRIME) over ``months`` in ``districts`` (None: all)."""
    wanted = set(months)
    chosen = None if districts is None else set(districts)
    totals: dict[str, int] = {ALL_CRIME: 0, ASB: 0}
    for (month, district, crime_type), n in counts.items():
        if month not in wanted or (chosen is not None and district not in chosen):
            continue
        totals[crime_type] = totals.get(crime_type, 0) + n
        if crime_type != ASB:
            totals[ALL_CRIME] += n
    return totals


def ordered_names(names: Iterable[str]) -> list[str]:
    """All crime, anti-social behaviour, then each crime type alphabetically."""
    rest = sorted(n for n in set(names) if n not in (ALL_CRIME, ASB))
    return [ALL_CRIME, ASB, *rest]


def _lines(this: dict[str, int], before: dict[str, int]) -> tuple[CrimeLine, ...]:
    out = []
    for name in ordered_names([*this, *before]):
        value, previous = this.get(name, 0), before.get(name, 0)
        unit = unit_of(name)
        out.append(CrimeLine(name, unit, value, previous, change_words(value, previous, unit)))
    return tuple(out)


def year_range(year: str) -> tuple[dt.date, dt.date]:
    """The months police figures for ``year`` may use: April of the year before to March."""
    start = periods.quarter_bounds(year, 1)[0]
    return add_months(start, -12), periods.quarter_bounds(year, 4)[1]


def crime_summary(session: Session, plan_id: int, quarter: int) -> CrimeSummary | None:
    """The quarter's crime lines from the counts kept, or None when no months compare."""
    year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one()
    counts, months = stored_counts(session, *year_range(year))
    found = window(year, quarter, (m.month for m in months))
    if found is None:
        return None
    last_year = [add_months(m, -12) for m in found.months]
    districts = sorted({district for _, district, _ in counts})
    name = session.execute(select(Partnership.name)).scalar_one()
    areas = [
        AreaLines(name, _lines(area_totals(counts, found.months), area_totals(counts, last_year)))
    ]
    if len(districts) > 1:
        for district in districts:
            areas.append(
                AreaLines(
                    district,
                    _lines(
                        area_totals(counts, found.months, [district]),
                        area_totals(counts, last_year, [district]),
                    ),
                )
            )
    used = {*found.months, *last_year}
    notes = list(found.missing)
    unlocated = sum(m.no_location for m in months if m.month in used)
    if unlocated:
        notes.append(
            f"{unlocated:,} crimes and incidents in the force's data for these months have no "
            "location and are not counted"
        )
    forces = sorted({f for m in months if m.month in used for f in m.forces.split("; ") if f})
    source = "data.police.uk street-level crime" + (f" ({', '.join(forces)})" if forces else "")
    return CrimeSummary(
        found.period,
        found.start.isoformat(),
        found.end.isoformat(),
        tuple(notes),
        tuple(areas),
        source,
    )


def police_json(session: Session) -> dict[str, Any]:
    """The police counts kept in the workspace, month by month (for the JSON export)."""
    months = session.execute(select(PoliceMonth).order_by(PoliceMonth.month)).scalars()
    counts = session.execute(
        select(PoliceCount).order_by(
            PoliceCount.month, PoliceCount.district, PoliceCount.crime_type
        )
    ).scalars()
    return {
        "months": [
            {
                "month": m.month.isoformat()[:7],
                "source": m.source,
                "forces": m.forces,
                "no_location": m.no_location,
                "other_districts": m.other_districts,
            }
            for m in months
        ],
        "counts": [
            {
                "month": c.month.isoformat()[:7],
                "district": c.district,
                "crime_type": c.crime_type,
                "count": c.count,
            }
            for c in counts
        ],
    }
