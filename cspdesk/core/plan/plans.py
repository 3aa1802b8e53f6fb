"""The workspace's plans as the window names and picks them: years, the newest, a plan's
current quarter and its priorities, the partnership's name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import ENTITY_CLASSES, Partnership, Plan, Priority
from cspdesk.errors import CspdeskError


def plan_years(session: Session) -> dict[int, str]:
    """Each plan's id and year ("2016/17")."""
    return {plan_id: year for plan_id, year in session.execute(select(Plan.id, Plan.year))}


def latest_plan_id(session: Session) -> int | None:
    """The plan of the latest year; None when the workspace has no plan yet."""
    return session.execute(select(Plan.id).order_by(Plan.year.desc())).scalars().first()


def plan_year(session: Session, plan_id: int) -> str:
    """The plan's year ("2016/17"); CspdeskError when there is no such plan."""
    year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one_or_none()
    if year is None:
        raise CspdeskError(f"no plan with id {plan_id}")
    return year


def plan_item(session: Session, entity: str, item_id: int) -> Any:
    """The item of ``entity`` ("action", "milestone"…) with this id, or None once it is gone
    (deleted by a colleague): the mapped row, whose fields depend on the entity."""
    return session.get(ENTITY_CLASSES[entity], item_id)


def current_quarter(session: Session, plan_id: int) -> int:
    """The quarter (1 to 4) the plan is in; CspdeskError when there is no such plan."""
    quarter = session.execute(
        select(Plan.current_quarter).where(Plan.id == plan_id)
    ).scalar_one_or_none()
    if quarter is None:
        raise CspdeskError(f"no plan with id {plan_id}")
    return quarter


def priority_titles(session: Session, plan_id: int) -> list[tuple[int, str]]:
    """(id, title) of the plan's priorities, in the plan's order."""
    rows = session.execute(
        select(Priority.id, Priority.title)
        .where(Priority.plan_id == plan_id)
        .order_by(Priority.position)
    )
    return [(priority_id, title) for priority_id, title in rows]


def partnership_name(session: Session) -> str | None:
    """The partnership's name as the workspace holds it (None in a workspace without one)."""
    return session.execute(select(Partnership.name)).scalar()
