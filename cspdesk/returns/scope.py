"""What a partner return covers: each action's leads, text and current values, loaded in bulk.

An action's lead agencies are its ActionLead.agency_id values, or the officer's agency when a
lead names only an officer; an action with none of those falls to the "no lead" return
(agency id None). Everything is fetched with a handful of Core queries, so that making 40
returns for a 10,000-action plan stays fast.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import (
    Action,
    Agency,
    Contribution,
    Milestone,
    Objective,
    Partnership,
    Plan,
    Priority,
    RagStatus,
    ReturnRecord,
)
from cspdesk.core.quarter.contributions import NO_LEAD_NAME
from cspdesk.core.quarter.guards import closed_dates_query
from cspdesk.core.quarter.rule import (
    action_row_queries,
    action_rows_from,
    load_quarters,
    load_quarters_back,
)
from cspdesk.core.rag.classes import RagClasses, classes_of, rag_classes
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.store.together import fetch_together

_CHUNK = 500  # ids per IN (...) clause; well under SQLite's variable limit


@dataclass(slots=True)
class MilestoneRow:
    id: int
    action_id: int
    title: str
    due_date: dt.date | None
    done_date: dt.date | None
    rag: str | None


@dataclass(frozen=True, slots=True)
class Said:
    """One lead's contribution as it stands now (what its return compares with)."""

    text: str
    rag: str | None
    source: str
    return_id: int | None
    updated_at: dt.datetime | None


@dataclass(slots=True)
class ActionRow:
    id: int
    plan_id: int
    priority: str
    objective: str
    title: str
    outcomes: str
    timescale: str
    rag: str | None
    last_update: str = ""
    milestones: list[MilestoneRow] = field(default_factory=list)
    lead_ids: frozenset[int | None] = frozenset()
    # This quarter's contributions by lead agency (None: the "no lead agency" return).
    said: dict[int | None, Said] = field(default_factory=dict)
    # core.quarter.rule: agreed, proposed or carried (a merge works it out only for the rows
    # its return's manifest does not list: BatchScope.quarter_rags)
    quarter_rag: str | None = None

    @property
    def current_rag(self) -> str | None:
        """The action's RAG this quarter by the one rule (core.quarter.rule)."""
        return self.quarter_rag

    def own(self, agency_id: int | None) -> Said | None:
        return self.said.get(agency_id)

    def shown_to(self, agency_id: int | None) -> tuple[str, str | None]:
        """(update text, RAG code) the return of lead ``agency_id`` shows for this action:
        that lead's own contribution, and its own RAG or else the quarter's."""
        own = self.said.get(agency_id)
        if own is None:
            return "", self.quarter_rag
        return own.text, own.rag if own.rag is not None else self.quarter_rag


@dataclass(frozen=True)
class Lead:
    agency_id: int | None
    name: str
    email: str = ""


@dataclass
class PlanInfo:
    id: int
    year: str
    title: str
    current_quarter: int
    partnership: str
    workspace_uid: str


def plan_info(session: Session, plan_id: int) -> PlanInfo:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    partnership = session.execute(select(Partnership.name, Partnership.uid)).one()
    return PlanInfo(
        plan.id, plan.year, plan.title, plan.current_quarter, partnership.name, partnership.uid
    )


def agencies(session: Session) -> dict[int, Lead]:
    rows = session.execute(select(Agency.id, Agency.name, Agency.email)).all()
    return {r.id: Lead(r.id, r.name, r.email or "") for r in rows}


def lead_of(agency_id: int | None, known: dict[int, Lead]) -> Lead:
    if agency_id is None:
        return Lead(None, NO_LEAD_NAME)
    return known.get(agency_id, Lead(agency_id, f"Agency {agency_id}"))


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def load_actions(
    session: Session,
    plan_id: int,
    quarter: int,
    action_ids: Iterable[int] | None = None,
    classes: RagClasses | None = None,
    *,
    quarter_rags: bool = True,
) -> dict[int, ActionRow]:
    """The plan's actions (or just ``action_ids``, in any plan) in plan order, with
    milestones, leads, this quarter's update and last quarter's. ``classes``: the RAG
    classes, when the caller has read them. ``quarter_rags``: work out each action's RAG
    this quarter by the rule (False: left None; a merge compares with the RAG its return
    showed, and asks BatchScope.quarter_rags for the rest)."""
    # Core tables, not the mapped classes: rows of plain columns come back about twice as fast.
    action, objective, priority = Action.__table__, Objective.__table__, Priority.__table__
    milestone, contribution = Milestone.__table__, Contribution.__table__
    query = (
        select(
            action.c.id,
            priority.c.plan_id,
            priority.c.title.label("priority"),
            objective.c.title.label("objective"),
            action.c.title,
            action.c.outcomes,
            action.c.timescale,
            action.c.rag,
            action.c.carried_from_id,
        )
        .join(objective, action.c.objective_id == objective.c.id)
        .join(priority, objective.c.priority_id == priority.c.id)
        .order_by(priority.c.position, objective.c.position, action.c.position)
    )
    if action_ids is None:
        (rows,) = fetch_together(session, [query.where(priority.c.plan_id == plan_id)])
    else:
        wanted = sorted(set(action_ids))
        parts = [query.where(action.c.id.in_(chunk)) for chunk in _chunks(wanted)]
        rows = [r for part in fetch_together(session, parts) for r in part]
    # Rows unpacked by position, as selected: a row's attributes by name cost ten times more.
    actions = {
        id_: ActionRow(
            id_, plan, priority_title, objective_title, title, outcomes or "", timescale or "", rag
        )
        for id_, plan, priority_title, objective_title, title, outcomes, timescale, rag, _ in rows
    }
    carried = {source: id_ for id_, *_, source in rows if source is not None}
    ids = list(actions)
    milestones = select(
        milestone.c.id,
        milestone.c.action_id,
        milestone.c.title,
        milestone.c.due_date,
        milestone.c.done_date,
        milestone.c.rag,
    ).order_by(milestone.c.action_id, milestone.c.position)
    said = select(
        contribution.c.action_id,
        contribution.c.agency_id,
        contribution.c.lead_key,
        contribution.c.text,
        contribution.c.rag,
        contribution.c.source,
        contribution.c.return_id,
        contribution.c.updated_at,
    ).where(contribution.c.quarter == quarter)
    if action_ids is None:
        # The whole plan: one statement each, not IN lists of its ids. Its milestones by the
        # span of its action ids (a plan's actions are mostly consecutive; the others' are
        # passed over below), twice as fast as joining each up to its plan.
        span = (min(ids), max(ids)) if ids else (0, -1)
        milestone_parts = [milestones.where(milestone.c.action_id.between(*span))]
        said_parts = [
            plan_of(said.join(action, contribution.c.action_id == action.c.id), plan_id=plan_id)
        ]
    else:
        chunks = list(_chunks(ids))
        milestone_parts = [milestones.where(milestone.c.action_id.in_(c)) for c in chunks]
        said_parts = [said.where(contribution.c.action_id.in_(c)) for c in chunks]
    # The rule's rows (leads among them) are read with the rest, for the leads here and the
    # rule below: every read here in one round trip to a server.
    rule_parts = action_row_queries(sorted(ids), planned=False)
    answers = fetch_together(session, [*milestone_parts, *said_parts, *rule_parts])
    milestone_rows = answers[: len(milestone_parts)]
    said_rows = answers[len(milestone_parts) : len(milestone_parts) + len(said_parts)]
    for part in milestone_rows:
        for item_id, action_id, title, due, done, rag in part:
            row = actions.get(action_id)
            if row is not None:
                row.milestones.append(MilestoneRow(item_id, action_id, title, due, done, rag))
    for part in said_rows:
        for action_id, agency_id, lead_key, text, rag, source, return_id, updated_at in part:
            agency = None if lead_key == "none" else agency_id
            if lead_key == "none" or agency_id is not None:
                actions[action_id].said[agency] = Said(
                    text or "", rag, source or "", return_id, updated_at
                )
    read = action_rows_from(
        answers[len(milestone_parts) + len(said_parts) :],
        planned={action_id: row.rag for action_id, row in actions.items()},
    )
    leads: dict[int, set[int | None]] = defaultdict(set)
    for action_id, agency_id, _, _, _, _, via, _ in read.leads:
        agency = agency_id if agency_id is not None else via
        if agency is not None:
            leads[action_id].add(agency)
    no_lead = frozenset({None})
    for action_id, row in actions.items():
        found = leads.get(action_id)
        row.lead_ids = frozenset(found) if found else no_lead
    classes = classes or rag_classes(session)
    # This quarter and the one before, from one read of the rows.
    steps = ((0,) if quarter_rags else ()) + ((1,) if quarter > 1 else ())
    quarters = (
        load_quarters_back(session, dict.fromkeys(ids, quarter), steps, classes, read)
        if steps
        else []
    )
    now = quarters.pop(0) if quarter_rags else {}
    before = quarters.pop(0) if quarter > 1 else {}
    for action_id, row in actions.items():
        if action_id in now:
            row.quarter_rag = now[action_id].rag.code
        if action_id in before:
            row.last_update = before[action_id].printed
    if quarter == 1 and carried:
        # Q1's "last quarter" is the Q4 update of the action this one was carried from.
        last_year = load_quarters(session, dict.fromkeys(carried, 4), classes)
        for source, carried_quarter in last_year.items():
            actions[carried[source]].last_update = carried_quarter.printed
    return actions


def group_by_lead(actions: Iterable[ActionRow]) -> dict[int | None, list[ActionRow]]:
    """Each lead agency's actions in plan order (an action with two leads is in both)."""
    groups: dict[int | None, list[ActionRow]] = defaultdict(list)
    for action in actions:
        for agency_id in action.lead_ids:
            groups[agency_id].append(action)
    return dict(groups)


class BatchScope:
    """What a batch of returns is compared with, loaded once for the batch instead of once
    per file: each plan's actions for a quarter and the plan's action numbers.

    A batch of a few files loads only the actions its files hold (a lead's 250 of a
    10,000-action plan, in a twentieth of the time); a batch of ``WHOLE_PLAN_FROM`` files or
    more loads the whole plan once, which is then cheaper than file by file.
    """

    WHOLE_PLAN_FROM = 10

    def __init__(self, session: Session, files: int = 1) -> None:
        self.session = session
        self.whole_plan = files >= self.WHOLE_PLAN_FROM
        self._actions: dict[tuple[int, int], dict[int, ActionRow]] = {}
        self._numbers: dict[int, dict[int, str]] = {}
        self._parents: dict[tuple[int, int], dict[int, int]] = {}
        self._plans: dict[int, Any] = {}
        self._records: dict[str, Any] = {}  # by token; None: no such record
        self._closed: dict[int, dict[int, dt.datetime]] = {}  # by plan, quarter: closed at
        self._partnership: Any = None
        self._scheme: list[RagStatus] | None = None
        self._milestone_parents: dict[int, int] = {}  # read by milestone_parents
        self._parents_asked: set[int] = set()
        self._rags_read: set[int] = set()  # the actions whose quarter_rag is worked out

    def check_reads(self, tokens: Collection[str], milestone_ids: Collection[int] = ()) -> None:
        """What the files' checks ask of the workspace, read together (one round trip to a
        server, for one file or a batch): its name, the return records of ``tokens``, their
        plans and those plans' closed quarters; and, unless the batch loads the whole plan,
        the actions of ``milestone_ids`` (milestone_parents)."""
        wanted = sorted(set(tokens) - set(self._records))
        if not wanted:
            return
        parents = [] if self.whole_plan else self._parent_queries(milestone_ids)
        record = ReturnRecord.__table__
        plan = Plan.__table__
        plan_ids = select(record.c.plan_id).where(record.c.token.in_(wanted))
        statements: list[Any] = [
            select(record).where(record.c.token.in_(wanted)),
            select(plan.c.id, plan.c.year, plan.c.current_quarter).where(plan.c.id.in_(plan_ids)),
            closed_dates_query(plan_ids),
        ]
        if self._partnership is None:
            statements.append(select(Partnership.uid, Partnership.name))
        scheme = self._scheme is None
        if scheme:
            statements.append(select(*RagStatus.__table__.c).order_by(RagStatus.position))
        found = fetch_together(self.session, [*statements, *parents])
        for rows in found[len(statements) :]:
            self._milestone_parents.update({m: a for m, a in rows})
        if scheme:
            # The statuses as load_scheme gives them, from their rows (read only, never added).
            self._scheme = [RagStatus(**row._asdict()) for row in found[len(statements) - 1]]
        self._records.update(dict.fromkeys(wanted))
        self._records.update({r.token: r for r in found[0]})
        self._plans.update({p.id: p for p in found[1]})
        for plan_id in {p.id for p in found[1]}:
            self._closed.setdefault(plan_id, {})
        for plan_id, quarter, closed_at in found[2]:
            self._closed[plan_id][quarter] = closed_at
        if self._partnership is None:
            self._partnership = found[3][0]

    def _parent_queries(self, milestone_ids: Iterable[int]) -> list[Any]:
        ids = sorted(set(milestone_ids) - self._parents_asked)
        self._parents_asked.update(ids)
        m = Milestone.__table__.c
        return [select(m.id, m.action_id).where(m.id.in_(chunk)) for chunk in _chunks(ids)]

    def milestone_parents(self, milestone_ids: Iterable[int]) -> dict[int, int]:
        """Milestone id -> its action's id, for those of ``milestone_ids`` that exist."""
        ids = list(milestone_ids)
        for rows in fetch_together(self.session, self._parent_queries(ids)):
            self._milestone_parents.update({m: a for m, a in rows})
        return {m: self._milestone_parents[m] for m in ids if m in self._milestone_parents}

    @property
    def partnership(self) -> Any:
        """The workspace's uid and name."""
        if self._partnership is None:
            query = select(Partnership.uid, Partnership.name)
            self._partnership = self.session.execute(query).one()
        return self._partnership

    def record(self, token: str) -> Any:
        """The return record (its columns) made with ``token``; None when there is none."""
        if token not in self._records:
            self.check_reads([token])
        return self._records[token]

    def plan(self, plan_id: int) -> Any:
        """The plan ``plan_id``'s id, year and current quarter (a return's record names an
        existing plan)."""
        if plan_id not in self._plans:
            plan = Plan.__table__
            self._plans[plan_id] = self.session.execute(
                select(plan.c.id, plan.c.year, plan.c.current_quarter).where(plan.c.id == plan_id)
            ).one()  # the record goes with its plan (ON DELETE CASCADE)
        return self._plans[plan_id]

    def closed_on(self, plan_id: int, quarter: int) -> dt.datetime | None:
        """guards.closed_on, from the plan's closed quarters read once for the batch."""
        if plan_id not in self._closed:
            self._closed[plan_id] = {
                row.quarter: row.closed_at
                for row in self.session.execute(closed_dates_query([plan_id]))
            }
        return self._closed[plan_id].get(quarter)

    @functools.cached_property
    def classes(self) -> RagClasses:
        """Which RAG statuses count as complete, red, and so on: from the scheme read once."""
        return classes_of(self.scheme)

    @property
    def scheme(self) -> list[RagStatus]:
        """The workspace's RAG statuses, read once for the batch (with the files' checks)."""
        if self._scheme is None:
            self._scheme = load_scheme(self.session)
        return self._scheme

    def parents(self, plan_id: int, quarter: int) -> dict[int, int]:
        """Milestone id -> its action's id, for the plan's actions loaded so far."""
        key = (plan_id, quarter)
        if key not in self._parents or not self.whole_plan:
            actions = self.actions(plan_id, quarter)
            self._parents[key] = {m.id: a.id for a in actions.values() for m in a.milestones}
        return self._parents[key]

    def actions(self, plan_id: int, quarter: int) -> dict[int, ActionRow]:
        """The plan's actions: all of them for a large batch, else those loaded so far."""
        key = (plan_id, quarter)
        if key not in self._actions:
            whole = self.whole_plan
            self._actions[key] = (
                load_actions(
                    self.session, plan_id, quarter, classes=self.classes, quarter_rags=False
                )
                if whole
                else {}
            )
        return self._actions[key]

    def quarter_rags(self, quarter: int, actions: Iterable[ActionRow]) -> None:
        """Work out by the rule the RAG this quarter of those of ``actions`` (loaded by this
        scope) whose quarter_rag is not worked out yet."""
        wanted = {a.id: a for a in actions if a.id not in self._rags_read}
        if not wanted:
            return
        found = load_quarters(self.session, dict.fromkeys(wanted, quarter), self.classes)
        for action_id, action in wanted.items():
            action.quarter_rag = found[action_id].rag.code
        self._rags_read.update(wanted)

    def remember(self, plan_id: int, quarter: int, actions: dict[int, ActionRow]) -> None:
        """Actions loaded for one file, kept for the next files of the batch."""
        known = self.actions(plan_id, quarter)
        known.update({a: row for a, row in actions.items() if row.plan_id == plan_id})

    def numbers(self, plan_id: int) -> dict[int, str]:
        """ "2.1.3" for every action of the plan (core.plan.refs numbers them)."""
        from cspdesk.core.plan.refs import item_references

        if plan_id not in self._numbers:
            together = functools.partial(fetch_together, self.session)
            refs = item_references(self.session, plan_id, milestones=False, read=together)
            self._numbers[plan_id] = {
                item_id: ref for (kind, item_id), (ref, _) in refs.items() if kind == "action"
            }
        return self._numbers[plan_id]
