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

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core import ops
from cspdesk.core.model import Action, Milestone, Plan, ReturnRecord, utcnow
from cspdesk.core.rag import load_scheme
from cspdesk.core.returns_diff import DONE_DATE, RAG, UPDATE_TEXT, FieldChange, ReturnDiff
from cspdesk.errors import CspdeskError

SOURCE_LIMIT = 300


class ReturnChanged(CspdeskError):
    """The plan changed between reviewing a return and accepting it."""


def _current(session: Session, change: FieldChange, quarter: int) -> Any:
    if change.kind == "milestone":
        column = Milestone.done_date if change.field == DONE_DATE else Milestone.rag
        return session.execute(select(column).where(Milestone.id == change.item_id)).scalar()
    update = ops.get_update(session, change.item_id, quarter)
    if change.field == UPDATE_TEXT:
        return update.text if update else ""
    if update is not None and update.rag is not None:
        return update.rag
    return session.execute(select(Action.rag).where(Action.id == change.item_id)).scalar()


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
    codes = {s.code for s in load_scheme(session)}
    for change in chosen:
        _check_value(change, codes, diff.file_name)
        if _current(session, change, diff.quarter) != change.old:
            raise ReturnChanged(
                f"{diff.file_name}: {change.item_title[:60]!r} ({change.label}) changed in the "
                "plan after the return was read; nothing was merged: read the return again"
            )
    who = diff.who[:SOURCE_LIMIT]
    done: list[ops.Change] = []
    by_action: dict[int, dict[str, Any]] = {}
    for change in chosen:
        if change.kind == "action":
            by_action.setdefault(change.item_id, {})[change.field] = change.new
        else:
            done.append(
                ops.edit_field(session, "milestone", change.item_id, change.field, change.new, who)
            )
    for action_id, fields in by_action.items():
        old = ops.get_update(session, action_id, diff.quarter)
        action_rag = session.execute(select(Action.rag).where(Action.id == action_id)).scalar()
        text = fields.get(UPDATE_TEXT, old.text if old else "")
        rag = fields.get(RAG, old.rag if old and old.rag is not None else action_rag)
        done.append(
            ops.set_update(session, action_id, diff.quarter, ops.UpdateValue(text, rag, who), who)
        )
        # The plan's current RAG follows the latest quarter's report, not a late old one.
        if RAG in fields and diff.quarter >= plan.current_quarter:
            done.append(ops.edit_field(session, "action", action_id, "rag", fields[RAG], who))
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
