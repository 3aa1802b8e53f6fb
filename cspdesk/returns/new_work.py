"""New work a partner wrote in a return's new-work rows: kept in the workspace as that lead's
new work for the quarter until the officer places it (returns.place), counted in the chase list.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import ReturnNewWork
from cspdesk.returns.diff import AddedRow, ReturnDiff

TABLE = "return_new_work"


def cells_json(row: AddedRow) -> str:
    return json.dumps(row.values, ensure_ascii=False, sort_keys=True)


def keep_new_work(session: Session, diff: ReturnDiff, who: str) -> list[ops.Change]:
    """Store each new-work row of ``diff`` (one undoable insert each); a row already kept
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
    done: list[ops.Change] = []
    for row in diff.added:
        cells = cells_json(row)
        if (row.sheet, row.row, cells) in known:
            continue
        done.append(
            ops.add_row(
                session,
                TABLE,
                who,
                return_id=diff.record_id,
                plan_id=diff.plan_id,
                quarter=diff.quarter,
                agency_id=diff.agency_id,
                lead_name=diff.lead_name[:200],
                file_name=diff.file_name[:300],
                sheet=row.sheet[:100],
                row=row.row,
                cells=cells,
                placed_as="",
            )
        )
    return done


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
