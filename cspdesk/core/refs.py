"""How people point at an action: its number in the plan ("2.1.3": priority, objective, action)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.model import Action, Objective, Priority


def action_numbers(session: Session, plan_id: int, action_ids: Iterable[int]) -> dict[int, str]:
    """ "2.1.3" for each of ``action_ids`` in the plan: priority, objective, action, from 1."""
    wanted = set(action_ids)
    rows = session.execute(
        select(Action.id, Priority.id, Objective.id)
        .join(Objective, Action.objective_id == Objective.id)
        .join(Priority, Objective.priority_id == Priority.id)
        .where(Priority.plan_id == plan_id)
        .order_by(Priority.position, Objective.position, Action.position)
    ).all()
    priority_number: dict[int, int] = {}
    objective_number: dict[int, int] = {}
    objectives_in: dict[int, int] = {}
    actions_in: dict[int, int] = {}
    numbers: dict[int, str] = {}
    for action_id, priority_id, objective_id in rows:
        p = priority_number.setdefault(priority_id, len(priority_number) + 1)
        if objective_id not in objective_number:
            objectives_in[priority_id] = objectives_in.get(priority_id, 0) + 1
            objective_number[objective_id] = objectives_in[priority_id]
        actions_in[objective_id] = actions_in.get(objective_id, 0) + 1
        if action_id in wanted:
            numbers[action_id] = f"{p}.{objective_number[objective_id]}.{actions_in[objective_id]}"
    return numbers
