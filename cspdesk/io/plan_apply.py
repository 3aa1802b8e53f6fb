"""Writing a PlanDraft into the workspace in the caller's one transaction, with Core bulk inserts.

Ids are given out here (store.db.new_ids: under the write lock that BEGIN IMMEDIATE took on
SQLite, from the tables' sequences on a server), so each level is one executemany instead of a
row at a time. The result is an ``ops.ItemAdded`` for the new plan: reverting it deletes the
plan and everything under it; agencies and officers the import created stay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from cspdesk.core.leads.plan_draft import PRIORITY_TEXT_FIELDS, PlanDraft
from cspdesk.core.plan import ops, periods
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    LeadAlias,
    Milestone,
    Objective,
    Officer,
    Plan,
    Priority,
    Update,
    utcnow,
)
from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.errors import CspdeskError
from cspdesk.store.db import new_ids

Progress = Callable[[int, int], None]


class PlanExists(CspdeskError):
    """Importing into a year that already has a plan is refused (nothing is merged)."""


def plan_exists(session: Session, year: str) -> bool:
    return session.execute(select(Plan.id).where(Plan.year == year)).first() is not None


def apply_draft(
    session: Session,
    draft: PlanDraft,
    *,
    year: str | None = None,
    who: str = "import",
    progress: Progress | None = None,
) -> ops.ItemAdded:
    """Add the draft as a new plan (and its new agencies and officers) to the workspace."""
    with paused_gc():
        return _apply(session, draft, year, who, progress)


def _title(draft: PlanDraft, year: str) -> str:
    """The plan's title, naming the year it is imported as (a plan imported as 2018/19 from
    last year's file is not titled "... 2016/17" on every report)."""
    return periods.retitled(draft.title, year) if draft.title else f"Partnership Plan {year}"


def _apply(
    session: Session, draft: PlanDraft, year: str | None, who: str, progress: Progress | None
) -> ops.ItemAdded:
    year = year or draft.year
    if year is None:
        raise CspdeskError(
            f"{draft.source}: no plan year found in the workbook; give one (e.g. --year 2016/17)"
        )
    if plan_exists(session, year):
        raise PlanExists(
            f"{draft.source}: the workspace already has a plan for {year}; nothing was imported. "
            "Import it as another year (--year), or delete that plan first"
        )
    total = max(len(draft.actions()), 1)
    report = progress or (lambda done, all_: None)
    report(0, total)

    # Agencies and officers first: leads refer to them.
    agency_ids: dict[int, int] = {k: k for k in draft.directory.agencies if k > 0}
    officer_ids: dict[int, int] = {k: k for k in draft.directory.officers if k > 0}
    for agency in draft.new_agencies():
        agency_ids[agency.key] = session.execute(
            insert(Agency).values(
                name=agency.name, short_name=agency.short_name, email=agency.email
            )
        ).inserted_primary_key[0]
    for officer in draft.new_officers():
        agency_id = agency_ids.get(officer.agency_key) if officer.agency_key is not None else None
        officer_ids[officer.key] = session.execute(
            insert(Officer).values(
                name=officer.name,
                initials=officer.initials,
                agency_id=agency_id,
                email=officer.email,
            )
        ).inserted_primary_key[0]

    ops.lock_siblings(session, "plan", [None])
    position = session.execute(select(func.count()).select_from(Plan)).scalar_one()
    plan_id = session.execute(
        insert(Plan).values(
            year=year,
            title=_title(draft, year),
            version_label=draft.version_label,
            introduction=draft.introduction,
            current_quarter=draft.current_quarter,
            position=position,
        )
    ).inserted_primary_key[0]

    tables = (Priority, Objective, Action, Milestone, ActionLead, Update)
    next_ids = {model: new_ids(session, model.__table__) for model in tables}
    rows: dict[type, list[dict[str, Any]]] = {model: [] for model in tables}

    def add(model: type, **values: Any) -> int:
        new_id = next(next_ids[model])
        rows[model].append({"id": new_id, **values})
        return new_id

    now = utcnow()
    for p_pos, priority in enumerate(draft.priorities):
        fields = {name: priority.fields.get(name, "") for name in PRIORITY_TEXT_FIELDS}
        priority_id = add(Priority, plan_id=plan_id, position=p_pos, title=priority.title, **fields)
        for o_pos, objective in enumerate(priority.objectives):
            objective_id = add(
                Objective, priority_id=priority_id, position=o_pos, title=objective.title
            )
            for a_pos, action in enumerate(objective.actions):
                action_id = add(
                    Action,
                    objective_id=objective_id,
                    position=a_pos,
                    title=action.title,
                    outcomes=action.outcomes,
                    timescale=action.timescale,
                    start_date=action.start_date,
                    due_date=action.due_date,
                    rag=action.rag,
                    lead_note=action.lead_note,
                    notes=action.notes,
                    carried_from_id=None,
                )
                for l_pos, (agency_key, officer_key) in enumerate(action.leads):
                    add(
                        ActionLead,
                        action_id=action_id,
                        position=l_pos,
                        agency_id=None if agency_key is None else agency_ids[agency_key],
                        officer_id=None if officer_key is None else officer_ids[officer_key],
                    )
                for m_pos, milestone in enumerate(action.milestones):
                    add(
                        Milestone,
                        action_id=action_id,
                        position=m_pos,
                        title=milestone.title,
                        outcomes="",
                        due_date=milestone.due_date,
                        original_due_date=None,
                        done_date=milestone.done_date,
                        rag=milestone.rag,
                    )
                for quarter, (update_text, rag) in sorted(action.updates.items()):
                    if update_text or rag:
                        add(
                            Update,
                            action_id=action_id,
                            quarter=quarter,
                            text=update_text,
                            rag=rag,
                            source=f"{who}: {draft.source}",
                            updated_at=now,
                        )
    connection = session.connection()
    done = 0
    for model in tables:
        batch = rows[model]
        for start in range(0, len(batch), 5000):
            connection.execute(insert(model.__table__), batch[start : start + 5000])
            if model is Action:
                done = min(total, done + len(batch[start : start + 5000]))
                report(done, total)
    _save_aliases(session, draft, agency_ids, officer_ids)
    report(total, total)
    return ops.ItemAdded("plan", plan_id, None, position)


def _save_aliases(
    session: Session, draft: PlanDraft, agency_ids: dict[int, int], officer_ids: dict[int, int]
) -> None:
    """The officer's readings of lead texts, kept so the next import reads them the same."""
    for text, reading in draft.lead_choices.items():
        session.execute(delete(LeadAlias).where(LeadAlias.text == text))
        leads = reading.leads or ((None, None),)
        for position, (agency_key, officer_key) in enumerate(leads):
            session.execute(
                insert(LeadAlias).values(
                    text=text,
                    position=position,
                    agency_id=None if agency_key is None else agency_ids[agency_key],
                    officer_id=None if officer_key is None else officer_ids[officer_key],
                    note=reading.note if position == 0 else "",
                )
            )
