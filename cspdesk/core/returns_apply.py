"""Write the accepted changes of a partner return in the caller's transaction, as one Change.

Every change goes through core.ops with who="return: <lead> <file name>", so the history says
who reported what, the quarter's update records its source, and the returned ChangeSet is one
undo step. The return's record is marked merged (also undoable). Before writing, every field is
checked to still hold the value the officer reviewed: if the plan moved on meanwhile, nothing
is written and the officer is asked to review again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from cspdesk.core import ops
from cspdesk.core.guards import ensure_plan_editable, ensure_quarter_open
from cspdesk.core.model import Plan, ReturnRecord, utcnow
from cspdesk.core.rag import load_scheme
from cspdesk.core.returns_bulk import bulk_apply
from cspdesk.core.returns_diff import DONE_DATE, RAG, UPDATE_TEXT, FieldChange, ReturnDiff
from cspdesk.core.returns_scope import load_actions
from cspdesk.errors import CspdeskError

SOURCE_LIMIT = 300
_MISSING = object()


class ReturnChanged(CspdeskError):
    """The plan changed between reviewing a return and accepting it."""


def _current_values(session: Session, diff: ReturnDiff, chosen: list[FieldChange]) -> dict:
    """The plan's values now for every chosen field, fetched in bulk."""
    actions = load_actions(session, diff.plan_id, diff.quarter, {c.action_id for c in chosen})
    values: dict[tuple[str, int, str], Any] = {}
    for action in actions.values():
        values[("action", action.id, UPDATE_TEXT)] = action.update_text
        values[("action", action.id, RAG)] = action.current_rag
        for m in action.milestones:
            values[("milestone", m.id, DONE_DATE)] = m.done_date
            values[("milestone", m.id, RAG)] = m.rag
    return values


def _check_value(change: FieldChange, codes: set[str], file_name: str) -> None:
    where = f"{file_name}: {change.kind} {change.item_id} {change.label}"
    if change.field == RAG and change.new is not None and change.new not in codes:
        raise CspdeskError(f"{where}: {change.new!r} is not a RAG status of this workspace")
    if (
        change.field == DONE_DATE
        and change.new is not None
        and (not isinstance(change.new, dt.date) or isinstance(change.new, dt.datetime))
    ):
        raise CspdeskError(f"{where}: {change.new!r} is not a date")
    if change.field == UPDATE_TEXT and not isinstance(change.new, str):
        raise CspdeskError(f"{where}: the update must be text")


def apply_return(
    session: Session, diff: ReturnDiff, changes: Iterable[FieldChange] | None = None
) -> ops.ChangeSet:
    """Apply ``changes`` (default: the accepted ones) of ``diff``; one ChangeSet to undo."""
    chosen = list(diff.accepted() if changes is None else changes)
    record = session.get(ReturnRecord, diff.record_id)
    if record is None or record.token != diff.token:
        raise CspdeskError(f"{diff.file_name}: its return record is gone; read the file again")
    plan = session.get(Plan, diff.plan_id)
    assert plan is not None
    ensure_plan_editable(session, diff.plan_id)
    ensure_quarter_open(session, diff.plan_id, diff.quarter)
    codes = {s.code for s in load_scheme(session)}
    now_values = _current_values(session, diff, chosen)
    for change in chosen:
        _check_value(change, codes, diff.file_name)
        if now_values.get(change.key, _MISSING) != change.old:
            raise ReturnChanged(
                f"{diff.file_name}: {change.item_title[:60]!r} ({change.label}) changed in the "
                "plan after the return was read; nothing was merged: read the return again"
            )
    who = diff.who[:SOURCE_LIMIT]
    done: list[ops.Change] = list(
        bulk_apply(session, chosen, diff.quarter, diff.quarter >= plan.current_quarter, who)
    )
    now = utcnow()
    done.append(ops.edit_field(session, "return_record", record.id, "merged_at", now, who))
    done.append(
        ops.edit_field(
            session, "return_record", record.id, "merged_file", diff.file_name[:SOURCE_LIMIT], who
        )
    )
    return ops.ChangeSet(tuple(done), f"Merge {diff.lead_name}'s Q{diff.quarter} return")


def apply_returns(session: Session, diffs: Iterable[ReturnDiff]) -> ops.ChangeSet:
    """Several returns accepted together: one transaction (the caller's), one undo step."""
    parts = tuple(apply_return(session, diff) for diff in diffs)
    label = parts[0].label if len(parts) == 1 else f"Merge {len(parts)} partner returns"
    return ops.ChangeSet(parts, label)
