"""Police open-data counts kept in the workspace: the rules of an import.

A download's counts per month (``MonthCounts``, read by io.police_data) are checked against the
plan (months in its year or the year before only), kept for the partnership's districts (picked
from the workspace's areas by name, or chosen), and stored per month, district and crime type:
a month imported again replaces what was kept for it, so nothing is counted twice, and a later
download adds its months. The plan's indicators (one per crime type, "All crime" and
"Anti-social behaviour", better when lower) get each quarter's year to date from what is kept.
Keeping them (apply_police) lives in core.figures.police_apply, the wording of the committee's
lines in core.figures.police_lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures.police_lines import (
    add_months,
    month_name,
    ordered_names,
    window,
    year_range,
)
from cspdesk.core.plan.model import Indicator, Partnership, Plan, PoliceCount, PoliceMonth
from cspdesk.errors import CspdeskError

SOURCE = "data.police.uk street-level crime"


@dataclass(frozen=True)
class MonthCounts:
    """One month of a download: rows per (district, crime type), and rows with no location."""

    month: str  # "2016-04"
    counts: Mapping[tuple[str, str], int]
    no_location: int = 0
    forces: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @property
    def day(self) -> dt.date:
        return dt.date(int(self.month[:4]), int(self.month[5:7]), 1)

    @property
    def rows(self) -> int:
        return sum(self.counts.values()) + self.no_location


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip() + " "


def choose_districts(areas: str, available: Iterable[str]) -> list[str]:
    """The download's districts that ``areas`` ("Castle Point; Rochford", "Castle Point and
    Rochford CSP") names, as whole words in any case; "Brighton and Hove" stays one."""
    named = _words(areas)
    chosen = []
    # The longest names first, each taking its words: "Southend-on-Sea" leaves no "Southend".
    for district in sorted(set(available), key=lambda d: (-len(_words(d)), d)):
        words = _words(district)
        if district.strip() and words in named:
            chosen.append(district)
            named = named.replace(words, " | ", 1)
    return sorted(chosen)


def _listing(rows: Mapping[str, int], limit: int = 12) -> str:
    ordered = sorted(rows.items(), key=lambda item: (-item[1], item[0]))
    shown = [f"{name} ({n:,} row{'' if n == 1 else 's'})" for name, n in ordered[:limit]]
    if len(ordered) > limit:
        shown.append(f"and {len(ordered) - limit} more")
    return ", ".join(shown) or "no located rows"


@dataclass(frozen=True)
class MonthChange:
    month: dt.date
    kind: str  # "new", "replaced" (other counts were kept) or "same"
    counted: int  # crimes and incidents counted in the partnership's districts


@dataclass(frozen=True)
class PoliceImport:
    """What an import would do (the preview); ``problem``: why it cannot, in one line."""

    plan_id: int
    year: str
    source: str
    districts: tuple[str, ...]
    months: tuple[MonthCounts, ...]
    counted: Mapping[str, int]  # district -> rows counted
    other_districts: Mapping[str, int]  # district -> rows ignored
    no_location: int
    changes: tuple[MonthChange, ...] = ()
    new_indicators: tuple[str, ...] = ()
    problem: str | None = None
    forces: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None

    def lines(self) -> list[str]:
        """The preview as the officer reads it."""
        first, last = self.months[0].day, self.months[-1].day
        out = [
            f"{len(self.months)} months, {month_name(first)} to {month_name(last)}"
            f" ({', '.join(self.forces) or 'no force named'})",
            f"Districts counted: {', '.join(self.districts) or 'none'}"
            + (f" ({_listing(self.counted)})" if self.counted else ""),
        ]
        held = {m.day for m in self.months}
        gaps, day = [], first
        while day < last:
            if day not in held:
                gaps.append(day)
            day = add_months(day, 1)
        if gaps:
            out.append(f"Months missing from the download: {_month_span(gaps)}")
        if self.other_districts:
            out.append(f"Other districts, ignored: {_listing(self.other_districts, 6)}")
        if self.no_location:
            out.append(f"Rows with no location, not counted: {self.no_location:,}")
        kinds = {"new": "new", "replaced": "replace what was kept", "same": "unchanged"}
        for kind, word in kinds.items():
            months = [c.month for c in self.changes if c.kind == kind]
            if months:
                out.append(f"Months {word}: {_month_span(months)}")
        if self.new_indicators:
            out.append(f"New indicators: {', '.join(self.new_indicators)}")
        if self.changes and all(c.kind == "same" for c in self.changes):
            out.append("Importing changes nothing: the same counts are already kept.")
        return out

    def done(self) -> str:
        """What the import did, in one line for the status bar once it is done."""
        where = ", ".join(self.districts) or "no district"
        if all(c.kind == "same" for c in self.changes):
            return (
                f"Police data from {self.source}: the same counts were already kept for "
                f"{where}; nothing changed."
            )
        first, last = self.months[0].day, self.months[-1].day
        kinds = [
            f"{number} {kind}"
            for kind in ("new", "replaced")
            if (number := sum(1 for c in self.changes if c.kind == kind))
        ]
        return (
            f"Police data imported from {self.source} for {where}: {len(self.months)} months, "
            f"{month_name(first)} to {month_name(last)} ({', '.join(kinds)})."
        )


def _month_span(months: Sequence[dt.date]) -> str:
    if len(months) > 3:
        return f"{month_name(months[0])} to {month_name(months[-1])} ({len(months)})"
    return ", ".join(month_name(m) for m in months)


def _problem_months(year: str, months: Sequence[MonthCounts]) -> str | None:
    first, last = year_range(year)
    outside = [m.month for m in months if not first <= m.day <= last]
    if not outside:
        return None
    shown = ", ".join(outside[:6]) + (f" and {len(outside) - 6} more" if len(outside) > 6 else "")
    before = f"{first.year}/{str(first.year + 1)[-2:]}"
    verb = "lies" if len(outside) == 1 else "lie"
    return (
        f"{shown} {verb} outside {before} and {year} (the plan's year and the year before); "
        f"download {month_name(first)} to {month_name(last)} only"
    )


def _by_district(months: Sequence[MonthCounts]) -> dict[str, int]:
    rows: dict[str, int] = {}
    for month in months:
        for (district, _), n in month.counts.items():
            rows[district] = rows.get(district, 0) + n
    return rows


def _pick(
    session: Session, held: Mapping[str, int], wanted: Sequence[str] | None
) -> tuple[list[str], str | None]:
    """The districts to count and, when none can be, why."""
    by_fold = {d.casefold(): d for d in held}
    if wanted:
        chosen = [by_fold[w.strip().casefold()] for w in wanted if w.strip().casefold() in by_fold]
        absent = [w for w in wanted if w.strip().casefold() not in by_fold]
        if absent:
            return [], (f"no row lies in {', '.join(absent)}; the download holds {_listing(held)}")
        return sorted(set(chosen)), None
    partnership = session.execute(select(Partnership.name, Partnership.areas)).one()
    text = partnership.areas or partnership.name
    chosen = choose_districts(text, held)
    if not chosen:
        return [], (
            f"no row lies in the partnership's districts (its areas: {text!r}); the download "
            f"holds {_listing(held)}; set the areas in Workspace settings or choose districts"
        )
    return chosen, None


def preview_police(
    session: Session,
    plan_id: int,
    months: Sequence[MonthCounts],
    source: str,
    *,
    districts: Sequence[str] | None = None,
) -> PoliceImport:
    """What importing ``months`` into the plan's workspace would change (nothing is)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise CspdeskError(f"no plan {plan_id}")
    ordered = tuple(sorted(months, key=lambda m: m.month))
    if not ordered:
        raise CspdeskError(f"{source}: no months of street-level crime in it")
    held = _by_district(ordered)
    no_location = sum(m.no_location for m in ordered)
    forces = tuple(sorted({f for m in ordered for f in m.forces if f}))
    problem = _problem_months(plan.year, ordered)
    chosen: list[str] = []
    if problem is None:
        chosen, problem = _pick(session, held, districts)
    counted = {d: held[d] for d in chosen}
    others = {d: n for d, n in held.items() if d not in counted}
    base = PoliceImport(
        plan_id, plan.year, source, tuple(chosen), ordered, counted, others, no_location,
        problem=problem, forces=forces,
    )  # fmt: skip
    if problem is not None:
        return base
    changes = tuple(_month_change(session, m, chosen) for m in ordered)
    new = _new_indicators(session, plan_id, plan.year, ordered, counted)
    return PoliceImport(
        plan_id, plan.year, source, tuple(chosen), ordered, counted, others, no_location,
        changes, new, None, forces,
    )  # fmt: skip


def _new_indicators(
    session: Session,
    plan_id: int,
    year: str,
    months: Sequence[MonthCounts],
    counted: Mapping[str, int],
) -> tuple[str, ...]:
    """The indicators the import would create: none while no quarter can be compared."""
    first, last = year_range(year)
    in_year = (PoliceMonth.month >= first) & (PoliceMonth.month <= last)
    present = {*session.execute(select(PoliceMonth.month).where(in_year)).scalars()}
    present |= {m.day for m in months}
    if all(window(year, q, present) is None for q in range(1, 5)):
        return ()
    stored = session.execute(
        select(PoliceCount.crime_type)
        .where(PoliceCount.month >= first, PoliceCount.month <= last)
        .distinct()
    ).scalars()
    names = ordered_names([*stored, *(t for m in months for (d, t) in m.counts if d in counted)])
    existing = plan_police_indicators(session, plan_id)
    return tuple(n for n in names if n.casefold() not in existing)


def kept_counts(month: MonthCounts, chosen: Iterable[str]) -> dict[tuple[str, str], int]:
    wanted = set(chosen)
    return {key: n for key, n in month.counts.items() if key[0] in wanted and n}


def _month_change(session: Session, month: MonthCounts, chosen: list[str]) -> MonthChange:
    day = month.day
    kept = kept_counts(month, chosen)
    before = {
        (d, t): n
        for d, t, n in session.execute(
            select(PoliceCount.district, PoliceCount.crime_type, PoliceCount.count).where(
                PoliceCount.month == day
            )
        )
    }
    stored = session.execute(
        select(PoliceMonth.no_location).where(PoliceMonth.month == day)
    ).first()
    same = stored is not None and before == kept and stored.no_location == month.no_location
    kind = "new" if stored is None else ("same" if same else "replaced")
    return MonthChange(day, kind, sum(kept.values()))


def plan_police_indicators(session: Session, plan_id: int) -> dict[str, int]:
    """The plan's own indicators ("Performance overview") by name, case folded."""
    rows = session.execute(
        select(Indicator.id, Indicator.name).where(
            Indicator.plan_id == plan_id, Indicator.priority_id.is_(None)
        )
    ).all()
    return {name.casefold(): indicator_id for indicator_id, name in rows}
