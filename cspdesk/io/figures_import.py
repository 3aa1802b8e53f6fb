"""Figures read from a workbook, against a plan: a Qt-free preview (indicators to create or
match, values per period, problems with sheet/row/column), then one undoable ChangeSet.

A preview with problems cannot be applied; the caller runs ``apply_figures`` in one
transaction (``workspace.write``), so nothing is changed unless all of it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures import performance as figures
from cspdesk.core.figures.comparison import format_period, parse_figure
from cspdesk.core.figures.indicators import PLAN_LEVEL, indicator_values, plan_indicators
from cspdesk.core.plan import ops, periods
from cspdesk.core.plan.model import Plan, Priority
from cspdesk.errors import CspdeskError
from cspdesk.io.figures_read import Problem, ReadSheet, normalise
from cspdesk.io.gate import ImportRefused
from cspdesk.io.period_headers import Period


@dataclass(frozen=True)
class PreviewValue:
    label: str
    period: Period
    quarter: int | None
    value: Decimal | None
    previous: Decimal | None
    replaces: bool  # a different figure is already stored for this period


@dataclass(frozen=True)
class PreviewLine:
    name: str
    indicator_id: int | None  # None: to be created
    unit: str
    better: str
    values: tuple[PreviewValue, ...]
    decimals: int | None = None


@dataclass(frozen=True)
class FiguresPreview:
    path: Path
    sheet: str
    plan_id: int
    year: str
    priority_id: int | None
    priority: str
    source: str
    lines: tuple[PreviewLine, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_create(self) -> tuple[PreviewLine, ...]:
        return tuple(line for line in self.lines if line.indicator_id is None)

    @property
    def to_match(self) -> tuple[PreviewLine, ...]:
        return tuple(line for line in self.lines if line.indicator_id is not None)


def _quarter(period: Period, year: str) -> int | None:
    """The plan quarter a period reports: it ends at a quarter's end within the plan year."""
    for quarter in range(1, 5):
        if periods.quarter_bounds(year, quarter)[1] == period.end:
            return quarter
    return None


# Police recorded crime categories (Home Office / police.uk names): figures of these count crimes.
CRIME_CATEGORIES = re.compile(
    r"\b(burglary|robbery|theft|shoplifting|violence|criminal damage|arson|vehicle|drugs|"
    r"weapons|public order|sexual offences|stalking|harassment|bicycle|racially|hate)\b"
)


def unit_for(name: str, heading: str, rate: bool) -> str:
    """What a new indicator counts, from its name, else the category column's heading:
    "Burglary Dwelling" counts crimes, "Anti-Social Behaviour" incidents."""
    if rate:
        return "%"
    lowered = name.lower()
    if "anti-social" in lowered or "antisocial" in lowered or re.search(r"\basb\b", lowered):
        return "incidents"
    for text in (lowered, heading.lower()):
        for word in ("incidents", "victims", "offences", "crimes"):
            if word[:-1] in text:
                return word
    if CRIME_CATEGORIES.search(lowered):
        return "crimes"
    return "count"


def preview_figures(
    session: Session, plan_id: int, read: ReadSheet, *, priority_id: int | None = None
) -> FiguresPreview:
    """Match the sheet's categories to the plan's indicators (by name); others are created
    under ``priority_id``, or for the plan as a whole ("Performance overview") without one."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise CspdeskError(f"no plan {plan_id}")
    priorities = session.execute(
        select(Priority.id, Priority.title)
        .where(Priority.plan_id == plan_id)
        .order_by(Priority.position)
    ).all()
    problems = list(read.problems)
    target = next((p for p in priorities if p.id == priority_id), None)
    if priority_id is not None and target is None:
        raise CspdeskError(f"the {plan.year} plan has no priority {priority_id}")
    items = plan_indicators(session, plan_id)
    by_name = {normalise(item.indicator.name): item.indicator for item in items}
    stored = indicator_values(session, [item.indicator.id for item in items])
    lines: list[PreviewLine] = []
    for row in read.rows:
        indicator = by_name.get(normalise(row.name))
        values = []
        for value in row.values:
            quarter = _quarter(value.period, plan.year)
            label = format_period(value.period.start, value.period.end)
            old = (
                next(
                    (
                        v
                        for v in stored.get(indicator.id, [])
                        if (v.quarter == quarter if quarter else v.period_label == label)
                    ),
                    None,
                )
                if indicator
                else None
            )
            replaces = old is not None and (
                parse_figure(old.value),
                parse_figure(old.previous_value),
            ) != (value.value, value.previous)
            values.append(
                PreviewValue(label, value.period, quarter, value.value, value.previous, replaces)
            )
        if indicator is not None:
            unit = indicator.unit
            better = indicator.better
        else:
            unit = unit_for(row.name, read.category_heading, row.rate)
            better = "up" if row.rate else "down"
        lines.append(
            PreviewLine(
                row.name,
                indicator.id if indicator else None,
                unit,
                better,
                tuple(values),
                None if indicator or row.rate else row.decimals,
            )
        )
    return FiguresPreview(
        read.path,
        read.sheet,
        plan_id,
        plan.year,
        target.id if target else None,
        target.title if target else PLAN_LEVEL,
        read.source,
        tuple(lines),
        tuple(problems),
    )


def apply_figures(session: Session, preview: FiguresPreview) -> ops.ChangeSet:
    """Create the new indicators and set every figure, as one undoable ChangeSet."""
    if not preview.ok:
        first = preview.problems[0]
        raise ImportRefused(
            preview.path, first.message, sheet=first.sheet, row=first.row, column=first.column
        )
    changes: list[ops.Change] = []
    for line in preview.lines:
        indicator_id = line.indicator_id
        if indicator_id is None:
            added = figures.add_indicator(
                session,
                line.name,
                priority_id=preview.priority_id,
                plan_id=None if preview.priority_id is not None else preview.plan_id,
                unit=line.unit,
                decimals=line.decimals,
                better=line.better,
                source=preview.source,
            )
            changes.append(added)
            indicator_id = added.id
        for value in line.values:
            changes.append(
                figures.set_value(
                    session,
                    indicator_id,
                    value.value,
                    value.previous,
                    quarter=value.quarter,
                    period_label=value.label,
                    period_start=value.period.start,
                    period_end=value.period.end,
                )
            )
    return ops.ChangeSet(tuple(changes), f"Import figures from {preview.path.name}")
