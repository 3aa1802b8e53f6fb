"""Partners who disagree on an action's RAG: found across a batch of returns before merging.

After the batch, each action's contributions are what the plan holds now with the batch's RAGs
in their place; where they would disagree, every RAG change on that action says so, in the
words the tree and checker use (core.quarter.rule), so the officer sees it in the review.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Agency, Contribution
from cspdesk.core.quarter.rule import Part, proposal
from cspdesk.core.rag.classes import RagClasses, rag_classes
from cspdesk.returns.diff import RAG, ReturnDiff
from cspdesk.store.together import fetch_together

IN_LIST_IDS = 500  # the most ids asked for in one IN list


def mark_disagreements(
    session: Session, diffs: list[ReturnDiff], classes: RagClasses | None = None
) -> None:
    classes = classes or rag_classes(session)
    incoming: dict[tuple[int, int], dict[str, tuple[str, str | None]]] = defaultdict(dict)
    for diff in diffs:
        for change in diff.changes:
            if change.kind == "action" and change.field == RAG and not change.conflict:
                key = (change.action_id, diff.quarter)
                incoming[key][change.lead] = (diff.credit_name, change.new)
    if not incoming:
        return
    action_ids = sorted({a for a, _ in incoming})
    stored: dict[tuple[int, int], dict[str, tuple[str, str | None]]] = defaultdict(dict)
    c = Contribution.__table__.c  # Core rows: faster than the mapped class's
    query = select(c.action_id, c.quarter, c.lead_key, c.lead_name, c.agency_id, c.rag)
    if len(action_ids) > IN_LIST_IDS:
        # A large batch: the whole table in one statement, other actions' rows passed over,
        # rather than thousands of ids in IN lists.
        query = query.where(c.quarter.in_(sorted({q for _, q in incoming})))
    else:
        query = query.where(c.action_id.in_(action_ids))
    # The agencies' names and the stored RAGs: one round trip to a server.
    agency_rows, rows = fetch_together(session, [select(Agency.id, Agency.name), query])
    names = {agency_id: name for agency_id, name in agency_rows}
    for action_id, quarter, lead_key, lead_name, agency_id, rag in rows:
        if (action_id, quarter) in incoming:
            stored[(action_id, quarter)][lead_key] = (names.get(agency_id, lead_name), rag)
    notes: dict[tuple[int, int], str] = {}
    for key, given in incoming.items():
        merged = {**stored.get(key, {}), **given}
        if len(merged) < 2:
            continue  # one lead's RAG alone: no one to disagree with (most actions)
        parts = [Part(name, "", rag, lead) for lead, (name, rag) in sorted(merged.items())]
        found = proposal(parts, classes)
        if found is not None and found.disagree:
            notes[key] = found.note(classes)
    if not notes:
        return
    for diff in diffs:
        for change in diff.changes:
            if change.field != RAG or change.kind != "action":
                continue
            note = notes.get((change.action_id, diff.quarter))
            if note:
                change.disagree = True
                change.note = "; ".join(n for n in (change.note, note) if n)
