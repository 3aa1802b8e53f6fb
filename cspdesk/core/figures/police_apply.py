"""Keeping a police import: the months' counts replaced as one undoable change, and the
plans' police indicators given each quarter's year to date from what is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cspdesk.core.figures import performance as figures
from cspdesk.core.figures.comparison import format_period
from cspdesk.core.figures.police import (
    SOURCE,
    PoliceImport,
    kept_counts,
    plan_police_indicators,
)
from cspdesk.core.figures.police_lines import (
    add_months,
    area_totals,
    ordered_names,
    stored_counts,
    unit_of,
    window,
    year_range,
)
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Indicator, Plan, PoliceCount, PoliceMonth, utcnow
from cspdesk.errors import CspdeskError


def _rows(session: Session, table: Any, months: Sequence[dt.date]) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in session.execute(select(table).where(table.c.month.in_(months))).mappings()
    ]


@dataclass(frozen=True)
class PoliceMonthsReplaced:
    """The counts kept for some months went from ``before`` to ``after`` (whole rows)."""

    affects_tree = False
    months: tuple[dt.date, ...]
    before: tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]
    after: tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]]

    def revert(self, session: Session) -> ops.Change:
        _put(session, self.months, self.before)
        return PoliceMonthsReplaced(self.months, self.after, self.before)

    def describe(self) -> str:
        return "Import police data"


def _put(
    session: Session,
    months: Sequence[dt.date],
    rows: tuple[tuple[dict[str, Any], ...], tuple[dict[str, Any], ...]],
) -> None:
    month_rows, count_rows = rows
    session.execute(delete(PoliceCount).where(PoliceCount.month.in_(months)))
    session.execute(delete(PoliceMonth).where(PoliceMonth.month.in_(months)))
    if month_rows:
        session.execute(insert(PoliceMonth), list(month_rows))
    if count_rows:
        session.execute(insert(PoliceCount), list(count_rows))


def apply_police(session: Session, preview: PoliceImport) -> ops.ChangeSet:
    """Keep the months' counts (replacing what was kept for them) and update the plan's
    indicators, as one undoable ChangeSet; refuses a preview with a problem."""
    if preview.problem is not None:
        raise CspdeskError(f"{preview.source}: {preview.problem}; nothing imported")
    unchanged = {c.month for c in preview.changes if c.kind == "same"}
    months = [m for m in preview.months if m.day not in unchanged]
    if not months:
        return ops.ChangeSet((), f"Import police data from {preview.source}")
    days = tuple(m.day for m in months)
    month_table, count_table = PoliceMonth.__table__, PoliceCount.__table__
    before = (tuple(_rows(session, month_table, days)), tuple(_rows(session, count_table, days)))
    session.execute(delete(PoliceCount).where(PoliceCount.month.in_(days)))
    session.execute(delete(PoliceMonth).where(PoliceMonth.month.in_(days)))
    counted = set(preview.districts)
    now = utcnow()
    for month in months:
        session.execute(
            insert(PoliceMonth).values(
                month=month.day,
                source=_clip(f"{preview.source}: {', '.join(month.files)}", 300),
                forces=_clip("; ".join(month.forces), 300),
                no_location=month.no_location,
                other_districts=sum(n for (d, _), n in month.counts.items() if d not in counted),
                imported_at=now,
            )
        )
        rows = [
            {"month": month.day, "district": d, "crime_type": t, "count": n}
            for (d, t), n in sorted(kept_counts(month, counted).items())
        ]
        if rows:
            session.execute(insert(PoliceCount), rows)
    after = (tuple(_rows(session, month_table, days)), tuple(_rows(session, count_table, days)))
    changes: list[ops.Change] = [PoliceMonthsReplaced(days, before, after)]
    changes.extend(update_indicators(session, preview.plan_id))
    for other in _plans_using(session, days, preview.plan_id):
        changes.extend(update_indicators(session, other, create=False))
    return ops.ChangeSet(tuple(changes), f"Import police data from {preview.source}")


def _plans_using(session: Session, days: Sequence[dt.date], but: int) -> list[int]:
    """Other plans whose figures use any of ``days`` and that hold police indicators."""
    found = []
    for plan_id, year in session.execute(select(Plan.id, Plan.year).where(Plan.id != but)):
        first, last = year_range(year)
        if any(first <= day <= last for day in days):
            held = session.execute(
                select(Indicator.id).where(
                    Indicator.plan_id == plan_id,
                    Indicator.priority_id.is_(None),
                    Indicator.source.startswith(SOURCE),
                )
            ).first()
            if held is not None:
                found.append(plan_id)
    return found


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def update_indicators(session: Session, plan_id: int, *, create: bool = True) -> list[ops.Change]:
    """Each quarter's year to date for the partnership, from the counts kept, into the plan's
    own indicators (created as needed: one per crime type, All crime, Anti-social behaviour;
    without ``create``, only those the plan has)."""
    year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one()
    counts, months = stored_counts(session, *year_range(year))
    present = [m.month for m in months]
    forces = sorted({f for m in months for f in m.forces.split("; ") if f})
    source = SOURCE + (f" ({', '.join(forces)})" if forces else "")
    windows = [w for q in range(1, 5) if (w := window(year, q, present)) is not None]
    if not windows:  # only last year's months so far: nothing to compare, no empty indicators
        return []
    existing = plan_police_indicators(session, plan_id)
    changes: list[ops.Change] = []
    ids: dict[str, int] = {}
    for name in ordered_names(t for _, _, t in counts):
        found = existing.get(name.casefold())
        if found is None and not create:
            continue
        if found is None:
            added = figures.add_indicator(
                session, name, plan_id=plan_id, unit=unit_of(name), better="down", source=source
            )
            changes.append(added)
            found = added.id
        ids[name] = found
    for compared in windows:
        this = area_totals(counts, compared.months)
        before = area_totals(counts, [add_months(m, -12) for m in compared.months])
        label = format_period(compared.start, compared.end)
        for name, indicator_id in ids.items():
            change = figures.set_value(
                session,
                indicator_id,
                this.get(name, 0),
                before.get(name, 0),
                quarter=compared.quarter,
                period_label=label,
                period_start=compared.start,
                period_end=compared.end,
            )
            if change.before != change.after:
                changes.append(change)
    return changes
