"""New work a partner wrote in a return's new-work rows: kept in the workspace as that lead's
new work for the quarter until the officer places it (returns.place), counted in the chase list.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import ReturnNewWork, ReturnRecord
from cspdesk.core.quarter.contributions import lead_slots
from cspdesk.core.quarter.guards import plan_id_of
from cspdesk.returns.diff import AddedRow, ReturnDiff
from cspdesk.returns.layout import COLUMNS

TABLE = "return_new_work"


def cells_json(row: AddedRow) -> str:
    return json.dumps(row.values, ensure_ascii=False, sort_keys=True)


def stored_cells(text: str | None) -> dict[str, str]:
    """A kept row's cells back, in the return's column order (JSON keeps them sorted)."""
    cells: dict[str, str] = json.loads(text or "{}")
    order = {column.heading: number for number, column in enumerate(COLUMNS)}
    return dict(sorted(cells.items(), key=lambda item: order.get(item[0], len(order))))


def keep_new_work(session: Session, diff: ReturnDiff) -> list[ops.Change]:
    """Store each new-work row of ``diff`` (one insert, an undoable Change a row); a row kept
    from an earlier merge of this return, word for word, is not kept twice."""
    if not diff.added:
        return []
    t = ReturnNewWork.__table__.c
    known = {
        (r.sheet, r.row, r.cells)
        for r in session.execute(
            select(t.sheet, t.row, t.cells).where(t.return_id == diff.record_id)
        )
    }
    rows = [
        {
            "return_id": diff.record_id,
            "plan_id": diff.plan_id,
            "quarter": diff.quarter,
            "agency_id": diff.agency_id,
            "lead_name": diff.lead_name,
            "file_name": diff.file_name,
            "sheet": row.sheet,
            "row": row.row,
            "cells": cells,
            "placed_as": "",
        }
        for row in diff.added
        if (row.sheet, row.row, cells := cells_json(row)) not in known
    ]
    if not rows:
        return []
    # One statement for them all (one round trip to a server), each row's id back in order.
    table = ops.table_of(TABLE)
    ids = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).scalars()
    return [ops.ItemAdded(TABLE, new_id, None, 0) for new_id in ids]


def waiting_new_work(session: Session, plan_id: int, quarter: int) -> Counter[int | None]:
    """New-work rows not placed yet, by the lead agency whose return holds them."""
    t = ReturnNewWork.__table__.c
    rows = session.execute(
        select(t.agency_id).where(t.plan_id == plan_id, t.quarter == quarter, t.placed_at.is_(None))
    ).scalars()
    return Counter(rows)


def kept_row_id(session: Session, diff: ReturnDiff, row: AddedRow) -> int | None:
    """The stored new-work row for ``row`` of ``diff`` not placed yet, if kept."""
    t = ReturnNewWork.__table__.c
    return session.execute(
        select(t.id)
        .where(
            t.return_id == diff.record_id,
            t.sheet == row.sheet,
            t.row == row.row,
            t.cells == cells_json(row),
            t.placed_at.is_(None),
        )
        .order_by(t.id.desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class WaitingWork:
    """A row of new work kept from a return and not placed yet, as the officer reads it."""

    id: int
    lead_name: str
    completed_by: str  # who the cover of the file holding it named ("" when not known)
    file_name: str
    quarter: int
    sheet: str
    row: int
    cells: dict[str, str]  # column heading -> text
    kept_at: dt.datetime

    def describe(self) -> str:
        return AddedRow(self.row, self.cells, self.sheet).describe()

    @property
    def sent_by(self) -> str:
        """ "All partners (completed by Essex Police, A. Person), police.xlsx, row 6" """
        by = f" (completed by {self.completed_by})" if self.completed_by else ""
        return f"{self.lead_name}{by}, {self.file_name}, row {self.row}"


def waiting_for_action(session: Session, action_id: int) -> list[WaitingWork]:
    """New work not placed yet from the returns of the action's leads, in its plan (new work
    belongs to a lead's return, not to one action: each of the lead's actions shows it)."""
    plan_id = plan_id_of(session, "action", action_id)
    agencies = {slot.agency_id for slot in lead_slots(session, action_id)}
    t, r = ReturnNewWork.__table__.c, ReturnRecord.__table__.c
    lead = or_(
        t.agency_id.in_([a for a in agencies if a is not None]),
        *([t.agency_id.is_(None)] if None in agencies else []),
    )
    rows = session.execute(
        select(
            t.id, t.lead_name, t.file_name, t.quarter, t.sheet, t.row, t.cells, t.created_at,
            r.completed_by, r.merged_file,
        )
        .join(ReturnRecord, ReturnRecord.id == t.return_id)
        .where(t.plan_id == plan_id, t.placed_at.is_(None), lead)
        .order_by(t.quarter, t.lead_name, t.file_name, t.row, t.id)
    )  # fmt: skip
    return [
        WaitingWork(
            row.id,
            row.lead_name,
            # The record keeps who completed the copy merged last: said only for that file.
            row.completed_by if row.file_name == row.merged_file else "",
            row.file_name,
            row.quarter,
            row.sheet,
            row.row,
            stored_cells(row.cells),
            row.created_at,
        )
        for row in rows
    ]
