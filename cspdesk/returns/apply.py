"""Write the accepted changes of a partner return in the caller's transaction, as one Change.

An action's fields go into the return's lead's own contribution (core.quarter.contributions) and
never touch another lead's or the officer's summary; milestone fields go to the milestone.
Everything is written with who="return: <lead> <file name>", so the history says who reported what,
and the returned ChangeSet is one undo step. The return's record is marked merged, with the count of
its changes still waiting on the officer's decision (also undoable). Before writing, every field is
checked to still hold the value the officer reviewed: if the plan moved on meanwhile, nothing is
written and the officer is asked to review again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Milestone, ReturnRecord, utcnow
from cspdesk.core.plan.words import possessive
from cspdesk.core.quarter.contributions import (
    ContributionKey,
    ContributionValue,
    load_contributions,
    write_contributions,
)
from cspdesk.core.quarter.guards import ensure_plan_editable, ensure_quarter_open
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.errors import CspdeskError
from cspdesk.returns.bulk import bulk_apply_milestones
from cspdesk.returns.collector import without_collector
from cspdesk.returns.diff import DONE_DATE, RAG, UPDATE_TEXT, FieldChange, ReturnDiff
from cspdesk.returns.new_work import keep_new_work

SOURCE_LIMIT = 300
_MISSING = object()


class ReturnChanged(CspdeskError):
    """The plan changed between reviewing a return and accepting it."""


def _current_values(
    session: Session, diff: ReturnDiff, chosen: list[FieldChange]
) -> tuple[dict, dict[ContributionKey, ContributionValue]]:
    """The plan's values now for every chosen field (the lead's contributions and the
    milestones, fetched in bulk), and the lead's contributions as stored."""
    lead = diff.credit_key
    action_ids = sorted({c.action_id for c in chosen if c.kind == "action"})
    keys = [(a, diff.quarter, lead) for a in action_ids]
    stored = load_contributions(session, keys)
    values: dict[tuple[str, int, str, str], Any] = {}
    for key in keys:
        own = stored.get(key)
        values[("action", key[0], UPDATE_TEXT, lead)] = own.text if own else ""
        values[("action", key[0], RAG, lead)] = own.rag if own else None
    milestone_ids = sorted({c.item_id for c in chosen if c.kind == "milestone"})
    m = Milestone.__table__.c  # Core rows: faster than the mapped class's
    for start in range(0, len(milestone_ids), 500):
        for row in session.execute(
            select(m.id, m.done_date, m.rag).where(m.id.in_(milestone_ids[start : start + 500]))
        ):
            values[("milestone", row.id, DONE_DATE, "")] = row.done_date
            values[("milestone", row.id, RAG, "")] = row.rag
    return values, stored


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


@without_collector
def apply_return(
    session: Session,
    diff: ReturnDiff,
    changes: Iterable[FieldChange] | None = None,
    codes: set[str] | None = None,
) -> ops.ChangeSet:
    """Apply ``changes`` (default: the accepted ones) of ``diff``; one ChangeSet to undo.
    ``codes``: the workspace's RAG codes, when the caller has read them."""
    chosen = list(diff.accepted() if changes is None else changes)
    record = session.get(ReturnRecord, diff.record_id)
    if record is None or record.token != diff.token:
        raise CspdeskError(f"{diff.file_name}: its return record is gone; read the file again")
    ensure_plan_editable(session, diff.plan_id)  # refused when the plan is gone, too
    ensure_quarter_open(session, diff.plan_id, diff.quarter)
    if codes is None:
        codes = {s.code for s in load_scheme(session)}
    now_values, stored = _current_values(session, diff, chosen)
    for change in chosen:
        _check_value(change, codes, diff.file_name)
        if now_values.get(change.key, _MISSING) != change.old:
            raise ReturnChanged(
                f"{diff.file_name}: {change.item_title[:60]!r} ({change.label}) changed in the "
                "plan after the return was read; nothing was merged: read the return again"
            )
    who = diff.who[:SOURCE_LIMIT]
    done: list[ops.Change] = list(bulk_apply_milestones(session, chosen, who, now_values))
    contributions = _contributions(diff, chosen, now_values, who)
    if contributions:
        done.append(
            write_contributions(session, contributions, who, "Merge contributions", stored=stored)
        )
    waiting = sum(1 for c in diff.waiting if c not in chosen)
    now = utcnow()
    fields: list[tuple[str, Any]] = [("decisions_waiting", waiting), ("merged_at", now)]
    newest = record.merged_saved_at is None or (
        diff.saved_at is not None and diff.saved_at >= record.merged_saved_at
    )
    if newest:  # the file merged last is the newest version: an older one is refused later
        fields += [("merged_file", diff.file_name[:SOURCE_LIMIT])]
        fields += [("merged_saved_at", diff.saved_at), ("completed_by", diff.completed_by[:300])]
    done += _mark_record(session, record, dict(fields), diff.file_name)
    done += keep_new_work(session, diff)
    return ops.ChangeSet(tuple(done), f"Merge {possessive(diff.lead_name)} Q{diff.quarter} return")


def _mark_record(
    session: Session, record: ReturnRecord, fields: dict[str, Any], file_name: str
) -> list[ops.Change]:
    """Set the record's fields that differ, in one statement (one round trip to a server), as
    ops.edit_field would one by one: on a server the row must still hold what was read."""
    old = {name: getattr(record, name) for name in fields}
    changed = {name: value for name, value in fields.items() if old[name] != value}
    if not changed:
        return []
    table = ops.table_of("return_record")
    where = [table.c.id == record.id]
    if ops.CHECK_CONCURRENT_EDITS and session.get_bind().dialect.name != "sqlite":
        where += [table.c[name].is_not_distinct_from(old[name]) for name in changed]
    statement = update(table).where(*where).values(changed)
    written = cast("CursorResult[Any]", session.execute(statement))
    if written.rowcount != 1:
        raise ops.EditConflict(
            f"{file_name}: this return was merged by someone else just now; nothing was merged"
        )
    session.expire(record, list(changed))
    return [
        ops.FieldEdited("return_record", record.id, name, old[name], value)
        for name, value in changed.items()
    ]


def _contributions(
    diff: ReturnDiff, chosen: list[FieldChange], now_values: dict, who: str
) -> dict[ContributionKey, ContributionValue | None]:
    """The lead's new contribution for each action the chosen changes touch (a shared return
    filled by one organisation: that organisation's)."""
    lead = diff.credit_key
    fields: dict[int, dict[str, Any]] = {}
    for change in chosen:
        if change.kind == "action":
            fields.setdefault(change.action_id, {})[change.field] = change.new
    values: dict[ContributionKey, ContributionValue | None] = {}
    for action_id, given in fields.items():
        text = given.get(UPDATE_TEXT, now_values.get(("action", action_id, UPDATE_TEXT, lead), ""))
        rag = given.get(RAG, now_values.get(("action", action_id, RAG, lead)))
        values[(action_id, diff.quarter, lead)] = ContributionValue(
            text=text or "",
            rag=rag,
            lead_name=diff.credit_name,
            agency_id=diff.credit_agency,
            source=who,
            return_id=diff.record_id,
        )
    return values


@without_collector
def apply_returns(session: Session, diffs: Iterable[ReturnDiff]) -> ops.ChangeSet:
    """Several returns accepted together: one transaction (the caller's), one undo step."""
    diffs = list(diffs)
    codes = {s.code for s in load_scheme(session)} if diffs else set()
    parts = tuple(apply_return(session, diff, codes=codes) for diff in diffs)
    label = parts[0].label if len(parts) == 1 else f"Merge {len(parts)} partner returns"
    return ops.ChangeSet(parts, label)
