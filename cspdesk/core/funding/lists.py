"""What an officer picks from when entering figures and funding: the plan's priorities and
actions, its indicators, and its grants / allocations / spend entries, each with a label.

Also finds one of them from text as typed on the command line ("2", "burglary").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures.indicators import plan_indicators
from cspdesk.core.funding.money import format_money
from cspdesk.core.plan.model import Action, Allocation, Grant, Objective, Priority, Spend
from cspdesk.errors import CspdeskError


@dataclass(frozen=True)
class Target:
    """A priority or an action something (an indicator, an allocation) can belong to."""

    kind: str  # "priority" or "action"
    id: int
    label: str  # "1. Anti-social behaviour" or "1.2.3 Run the street triage car"
    title: str


def plan_targets(session: Session, plan_id: int) -> list[Target]:
    """The plan's priorities, each followed by its actions, numbered as printed."""
    found: list[Target] = []
    priorities = session.execute(
        select(Priority.id, Priority.title)
        .where(Priority.plan_id == plan_id)
        .order_by(Priority.position)
    ).all()
    rows = session.execute(
        select(Objective.priority_id, Objective.id, Action.id, Action.title)
        .join(Action, Action.objective_id == Objective.id)
        .join(Priority, Objective.priority_id == Priority.id)
        .where(Priority.plan_id == plan_id)
        .order_by(Objective.position, Action.position)
    ).all()
    for p, (priority_id, title) in enumerate(priorities, start=1):
        found.append(Target("priority", priority_id, f"{p}. {title}", title))
        objectives: dict[int, int] = {}
        actions: dict[int, int] = {}
        for owner, objective_id, action_id, action_title in rows:
            if owner != priority_id:
                continue
            o = objectives.setdefault(objective_id, len(objectives) + 1)
            actions[objective_id] = actions.get(objective_id, 0) + 1
            label = f"{p}.{o}.{actions[objective_id]} {action_title}"
            found.append(Target("action", action_id, label, action_title))
    return found


def _one(kind: str, wanted: str, matches: list[tuple[int, str]], everything: list[str]) -> int:
    if len(matches) == 1:
        return matches[0][0]
    if not matches:
        known = "; ".join(everything[:12]) or "there are none"
        raise CspdeskError(f"no {kind} matches {wanted!r} (known: {known})")
    names = "; ".join(name for _, name in matches[:12])
    plural = "priorities" if kind == "priority" else f"{kind}s"
    raise CspdeskError(f"{wanted!r} matches {len(matches)} {plural}: {names}; be more precise")


def find_target(session: Session, plan_id: int, kind: str, wanted: str) -> int:
    """A priority by number (1 = first) or part of its title; an action by id or title part."""
    targets = [t for t in plan_targets(session, plan_id) if t.kind == kind]
    text = wanted.strip()
    if text.isdigit():
        number = int(text)
        if kind == "priority":
            if 1 <= number <= len(targets):
                return targets[number - 1].id
            raise CspdeskError(
                f"the plan has {len(targets)} priorities; there is no priority {number}"
            )
        if any(t.id == number for t in targets):
            return number
        raise CspdeskError(f"the plan has no action with id {number}")
    folded = text.casefold()
    exact = [(t.id, t.title) for t in targets if t.title.casefold() == folded]
    partial = [(t.id, t.title) for t in targets if folded and folded in t.title.casefold()]
    return _one(kind, wanted, exact or partial, [t.label for t in targets])


def find_indicator(session: Session, plan_id: int, wanted: str) -> int:
    """An indicator of the plan by id or by (part of) its name."""
    items = [(i.indicator.id, i.indicator.name) for i in plan_indicators(session, plan_id)]
    text = wanted.strip()
    if text.isdigit():
        if any(iid == int(text) for iid, _ in items):
            return int(text)
        raise CspdeskError(f"the plan has no indicator with id {text}")
    folded = text.casefold()
    exact = [item for item in items if item[1].casefold() == folded]
    partial = [item for item in items if folded and folded in item[1].casefold()]
    return _one("indicator", wanted, exact or partial, [name for _, name in items])


# ---- funding entries -----------------------------------------------------------------------


@dataclass(frozen=True)
class SpendEntry:
    id: int
    spent_on: dt.date | None
    amount_pence: int
    description: str


@dataclass(frozen=True)
class AllocationEntry:
    id: int
    grant_id: int
    target: str  # the priority or action's label, or "Not assigned"
    amount_pence: int
    note: str
    spends: tuple[SpendEntry, ...]

    @property
    def spent_pence(self) -> int:
        return sum(s.amount_pence for s in self.spends)

    def label(self, grant_source: str) -> str:
        return f"{grant_source} → {self.target}: {format_money(self.amount_pence)}"


@dataclass(frozen=True)
class GrantEntry:
    id: int
    source: str
    amount_pence: int
    conditions: str
    allocations: tuple[AllocationEntry, ...]

    @property
    def allocated_pence(self) -> int:
        return sum(a.amount_pence for a in self.allocations)

    @property
    def over_allocated(self) -> bool:
        return self.allocated_pence > self.amount_pence


def funding_entries(session: Session, plan_id: int) -> list[GrantEntry]:
    """The plan's grants with their allocations and spend entries, in the order entered."""
    labels = {(t.kind, t.id): t.label for t in plan_targets(session, plan_id)}
    grants = session.execute(
        select(Grant).where(Grant.plan_id == plan_id).order_by(Grant.id)
    ).scalars()
    out: list[GrantEntry] = []
    for grant in grants.all():
        allocations = []
        for a in session.execute(
            select(Allocation).where(Allocation.grant_id == grant.id).order_by(Allocation.id)
        ).scalars():
            key = (
                ("action", a.action_id) if a.action_id is not None else ("priority", a.priority_id)
            )
            spends = tuple(
                SpendEntry(s.id, s.spent_on, s.amount_pence, s.description)
                for s in session.execute(
                    select(Spend).where(Spend.allocation_id == a.id).order_by(Spend.id)
                ).scalars()
            )
            target = labels.get(key, "Not assigned to a priority")
            allocations.append(
                AllocationEntry(a.id, grant.id, target, a.amount_pence, a.note, spends)
            )
        out.append(
            GrantEntry(
                grant.id, grant.source, grant.amount_pence, grant.conditions, tuple(allocations)
            )
        )
    return out
