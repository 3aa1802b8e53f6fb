"""How people point at an action: its number in the plan ("2.1.3": priority, objective, action)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.model import Action, Milestone, Objective, Priority


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


Key = tuple[str, int]


def item_references(session: Session, plan_id: int) -> dict[Key, tuple[str, str]]:
    """{(kind, id): (reference, title)} for the plan's priorities, objectives, actions and
    milestones, numbered by their place in the plan."""
    found: dict[Key, tuple[str, str]] = {}
    numbers: dict[Key, int] = {}

    def number(kind: str, item_id: int, parent: Key | None, title: str) -> None:
        counter = (kind, parent[1] if parent else 0)
        numbers[counter] = numbers.get(counter, 0) + 1  # type: ignore[index]
        prefix = f"{found[parent][0]}." if parent else ""
        found[(kind, item_id)] = (f"{prefix}{numbers[counter]}", title or "")  # type: ignore[index]

    levels = (
        (
            "priority",
            None,
            select(Priority.id, Priority.plan_id, Priority.title)
            .where(Priority.plan_id == plan_id)
            .order_by(Priority.position),
        ),
        (
            "objective",
            "priority",
            select(Objective.id, Objective.priority_id, Objective.title)
            .join(Priority)
            .where(Priority.plan_id == plan_id)
            .order_by(Objective.position),
        ),
        (
            "action",
            "objective",
            select(Action.id, Action.objective_id, Action.title)
            .join(Objective)
            .join(Priority)
            .where(Priority.plan_id == plan_id)
            .order_by(Action.position),
        ),
        (
            "milestone",
            "action",
            select(Milestone.id, Milestone.action_id, Milestone.title)
            .join(Action)
            .join(Objective)
            .join(Priority)
            .where(Priority.plan_id == plan_id)
            .order_by(Milestone.position),
        ),
    )
    for kind, parent_kind, query in levels:
        for item_id, parent_id, title in session.execute(query):
            parent = (parent_kind, parent_id) if parent_kind else None
            if parent is None or parent in found:
                number(kind, item_id, parent, title)
    return found


def reference_and_title(refs: dict[Key, tuple[str, str]], kind: str, item_id: int) -> str:
    """'2.1.3 Support for Operation Insight …' (the title as typed, on one line)."""
    ref, title = refs.get((kind, item_id), ("", ""))
    return f"{ref} {' '.join(title.split())}".strip()
