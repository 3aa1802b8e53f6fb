"""The one rule for an action in a quarter: its RAG, and the update that gets printed.

For each quarter an action has the officer's word (core.plan.model.Update: the agreed RAG and an
optional summary) and each lead's contribution (core.plan.model.Contribution). Its RAG is:

1. the agreed RAG, when the officer has set one;
2. else proposed from the contributions: their RAG when all agree, else the least favourable
   one, marked "partners disagree" until the officer agrees a RAG;
3. else carried from the latest earlier quarter that had one (shown "Green (Q1)", never as
   this quarter's), or from the action's own RAG as planned.

The printed update is the officer's summary when there is one, else the contributions, each
headed by its lead ("Rochford DC – ...") when more than one lead can report, in the plan's
lead order. The tree, detail pane, checker, returns, report and export all read these two
values through this module, so they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    Contribution,
    Officer,
    Update,
)
from cspdesk.core.rag.classes import RagClasses, rag_classes

AGREED, PROPOSED, CARRIED, NONE = "agreed", "proposed", "carried", "none"
PLANNED = 0  # "from_quarter" of a RAG carried from the action's own RAG as planned
_CHUNK = 500
# More ids than one IN list holds: read the whole table (one statement, one round trip over a
# slow link) rather than several IN lists; the statements then never grow with the plan.
_WHOLE_TABLE = _CHUNK


@dataclass(frozen=True, slots=True)
class Part:
    """One lead's contribution as the rule sees it."""

    lead: str
    text: str
    rag: str | None
    lead_key: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class QuarterRag:
    code: str | None
    basis: str  # AGREED, PROPOSED, CARRIED or NONE
    from_quarter: int | None = None  # CARRIED: the quarter it comes from (PLANNED: the plan)
    opinions: tuple[tuple[str, str | None], ...] = ()  # partners disagree: (lead, code)

    @property
    def disagree(self) -> bool:
        return bool(self.opinions)

    @property
    def carried(self) -> bool:
        return self.basis == CARRIED

    def label(self, classes: RagClasses) -> str:
        """ "Green", "Green (Q1)" when carried, "Amber (partners disagree)"."""
        if self.code is None:
            return ""
        word = classes.label_of(self.code)
        if self.carried:
            return f"{word} ({_quarter_word(self.from_quarter)})"
        if self.disagree:
            return f"{word} (partners disagree)"
        return word

    def note(self, classes: RagClasses) -> str:
        """A sentence for the detail pane and checker; empty for an agreed RAG."""
        if self.disagree:
            views = ", ".join(f"{lead}: {classes.label_of(code)}" for lead, code in self.opinions)
            return f"partners disagree ({views})"
        if self.carried:
            source = _quarter_word(self.from_quarter)
            return f"nothing reported yet this quarter; carried from {source}"
        if self.basis == PROPOSED:
            return "proposed from the partners' returns; not yet agreed"
        return ""


def _quarter_word(quarter: int | None) -> str:
    return "the plan" if not quarter else f"Q{quarter}"


def _rank_key(code: str | None, classes: RagClasses) -> tuple[int, int]:
    rank = classes.rank_of(code)
    return (1, 0) if rank is None else (0, rank)


def proposal(parts: Sequence[Part], classes: RagClasses) -> QuarterRag | None:
    """The RAG the contributions propose, or None when none of them gives one."""
    rated = [(p.lead, p.rag) for p in parts if p.rag is not None]
    if not rated:
        return None
    codes = {code for _, code in rated}
    if len(codes) == 1:
        return QuarterRag(rated[0][1], PROPOSED)
    least = min(codes, key=lambda code: _rank_key(code, classes))
    return QuarterRag(least, PROPOSED, opinions=tuple(rated))


def resolve(
    quarter: int,
    agreed: Mapping[int, str | None],
    parts: Mapping[int, Sequence[Part]],
    planned: str | None,
    classes: RagClasses,
) -> QuarterRag:
    """The action's RAG in ``quarter`` from its agreed RAGs and contributions by quarter."""
    for q in range(quarter, 0, -1):
        found = agreed.get(q)
        rag = (
            QuarterRag(found, AGREED) if found is not None else proposal(parts.get(q, ()), classes)
        )
        if rag is not None:
            return rag if q == quarter else QuarterRag(rag.code, CARRIED, q)
    if planned is not None:
        return QuarterRag(planned, CARRIED, PLANNED)
    return QuarterRag(None, NONE)


def printed_update(summary: str, parts: Sequence[Part], joint: bool) -> str:
    """What the report prints for an action's quarter (see the module docstring)."""
    if summary.strip():
        return summary.strip()
    written = [p for p in parts if p.text.strip()]
    if not joint and len(written) == 1:
        return written[0].text.strip()
    return "\n".join(f"{p.lead} – {p.text.strip()}" for p in written)


@dataclass(slots=True)
class ActionQuarter:
    """One action's quarter: the officer's word, each lead's part, and the rule's results."""

    action_id: int
    quarter: int
    rag: QuarterRag
    summary: str = ""
    agreed: str | None = None
    parts: list[Part] = field(default_factory=list)
    joint: bool = False

    @property
    def printed(self) -> str:
        return printed_update(self.summary, self.parts, self.joint)

    @property
    def reported(self) -> bool:
        """Anything was said for this quarter (a summary or some lead's words)."""
        return bool(self.summary.strip() or any(p.text.strip() for p in self.parts))


def _in_chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _id_filters(ids: Sequence[int]) -> Iterable[Callable[[Any, Any], Any]]:
    """Ways to restrict a query to ``ids``: IN lists of a few hundred, or (for thousands of
    ids) no restriction at all, the caller skipping rows it did not ask for."""
    if len(ids) > _WHOLE_TABLE:
        yield lambda query, column: query
        return
    for chunk in _in_chunks(ids):
        yield lambda query, column, chunk=chunk: query.where(column.in_(chunk))


def _leads_query() -> Any:
    action_lead, agency, officer = (
        ActionLead.__table__,
        Agency.__table__,
        Officer.__table__,
    )  # Core rows: faster
    return (
        select(
            action_lead.c.action_id,
            action_lead.c.agency_id,
            action_lead.c.officer_id,
            agency.c.name,
            officer.c.name,
            officer.c.initials,
            officer.c.agency_id,
            action_lead.c.position,
        )
        .outerjoin(agency, action_lead.c.agency_id == agency.c.id)
        .outerjoin(officer, action_lead.c.officer_id == officer.c.id)
        .order_by(action_lead.c.action_id, action_lead.c.position)
    )


def read_leads(session: Session, ids: Sequence[int]) -> list[Any]:
    """The leads of ``ids`` (perhaps of other actions too), each action's in the plan's lead
    order: (action_id, agency_id, officer_id, agency name, officer name, initials, the
    officer's agency, position)."""
    query = _leads_query()
    column = ActionLead.__table__.c.action_id
    rows: list[Any] = []
    for where in _id_filters(ids):
        rows.extend(session.execute(where(query, column)).all())
    return rows


def lead_orders(lead_rows: Iterable[Any]) -> dict[int, dict[str, int]]:
    """action id -> {lead_key: position} in the plan's lead order, from read_leads rows."""
    orders: dict[int, dict[str, int]] = defaultdict(dict)
    for action_id, agency_id, officer_id, _, _, _, via, position in lead_rows:
        agency = agency_id if agency_id is not None else via
        key = f"agency:{agency}" if agency is not None else f"officer:{officer_id}"
        orders[action_id].setdefault(key, position)
    return orders


@dataclass(frozen=True)
class ActionRows:
    """What the rule reads of some actions (perhaps of others too: callers pick theirs), read
    once and handed to each use: over a slow link every read is a round trip."""

    planned: Mapping[int, str | None]  # each action's RAG as planned
    updates: Sequence[Any]  # (action_id, quarter, text, rag)
    contributions: Sequence[Any]  # (action_id, quarter, lead_name, text, rag, lead_key, source)
    leads: Sequence[Any]  # read_leads

    @cached_property
    def orders(self) -> dict[int, dict[str, int]]:
        return lead_orders(self.leads)


def action_row_queries(ids: Sequence[int], planned: bool = True) -> list[Any]:
    """The statements read_action_rows sends for ``ids`` (sorted), none depending on another's
    answer: a caller on a slow link sends them together and hands their rows to
    action_rows_from. ``planned``: the actions' RAGs as planned are read too."""
    action, updates, contribution = Action.__table__, Update.__table__, Contribution.__table__
    families = [
        (select(updates.c.action_id, updates.c.quarter, updates.c.text, updates.c.rag),
         updates.c.action_id),
        (
            select(
                contribution.c.action_id,
                contribution.c.quarter,
                contribution.c.lead_name,
                contribution.c.text,
                contribution.c.rag,
                contribution.c.lead_key,
                contribution.c.source,
            ),
            contribution.c.action_id,
        ),
        (_leads_query(), ActionLead.__table__.c.action_id),
    ]  # fmt: skip
    if planned:
        families.insert(0, (select(action.c.id, action.c.rag), action.c.id))
    filters = list(_id_filters(ids))
    return [where(query, column) for query, column in families for where in filters]


def action_rows_from(
    results: Sequence[Sequence[Any]], planned: Mapping[int, str | None] | None = None
) -> ActionRows:
    """The ActionRows of the rows of action_row_queries' statements, in their order
    (``planned``: the planned RAGs given, when they were not read)."""
    families = 3 if planned is not None else 4
    per_family = len(results) // families
    rows = [
        [row for part in results[n * per_family : (n + 1) * per_family] for row in part]
        for n in range(families)
    ]
    if planned is None:
        planned = dict(rows.pop(0))  # type: ignore[arg-type]
    updates, contributions, leads = rows
    return ActionRows(planned, updates, contributions, leads)


def read_action_rows(
    session: Session, ids: Sequence[int], planned: Mapping[int, str | None] | None = None
) -> ActionRows:
    """The rows the rule needs for ``ids``; ``planned``: the planned RAGs when already read."""
    queries = action_row_queries(sorted(ids), planned is None)
    return action_rows_from([session.execute(q).all() for q in queries], planned)


def order_parts(parts: Iterable[Part], order: Mapping[str, int]) -> list[Part]:
    """Contributions in the plan's lead order; others after, by name."""
    if isinstance(parts, list | tuple) and len(parts) <= 1:
        return list(parts)  # none or one (most actions)
    return sorted(parts, key=lambda p: (order.get(p.lead_key, len(order)), p.lead.casefold()))


def load_quarters(
    session: Session,
    quarter_of: Mapping[int, int],
    classes: RagClasses | None = None,
    rows: ActionRows | None = None,
) -> dict[int, ActionQuarter]:
    """Each action's quarter, for ``quarter_of`` = {action id: the quarter wanted} (``rows``:
    read already, by read_action_rows)."""
    return load_quarters_back(session, quarter_of, (0,), classes, rows)[0]


def load_quarters_back(
    session: Session,
    quarter_of: Mapping[int, int],
    steps: Sequence[int],
    classes: RagClasses | None = None,
    rows: ActionRows | None = None,
) -> list[dict[int, ActionQuarter]]:
    """load_quarters of each action's quarter less ``step``, for each of ``steps`` (0: the
    quarter itself, 1: the one before), the rows read once for all of them (``rows``: read
    already, by read_action_rows)."""
    classes = classes or rag_classes(session)
    ids = sorted(quarter_of)
    if rows is None:
        rows = read_action_rows(session, ids)
    agreed: dict[int, dict[int, str | None]] = defaultdict(dict)
    summaries: dict[tuple[int, int], str] = {}
    parts: dict[int, dict[int, list[Part]]] = defaultdict(lambda: defaultdict(list))
    planned = rows.planned
    for action_id, q, text, rag in rows.updates:
        if action_id in quarter_of and q <= quarter_of[action_id]:
            agreed[action_id][q] = rag
            summaries[(action_id, q)] = text or ""
    for action_id, q, lead_name, text, rag, lead_key, source in rows.contributions:
        if action_id in quarter_of and q <= quarter_of[action_id]:
            parts[action_id][q].append(Part(lead_name, text or "", rag, lead_key, source or ""))
    orders = rows.orders
    results: list[dict[int, ActionQuarter]] = []
    nothing: dict[Any, Any] = {}  # only read
    for step in steps:
        result: dict[int, ActionQuarter] = {}
        for action_id in ids:
            q = quarter_of[action_id] - step
            order = orders.get(action_id, nothing)
            mine = parts.get(action_id, nothing)
            said = agreed.get(action_id, nothing)
            given = mine.get(q, ())
            # resolve() looks at quarter q and those before it only.
            result[action_id] = ActionQuarter(
                action_id,
                q,
                resolve(q, said, mine, planned.get(action_id), classes),
                summary=summaries.get((action_id, q), ""),
                agreed=said.get(q),
                parts=order_parts(given, order),
                joint=len(order) > 1 or len(given) > 1,
            )
        results.append(result)
    return results


def plan_quarters(
    session: Session, plan_id: int, quarter: int, classes: RagClasses | None = None
) -> dict[int, ActionQuarter]:
    """Every action of a plan in ``quarter``, from the live plan."""
    ids = session.execute(plan_of(select(Action.id), plan_id=plan_id)).scalars()
    return load_quarters(session, dict.fromkeys(ids, quarter), classes)


def tree_action_quarter(
    action: Mapping[str, Any], quarter: int, classes: RagClasses
) -> ActionQuarter:
    """An action dict of a plan tree (core.workspace.plan_tree, or a closed quarter's snapshot)."""
    agreed: dict[int, str | None] = {}
    summaries: dict[int, str] = {}
    for item in action.get("updates", []):
        if item["quarter"] <= quarter:
            agreed[item["quarter"]] = item.get("rag")
            summaries[item["quarter"]] = item.get("text") or ""
    parts: dict[int, list[Part]] = defaultdict(list)
    for item in action.get("contributions", []):
        if item["quarter"] <= quarter:
            parts[item["quarter"]].append(
                Part(
                    item.get("lead") or "",
                    item.get("text") or "",
                    item.get("rag"),
                    item.get("lead_key") or "",
                    item.get("source") or "",
                )
            )
    return ActionQuarter(
        action["id"],
        quarter,
        resolve(quarter, agreed, parts, action.get("rag"), classes),
        summary=summaries.get(quarter, ""),
        agreed=agreed.get(quarter),
        parts=list(parts.get(quarter, ())),
        joint=len(action.get("leads", [])) > 1 or len(parts.get(quarter, ())) > 1,
    )


def action_rag(action: dict[str, Any], quarter: int, classes: RagClasses) -> QuarterRag:
    """The quarter's RAG of an action of a quarter view: as frozen when the view holds it (a
    closed quarter never changes with a later edit of the RAG scheme), else by the rule."""
    stored = action.get("quarter_rag")
    if stored is not None:
        return QuarterRag(
            stored["code"],
            stored["basis"],
            stored.get("from_quarter"),
            tuple(tuple(pair) for pair in stored.get("opinions", ())),  # type: ignore[misc]
        )
    return tree_action_quarter(action, quarter, classes).rag


def action_printed(action: dict[str, Any], quarter: int, classes: RagClasses) -> str:
    stored = action.get("printed")
    if stored is not None:
        return str(stored)
    return tree_action_quarter(action, quarter, classes).printed


def latest_printed(
    session: Session, ids: Sequence[int], rows: ActionRows | None = None
) -> dict[int, tuple[int, str]]:
    """Each action's latest quarter with something to print: (quarter, printed update)
    (``rows``: read already, by read_action_rows)."""
    summaries: dict[int, dict[int, str]] = defaultdict(dict)
    parts: dict[int, dict[int, list[Part]]] = defaultdict(lambda: defaultdict(list))
    wanted = set(ids)
    if rows is None:
        rows = read_action_rows(session, ids, planned={})
    for action_id, q, text, _ in rows.updates:
        if action_id in wanted and (text or "").strip():
            summaries[action_id][q] = text
    for action_id, q, lead, text, _, key, _ in rows.contributions:
        if action_id in wanted and (text or "").strip():
            parts[action_id][q].append(Part(lead, text, None, key))
    orders = rows.orders
    latest: dict[int, tuple[int, str]] = {}
    for action_id in wanted & (set(summaries) | set(parts)):
        quarters = set(summaries.get(action_id, {})) | set(parts.get(action_id, {}))
        q = max(quarters)
        order = orders.get(action_id, {})
        mine = parts.get(action_id, {}).get(q, [])
        latest[action_id] = (
            q,
            printed_update(
                summaries.get(action_id, {}).get(q, ""),
                order_parts(mine, order),
                len(order) > 1 or len(mine) > 1,
            ),
        )
    return latest
