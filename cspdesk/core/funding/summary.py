"""A plan's funding: grants (e.g. the PCC grant), their allocation to priorities or actions,
and what has been spent; with allocated / spent / remaining per priority and warnings.

Amounts are whole pence. Each add_* returns an undoable Change; deleting goes through
``ops.delete_item(session, "grant" | "allocation" | "spend", id)``, whose undo restores the row
and everything under it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from cspdesk.core.funding.money import format_money, parse_money
from cspdesk.core.funding.spend_dates import spend_date_problem
from cspdesk.core.plan import ops
from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Allocation, Grant, Objective, Plan, Priority, Spend
from cspdesk.errors import CspdeskError

UNASSIGNED = "Not assigned to a priority"


@dataclass(frozen=True)
class Added:
    """A grant, allocation or spend entry added; undo deletes it."""

    affects_tree = False  # the plan tree view needs no refresh

    table: str
    id: int

    def revert(self, session: Session) -> ops.Change:
        return ops.delete_item(session, self.table, self.id)

    def describe(self) -> str:
        return f"Add {self.table}"


def _pence(amount: str | Decimal | int, what: str) -> int:
    """Pence from an amount as typed, or from a number of pounds."""
    pence = parse_money(amount)
    if pence < 0:
        raise CspdeskError(f"{what} of {format_money(pence)}: an amount cannot be negative")
    return pence


def _insert(session: Session, table: str, model: type, **values: Any) -> Added:
    new_id = session.execute(insert(model).values(**values)).inserted_primary_key
    assert new_id is not None
    return Added(table, new_id[0])


def add_grant(
    session: Session, plan_id: int, source: str, amount: str | Decimal | int, conditions: str = ""
) -> Added:
    """A grant for the plan's year, e.g. ("PCC", "£13,000", "50% on submission of ...")."""
    if session.get(Plan, plan_id) is None:
        raise CspdeskError(f"no plan {plan_id}")
    if not source.strip():
        raise CspdeskError("a grant needs a source (for example 'PCC grant')")
    return _insert(
        session,
        "grant",
        Grant,
        plan_id=plan_id,
        source=source.strip(),
        amount_pence=_pence(amount, "a grant"),
        conditions=conditions,
    )


def add_allocation(
    session: Session,
    grant_id: int,
    amount: str | Decimal | int,
    *,
    priority_id: int | None = None,
    action_id: int | None = None,
    note: str = "",
) -> Added:
    """Allocate part of a grant to a priority or an action ("4K CSP allocation")."""
    if session.get(Grant, grant_id) is None:
        raise CspdeskError(f"no grant {grant_id}")
    return _insert(
        session,
        "allocation",
        Allocation,
        grant_id=grant_id,
        priority_id=priority_id,
        action_id=action_id,
        amount_pence=_pence(amount, "an allocation"),
        note=note,
    )


def add_spend(
    session: Session,
    allocation_id: int,
    amount: str | Decimal | int,
    *,
    spent_on: dt.date | None = None,
    description: str = "",
) -> Added:
    """Spending from an allocation; refused when dated outside the plan's year."""
    allocation = session.get(Allocation, allocation_id)
    if allocation is None:
        raise CspdeskError(f"no allocation {allocation_id}")
    year = session.execute(
        select(Plan.year)
        .join(Grant, Grant.plan_id == Plan.id)
        .where(Grant.id == allocation.grant_id)
    ).scalar_one()
    problem = spend_date_problem(year, spent_on)
    if problem is not None:
        raise CspdeskError(f"a spend dated {problem}")
    return _insert(
        session,
        "spend",
        Spend,
        allocation_id=allocation_id,
        spent_on=spent_on,
        amount_pence=_pence(amount, "a spend"),
        description=description,
    )


# ---- the summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantLine:
    id: int
    source: str
    amount_pence: int
    conditions: str
    allocated_pence: int
    spent_pence: int

    @property
    def unallocated_pence(self) -> int:
        return self.amount_pence - self.allocated_pence

    @property
    def over_allocated(self) -> bool:
        return self.allocated_pence > self.amount_pence


@dataclass(frozen=True)
class FundingLine:
    """Allocated, spent and remaining for one priority (None: not assigned), or the total."""

    priority_id: int | None
    title: str
    allocated_pence: int
    spent_pence: int

    @property
    def remaining_pence(self) -> int:
        return self.allocated_pence - self.spent_pence

    @property
    def overspent(self) -> bool:
        return self.spent_pence > self.allocated_pence

    @property
    def allocated(self) -> str:
        return format_money(self.allocated_pence)

    @property
    def spent(self) -> str:
        return format_money(self.spent_pence)

    @property
    def remaining(self) -> str:
        return format_money(self.remaining_pence)


@dataclass(frozen=True)
class FundingSummary:
    grants: tuple[GrantLine, ...]
    lines: tuple[FundingLine, ...]
    total: FundingLine
    grant_total_pence: int
    warnings: tuple[str, ...] = field(default=())
    undated_spent_pence: int = 0  # left out of a quarter's totals (``spent_by``): no date

    @property
    def over_allocated(self) -> bool:
        return self.total.allocated_pence > self.grant_total_pence

    @property
    def unallocated_pence(self) -> int:
        return self.grant_total_pence - self.total.allocated_pence


def _priority_of_actions(session: Session, plan_id: int) -> dict[int, int]:
    return dict(
        session.execute(plan_of(select(Action.id, Objective.priority_id), plan_id=plan_id)).all()
    )


def _grants_and_allocations(session: Session, plan_id: int) -> tuple[list[Grant], list[Allocation]]:
    grants = list(
        session.execute(select(Grant).where(Grant.plan_id == plan_id).order_by(Grant.id)).scalars()
    )
    allocations = list(
        session.execute(
            select(Allocation)
            .where(Allocation.grant_id.in_([g.id for g in grants]))
            .order_by(Allocation.id)
        ).scalars()
    )
    return grants, allocations


def funding_summary(
    session: Session, plan_id: int, *, spent_by: dt.date | None = None
) -> FundingSummary:
    """Grants, and allocated / spent / remaining per priority and in total, with warnings.

    ``spent_by``: count only spending dated on or before it (a quarter's end, core.quarter.as_at).
    Undated spending then belongs to no quarter (nothing records when it was spent or entered):
    it is left out of the totals and named in a warning, so a quarter's total never holds
    money that may have been spent after it. Without ``spent_by`` everything is counted."""
    grants, allocations = _grants_and_allocations(session, plan_id)
    spent: dict[int, int] = {}
    undated = 0
    query = select(Spend.allocation_id, Spend.amount_pence, Spend.spent_on).where(
        Spend.allocation_id.in_([a.id for a in allocations])
    )
    if spent_by is not None:
        query = query.where(or_(Spend.spent_on.is_(None), Spend.spent_on <= spent_by))
    for allocation_id, amount, spent_on in session.execute(query).all():
        if spent_by is not None and spent_on is None:
            undated += amount
            continue
        spent[allocation_id] = spent.get(allocation_id, 0) + amount
    priorities = session.execute(
        select(Priority.id, Priority.title)
        .where(Priority.plan_id == plan_id)
        .order_by(Priority.position)
    ).all()
    action_priority = _priority_of_actions(session, plan_id)
    known = {pid for pid, _ in priorities}
    per_priority: dict[int | None, list[int]] = {pid: [0, 0] for pid, _ in priorities}
    per_grant: dict[int, list[int]] = {g.id: [0, 0] for g in grants}
    for allocation in allocations:
        pid = (
            action_priority.get(allocation.action_id)
            if allocation.action_id is not None
            else allocation.priority_id
        )
        pid = pid if pid in known else None
        sums = per_priority.setdefault(pid, [0, 0])
        sums[0] += allocation.amount_pence
        sums[1] += spent.get(allocation.id, 0)
        per_grant[allocation.grant_id][0] += allocation.amount_pence
        per_grant[allocation.grant_id][1] += spent.get(allocation.id, 0)
    titles: dict[int | None, str] = {pid: title for pid, title in priorities}
    titles[None] = UNASSIGNED
    lines = tuple(
        FundingLine(pid, titles[pid], sums[0], sums[1])
        for pid, sums in per_priority.items()
        if pid is not None or sums != [0, 0]
    )
    total = FundingLine(
        None,
        "Total",
        sum(line.allocated_pence for line in lines),
        sum(line.spent_pence for line in lines),
    )
    grant_lines = tuple(
        GrantLine(g.id, g.source, g.amount_pence, g.conditions, *per_grant[g.id]) for g in grants
    )
    grant_total = sum(g.amount_pence for g in grants)
    warnings: list[str] = []
    for grant in grant_lines:
        if grant.over_allocated:
            warnings.append(
                f"Over-allocated: {grant.source} is {format_money(grant.amount_pence)} but "
                f"{format_money(grant.allocated_pence)} is allocated "
                f"({format_money(-grant.unallocated_pence)} too much)"
            )
    if len(grant_lines) > 1 and total.allocated_pence > grant_total:
        warnings.append(
            f"Over-allocated: grants total {format_money(grant_total)} but "
            f"{format_money(total.allocated_pence)} is allocated"
        )
    for line in lines:
        if line.overspent:
            warnings.append(
                f"Overspent: {line.title} has spent {line.spent} of {line.allocated} allocated "
                f"({format_money(-line.remaining_pence)} over)"
            )
    if undated:
        warnings.append(
            f"Undated spending: {format_money(undated)} has no date, so it is not counted in "
            "this quarter's spending; give it the date it was spent to count it"
        )
    return FundingSummary(grant_lines, lines, total, grant_total, tuple(warnings), undated)


def funding_json(session: Session, plan_id: int) -> dict[str, Any]:
    """The plan's grants, allocations and spend entries (pence), and the summary."""
    grants, allocations = _grants_and_allocations(session, plan_id)
    spends = (
        session.execute(
            select(Spend)
            .where(Spend.allocation_id.in_([a.id for a in allocations]))
            .order_by(Spend.id)
        )
        .scalars()
        .all()
    )
    summary = funding_summary(session, plan_id)
    return {
        "grants": [
            {
                "id": g.id,
                "source": g.source,
                "amount_pence": g.amount_pence,
                "conditions": g.conditions,
                "allocations": [
                    {
                        "id": a.id,
                        "priority_id": a.priority_id,
                        "action_id": a.action_id,
                        "amount_pence": a.amount_pence,
                        "note": a.note,
                        "spends": [
                            {
                                "id": s.id,
                                "spent_on": None if s.spent_on is None else s.spent_on.isoformat(),
                                "amount_pence": s.amount_pence,
                                "description": s.description,
                            }
                            for s in spends
                            if s.allocation_id == a.id
                        ],
                    }
                    for a in allocations
                    if a.grant_id == g.id
                ],
            }
            for g in grants
        ],
        "by_priority": [
            {
                "priority_id": line.priority_id,
                "title": line.title,
                "allocated_pence": line.allocated_pence,
                "spent_pence": line.spent_pence,
                "remaining_pence": line.remaining_pence,
            }
            for line in summary.lines
        ],
        "grant_total_pence": summary.grant_total_pence,
        "allocated_pence": summary.total.allocated_pence,
        "spent_pence": summary.total.spent_pence,
        "remaining_pence": summary.total.remaining_pence,
        "warnings": list(summary.warnings),
    }
