"""Roll a year's plan forward: next year's plan with the unfinished work carried over.

The new plan has the same priorities and objectives (all of them, even those whose actions are
all done). Each unfinished action (neither its RAG nor its latest update's RAG is a complete
status) is copied, with its last reported RAG, its leads and its unfinished milestones (no done
date, not a complete status); it points back at the old action (Action.carried_from_id): its
updates stay with the old action and its history is followed through that link, not copied as
text. Completed actions stay in the old plan for the record, and the old plan becomes
read-only. The whole roll-forward is one undoable Change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, insert, or_, select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops, periods
from cspdesk.core.plan.bulkdump import PlanAdded
from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    HistoryEntry,
    Milestone,
    Objective,
    Plan,
    Priority,
    utcnow,
)
from cspdesk.core.quarter.rule import plan_quarters
from cspdesk.core.rag.classes import rag_classes
from cspdesk.core.workspace.fields import PRIORITY_FIELDS
from cspdesk.errors import CspdeskError

_ACTION_COPY = ("title", "outcomes", "timescale", "start_date", "due_date", "rag", "lead_note",
                "notes")  # fmt: skip
_MILESTONE_COPY = ("position", "title", "outcomes", "due_date", "original_due_date", "rag")


@dataclass(frozen=True)
class RollPreview:
    from_year: str
    to_year: str
    priorities: int
    objectives: int
    carried: int  # unfinished actions that will be carried over
    completed: int  # completed actions that stay in the old plan


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise CspdeskError(f"no plan with id {plan_id}")
    return plan


def _target_year(session: Session, plan: Plan, to_year: str | None) -> str:
    try:
        target = periods.next_year(plan.year) if to_year is None else periods.parse_year(to_year)
    except ValueError as error:
        raise CspdeskError(str(error)) from error
    if periods.start_year(target) <= periods.start_year(plan.year):
        raise CspdeskError(f"cannot roll {plan.year} forward into {target}: it is not a later year")
    if session.execute(select(Plan.id).where(Plan.year == target)).first() is not None:
        raise CspdeskError(f"there is a {target} plan already; nothing was rolled forward")
    rolled = session.execute(
        select(Plan.year).where(Plan.rolled_from_id == plan.id)
    ).scalar_one_or_none()
    if rolled is not None:
        raise CspdeskError(f"the {plan.year} plan was rolled forward into {rolled} already")
    return target


@dataclass(frozen=True)
class _ActionState:
    id: int
    objective_id: int
    status: str | None  # the last reported RAG: latest update's, else the action's own
    done: bool


def _actions_of(session: Session, plan_id: int, complete: frozenset[str]) -> list[_ActionState]:
    """Every action of the plan in tree order, with its status and whether it is complete.

    Complete when either the action's own RAG or its RAG at the end of the year (core's
    quarter rule: agreed, proposed or carried from the last quarter reported) is a complete
    status, so work reported done in Q4 is not carried over.
    """
    reported = {aid: found.rag.code for aid, found in plan_quarters(session, plan_id, 4).items()}
    rows = session.execute(
        plan_of(select(Action.id, Action.objective_id, Action.rag), plan_id=plan_id).order_by(
            Priority.position, Objective.position, Action.position
        )
    )
    states = []
    for action_id, objective_id, own in rows:
        status = reported.get(action_id, own)
        done = own in complete or status in complete
        states.append(_ActionState(action_id, objective_id, status, done))
    return states


def preview_roll_forward(session: Session, plan_id: int, to_year: str | None = None) -> RollPreview:
    """What roll_forward would do (raises CspdeskError if it would refuse)."""
    plan = _plan(session, plan_id)
    target = _target_year(session, plan, to_year)
    complete = rag_classes(session).complete
    actions = _actions_of(session, plan_id, complete)
    priorities = session.execute(select(Priority.id).where(Priority.plan_id == plan_id)).all()
    objectives = session.execute(
        select(Objective.id).join(Priority).where(Priority.plan_id == plan_id)
    ).all()
    done = sum(1 for action in actions if action.done)
    return RollPreview(
        plan.year, target, len(priorities), len(objectives), len(actions) - done, done
    )


def roll_forward(
    session: Session, plan_id: int, to_year: str | None = None, who: str = ops.DEFAULT_WHO
) -> ops.Change:
    """Make next year's plan from ``plan_id`` (see module docstring); one undoable Change."""
    who = ops.signer(session, who)
    plan = _plan(session, plan_id)
    target = _target_year(session, plan, to_year)
    complete = rag_classes(session).complete
    title = periods.retitled(plan.title, target)
    added = ops.add_item(
        session,
        "plan",
        None,
        who=who,
        year=target,
        title=title,
        version_label="",
        introduction=plan.introduction,
        current_quarter=1,
        read_only=False,
        rolled_from_id=plan.id,
    )
    new_objective: dict[int, int] = {}
    priorities = session.execute(
        select(Priority.id, Priority.position, *(getattr(Priority, f) for f in PRIORITY_FIELDS))
        .where(Priority.plan_id == plan_id)
        .order_by(Priority.position)
    ).all()
    for priority in priorities:
        values = {f: getattr(priority, f) for f in ("position", *PRIORITY_FIELDS)}
        new_priority = session.execute(
            insert(Priority).values(plan_id=added.id, **values)
        ).inserted_primary_key[0]  # type: ignore[index]
        for objective in session.execute(
            select(Objective.id, Objective.position, Objective.title)
            .where(Objective.priority_id == priority.id)
            .order_by(Objective.position)
        ):
            new_objective[objective.id] = session.execute(
                insert(Objective).values(
                    priority_id=new_priority, position=objective.position, title=objective.title
                )
            ).inserted_primary_key[0]  # type: ignore[index]

    carried = {a.id: a.status for a in _actions_of(session, plan_id, complete) if not a.done}
    _carry_actions(session, carried, new_objective, plan.year, who)
    read_only = ops.edit_field(session, "plan", plan_id, "read_only", True, who)
    label = f"Roll {plan.year} forward to {target}"
    # Not ops.ItemAdded: its undo deletes row by row, minutes for a 10,000-action plan.
    return ops.ChangeSet((PlanAdded(added.id, label), read_only), label)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _carry_actions(
    session: Session,
    status: dict[int, str | None],
    new_objective: dict[int, int],
    year: str,
    who: str,
) -> None:
    """Copy the actions (old id -> RAG to carry) with their leads and open milestones."""
    if not status:
        return
    old_ids = list(status)
    complete = rag_classes(session).complete
    rows = []
    next_position: dict[int, int] = {}
    for chunk in _chunks(old_ids):
        for action in session.execute(
            select(Action.objective_id, Action.id, *(getattr(Action, f) for f in _ACTION_COPY))
            .where(Action.id.in_(chunk))
            .order_by(Action.position)
        ):
            objective = new_objective[action.objective_id]
            position = next_position.get(objective, 0)
            next_position[objective] = position + 1
            rows.append(
                {
                    "objective_id": objective,
                    "position": position,
                    "carried_from_id": action.id,
                    **{f: getattr(action, f) for f in _ACTION_COPY},
                    "rag": status[action.id],
                }
            )
    session.execute(insert(_table(Action)), rows)
    new_of: dict[int, int] = {}
    for chunk in _chunks(list(set(new_objective.values()))):
        new_of.update(
            session.execute(
                select(Action.carried_from_id, Action.id).where(Action.objective_id.in_(chunk))
            ).all()
        )
    leads, milestones = [], []
    for chunk in _chunks(old_ids):
        for lead in session.execute(
            select(
                ActionLead.action_id,
                ActionLead.position,
                ActionLead.agency_id,
                ActionLead.officer_id,
            ).where(ActionLead.action_id.in_(chunk))
        ):
            leads.append({**lead._asdict(), "action_id": new_of[lead.action_id]})
        open_milestone = or_(Milestone.rag.is_(None), Milestone.rag.not_in(complete))
        for milestone in session.execute(
            select(Milestone.action_id, *(getattr(Milestone, f) for f in _MILESTONE_COPY))
            .where(Milestone.action_id.in_(chunk), Milestone.done_date.is_(None), open_milestone)
            .order_by(Milestone.action_id, Milestone.position)
        ):
            milestones.append({**milestone._asdict(), "action_id": new_of[milestone.action_id]})
    _renumber(milestones)
    if leads:
        session.execute(insert(_table(ActionLead)), leads)
    if milestones:
        session.execute(insert(_table(Milestone)), milestones)
    now = utcnow()
    history = [
        {
            "at": now,
            "who": who,
            "entity": "action",
            "entity_id": new_id,
            "field": "carried_from_id",
            "old": None,
            "new": str(old_id),
            "note": f"carried forward from {year}",
        }
        for old_id, new_id in new_of.items()
    ]
    session.execute(insert(_table(HistoryEntry)), history)


def _renumber(milestones: list[dict[str, object]]) -> None:
    """Positions stay dense (0-based) once the done milestones are left behind."""
    counts: dict[object, int] = {}
    for milestone in milestones:
        position = counts.get(milestone["action_id"], 0)
        milestone["position"] = position
        counts[milestone["action_id"]] = position + 1
