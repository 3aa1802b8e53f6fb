"""Refusals that editing code calls before it changes a plan: closed quarters, read-only plans.

core.plan.ops does not call these itself (it edits whatever it is told, and undo must be able to
put anything back); the callers that act for the user call them first: ui.document for every
edit in the GUI, core.returns_apply for partner returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import Action, Base, Milestone, Objective, Plan, Priority, Snapshot
from cspdesk.core.plan.plans import plan_year
from cspdesk.errors import CspdeskError


class QuarterClosed(CspdeskError):
    """An edit to a quarter that has been closed (reopen it first)."""


class PlanReadOnly(CspdeskError):
    """An edit to a plan kept read-only (e.g. last year's plan after a roll-forward)."""


def closed_snapshots(plan_id: int) -> tuple[ColumnElement[bool], ...]:
    """Where-clauses for the snapshots of the plan's closed quarters (a quarter reopened keeps
    its snapshot row, marked open, until it is closed again)."""
    return Snapshot.plan_id == plan_id, _closed()


def _closed() -> ColumnElement[bool]:
    """A snapshot of a closed quarter: reopening keeps the row, marked open."""
    return Snapshot.is_open.is_(False)


def closed_dates_query(plan_ids: Any) -> Select[int, int, dt.datetime]:
    """(plan id, quarter, closed at) of every closed quarter of the plans ``plan_ids`` (ids, or
    a subquery of them): closed_on for several plans and quarters in one read."""
    return select(Snapshot.plan_id, Snapshot.quarter, Snapshot.closed_at).where(
        Snapshot.plan_id.in_(plan_ids), _closed()
    )


def closed_on(session: Session, plan_id: int, quarter: int) -> dt.datetime | None:
    """When ``quarter`` of the plan was closed; None while it is open (never closed, or
    reopened since)."""
    return session.execute(
        select(Snapshot.closed_at).where(*closed_snapshots(plan_id), Snapshot.quarter == quarter)
    ).scalar_one_or_none()


def is_quarter_closed(session: Session, plan_id: int, quarter: int) -> bool:
    """The one answer to "is this quarter closed?": its report is frozen, its updates too."""
    return closed_on(session, plan_id, quarter) is not None


def closed_quarters(session: Session, plan_id: int) -> set[int]:
    """The plan's quarters that are closed now."""
    return set(
        session.execute(select(Snapshot.quarter).where(*closed_snapshots(plan_id))).scalars()
    )


def _closed_words(quarter: int, year: str) -> str:
    return (
        f"Q{quarter} {year} is closed: what was reported is frozen. "
        "Reopen the quarter first (this is recorded) to change its updates."
    )


def _kept_words(year: str) -> str:
    return f"The {year} plan is kept read-only for the record: it cannot be changed."


def ensure_quarter_open(session: Session, plan_id: int, quarter: int) -> None:
    """Raise QuarterClosed if ``quarter`` of the plan is closed."""
    if is_quarter_closed(session, plan_id, quarter):
        raise QuarterClosed(_closed_words(quarter, plan_year(session, plan_id)))


def ensure_plan_editable(session: Session, plan_id: int) -> None:
    """Raise PlanReadOnly if the plan is kept read-only."""
    read_only = session.execute(
        select(Plan.read_only).where(Plan.id == plan_id)
    ).scalar_one_or_none()
    if read_only is None:
        raise CspdeskError(f"no plan with id {plan_id}")
    if read_only:
        raise PlanReadOnly(_kept_words(plan_year(session, plan_id)))


def _plan_id_from(start: type[Base]) -> Select[int]:
    return plan_of(select(Priority.plan_id).select_from(start), start)


def _plan_id_query(entity: str, item_id: int) -> Select[int]:
    query = {
        "plan": select(Plan.id).where(Plan.id == item_id),
        "priority": select(Priority.plan_id).where(Priority.id == item_id),
        "objective": _plan_id_from(Objective).where(Objective.id == item_id),
        "action": _plan_id_from(Action).where(Action.id == item_id),
        "milestone": _plan_id_from(Milestone).where(Milestone.id == item_id),
    }.get(entity)
    if query is None:
        raise ValueError(f"{entity!r} is not a plan tree level")
    return query


def plan_id_of(session: Session, entity: str, item_id: int) -> int:
    """The id of the plan an item of the tree belongs to."""
    plan_id = session.execute(_plan_id_query(entity, item_id)).scalar_one_or_none()
    if plan_id is None:
        raise CspdeskError(f"no {entity} with id {item_id}")
    return plan_id


def ensure_update_editable(session: Session, action_id: int, quarter: int) -> None:
    """Before ops.set_update: the action's plan is editable and the quarter is open."""
    plan_id = plan_id_of(session, "action", action_id)
    ensure_plan_editable(session, plan_id)
    ensure_quarter_open(session, plan_id, quarter)


def why_not_editable(
    session: Session, entity: str, item_id: int, *, in_current_quarter: bool = False
) -> str | None:
    """Why an item of the plan tree cannot be edited now, in the words its refusal uses; None
    when it can. ``in_current_quarter``: the edit is to the plan's current quarter (an action's
    agreed RAG), so a closed current quarter refuses it too. Asked before an editor opens, so
    the officer is told before typing, not after."""
    # One statement (asked each time an editor opens: over a slow link each costs a trip).
    plan_id = _plan_id_query(entity, item_id).scalar_subquery()
    current_closed = (
        select(Snapshot.quarter)
        .where(Snapshot.plan_id == Plan.id, Snapshot.quarter == Plan.current_quarter, _closed())
        .exists()
    )
    found = session.execute(
        select(Plan.year, Plan.read_only, Plan.current_quarter, current_closed).where(
            Plan.id == plan_id
        )
    ).one_or_none()
    if found is None:
        raise CspdeskError(f"no {entity} with id {item_id}")
    year, kept, quarter, closed = found
    if kept:
        return _kept_words(year)
    if in_current_quarter and closed:
        return _closed_words(quarter, year)
    return None


@runtime_checkable
class QuarterStateChange(Protocol):
    """A change to whether a quarter is closed (core.quarter.snapshots.SnapshotChanged)."""

    plan_id: int
    quarter: int

    @property
    def closes_quarter(self) -> bool: ...


class UndoRefused(CspdeskError):
    """An undo or redo that no plain edit may do (reopening a closed quarter)."""


def ensure_revert_allowed(session: Session, change: object) -> None:
    """Undo and redo pass the refusals of the edit they replay: an update in a closed quarter,
    a change to a plan kept read-only. A closed quarter is reopened only by the reopen dialog,
    which records why: never by undoing its close."""
    from cspdesk.core.plan import ops
    from cspdesk.core.plan.model import PARENT_COLUMN, parent_level

    if isinstance(change, ops.ChangeSet):
        for part in change.changes:
            ensure_revert_allowed(session, part)
    elif isinstance(change, QuarterStateChange):
        if change.closes_quarter:
            year = plan_year(session, change.plan_id)
            raise UndoRefused(
                f"Q{change.quarter} {year} is closed, and undo does not reopen a quarter: use "
                "Quarter > Reopen quarter…, which records why."
            )
    elif isinstance(change, ops.UpdateSet):
        ensure_update_editable(session, change.action_id, change.quarter)
    elif isinstance(change, ops.LeadsSet):
        ensure_plan_editable(session, plan_id_of(session, "action", change.action_id))
    elif isinstance(change, ops.FieldEdited):
        unlocking = (change.entity, change.field) == ("plan", "read_only")
        if change.entity in PARENT_COLUMN and not unlocking:
            ensure_plan_editable(session, plan_id_of(session, change.entity, change.id))
    elif isinstance(change, ops.ItemAdded | ops.ItemDeleted | ops.ItemMoved):
        if change.entity not in PARENT_COLUMN or change.entity == "plan":
            return  # not a plan's item; a whole plan may go or come back
        parent = parent_level(change.entity)
        parent_id = change.old_parent_id if isinstance(change, ops.ItemMoved) else change.parent_id
        if parent is not None and parent_id is not None:
            ensure_plan_editable(session, plan_id_of(session, parent, parent_id))
        if not isinstance(change, ops.ItemDeleted):  # a deleted item is not there to ask
            ensure_plan_editable(session, plan_id_of(session, change.entity, change.id))
