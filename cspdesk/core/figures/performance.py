"""Performance indicators of a plan's priorities and actions, their values per period, and the
performance table printed beside the action plan.

Changes (adding an indicator, setting a value) return undoable Changes like core.plan.ops; an
indicator is deleted with ``ops.delete_item(session, "indicator", id)``, which restores its
values on undo; its fields are edited with ``ops.edit_field(session, "indicator", ...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from cspdesk.core.figures.comparison import (
    Comparison,
    compare,
    format_difference,
    format_percent,
    format_period,
    format_value,
    headline,
    parse_figure,
    summary,
)
from cspdesk.core.figures.indicators import (
    DEFAULT_DECIMALS,
    PlanIndicator,
    check_decimals,
    indicator_values,
    plan_indicators,
)
from cspdesk.core.plan import ops, periods
from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Indicator, IndicatorValue, Plan, Priority
from cspdesk.errors import CspdeskError

# ---- changes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorAdded:
    affects_tree = False  # the plan tree view needs no refresh
    id: int

    def revert(self, session: Session) -> ops.Change:
        return ops.delete_item(session, "indicator", self.id)

    def describe(self) -> str:
        return "Add indicator"


def add_indicator(
    session: Session,
    name: str,
    *,
    priority_id: int | None = None,
    action_id: int | None = None,
    plan_id: int | None = None,
    unit: str = "count",
    decimals: int | None = None,
    source: str = "",
    better: str = "down",
    baseline: str = "",
    baseline_period: str = "",
    target: str = "",
) -> IndicatorAdded:
    """Add an indicator to a priority, an action or the plan as a whole (exactly one),
    last among its siblings."""
    if sum(x is not None for x in (priority_id, action_id, plan_id)) != 1:
        raise CspdeskError("an indicator belongs to one priority, one action or one plan")
    if not name.strip():
        raise CspdeskError("an indicator needs a name")
    if better not in ("up", "down"):
        raise CspdeskError(f"better is 'up' or 'down', not {better!r}")
    if priority_id is not None:
        parent = Indicator.priority_id == priority_id
    elif action_id is not None:
        parent = Indicator.action_id == action_id
    else:
        parent = (Indicator.plan_id == plan_id) & Indicator.priority_id.is_(None)
    position = session.execute(
        select(func.coalesce(func.max(Indicator.position) + 1, 0)).where(parent)
    ).scalar_one()
    new_id = session.execute(
        insert(Indicator).values(
            priority_id=priority_id,
            action_id=action_id,
            plan_id=plan_id,
            position=position,
            name=name.strip(),
            unit=unit.strip(),
            decimals=check_decimals(decimals),
            source=source,
            better=better,
            baseline=baseline,
            baseline_period=baseline_period,
            target=target,
        )
    ).inserted_primary_key
    assert new_id is not None
    return IndicatorAdded(new_id[0])


@dataclass(frozen=True)
class ValueSet:
    """One period's value of an indicator replaced: ``before``/``after`` are whole rows."""

    affects_tree = False  # the plan tree view needs no refresh

    indicator_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def revert(self, session: Session) -> ops.Change:
        if self.after is not None:
            session.execute(delete(IndicatorValue).where(IndicatorValue.id == self.after["id"]))
        if self.before is not None:
            session.execute(insert(IndicatorValue).values(**self.before))
        return ValueSet(self.indicator_id, self.after, self.before)

    def describe(self) -> str:
        return "Set figure"


def _plan_year_of_indicator(session: Session, indicator_id: int) -> str:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise CspdeskError(f"no indicator {indicator_id}")
    if indicator.plan_id is not None and indicator.priority_id is None:
        query = select(Plan.year).where(Plan.id == indicator.plan_id)
    elif indicator.action_id is not None:
        query = plan_of(select(Plan.year).select_from(Action), with_plan=True).where(
            Action.id == indicator.action_id
        )
    else:
        query = (
            select(Plan.year)
            .join(Priority, Priority.plan_id == Plan.id)
            .where(Priority.id == indicator.priority_id)
        )
    return session.execute(query).scalar_one()


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def set_value(
    session: Session,
    indicator_id: int,
    value: object,
    previous: object = None,
    *,
    quarter: int | None = None,
    period_label: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> ValueSet:
    """Set an indicator's figure for a period and the same period last year.

    A value is keyed by quarter when given (the period then defaults to the year to date,
    1 April to the quarter's end, as police figures are cumulative), else by its label.
    Figures may be typed ("1,833", "26.1%") and are stored exactly.
    """
    if quarter is not None and not 1 <= quarter <= 4:
        raise CspdeskError(f"quarter {quarter} is not 1 to 4")
    try:
        number, last_year = parse_figure(value), parse_figure(previous)
    except ValueError as error:
        raise CspdeskError(str(error)) from error
    if quarter is not None and period_start is None and period_end is None:
        year = _plan_year_of_indicator(session, indicator_id)
        period_start = periods.quarter_bounds(year, 1)[0]
        period_end = periods.quarter_bounds(year, quarter)[1]
    label = period_label.strip() or format_period(period_start, period_end)
    if not label and quarter is None:
        raise CspdeskError("a figure needs a quarter or a period")
    key = (
        IndicatorValue.quarter == quarter
        if quarter is not None
        else (IndicatorValue.period_label == label) & IndicatorValue.quarter.is_(None)
    )
    old = (
        session.execute(
            select(IndicatorValue.__table__).where(IndicatorValue.indicator_id == indicator_id, key)
        )
        .mappings()
        .first()
    )
    before = None if old is None else dict(old)
    row = {
        "indicator_id": indicator_id,
        "period_label": label or f"Q{quarter}",
        "period_start": period_start,
        "period_end": period_end,
        "quarter": quarter,
        "value": _text(number),
        "previous_value": _text(last_year),
    }
    if before is not None:
        row["id"] = before["id"]
        if all(before[k] == v for k, v in row.items()):
            return ValueSet(indicator_id, before, before)
        session.execute(delete(IndicatorValue).where(IndicatorValue.id == before["id"]))
    new_id = session.execute(insert(IndicatorValue).values(**row)).inserted_primary_key
    assert new_id is not None
    row["id"] = new_id[0]
    return ValueSet(indicator_id, before, row)


# ---- the performance table -----------------------------------------------------------------

# The columns every performance table prints (report, HTML, window), after the indicator.
PERFORMANCE_COLUMNS = (
    "Period",
    "Figure",
    "Same period last year",
    "Change",
    "% change",
    "Better or worse",
)


@dataclass(frozen=True)
class Point:
    """One period of an indicator's history (for the small chart)."""

    label: str
    value: Decimal | None
    previous: Decimal | None


@dataclass(frozen=True)
class Row:
    """One indicator's line of the performance table: printed strings and the exact numbers."""

    indicator_id: int
    priority_id: int | None  # None: the plan's own ("Performance overview")
    priority: str
    action_id: int | None
    action: str
    name: str
    unit: str
    decimals: int
    source: str
    better: str
    baseline: str
    baseline_period: str
    target: str
    period: str
    quarter: int | None
    value: str
    previous: str
    change: str
    percent_change: str
    direction: str  # "better", "worse", "same" or "" (no comparison)
    summary: str
    comparison: Comparison
    history: tuple[Point, ...]

    @property
    def headline(self) -> str:
        """The line councils head a figure with: "22.6% increase (38 crimes) in Burglary
        Dwelling" (seed 004); empty when there is nothing to compare."""
        if self.comparison.difference is None:
            return ""
        return headline(self.summary, self.name, self.unit, self.comparison.difference)


def _end(value: IndicatorValue, year: str) -> dt.date | None:
    if value.period_end is not None:
        return value.period_end
    if value.quarter is not None:
        return periods.quarter_bounds(year, value.quarter)[1]
    return None


def _history_key(value: IndicatorValue, year: str) -> tuple[dt.date, int]:
    return (_end(value, year) or dt.date.min, value.id)


def _current(values: list[IndicatorValue], year: str, quarter: int | None) -> IndicatorValue | None:
    """The value to print for ``quarter``: its own, else the latest before it (None: latest)."""
    if not values:
        return None
    if quarter is None:
        return max(values, key=lambda v: _history_key(v, year))
    exact = [v for v in values if v.quarter == quarter]
    if exact:
        return max(exact, key=lambda v: v.id)
    cutoff = periods.quarter_bounds(year, quarter)[1]
    earlier = [v for v in values if (end := _end(v, year)) is not None and end <= cutoff]
    return max(earlier, key=lambda v: _history_key(v, year)) if earlier else None


def known_by(values: Sequence[Any], year: str, up_to: dt.date | None) -> list[Any]:
    """The values whose period ended by ``up_to`` (all when None): a quarter's table and charts
    know nothing of a later period, nor of a figure whose period is not known."""
    if up_to is None:
        return list(values)
    return [v for v in values if (end := _end(v, year)) is not None and end <= up_to]


def _row(
    item: PlanIndicator,
    values: list[IndicatorValue],
    year: str,
    quarter: int | None,
    decimals: int,
    up_to: dt.date | None = None,
) -> Row:
    if up_to is None and quarter is not None:
        up_to = periods.quarter_bounds(year, quarter)[1]
    values = known_by(values, year, up_to)
    indicator = item.indicator
    unit, own_decimals = indicator.unit, indicator.decimals
    places = decimals if own_decimals is None else own_decimals
    current = _current(values, year, quarter)
    number = parse_figure(current.value) if current else None
    last_year = parse_figure(current.previous_value) if current else None
    comparison = compare(number, last_year, unit=unit, better=indicator.better, decimals=places)
    history = tuple(
        Point(
            f"Q{v.quarter}" if v.quarter else v.period_label,
            parse_figure(v.value),
            parse_figure(v.previous_value),
        )
        for v in sorted(values, key=lambda v: _history_key(v, year))
    )
    return Row(
        indicator_id=indicator.id,
        priority_id=item.priority_id,
        priority=item.priority,
        action_id=item.action_id,
        action=item.action,
        name=indicator.name,
        unit=unit,
        decimals=places,
        source=indicator.source,
        better=indicator.better,
        baseline=indicator.baseline,
        baseline_period=indicator.baseline_period,
        target=indicator.target,
        period=current.period_label if current else "",
        quarter=current.quarter if current else None,
        value=format_value(number, comparison.rate),
        previous=format_value(last_year, comparison.rate),
        change=format_difference(comparison),
        percent_change=format_percent(comparison),
        direction=comparison.direction,
        summary=summary(comparison, unit) if current else "no figures entered",
        comparison=comparison,
        history=history,
    )


def performance_table(
    session: Session,
    plan_id: int,
    quarter: int | None = None,
    *,
    decimals: int | None = None,
    up_to: dt.date | None = None,
) -> list[Row]:
    """The plan's indicators with the figure for ``quarter`` (None: the latest) compared with
    the same period last year. ``decimals`` is the report's places for % change, used where an
    indicator sets none (default: whole per cent). Only periods ended by ``up_to`` (default:
    the quarter's end; none for the latest) are read (core.quarter.as_at decides it)."""
    year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one_or_none()
    if year is None:
        raise CspdeskError(f"no plan {plan_id}")
    items = plan_indicators(session, plan_id)
    values = indicator_values(session, [item.indicator.id for item in items])
    places = DEFAULT_DECIMALS if decimals is None else decimals
    return [_row(item, values[item.indicator.id], year, quarter, places, up_to) for item in items]


def performance_rows(
    items: Sequence[Any],
    year: str,
    quarter: int | None,
    *,
    decimals: int | None = None,
    up_to: dt.date | None = None,
) -> list[Row]:
    """performance_table's rows from plain items (a quarter view's indicators): each has
    ``indicator``, ``priority_id``, ``priority``, ``action_id``, ``action`` and ``values``."""
    places = DEFAULT_DECIMALS if decimals is None else decimals
    return [_row(item, item.values, year, quarter, places, up_to) for item in items]


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def indicator_json(indicator: Indicator, values: list[IndicatorValue]) -> dict[str, Any]:
    unit, decimals = indicator.unit, indicator.decimals
    return {
        "id": indicator.id,
        "name": indicator.name,
        "unit": unit,
        "decimals": decimals,
        "source": indicator.source,
        "better": indicator.better,
        "baseline": indicator.baseline,
        "baseline_period": indicator.baseline_period,
        "target": indicator.target,
        "values": [
            {
                "period_label": v.period_label,
                "period_start": _iso(v.period_start),
                "period_end": _iso(v.period_end),
                "quarter": v.quarter,
                "value": v.value,
                "previous_value": v.previous_value,
            }
            for v in sorted(
                values, key=lambda v: (v.period_end or dt.date.min, v.quarter or 0, v.id)
            )
        ],
    }


def figures_json(session: Session, plan_id: int) -> dict[str, Any]:
    """A plan's indicators (by priority and by action, values as exact text)."""
    items = plan_indicators(session, plan_id)
    values = indicator_values(session, [item.indicator.id for item in items])
    by_priority: dict[int, list[dict[str, Any]]] = {}
    by_action: dict[int, list[dict[str, Any]]] = {}
    own: list[dict[str, Any]] = []
    for item in items:
        data = indicator_json(item.indicator, values[item.indicator.id])
        if item.priority_id is None:
            own.append(data)
        elif item.action_id is None:
            by_priority.setdefault(item.priority_id, []).append(data)
        else:
            by_action.setdefault(item.action_id, []).append(data)
    return {
        "plan": own,
        "priorities": by_priority,
        "actions": by_action,
    }
