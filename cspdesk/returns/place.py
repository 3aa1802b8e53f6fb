"""A row a partner added to its return, placed in the plan where the officer chooses.

It becomes a new action under an objective (led by the return's lead, with the row's update and
RAG as that lead's contribution for the quarter) or a new milestone of an action (with the
row's done date and RAG). One Change, so the merge that places it stays one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import ReturnNewWork, ReturnRecord, lead_key_of, utcnow
from cspdesk.core.plan.refs import item_references
from cspdesk.core.plan.words import possessive
from cspdesk.core.quarter.contributions import (
    ContributionValue,
    load_contributions,
    write_contributions,
)
from cspdesk.core.quarter.guards import ensure_plan_editable, ensure_update_editable
from cspdesk.core.rag.scheme import load_scheme, parse_rag
from cspdesk.core.workspace.plan_tree import short
from cspdesk.errors import CspdeskError
from cspdesk.returns.cells import NotADate, parse_date
from cspdesk.returns.diff import AddedRow, ReturnDiff
from cspdesk.returns.layout import COLUMNS
from cspdesk.returns.new_work import TABLE, kept_row_id, stored_cells

HEADING = {c.key: c.heading for c in COLUMNS}


@dataclass(frozen=True)
class Placement:
    """Where an added row goes: ("action", objective id), ("milestone", action id), or
    ("note", action id): its words added to the lead's part of that action."""

    kind: str
    parent_id: int


def _value(row: AddedRow, key: str) -> str:
    return (row.values.get(HEADING[key]) or "").strip()


def place_added_row(
    session: Session,
    diff: ReturnDiff,
    row: AddedRow,
    where: Placement,
    kept: int | None = None,
) -> ops.Change:
    """Place ``row`` at ``where``, and mark the new work kept from it (``kept``: its id, else
    found by its return, sheet, row and words) placed."""
    placed = _place(session, diff, row, where)
    kept = kept if kept is not None else kept_row_id(session, diff, row)
    if kept is None:
        return placed
    marks = tuple(
        ops.edit_field(session, TABLE, kept, name, value, diff.who)
        for name, value in (("placed_at", utcnow()), ("placed_as", placed.describe()))
    )
    return ops.ChangeSet((placed, *marks), placed.describe())


def _place(session: Session, diff: ReturnDiff, row: AddedRow, where: Placement) -> ops.Change:
    if where.kind == "note":
        return _as_note(session, diff, row, where.parent_id)
    title = _value(row, "title") or _value(row, "update")[:200]
    if not title:
        raise CspdeskError(f"{diff.file_name}: row {row.row} has no text to make an item from")
    where_text = f"{diff.file_name}, row {row.row}"
    try:
        rag = parse_rag(_value(row, "rag") or None, load_scheme(session))
    except ValueError as error:
        raise CspdeskError(f"{where_text}: {error}") from error
    who = diff.who
    if where.kind == "milestone":
        try:
            done = parse_date(_value(row, "done") or None)
        except NotADate as error:
            raise CspdeskError(f"{where_text}: {error}") from error
        added = ops.add_item(session, "milestone", where.parent_id, None, who,
                             title=title, done_date=done, rag=rag)  # fmt: skip
        return ops.ChangeSet((added,), f"Add {possessive(diff.lead_name)} new milestone")
    added = ops.add_item(session, "action", where.parent_id, None, who, title=title)
    parts: list[ops.Change] = [added]
    if diff.agency_id is not None:
        parts.append(ops.set_leads(session, added.id, [(diff.agency_id, None)], who))
    text = _value(row, "update")
    if text or rag is not None:
        key = (added.id, diff.quarter, lead_key_of(diff.agency_id))
        value = ContributionValue(
            text, rag, diff.lead_name, diff.agency_id, source=who, return_id=diff.record_id
        )
        parts.append(write_contributions(session, {key: value}, who, "Merge contributions"))
    return ops.ChangeSet(tuple(parts), f"Add {possessive(diff.lead_name)} new action")


def _as_note(session: Session, diff: ReturnDiff, row: AddedRow, action_id: int) -> ops.Change:
    """The row's words added to the end of the lead's part of an action this quarter."""
    key = (action_id, diff.quarter, lead_key_of(diff.agency_id))
    own = load_contributions(session, [key]).get(key)
    note = f"New work: {row.describe()}"
    text = f"{own.text}\n\n{note}" if own is not None and own.text else note
    value = ContributionValue(
        text,
        own.rag if own is not None else None,
        diff.lead_name,
        diff.agency_id,
        source=diff.who,
        return_id=diff.record_id,
    )
    written = write_contributions(session, {key: value}, diff.who, "Merge contributions")
    return ops.ChangeSet((written,), f"Add {possessive(diff.lead_name)} new work as a note")


def place_kept(session: Session, new_work_id: int, where: Placement) -> ops.Change:
    """Place new work kept from a return earlier (returns.new_work) at ``where``; refused when
    it is placed already, or the plan or the quarter may not change."""
    kept = session.get(ReturnNewWork, new_work_id)
    if kept is None or kept.placed_at is not None:
        raise CspdeskError("this new work was placed already (or removed); nothing was changed")
    record = session.get(ReturnRecord, kept.return_id)
    assert record is not None  # the kept row goes with its record
    ensure_plan_editable(session, kept.plan_id)
    if where.kind == "note":
        ensure_update_editable(session, where.parent_id, kept.quarter)
    diff = ReturnDiff(
        path=kept.file_name,
        file_name=kept.file_name,
        token=record.token,
        record_id=record.id,
        plan_id=kept.plan_id,
        plan_year="",
        quarter=kept.quarter,
        agency_id=kept.agency_id,
        lead_name=kept.lead_name,
        made_at=record.made_at,
        completed_by=record.completed_by if kept.file_name == record.merged_file else "",
    )
    row = AddedRow(kept.row, stored_cells(kept.cells), kept.sheet)
    return place_added_row(session, diff, row, where, kept.id)


def placement_targets(session: Session, plan_id: int) -> list[tuple[str, Placement]]:
    """Every place an added row can go, as the officer reads it ("New action under objective
    2.1 …"), numbered as the checker and the review number them (core.plan.refs)."""
    refs = item_references(session, plan_id)
    objectives = [
        (f"New action under objective {ref} {short(title, 50)}", Placement("action", item_id))
        for (kind, item_id), (ref, title) in refs.items()
        if kind == "objective"
    ]
    actions = [
        (f"New milestone of action {ref} {short(title, 50)}", Placement("milestone", item_id))
        for (kind, item_id), (ref, title) in refs.items()
        if kind == "action"
    ]
    notes = [
        (f"Note on action {ref} {short(title, 50)}", Placement("note", item_id))
        for (kind, item_id), (ref, title) in refs.items()
        if kind == "action"
    ]
    return objectives + actions + notes
