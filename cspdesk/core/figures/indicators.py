"""Reading a plan's indicators in print order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Indicator, IndicatorValue, Objective, Priority
from cspdesk.errors import CspdeskError

DEFAULT_DECIMALS = 1  # police summaries print 4.9%, 8.7%, 22.6%


def check_decimals(decimals: int | None) -> int | None:
    if decimals is not None and not 0 <= decimals <= 3:
        raise CspdeskError(f"{decimals} decimal places: choose 0 to 3")
    return decimals


PLAN_LEVEL = "Performance overview"  # the heading of the plan's own indicators


@dataclass(frozen=True)
class PlanIndicator:
    indicator: Indicator
    priority_id: int | None  # None: an indicator of the plan as a whole (PLAN_LEVEL)
    priority: str
    action_id: int | None
    action: str


def plan_indicators(session: Session, plan_id: int) -> list[PlanIndicator]:
    """The plan's indicators in print order: the plan's own first ("Performance overview"),
    then by priority, its own first, then by action."""
    found: list[tuple[tuple[int, ...], PlanIndicator]] = []
    for indicator in session.execute(
        select(Indicator).where(
            Indicator.plan_id == plan_id,
            Indicator.priority_id.is_(None),
            Indicator.action_id.is_(None),
        )
    ).scalars():
        key = (-1, -1, -1, indicator.position, indicator.id)
        found.append((key, PlanIndicator(indicator, None, PLAN_LEVEL, None, "")))
    for indicator, priority in session.execute(
        select(Indicator, Priority)
        .join(Priority, Indicator.priority_id == Priority.id)
        .where(Priority.plan_id == plan_id, Indicator.action_id.is_(None))
    ).all():
        key = (priority.position, -1, -1, indicator.position, indicator.id)
        found.append((key, PlanIndicator(indicator, priority.id, priority.title, None, "")))
    for indicator, action, objective, priority in session.execute(
        plan_of(
            select(Indicator, Action, Objective, Priority).join(
                Action, Indicator.action_id == Action.id
            ),
            plan_id=plan_id,
        )
    ).all():
        key = (
            priority.position,
            objective.position,
            action.position,
            indicator.position,
            indicator.id,
        )
        found.append(
            (key, PlanIndicator(indicator, priority.id, priority.title, action.id, action.title))
        )
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def indicator_values(session: Session, indicator_ids: list[int]) -> dict[int, list[IndicatorValue]]:
    grouped: dict[int, list[IndicatorValue]] = {i: [] for i in indicator_ids}
    if indicator_ids:
        for value in session.execute(
            select(IndicatorValue).where(IndicatorValue.indicator_id.in_(indicator_ids))
        ).scalars():
            grouped[value.indicator_id].append(value)
    return grouped
