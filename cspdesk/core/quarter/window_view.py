"""What the window reads of a workspace, as plain data: everything it shows on opening, read
together (over a slow link each read costs round trips of its own), and each action's direction
of travel for the column filled in later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Plan, RagStatus
from cspdesk.core.quarter.direction import direction_of_travel
from cspdesk.core.quarter.outline import Node, TreeLoader
from cspdesk.core.quarter.snapshots import previous_closed
from cspdesk.core.rag.classes import classes_of

# A RAG status as the window paints it: code, label, colour, text colour.
RagRow = tuple[str, str, str, str]


def rag_style_rows(session: Session) -> list[RagRow]:
    """The RAG scheme in its order, as the window paints it."""
    query = select(RagStatus.code, RagStatus.label, RagStatus.colour, RagStatus.text_colour)
    return [tuple(row) for row in session.execute(query.order_by(RagStatus.position))]  # type: ignore[misc]


@dataclass(frozen=True)
class WindowView:
    """The whole tree and how to paint it, read together."""

    rag_rows: list[RagRow]
    root: Node
    as_at_by_plan: dict[int, dt.date]  # the date each plan's milestones are judged overdue on


def window_view(session: Session, today: dt.date | None = None) -> WindowView:
    """The RAG scheme and every plan's tree, in the caller's one read (each table read once)."""
    rag = RagStatus.__table__.c
    scheme = session.execute(
        select(
            rag.code, rag.label, rag.colour, rag.text_colour, rag.rank, rag.is_complete
        ).order_by(rag.position)
    ).all()
    loader = TreeLoader(session, today, classes_of(scheme))
    root = loader.load()
    style: list[RagRow] = [(code, label, colour, text) for code, label, colour, text, *_ in scheme]
    return WindowView(style, root, loader.as_at_by_plan)


def directions_by_action(session: Session) -> dict[int, str]:
    """{action id: "▲ improved"} against each plan's last closed quarter; plans with no closed
    quarter to compare with are left out (the column stays empty for them)."""
    found: dict[int, str] = {}
    for plan_id, quarter in session.execute(select(Plan.id, Plan.current_quarter)).all():
        if previous_closed(session, plan_id, quarter) is None:
            continue
        for action_id, direction in direction_of_travel(session, plan_id, quarter).items():
            found[action_id] = str(direction)
    return found
