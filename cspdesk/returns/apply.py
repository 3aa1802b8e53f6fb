"""Write the accepted changes of a partner return in the caller's transaction, as one Change.

An action's fields go into the return's lead's own contribution (core.quarter.contributions) and
never touch another lead's or the officer's summary; milestone fields go to the milestone.
Everything is written with who="return: <lead> <file name>", so the history says who reported what,
and the returned ChangeSet is one undo step. The return's record is marked merged, with the count of
its changes still waiting on the officer's decision (also undoable). A file its partner wrote
nothing in, or a return merged before that changes nothing now, is not merged and leaves no
trace (returns.received: the one rule). Before writing, every field is
checked to still hold the value the officer reviewed: if the plan moved on meanwhile, nothing is
written and the officer is asked to review again.

On a server every read a merge needs (the return's record, locked; the plan's state; the values
it changes) goes in one round trip (store.together) and every write goes with the commit: two
round trips for one return or for a batch, however many rows (30 ms each from home over a VPN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.many import update_rows
from cspdesk.core.plan.model import Milestone, Plan, RagStatus, ReturnRecord, Snapshot, utcnow
from cspdesk.core.plan.words import possessive
from cspdesk.core.quarter.contributions import (
    ContributionKey,
    ContributionValue,
    contribution_queries,
    contributions_from,
    write_contributions,
)
from cspdesk.core.quarter.guards import closed_snapshots, ensure_plan_editable, ensure_quarter_open
from cspdesk.errors import CspdeskError
from cspdesk.returns.bulk import bulk_apply_milestones
from cspdesk.returns.collector import without_collector
from cspdesk.returns.diff import DONE_DATE, RAG, UPDATE_TEXT, FieldChange, ReturnDiff
from cspdesk.returns.new_work import TABLE, keep_new_work
from cspdesk.returns.received import Merged, not_merging, nothing_new
from cspdesk.returns.versions import with_merged
from cspdesk.store.together import fetch_together

SOURCE_LIMIT = 300
IN_LIST_IDS = 500  # the most ids asked for in one IN list
_MISSING = object()
# The record's fields a merge sets (the token is checked, never set).
_RECORD_FIELDS = (
    "decisions_waiting", "merged_at", "merged_file", "merged_saved_at", "completed_by",
    "merged_values",
)  # fmt: skip


class ReturnChanged(CspdeskError):
    """The plan changed between reviewing a return and accepting it."""


@dataclass
class _Found:
    """What the reads before a group of returns' writes found, all in one round trip."""

    codes: set[str]
    records: dict[int, Any]  # the return records (locked), by id
    read_only: dict[int, bool]  # by plan id (a plan that is gone is missing)
    closed: dict[int, set[int]]  # the closed quarters, by plan id
    values: dict[tuple[str, int, str, str], Any]  # keyed as FieldChange.key
    contributions: dict[ContributionKey, ContributionValue]  # the leads' own, as stored


def _read_together(
    session: Session, group: list[tuple[ReturnDiff, list[FieldChange]]], codes: set[str] | None
) -> _Found:
    """The return records, the plans' states and every value the chosen changes would change,
    read together (one round trip to a server). Each record is locked until the commit, so a
    colleague merging the same return waits, then reads what this merge wrote."""
    r = ReturnRecord.__table__.c
    records = (
        select(r.id, r.token, *(r[name] for name in _RECORD_FIELDS))
        .where(r.id.in_(sorted({diff.record_id for diff, _ in group})))
        .order_by(r.id)
    )
    if ops.CHECK_CONCURRENT_EDITS:
        records = records.with_for_update(key_share=True)
    plan_ids = sorted({diff.plan_id for diff, _ in group})
    wanted_keys: set[ContributionKey] = set()
    for diff, chosen in group:
        quarter, lead = diff.quarter, diff.credit_key
        wanted_keys.update((c.action_id, quarter, lead) for c in chosen if c.kind == "action")
    keys = sorted(wanted_keys)
    milestone_ids = sorted(
        {c.item_id for _, chosen in group for c in chosen if c.kind == "milestone"}
    )
    milestone_reads = _milestone_reads(milestone_ids)
    statements: list[Any] = [
        records,
        select(Plan.id, Plan.read_only).where(Plan.id.in_(plan_ids)),
        *(select(Snapshot.quarter).where(*closed_snapshots(plan_id)) for plan_id in plan_ids),
        *milestone_reads,
    ]
    if codes is None:
        statements.append(select(RagStatus.code))
    contribution_reads = contribution_queries(keys)
    answers = fetch_together(session, [*statements, *contribution_reads])
    record_rows, plan_rows, *rest = answers
    closed = {plan_id: {row.quarter for row in rest.pop(0)} for plan_id in plan_ids}
    values: dict[tuple[str, int, str, str], Any] = {}
    wanted = set(milestone_ids)
    for _ in milestone_reads:
        for item_id, done_date, rag in rest.pop(0):
            if item_id in wanted:
                values[("milestone", item_id, DONE_DATE, "")] = done_date
                values[("milestone", item_id, RAG, "")] = rag
    if codes is None:
        codes = {row.code for row in rest.pop(0)}
    stored = contributions_from((row for rows in rest for row in rows), keys)
    for key in keys:
        own = stored.get(key)
        values[("action", key[0], UPDATE_TEXT, key[2])] = own.text if own else ""
        values[("action", key[0], RAG, key[2])] = own.rag if own else None
    return _Found(
        codes,
        {row.id: row for row in record_rows},
        {row.id: row.read_only for row in plan_rows},
        closed,
        values,
        stored,
    )


def _milestone_reads(ids: list[int]) -> list[Any]:
    """The statements that read the done date and RAG of the milestones ``ids`` (sorted),
    perhaps with others that the caller passes over."""
    m = Milestone.__table__.c  # Core rows: faster than the mapped class's
    query = select(m.id, m.done_date, m.rag)
    if len(ids) > IN_LIST_IDS:
        # Thousands (a batch of returns): the span of their ids in one statement, a plan's
        # milestones being mostly consecutive, rather than IN lists of them.
        return [query.where(m.id.between(ids[0], ids[-1]))]
    return [
        query.where(m.id.in_(ids[start : start + IN_LIST_IDS]))
        for start in range(0, len(ids), IN_LIST_IDS)
    ]


def _check_value(change: FieldChange, codes: set[str], file_name: str) -> None:
    field, new = change.field, change.new
    if field == UPDATE_TEXT:
        wrong = "" if isinstance(new, str) else "the update must be text"
    elif new is None:
        return
    elif field == RAG:
        wrong = "" if new in codes else f"{new!r} is not a RAG status of this workspace"
    elif field == DONE_DATE:
        is_date = isinstance(new, dt.date) and not isinstance(new, dt.datetime)
        wrong = "" if is_date else f"{new!r} is not a date"
    else:
        return
    if wrong:
        raise CspdeskError(f"{file_name}: {change.kind} {change.item_id} {change.label}: {wrong}")


@without_collector
def apply_return(
    session: Session,
    diff: ReturnDiff,
    changes: Iterable[FieldChange] | None = None,
    codes: set[str] | None = None,
) -> ops.ChangeSet:
    """Apply ``changes`` (default: the accepted ones) of ``diff``; one ChangeSet to undo (with
    no changes when the return brings nothing, returns.received). ``codes``: the workspace's
    RAG codes, when the caller has read them."""
    chosen = list(diff.accepted() if changes is None else changes)
    label = f"Merge {possessive(diff.lead_name)} Q{diff.quarter} return"
    if not_merging(diff):
        return ops.ChangeSet((), label)
    done = _apply(session, diff, chosen, _read_together(session, [(diff, chosen)], codes))
    return done or ops.ChangeSet((), label)


def _apply(
    session: Session, diff: ReturnDiff, chosen: list[FieldChange], found: _Found
) -> ops.ChangeSet | None:
    """The return's chosen changes written and its record marked, or None when it was merged
    before and merging it again would change nothing (nothing is written then)."""
    record = found.records.get(diff.record_id)
    if record is None or record.token != diff.token:
        raise CspdeskError(f"{diff.file_name}: its return record is gone; read the file again")
    if found.read_only.get(diff.plan_id) is not False:
        ensure_plan_editable(session, diff.plan_id)  # refused when the plan is gone, too
    if diff.quarter in found.closed.get(diff.plan_id, set()):
        ensure_quarter_open(session, diff.plan_id, diff.quarter)  # refused, in its words
    now_values = found.values
    for change in chosen:
        _check_value(change, found.codes, diff.file_name)
        if now_values.get(change.key, _MISSING) != change.old:
            raise ReturnChanged(
                f"{diff.file_name}: {change.item_title[:60]!r} ({change.label}) changed in the "
                "plan after the return was read; nothing was merged: read the return again"
            )
    who = diff.who[:SOURCE_LIMIT]
    done: list[ops.Change] = list(bulk_apply_milestones(session, chosen, who, now_values))
    contributions = _contributions(diff, chosen, now_values, who)
    if contributions:
        stored = found.contributions
        label = "Merge contributions"
        done.append(write_contributions(session, contributions, who, label, stored=stored))
    waiting = sum(1 for c in diff.waiting if c not in chosen)
    now = utcnow()
    fields: list[tuple[str, Any]] = [("merged_at", now)]
    if not diff.superseded_by:  # the newer version's decisions are the ones waiting
        fields.append(("decisions_waiting", waiting))
    fields.append(("merged_values", with_merged(record.merged_values, chosen)))
    newest = record.merged_saved_at is None or (
        diff.saved_at is not None and diff.saved_at >= record.merged_saved_at
    )
    if newest:  # the file merged last is the newest version: an older one is refused later
        fields += [("merged_file", diff.file_name[:SOURCE_LIMIT])]
        fields += [("merged_saved_at", diff.saved_at), ("completed_by", diff.completed_by[:300])]
    done += keep_new_work(session, diff)
    if record.merged_at is not None and not done and _unchanged(record, fields):
        return None
    done += _mark_record(session, record, dict(fields))
    return ops.ChangeSet(tuple(done), f"Merge {possessive(diff.lead_name)} Q{diff.quarter} return")


def _unchanged(record: Any, fields: list[tuple[str, Any]]) -> bool:
    """Whether the record holds ``fields`` already, but for when the merge is made and which
    file it was made from (the same words saved again, or renamed, are nothing new)."""
    ignored = {"merged_at", "merged_file", "merged_saved_at"}
    return all(
        (getattr(record, name) or "") == (value or "")  # "" and 0: nothing, as NULL is
        for name, value in fields
        if name not in ignored
    )


def _mark_record(session: Session, record: Any, fields: dict[str, Any]) -> list[ops.Change]:
    """Set the record's fields that differ, in one statement sent with the commit (compiled
    once for a batch), as ops.edit_field would one by one (the record is locked since it was
    read)."""
    old = {name: getattr(record, name) for name in fields}
    changed = {name: value for name, value in fields.items() if old[name] != value}
    if not changed:
        return []
    table = ops.table_of("return_record")
    update_rows(session, table, ("id",), tuple(changed), [(record.id, *changed.values())])
    held = session.identity_map.get(session.identity_key(ReturnRecord, record.id))
    if held is not None:  # a copy this session loaded earlier is out of date now
        session.expire(held, list(changed))
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
    corrected: set[int] = set()
    for change in chosen:
        if change.kind == "action":
            fields.setdefault(change.action_id, {})[change.field] = change.new
            if change.corrects:
                corrected.add(change.action_id)
    values: dict[ContributionKey, ContributionValue | None] = {}
    for action_id, given in fields.items():
        # What the return leaves alone stays as stored.
        if UPDATE_TEXT in given:
            text = given[UPDATE_TEXT]
        else:
            text = now_values.get(("action", action_id, UPDATE_TEXT, lead), "")
        rag = given[RAG] if RAG in given else now_values.get(("action", action_id, RAG, lead))
        if action_id in corrected and not text and rag is None:
            # A correction withdrew all an earlier version gave: the part is gone again.
            values[(action_id, diff.quarter, lead)] = None
            continue
        values[(action_id, diff.quarter, lead)] = ContributionValue(
            text=text or "",
            rag=rag,
            lead_name=diff.credit_name,
            agency_id=diff.credit_agency,
            source=who,
            return_id=diff.record_id,
        )
    return values


def apply_returns(session: Session, diffs: Iterable[ReturnDiff]) -> ops.ChangeSet:
    """Several returns accepted together: one transaction (the caller's), one undo step."""
    return merge_returns(session, diffs).change


@without_collector
def merge_returns(session: Session, diffs: Iterable[ReturnDiff]) -> Merged:
    """Several returns accepted together: one transaction (the caller's), one undo step, and
    what was truly merged. The reads for the whole batch go together (one round trip to a
    server), unless two returns change the same value: the later one's reads then follow the
    earlier one's writes. A file its partner wrote nothing in is not even read for."""
    codes: set[str] | None = None
    parts: list[ops.ChangeSet] = []
    merged = Merged(ops.ChangeSet((), ""))
    skipped: dict[int, str] = {}
    diffs = list(diffs)
    wrote = [diff for diff in diffs if not not_merging(diff)]
    for group in _groups([(diff, diff.accepted()) for diff in wrote]):
        found = _read_together(session, group, codes)
        codes = found.codes
        for diff, chosen in group:
            done = _apply(session, diff, chosen, found)
            if done is None:
                record = found.records[diff.record_id]  # merged before (by a colleague?)
                skipped[id(diff)] = nothing_new(diff, record.merged_at, record.merged_file)
                continue
            parts.append(done)
            merged.received.append((diff, len(chosen)))
            merged.new_work += sum(
                1 for c in done.changes if isinstance(c, ops.ItemAdded) and c.entity == TABLE
            )
    merged.skipped = [
        (diff, skipped.get(id(diff)) or not_merging(diff))
        for diff in diffs
        if id(diff) in skipped or not_merging(diff)
    ]
    label = parts[0].label if len(parts) == 1 else f"Merge {len(parts)} partner returns"
    merged.change = ops.ChangeSet(tuple(parts), label)
    return merged


def _groups(
    parts: list[tuple[ReturnDiff, list[FieldChange]]],
) -> Iterator[list[tuple[ReturnDiff, list[FieldChange]]]]:
    """Consecutive returns none of which touches what another of them touches."""
    group: list[tuple[ReturnDiff, list[FieldChange]]] = []
    touched: set[tuple[Any, ...]] = set()
    for diff, chosen in parts:
        lead = diff.credit_key
        own = {("record", diff.record_id)} | {
            (c.kind, c.item_id, lead if c.kind == "action" else "") for c in chosen
        }
        if own & touched:
            yield group
            group, touched = [], set()
        group.append((diff, chosen))
        touched |= own
    if group:
        yield group
