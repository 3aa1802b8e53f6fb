"""Closing and reopening a quarter: its view frozen as the committee saw it, or unfrozen.

Closing stores the quarter's view (core.quarter.view: everything any output prints) as the
Snapshot's payload, so reprinting a closed quarter gives what was printed before it closed.
Reopening is deliberate: it needs a reason, which is kept in the history. Both are undoable
Changes (core.plan.ops protocol).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import utcnow
from cspdesk.core.quarter.rule import plan_quarters
from cspdesk.core.quarter.snapshots import (
    QuarterClosed,
    QuarterStatus,
    SnapshotChanged,
    SnapshotState,
    _check_quarter,
    _load,
    _log,
    _plan_row,
    _store,
    _word,
    quarter_statuses,
)
from cspdesk.core.quarter.view import build_quarter_view
from cspdesk.errors import CspdeskError


def freeze(session: Session, plan_id: int, quarter: int) -> str:
    """The JSON payload a snapshot of ``quarter`` would hold now: its view (whose
    ``current_quarter`` is the quarter frozen, so a report printed from it names that one)."""
    view = build_quarter_view(session, plan_id, quarter)
    return json.dumps(view, ensure_ascii=False, separators=(",", ":"))


def close_quarter(
    session: Session,
    plan_id: int,
    quarter: int,
    who: str = ops.DEFAULT_WHO,
    *,
    advance: bool = True,
) -> ops.Change:
    """Freeze the quarter; with ``advance``, move the plan's current quarter on past it.

    Raises QuarterClosed if it is closed already. A reopened quarter is frozen afresh.
    """
    _check_quarter(quarter)
    who = ops.signer(session, who)
    plan = _plan_row(session, plan_id)
    before = _load(session, plan_id, quarter)
    if before is not None and not before.is_open:
        raise QuarterClosed(f"Q{quarter} {plan.year} is closed already")
    after = SnapshotState(
        id=None if before is None else before.id,
        closed_at=utcnow(),
        closed_by=who,
        is_open=False,
        payload=freeze(session, plan_id, quarter),
    )
    new_id = _store(session, plan_id, quarter, after)
    after = replace(after, id=new_id)
    _log(session, plan_id, quarter, _word(before), "closed", "", who)
    label = f"Close Q{quarter} {plan.year}"
    closed = SnapshotChanged(plan_id, quarter, before, after, label)
    if advance and plan.current_quarter == quarter and quarter < 4:
        moved = ops.edit_field(session, "plan", plan_id, "current_quarter", quarter + 1, who)
        return ops.ChangeSet((closed, moved), label)
    return closed


def reopen_quarter(
    session: Session, plan_id: int, quarter: int, reason: str, who: str = ops.DEFAULT_WHO
) -> ops.Change:
    """Reopen a closed quarter on purpose; the reason is kept in the history.

    The old payload stays in the row (for the record) but no longer counts as frozen: reports
    print from live data until the quarter is closed again.
    """
    _check_quarter(quarter)
    plan = _plan_row(session, plan_id)
    reason = " ".join(reason.split())
    if not reason:
        raise CspdeskError("say why the quarter is being reopened (it is recorded)")
    before = _load(session, plan_id, quarter)
    if before is None or before.is_open:
        raise CspdeskError(f"Q{quarter} {plan.year} is not closed")
    after = replace(before, is_open=True)
    _store(session, plan_id, quarter, after)
    _log(session, plan_id, quarter, "closed", "reopened", reason, who)
    return SnapshotChanged(plan_id, quarter, before, after, f"Reopen Q{quarter} {plan.year}")


@dataclass(frozen=True)
class ClosePreview:
    """What closing a quarter would freeze, for the confirmation dialog."""

    year: str
    quarter: int
    status: QuarterStatus
    actions: int
    with_update: int  # actions with something reported for the quarter
    rag_counts: dict[str | None, int]  # the quarter's RAG (core.quarter.rule) -> actions


def close_preview(session: Session, plan_id: int, quarter: int) -> ClosePreview:
    _check_quarter(quarter)
    plan = _plan_row(session, plan_id)
    rags = plan_quarters(session, plan_id, quarter)
    counts: dict[str | None, int] = {}
    for found in rags.values():
        counts[found.rag.code] = counts.get(found.rag.code, 0) + 1
    written = sum(1 for found in rags.values() if found.reported)
    return ClosePreview(
        plan.year,
        quarter,
        quarter_statuses(session, plan_id)[quarter],
        len(rags),
        written,
        counts,
    )
