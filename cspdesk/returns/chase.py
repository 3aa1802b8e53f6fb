"""The chase list: for a quarter, which leads have returned, which are late, which are awaited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import ReturnRecord
from cspdesk.core.quarter.overdue import returns_as_at
from cspdesk.returns.new_work import waiting_new_work
from cspdesk.returns.scope import agencies, group_by_lead, lead_of, load_actions

RETURNED, LATE, AWAITED, NOT_SENT = "returned", "late", "awaited", "not sent"


@dataclass(frozen=True)
class ChaseRow:
    agency_id: int | None
    lead: str
    email: str
    actions: int
    status: str
    made_at: dt.datetime | None
    due_date: dt.date | None
    merged_at: dt.datetime | None
    merged_file: str
    decisions_waiting: int = 0
    new_items: int = 0  # new work from its returns not placed in the plan yet

    @property
    def state(self) -> str:
        """The status as people read it: "returned, 2 decisions waiting, 1 new item to place"."""
        if self.status != RETURNED:
            return self.status
        parts = [RETURNED]
        if self.decisions_waiting:
            noun = "decision" if self.decisions_waiting == 1 else "decisions"
            parts.append(f"{self.decisions_waiting} {noun} waiting")
        if self.new_items:
            noun = "item" if self.new_items == 1 else "items"
            parts.append(f"{self.new_items} new {noun} to place")
        return ", ".join(parts)


def chase_list(
    session: Session, plan_id: int, quarter: int, today: dt.date | None = None
) -> list[ChaseRow]:
    """One row per lead with actions in the plan or a return made for the quarter.

    A lead counts as returned once one of its returns for the quarter was merged (with the
    decisions its latest merge left waiting); made_at and due_date are those of its latest
    return.
    """
    today = today or returns_as_at(session, plan_id, quarter)
    known = agencies(session)
    counts = {
        agency_id: len(rows)
        for agency_id, rows in group_by_lead(
            load_actions(session, plan_id, quarter).values()
        ).items()
    }
    records = session.execute(
        select(ReturnRecord)
        .where(ReturnRecord.plan_id == plan_id, ReturnRecord.quarter == quarter)
        .order_by(ReturnRecord.made_at, ReturnRecord.id)
    ).scalars()
    latest: dict[int | None, ReturnRecord] = {}
    merged: dict[int | None, ReturnRecord] = {}
    names: dict[int | None, str] = {}
    for record in records:
        latest[record.agency_id] = record
        names[record.agency_id] = record.lead_name
        if record.merged_at is not None and (
            record.agency_id not in merged
            or record.merged_at > (merged[record.agency_id].merged_at or record.merged_at)
        ):
            merged[record.agency_id] = record
    new_work = waiting_new_work(session, plan_id, quarter)
    rows: list[ChaseRow] = []
    for agency_id in set(counts) | set(latest):
        lead = lead_of(agency_id, known)
        record = latest.get(agency_id)
        done = merged.get(agency_id)
        if done is not None:
            status = RETURNED
        elif record is None:
            status = NOT_SENT
        elif record.due_date is not None and record.due_date < today:
            status = LATE
        else:
            status = AWAITED
        rows.append(
            ChaseRow(
                agency_id=agency_id,
                lead=lead.name if agency_id in known or agency_id is None else names[agency_id],
                email=lead.email,
                actions=counts.get(agency_id, 0),
                status=status,
                made_at=record.made_at if record else None,
                due_date=record.due_date if record else None,
                merged_at=done.merged_at if done else None,
                merged_file=done.merged_file if done else "",
                decisions_waiting=done.decisions_waiting if done else 0,
                new_items=new_work.get(agency_id, 0),
            )
        )
    order = {LATE: 0, AWAITED: 1, NOT_SENT: 2, RETURNED: 3}
    rows.sort(key=lambda r: (order[r.status], r.agency_id is None, r.lead.casefold()))
    return rows
