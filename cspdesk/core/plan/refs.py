"""How people point at an action: its number in the plan ("2.1.3": priority, objective, action)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Milestone, Objective, Priority


def action_numbers(session: Session, plan_id: int, action_ids: Iterable[int]) -> dict[int, str]:
    """ "2.1.3" for each of ``action_ids`` in the plan (the numbering of ``item_references``)."""
    refs = item_references(session, plan_id)
    return {a: refs[("action", a)][0] for a in action_ids if ("action", a) in refs}


Key = tuple[str, int]


def item_references(
    session: Session,
    plan_id: int,
    *,
    milestones: bool = True,
    read: Callable[[list[Any]], list[list[Any]]] | None = None,
) -> dict[Key, tuple[str, str]]:
    """{(kind, id): (reference, title)} for the plan's priorities, objectives, actions and
    (unless ``milestones`` is False) milestones, numbered by their place in the plan.
    ``read``: the rows of each of the level's statements, none depending on another (a caller
    over a slow link sends them together); else they are read one after the other."""
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
            plan_of(select(Action.id, Action.objective_id, Action.title), plan_id=plan_id).order_by(
                Action.position
            ),
        ),
        (
            "milestone",
            "action",
            plan_of(
                select(Milestone.id, Milestone.action_id, Milestone.title),
                Milestone,
                plan_id=plan_id,
            ).order_by(Milestone.position),
        ),
    )
    wanted = levels if milestones else levels[:3]
    queries = [query for _, _, query in wanted]
    answers = read(queries) if read else [session.execute(query).all() for query in queries]
    for (kind, parent_kind, _), rows in zip(wanted, answers, strict=True):
        for item_id, parent_id, title in rows:
            parent = (parent_kind, parent_id) if parent_kind else None
            if parent is None or parent in found:
                number(kind, item_id, parent, title)
    return found


def reference_and_title(refs: dict[Key, tuple[str, str]], kind: str, item_id: int) -> str:
    """'2.1.3 Support for Operation Insight …' (the title as typed, on one line)."""
    ref, title = refs.get((kind, item_id), ("", ""))
    return f"{ref} {' '.join(title.split())}".strip()
