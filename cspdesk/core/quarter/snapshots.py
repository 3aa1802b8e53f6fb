"""Quarters' snapshots: which are closed, and what was frozen when they were.

A closed quarter's Snapshot holds its quarter view (core.quarter.view) as JSON; closing and
reopening (core.quarter.closing) store and flag it as undoable Changes. Later edits never touch the
payload. Direction of travel lives in core.quarter.direction, the pre-publish checker in
core.quarter.checks.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import (
    HistoryEntry,
    Plan,
    Snapshot,
    utcnow,
)
from cspdesk.core.quarter.guards import (
    QuarterClosed,
    closed_snapshots,
    ensure_quarter_open,
    is_quarter_closed,
)
from cspdesk.core.workspace.plan_tree import PlanTree, build_plan_tree, paused_gc
from cspdesk.errors import CspdeskError

__all__ = [
    "QuarterClosed",
    "QuarterStatus",
    "SnapshotChanged",
    "ensure_quarter_open",
    "is_quarter_closed",
    "quarter_statuses",
    "snapshot_payload",
]


@dataclass(frozen=True)
class SnapshotState:
    """A Snapshot row's values, so a change can put it back exactly (same id)."""

    id: int | None
    closed_at: dt.datetime
    closed_by: str
    is_open: bool
    payload: str


@dataclass(frozen=True)
class SnapshotChanged:
    """A quarter's snapshot went from ``before`` to ``after`` (None: no snapshot row)."""

    plan_id: int
    quarter: int
    before: SnapshotState | None
    after: SnapshotState | None
    label: str

    def revert(self, session: Session) -> ops.Change:
        _store(session, self.plan_id, self.quarter, self.before)
        _log(session, self.plan_id, self.quarter, _word(self.after), _word(self.before), "undone")
        return SnapshotChanged(self.plan_id, self.quarter, self.after, self.before, self.label)

    def describe(self) -> str:
        return self.label

    @property
    def closes_quarter(self) -> bool:
        """This change closes a quarter that was open (or had never been closed)."""
        closed_now = self.after is not None and not self.after.is_open
        return closed_now and (self.before is None or self.before.is_open)


def _word(state: SnapshotState | None) -> str:
    if state is None:
        return "open"
    return "reopened" if state.is_open else "closed"


def _log(
    session: Session, plan_id: int, quarter: int, old: str, new: str, note: str, who: str = ""
) -> None:
    session.execute(
        insert(HistoryEntry).values(
            at=utcnow(),
            who=ops.signer(session, who),
            entity="plan",
            entity_id=plan_id,
            field=f"q{quarter}_closed",
            old=old,
            new=new,
            note=note,
        )
    )


def _load(session: Session, plan_id: int, quarter: int) -> SnapshotState | None:
    row = session.execute(
        select(
            Snapshot.id, Snapshot.closed_at, Snapshot.closed_by, Snapshot.is_open, Snapshot.payload
        ).where(Snapshot.plan_id == plan_id, Snapshot.quarter == quarter)
    ).one_or_none()
    return None if row is None else SnapshotState(*row)


def _store(session: Session, plan_id: int, quarter: int, state: SnapshotState | None) -> int | None:
    where = (Snapshot.plan_id == plan_id, Snapshot.quarter == quarter)
    if state is None:
        session.execute(delete(Snapshot).where(*where))
        return None
    values = {
        "closed_at": state.closed_at,
        "closed_by": state.closed_by,
        "is_open": state.is_open,
        "payload": state.payload,
    }
    if session.execute(select(Snapshot.id).where(*where)).first() is not None:
        session.execute(update(Snapshot).where(*where).values(values))
        return state.id
    ids = {} if state.id is None else {"id": state.id}
    result = session.execute(
        insert(Snapshot).values(plan_id=plan_id, quarter=quarter, **ids, **values)
    )
    return result.inserted_primary_key[0]  # type: ignore[index]


def _check_quarter(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise CspdeskError(f"quarter {quarter} is not Q1 to Q4")


def _plan_row(session: Session, plan_id: int) -> Any:
    row = session.execute(
        select(Plan.id, Plan.year, Plan.current_quarter).where(Plan.id == plan_id)
    ).one_or_none()
    if row is None:
        raise CspdeskError(f"no plan with id {plan_id}")
    return row


def snapshot_payload(session: Session, plan_id: int, quarter: int) -> PlanTree | None:
    """The frozen plan dict of a closed quarter; None when the quarter is open or reopened."""
    payload = session.execute(
        select(Snapshot.payload).where(*closed_snapshots(plan_id), Snapshot.quarter == quarter)
    ).scalar_one_or_none()
    if payload is None:
        return None
    with paused_gc():
        return json.loads(payload)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class QuarterStatus:
    quarter: int
    state: str  # "open", "closed" or "reopened"
    closed_at: dt.datetime | None
    closed_by: str

    @property
    def closed(self) -> bool:
        return self.state == "closed"


def quarter_statuses(session: Session, plan_id: int) -> dict[int, QuarterStatus]:
    """Q1..Q4 of the plan: open, closed (when, by whom) or reopened."""
    rows = {
        row.quarter: row
        for row in session.execute(
            select(
                Snapshot.quarter, Snapshot.is_open, Snapshot.closed_at, Snapshot.closed_by
            ).where(Snapshot.plan_id == plan_id)
        )
    }
    statuses = {}
    for quarter in range(1, 5):
        row = rows.get(quarter)
        if row is None:
            statuses[quarter] = QuarterStatus(quarter, "open", None, "")
        else:
            state = "reopened" if row.is_open else "closed"
            statuses[quarter] = QuarterStatus(quarter, state, row.closed_at, row.closed_by)
    return statuses


def previous_closed(session: Session, plan_id: int, quarter: int) -> tuple[int, int] | None:
    """(plan_id, quarter) of the last closed quarter before ``quarter``.

    Looks in this plan first, then in the plan it was rolled forward from (its last closed
    quarter), so Q1 of a new year compares with Q4 (or the last closed quarter) of the old.
    """
    row = session.execute(
        select(Snapshot.quarter)
        .where(*closed_snapshots(plan_id), Snapshot.quarter < quarter)
        .order_by(Snapshot.quarter.desc())
    ).first()
    if row is not None:
        return plan_id, row.quarter
    rolled_from = session.execute(
        select(Plan.rolled_from_id).where(Plan.id == plan_id)
    ).scalar_one_or_none()
    if rolled_from is None:
        return None
    row = session.execute(
        select(Snapshot.quarter)
        .where(*closed_snapshots(rolled_from))
        .order_by(Snapshot.quarter.desc())
    ).first()
    return None if row is None else (rolled_from, row.quarter)


def quarter_tree(session: Session, plan_id: int, quarter: int) -> tuple[PlanTree, bool]:
    """The tree to report a quarter from: its snapshot when closed, else live data."""
    frozen = snapshot_payload(session, plan_id, quarter)
    if frozen is not None:
        return frozen, True
    return build_plan_tree(session, plan_id, max_quarter=quarter), False
