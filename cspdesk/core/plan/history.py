"""An action's history for the detail pane, followed back across years.

History rows are written by core.plan.ops (who and when for every edit of an action, its milestones
and its updates), by core.quarter.snapshots and by core.quarter.rollforward. An action carried into
a new year points at the one it continues (carried_from_id); its history includes that action's, and
so on back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, HistoryEntry, Milestone, Plan

_FIELD_NAMES = {
    "rag": "RAG",
    "lead_note": "Lead (as typed)",
    "carried_from_id": "Carried forward",
    "due_date": "Due date",
    "original_due_date": "Original due date",
    "done_date": "Done date",
    "position": "Position",
}


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    who: str
    entity: str  # "action" or "milestone"
    entity_id: int
    field: str
    old: str | None
    new: str | None
    note: str
    action_id: int  # the action (of whichever year) the row belongs to
    year: str  # that action's plan year

    @property
    def what(self) -> str:
        """A readable name for the change: "Q2 update", "RAG", "Milestone added"."""
        quarter = re.fullmatch(r"q([1-4])_update", self.field)
        if quarter:
            name = f"Q{quarter.group(1)} update"
        elif self.field:
            name = _FIELD_NAMES.get(self.field, self.field.replace("_", " ").capitalize())
        else:
            name = self.note.capitalize() or "Changed"
        return f"Milestone: {name}" if self.entity == "milestone" else name


def carried_chain(session: Session, action_id: int) -> list[tuple[int, str]]:
    """(action id, plan year) of the action and those it was carried from, newest first."""
    chain: list[tuple[int, str]] = []
    seen: set[int] = set()
    current: int | None = action_id
    while current is not None and current not in seen:
        seen.add(current)
        row = session.execute(
            plan_of(select(Action.carried_from_id, Plan.year), with_plan=True).where(
                Action.id == current
            )
        ).one_or_none()
        if row is None:
            break
        chain.append((current, row.year))
        current = row.carried_from_id
    return chain


def action_history(session: Session, action_id: int) -> list[HistoryItem]:
    """Every history row of the action, its milestones and its earlier years, newest first."""
    chain = carried_chain(session, action_id)
    if not chain:
        return []
    year_of = dict(chain)
    action_ids = list(year_of)
    milestone_action = dict(
        session.execute(
            select(Milestone.id, Milestone.action_id).where(Milestone.action_id.in_(action_ids))
        ).all()
    )
    rows = session.execute(
        select(HistoryEntry)
        .where(
            or_(
                and_(HistoryEntry.entity == "action", HistoryEntry.entity_id.in_(action_ids)),
                and_(
                    HistoryEntry.entity == "milestone",
                    HistoryEntry.entity_id.in_(list(milestone_action)),
                ),
            )
        )
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
    ).scalars()
    items = []
    for row in rows:
        owner = row.entity_id if row.entity == "action" else milestone_action[row.entity_id]
        items.append(
            HistoryItem(
                at=row.at,
                who=row.who,
                entity=row.entity,
                entity_id=row.entity_id,
                field=row.field,
                old=row.old,
                new=row.new,
                note=row.note,
                action_id=owner,
                year=year_of[owner],
            )
        )
    return items
