"""What changed since last quarter: new reds, improvements, slipped milestones, silent actions.

"Last quarter" is the last closed quarter before the one asked about (in the plan, or else the
plan it was rolled forward from); the quarter itself is read from its snapshot when closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Update
from cspdesk.core.quarter.direction import (
    ActionView,
    Direction,
    QuarterView,
    Trend,
    directions,
    previous_view,
    quarter_view,
)
from cspdesk.core.rag.classes import RagClasses, rag_classes
from cspdesk.core.workspace.plan_tree import short

SILENT_QUARTERS = 2


@dataclass(frozen=True)
class ChangeItem:
    entity: str  # "action" or "milestone"
    id: int
    path: str
    detail: str
    direction: Direction | None = None


@dataclass(frozen=True)
class ChangesReport:
    year: str
    quarter: int
    previous: tuple[str, int] | None  # (year, quarter) compared with; None: nothing closed
    new_reds: tuple[ChangeItem, ...]
    improved: tuple[ChangeItem, ...]
    worsened: tuple[ChangeItem, ...]
    slipped: tuple[ChangeItem, ...]
    silent: tuple[ChangeItem, ...]

    def sections(self) -> list[tuple[str, tuple[ChangeItem, ...]]]:
        return [
            ("New reds", self.new_reds),
            ("Improved", self.improved),
            ("Worsened", self.worsened),
            ("Slipped milestones", self.slipped),
            (f"Silent for {SILENT_QUARTERS} quarters or more", self.silent),
        ]

    @property
    def is_empty(self) -> bool:
        return not any(items for _, items in self.sections())


def _date(value: Any) -> dt.date | None:
    return None if not value else dt.date.fromisoformat(str(value)[:10])


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _slipped(action: ActionView, before: ActionView | None) -> list[ChangeItem]:
    earlier = {m["id"]: m for m in before.milestones} if before is not None else {}
    items = []
    for milestone in action.milestones:
        due = _date(milestone["due_date"])
        original = _date(milestone.get("original_due_date"))
        then = earlier.get(milestone["id"])
        baseline = _date(then["due_date"]) if then is not None else original
        if due is None or baseline is None or due <= baseline:
            continue
        detail = f"due {_day(baseline)} → {_day(due)}"
        if original is not None and original != baseline:
            detail += f" (first due {_day(original)})"
        items.append(
            ChangeItem(
                "milestone", milestone["id"], f"{action.path} › {short(milestone['title'])}", detail
            )
        )
    return items


def _silent_streak(
    action: ActionView, quarter: int, carried_texts: dict[int, frozenset[int]]
) -> int:
    streak = 0
    for q in range(quarter, 0, -1):
        if q in action.updated_quarters:
            return streak
        streak += 1
    if action.carried_from_id is not None and action.carried_from_id in carried_texts:
        for q in range(4, 0, -1):
            if q in carried_texts[action.carried_from_id]:
                break
            streak += 1
    return streak


def _carried_texts(session: Session, view: QuarterView) -> dict[int, frozenset[int]]:
    """Quarters with update text of the actions this plan's actions were carried from."""
    sources = [a.carried_from_id for a in view.actions.values() if a.carried_from_id is not None]
    found: dict[int, set[int]] = {source: set() for source in sources}
    for start in range(0, len(sources), 500):
        for action_id, q, text in session.execute(
            select(Update.action_id, Update.quarter, Update.text).where(
                Update.action_id.in_(sources[start : start + 500])
            )
        ):
            if (text or "").strip():
                found[action_id].add(q)
    return {key: frozenset(value) for key, value in found.items()}


def build_report(
    session: Session,
    current: QuarterView,
    previous: QuarterView | None,
    classes: RagClasses,
) -> ChangesReport:
    trends = directions(current, previous, classes)
    carried = _carried_texts(session, current)
    new_reds, improved, worsened, slipped, silent = [], [], [], [], []
    for action_id, action in current.actions.items():
        direction = trends[action_id]
        before = None if previous is None else previous.match(action)
        label = f"{classes.label_of(direction.previous)} → {classes.label_of(action.rag)}"
        if action.rag in classes.worst and (before is None or before.rag not in classes.worst):
            detail = "new action, Red" if before is None else label
            new_reds.append(ChangeItem("action", action_id, action.path, detail, direction))
        elif direction.trend is Trend.WORSENED:
            worsened.append(ChangeItem("action", action_id, action.path, label, direction))
        if direction.trend is Trend.IMPROVED:
            improved.append(ChangeItem("action", action_id, action.path, label, direction))
        slipped.extend(_slipped(action, before))
        streak = _silent_streak(action, current.quarter, carried)
        if before is None and previous is not None:
            # Not there at the last close: it cannot have been silent before that.
            same_plan = previous.plan_id == current.plan_id
            streak = min(streak, current.quarter - (previous.quarter if same_plan else 0))
        if streak >= SILENT_QUARTERS and action.rag not in classes.complete:
            detail = f"no update for {streak} quarters"
            silent.append(ChangeItem("action", action_id, action.path, detail, direction))
    return ChangesReport(
        year=current.year,
        quarter=current.quarter,
        previous=None if previous is None else (previous.year, previous.quarter),
        new_reds=tuple(new_reds),
        improved=tuple(improved),
        worsened=tuple(worsened),
        slipped=tuple(slipped),
        silent=tuple(silent),
    )


def changes_since_last_quarter(session: Session, plan_id: int, quarter: int) -> ChangesReport:
    """The "what changed since last quarter" report for ``quarter`` of the plan."""
    current = quarter_view(session, plan_id, quarter)
    previous = previous_view(session, plan_id, quarter)
    return build_report(session, current, previous, rag_classes(session))


def quarters_with_updates(session: Session, plan_id: int) -> set[int]:
    """The quarters in which any action of the plan has an update (words or a RAG)."""
    return set(
        session.scalars(
            plan_of(
                select(Update.quarter).join(Action, Update.action_id == Action.id),
                plan_id=plan_id,
            )
            .where(or_(Update.text != "", Update.rag.is_not(None)))
            .distinct()
        )
    )
