"""Direction of travel: each action's RAG against the previous closed quarter.

Rules (RagStatus.rank, higher is better):
- the action's RAG for a quarter is the one rule of core.quarter.rule (agreed, else proposed
  from the leads' contributions, else carried), read from the snapshot for a closed quarter;
- ``new``: there is no previous closed quarter, or the action was not in it (an action carried
  into a new year is matched to the one it continues, through carried_from_id);
- ``not comparable``: the same action, but either RAG has no rank (Grey "not started", or no
  status at all) and the two are not the same status;
- otherwise ``improved`` / ``worsened`` / ``no change`` by rank (Green -> Blue is improved).

Glyphs ▲ ▼ ► ● (U+25B2, U+25BC, U+25BA, U+25CF) are in the Windows Glyph List 4, so Arial,
Calibri, Segoe UI and Liberation Sans/DejaVu Sans have them; reportlab's built-in Helvetica and
bundled Vera do not (a PDF must embed a TTF such as DejaVu Sans, or use ``Direction.ascii``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Action, Plan
from cspdesk.core.quarter.rule import (
    action_printed,
    action_rag,
    plan_quarters,
    tree_action_quarter,
)
from cspdesk.core.quarter.snapshots import previous_closed, quarter_tree, snapshot_payload
from cspdesk.core.rag.classes import RagClasses, rag_classes
from cspdesk.core.workspace.plan_tree import PlanTree, iter_actions, readable_path


class Trend(enum.StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    SAME = "no change"
    NEW = "new"
    NOT_COMPARABLE = "not comparable"


ARROWS = {
    Trend.IMPROVED: "▲",
    Trend.WORSENED: "▼",
    Trend.SAME: "►",
    Trend.NEW: "●",
    Trend.NOT_COMPARABLE: "●",
}
ASCII = {
    Trend.IMPROVED: "+",
    Trend.WORSENED: "-",
    Trend.SAME: "=",
    Trend.NEW: "new",
    Trend.NOT_COMPARABLE: "n/c",
}


@dataclass(frozen=True)
class Direction:
    trend: Trend
    previous: str | None  # RAG code at the previous closed quarter (None: none or new)
    current: str | None

    @property
    def arrow(self) -> str:
        return ARROWS[self.trend]

    @property
    def word(self) -> str:
        return str(self.trend)

    @property
    def ascii(self) -> str:
        return ASCII[self.trend]

    def __str__(self) -> str:
        return f"{self.arrow} {self.word}"


@dataclass
class ActionView:
    """One action as reported for a quarter."""

    id: int
    carried_from_id: int | None
    path: str
    rag: str | None
    update_text: str
    has_update: bool
    # Quarters (up to this one) whose update has some text.
    updated_quarters: frozenset[int] = frozenset()
    milestones: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class QuarterView:
    plan_id: int
    year: str
    quarter: int
    frozen: bool
    actions: dict[int, ActionView]

    def match(self, action: ActionView) -> ActionView | None:
        """This view's record of ``action`` (itself, or the action it was carried from)."""
        found = self.actions.get(action.id)
        if found is None and action.carried_from_id is not None:
            found = self.actions.get(action.carried_from_id)
        return found


def view_of_tree(tree: PlanTree, quarter: int, frozen: bool, classes: RagClasses) -> QuarterView:
    actions: dict[int, ActionView] = {}
    for priority, objective, action in iter_actions(tree):
        found = tree_action_quarter(action, quarter, classes)
        actions[action["id"]] = ActionView(
            id=action["id"],
            carried_from_id=action.get("carried_from_id"),
            path=readable_path(priority["title"], objective["title"], action["title"]),
            rag=action_rag(action, quarter, classes).code,
            update_text=action_printed(action, quarter, classes),
            has_update=found.reported or found.agreed is not None,
            updated_quarters=frozenset(
                q for q in range(1, quarter + 1) if tree_action_quarter(action, q, classes).reported
            ),
            milestones=action["milestones"],
        )
    return QuarterView(tree["id"], tree["year"], quarter, frozen, actions)


def quarter_view(session: Session, plan_id: int, quarter: int) -> QuarterView:
    """The quarter as reported: from its snapshot when closed, else from live data."""
    tree, frozen = quarter_tree(session, plan_id, quarter)
    return view_of_tree(tree, quarter, frozen, rag_classes(session))


def previous_view(session: Session, plan_id: int, quarter: int) -> QuarterView | None:
    found = previous_closed(session, plan_id, quarter)
    return None if found is None else quarter_view(session, *found)


def compare(previous: str | None, current: str | None, classes: RagClasses) -> Trend:
    if previous == current and previous is not None:
        return Trend.SAME
    old, new = classes.rank_of(previous), classes.rank_of(current)
    if old is None or new is None:
        return Trend.NOT_COMPARABLE
    if new > old:
        return Trend.IMPROVED
    return Trend.WORSENED if new < old else Trend.SAME


# action id -> (carried_from_id, RAG for the quarter): all direction of travel needs.
Rags = dict[int, tuple[int | None, str | None]]


def rags_of_view(view: QuarterView) -> Rags:
    return {a.id: (a.carried_from_id, a.rag) for a in view.actions.values()}


def rags_of_tree(tree: PlanTree, quarter: int, classes: RagClasses) -> Rags:
    return {
        action["id"]: (
            action.get("carried_from_id"),
            action_rag(action, quarter, classes).code,
        )
        for _, _, action in iter_actions(tree)
    }


def live_rags(session: Session, plan_id: int, quarter: int) -> Rags:
    """The plan's RAGs for an open quarter, from the live plan (no tree)."""
    found = plan_quarters(session, plan_id, quarter)
    carried = (
        dict(
            session.execute(
                select(Action.id, Action.carried_from_id).where(Action.id.in_(list(found)))
            ).all()
        )
        if len(found) < 500
        else dict(session.execute(select(Action.id, Action.carried_from_id)).all())
    )
    return {aid: (carried.get(aid), item.rag.code) for aid, item in found.items()}


def quarter_rags(session: Session, plan_id: int, quarter: int) -> Rags:
    frozen = snapshot_payload(session, plan_id, quarter)
    if frozen is not None:
        return rags_of_tree(frozen, quarter, rag_classes(session))
    return live_rags(session, plan_id, quarter)


def directions_of_rags(
    current: Rags, previous: Rags | None, classes: RagClasses
) -> dict[int, Direction]:
    result = {}
    for action_id, (carried_from, rag) in current.items():
        before = None
        if previous is not None:
            before = previous.get(action_id)
            if before is None and carried_from is not None:
                before = previous.get(carried_from)
        if before is None:
            result[action_id] = Direction(Trend.NEW, None, rag)
        else:
            result[action_id] = Direction(compare(before[1], rag, classes), before[1], rag)
    return result


def directions(
    current: QuarterView, previous: QuarterView | None, classes: RagClasses
) -> dict[int, Direction]:
    before = None if previous is None else rags_of_view(previous)
    return directions_of_rags(rags_of_view(current), before, classes)


def direction_of_travel(session: Session, plan_id: int, quarter: int) -> dict[int, Direction]:
    """Each action of the plan (by id) against the last closed quarter before ``quarter``."""
    if session.execute(select(Plan.id).where(Plan.id == plan_id)).first() is None:
        raise LookupError(f"no plan with id {plan_id}")
    current = quarter_rags(session, plan_id, quarter)
    found = previous_closed(session, plan_id, quarter)
    previous = None if found is None else quarter_rags(session, *found)
    return directions_of_rags(current, previous, rag_classes(session))
