"""From an item of the plan tree up to its plan: the one way a query joins milestone → action →
objective → priority (→ plan)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select

from cspdesk.core.plan.model import Action, Base, Milestone, Objective, Plan, Priority

S = TypeVar("S", bound=Select)

# Each level and how it reaches the one above.
_UP: tuple[tuple[type[Base], Any], ...] = (
    (Milestone, None),
    (Action, Milestone.action_id == Action.id),
    (Objective, Action.objective_id == Objective.id),
    (Priority, Objective.priority_id == Priority.id),
    (Plan, Priority.plan_id == Plan.id),
)
_LEVELS = [level for level, _ in _UP]


def plan_of(
    query: S, start: type[Base] = Action, *, plan_id: int | None = None, with_plan: bool = False
) -> S:
    """``query`` (which selects from ``start``: a Milestone, Action or Objective) joined up to
    the item's Priority, and to its Plan too ``with_plan`` (to read the plan's columns).
    ``plan_id`` keeps the items of that one plan."""
    top = _LEVELS.index(Plan if with_plan else Priority)
    for level, onclause in _UP[_LEVELS.index(start) + 1 : top + 1]:
        query = query.join(level, onclause)
    if plan_id is not None:
        query = query.where(Priority.plan_id == plan_id)
    return query
