"""Each lead's contribution to an action's quarter, and the officer's agreed RAG: as Changes.

A contribution is keyed by (action, quarter, lead); writing one never touches another lead's.
Changes follow the core.plan.ops protocol (``revert`` returns the inverse), so the window's undo and
a merge's undo restore every contribution exactly, its source and time included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.many import add_history, delete_rows, insert_rows, update_rows
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    Contribution,
    Officer,
    Plan,
    lead_key_of,
    utcnow,
)
from cspdesk.core.plan.words import possessive

NO_LEAD_NAME = "No lead agency"  # the lead of actions that name no agency (and its return)
_CHUNK = 500
_KEY_COLUMNS = ("action_id", "quarter", "lead_key")
_VALUE_COLUMNS = (
    "text", "rag", "lead_name", "agency_id", "officer_id", "source", "return_id", "updated_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ContributionValue:
    """What one lead said for one action and quarter, and where it came from."""

    text: str
    rag: str | None
    lead_name: str
    agency_id: int | None = None
    officer_id: int | None = None
    source: str = ops.DEFAULT_WHO
    return_id: int | None = None
    updated_at: dt.datetime | None = None


ContributionKey = tuple[int, int, str]  # (action id, quarter, lead_key)


@dataclass(frozen=True)
class ContributionsSet:
    """Contributions went from ``before`` to ``after`` (None: no row)."""

    before: tuple[tuple[ContributionKey, ContributionValue | None], ...]
    after: tuple[tuple[ContributionKey, ContributionValue | None], ...]
    label: str
    who: str = ops.DEFAULT_WHO

    def revert(self, session: Session) -> ops.Change:
        # Undo never overwrites a colleague's later words: it expects what this change wrote.
        return write_contributions(
            session, dict(self.before), self.who, self.label, expected=dict(self.after)
        )

    def describe(self) -> str:
        return self.label

    @property
    def action_ids(self) -> frozenset[int]:
        return frozenset(key[0] for key, _ in self.after)


def contribution_queries(keys: Iterable[ContributionKey]) -> list[Select[Any]]:
    """The statements that read the stored rows of ``keys`` (with some neighbours, which
    contributions_from leaves out): a caller may send them with its other reads."""
    wanted = set(keys)
    ids = sorted({key[0] for key in wanted})
    c = Contribution.__table__.c  # Core rows: no ORM objects for thousands of contributions
    # A return's keys share one quarter and one lead: only those rows of its (joint) actions.
    quarters = sorted({key[1] for key in wanted})
    leads = sorted({key[2] for key in wanted})
    query = select(
        c.action_id, c.quarter, c.lead_key, c.text, c.rag, c.lead_name, c.agency_id,
        c.officer_id, c.source, c.return_id, c.updated_at,
    ).where(c.quarter.in_(quarters), c.lead_key.in_(leads))  # fmt: skip
    if len(ids) > _CHUNK:
        # Thousands of actions (a batch of returns): the span of their ids in one statement,
        # a plan's actions being mostly consecutive, rather than IN lists of them.
        return [query.where(c.action_id.between(ids[0], ids[-1]))]
    return [
        query.where(c.action_id.in_(ids[start : start + _CHUNK]))
        for start in range(0, len(ids), _CHUNK)
    ]


def contributions_from(
    rows: Iterable[Sequence[Any]], keys: Iterable[ContributionKey]
) -> dict[ContributionKey, ContributionValue]:
    """The stored value of each of ``keys`` among the rows of contribution_queries."""
    wanted = set(keys)
    found: dict[ContributionKey, ContributionValue] = {}
    for row in rows:
        key = (row[0], row[1], row[2])
        if key in wanted:
            found[key] = ContributionValue(*row[3:])
    return found


def load_contributions(
    session: Session, keys: Iterable[ContributionKey]
) -> dict[ContributionKey, ContributionValue]:
    """The stored value of each of ``keys`` that has a row."""
    wanted = set(keys)
    queries = contribution_queries(wanted)
    return contributions_from((row for q in queries for row in session.execute(q)), wanted)


def _history(
    key: ContributionKey, field: str, old: str | None, new: str | None, who: str, at: dt.datetime
) -> tuple[Any, ...]:
    """A history row as many.HISTORY_COLUMNS."""
    return (at, who, "action", key[0], f"q{key[1]}_{field}", old, new, "")


def _signed(session: Session, value: ContributionValue | None) -> ContributionValue | None:
    """A value typed in the window carries the user's name as its source, not "officer"."""
    if value is None or value.source != ops.DEFAULT_WHO:
        return value
    return replace(value, source=ops.signer(session))


def _said(value: ContributionValue | None) -> tuple[str, str | None]:
    return ("", None) if value is None else (value.text, value.rag)


def _check_expected(
    session: Session, expected: Mapping[ContributionKey, ContributionValue | None]
) -> None:
    now = load_contributions(session, expected)
    for key, seen in expected.items():
        if _said(now.get(key)) != _said(seen):
            action_id, quarter, _ = key
            shown = now.get(key) or seen
            lead = shown.lead_name if shown is not None else "a lead"
            message = ops.conflict_message(
                session,
                "action",
                action_id,
                f"q{quarter}_update ({lead})",
                f"{possessive(lead)} Q{quarter} part",
            )
            raise ops.EditConflict(message)


def write_contributions(
    session: Session,
    values: dict[ContributionKey, ContributionValue | None],
    who: str = ops.DEFAULT_WHO,
    label: str = "Edit contributions",
    *,
    expected: Mapping[ContributionKey, ContributionValue | None] | None = None,
    stored: Mapping[ContributionKey, ContributionValue] | None = None,
) -> ContributionsSet:
    """Set each key to its value (None removes the row), in bulk; one Change to undo it all.

    ``expected``: what the caller saw of some keys; if a colleague changed one's words or RAG
    meanwhile, EditConflict and nothing is changed (the actions are locked first).
    ``stored``: load_contributions of (at least) these keys, read by the caller in this
    transaction, so a merge does not read every contribution twice."""
    who = ops.signer(session, who)
    if any(value is not None and value.source == ops.DEFAULT_WHO for value in values.values()):
        values = {key: _signed(session, value) for key, value in values.items()}
    if ops.CHECK_CONCURRENT_EDITS and expected:
        ops.lock_rows(session, Action.__table__, {key[0] for key in expected})
        _check_expected(session, expected)
    before = load_contributions(session, values) if stored is None else stored
    now = utcnow()
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    deletes: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    for key, value in values.items():
        old = before.get(key)
        if old == value:
            continue
        if value is None:
            deletes.append(key)
            lead = old.lead_name if old is not None else ""  # (None == None: passed over)
            new_text, new_rag = None, None
        else:
            row = (
                *key, value.text, value.rag, value.lead_name, value.agency_id, value.officer_id,
                value.source, value.return_id, value.updated_at or now,
            )  # fmt: skip
            (inserts if old is None else updates).append(row)
            lead, new_text, new_rag = value.lead_name, value.text, value.rag
        old_text, old_rag = (None, None) if old is None else (old.text, old.rag)
        if old_text != new_text:
            history.append(_history(key, f"update ({lead})", old_text, new_text, who, now))
        if old_rag != new_rag:
            history.append(_history(key, f"rag ({lead})", old_rag, new_rag, who, now))
    table = Contribution.__table__
    delete_rows(session, table, _KEY_COLUMNS, deletes)  # type: ignore[arg-type]
    insert_rows(session, table, (*_KEY_COLUMNS, *_VALUE_COLUMNS), inserts)  # type: ignore[arg-type]
    update_rows(session, table, _KEY_COLUMNS, _VALUE_COLUMNS, updates)  # type: ignore[arg-type]
    add_history(session, history)
    return ContributionsSet(
        tuple(zip(values, map(before.get, values), strict=True)),
        tuple(values.items()),
        label,
        who,
    )


def current_quarter_of(session: Session, action_id: int) -> int:
    """The current quarter of the plan an action belongs to."""
    query = plan_of(select(Plan.current_quarter).select_from(Action), with_plan=True)
    return session.execute(query.where(Action.id == action_id)).scalar_one()


def set_agreed_rag(
    session: Session,
    action_id: int,
    quarter: int,
    rag: str | None,
    who: str = ops.DEFAULT_WHO,
    *,
    expected: str | None = ops.NOT_GIVEN,
) -> ops.UpdateSet:
    """Set the RAG the officer agrees for an action's quarter (None: back to the proposal).

    ``expected``: the agreed RAG the caller saw (None: none agreed); if a colleague agreed
    another meanwhile, EditConflict and nothing is changed. The action row is locked before
    the read, so on a server a colleague's commit in between is seen, never overwritten.
    """
    if ops.CHECK_CONCURRENT_EDITS:
        ops.lock_rows(session, Action.__table__, [action_id])
    old = ops.get_update(session, action_id, quarter)
    seen = old.rag if old is not None else None
    if ops.CHECK_CONCURRENT_EDITS and expected is not ops.NOT_GIVEN and seen != expected:
        what = f"the action's Q{quarter} RAG"
        field = f"q{quarter}_rag"
        raise ops.EditConflict(ops.conflict_message(session, "action", action_id, field, what))
    if seen == rag:  # agreeing what is agreed changes nothing, not even who agreed it when
        return ops.UpdateSet(action_id, quarter, old, old)
    text = old.text if old is not None else ""
    value = None if rag is None and not text else ops.UpdateValue(text, rag, who)
    return ops.set_update(session, action_id, quarter, value, who)


def agreed_rag(session: Session, action_id: int) -> str | None:
    """The RAG agreed for the action's current quarter; None when none is agreed."""
    found = ops.get_update(session, action_id, current_quarter_of(session, action_id))
    return found.rag if found is not None else None


def contributions_of(
    session: Session, action_id: int, quarter: int
) -> Sequence[tuple[ContributionKey, ContributionValue]]:
    """An action's contributions for a quarter (any order; core.quarter.rule orders them)."""
    rows = session.execute(
        select(Contribution.lead_key).where(
            Contribution.action_id == action_id, Contribution.quarter == quarter
        )
    ).scalars()
    found = load_contributions(session, [(action_id, quarter, key) for key in rows])
    return sorted(found.items(), key=lambda item: item[1].lead_name.casefold())


@dataclass(frozen=True)
class LeadSlot:
    """A lead that can contribute to an action: the one its partner return goes to."""

    lead_key: str
    agency_id: int | None
    name: str


def lead_slots(session: Session, action_id: int) -> list[LeadSlot]:
    """The action's leads as the returns see them (an officer counts under its agency), in
    the plan's lead order, then anyone else who has contributed to it."""
    slots: dict[str, LeadSlot] = {}
    for agency_id, officer_agency, agency_name, via_name in session.execute(
        select(ActionLead.agency_id, Officer.agency_id, Agency.name, Officer.name)
        .outerjoin(Officer, ActionLead.officer_id == Officer.id)
        .outerjoin(Agency, Agency.id == func.coalesce(ActionLead.agency_id, Officer.agency_id))
        .where(ActionLead.action_id == action_id)
        .order_by(ActionLead.position)
    ):
        agency = agency_id if agency_id is not None else officer_agency
        key = lead_key_of(agency)
        name = agency_name if agency is not None else NO_LEAD_NAME
        slots.setdefault(key, LeadSlot(key, agency, name or via_name or NO_LEAD_NAME))
    if not slots:
        slots["none"] = LeadSlot("none", None, NO_LEAD_NAME)
    for key, agency_id, name in session.execute(
        select(Contribution.lead_key, Contribution.agency_id, Contribution.lead_name)
        .where(Contribution.action_id == action_id)
        .order_by(Contribution.lead_name)
    ):
        slots.setdefault(key, LeadSlot(key, agency_id, name))
    return list(slots.values())
