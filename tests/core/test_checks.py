"""The pre-publish checker finds each kind of problem, names the item, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Milestone, Priority
from cspdesk.core.quarter.checks import (
    CONCERN_NO_UPDATE,
    COPIED_UPDATE,
    GOOD_BUT_OVERDUE,
    MILESTONE_NO_DATE,
    NO_BASELINE_TARGET,
    NO_LEAD,
    run_checks,
)
from cspdesk.core.quarter.overdue import is_overdue
from cspdesk.core.quarter.rollforward import roll_forward
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

JULY = dt.date(2016, 7, 10)


def ids_by_title(workspace: Workspace, model: type) -> dict[str, int]:
    return dict(workspace.read(lambda s: s.execute(select(model.title, model.id)).all()))


def kinds(workspace: Workspace, **kwargs: object) -> set[tuple[str, str, int]]:
    findings = workspace.read(run_checks, 1, kwargs.get("quarter"), kwargs.get("today", JULY))
    return {(f.kind, f.entity, f.id) for f in findings}


def test_the_fixture_plan_findings(workspace: Workspace) -> None:
    actions = ids_by_title(workspace, Action)
    priorities = ids_by_title(workspace, Priority)
    findings = workspace.read(run_checks, 1, 1, JULY)
    assert {(f.kind, f.entity, f.id) for f in findings} == {
        (NO_BASELINE_TARGET, "priority", priorities["Safeguarding Vulnerable People"]),
        (CONCERN_NO_UPDATE, "action", actions["Joint days of action"]),
    }
    joint = next(f for f in findings if f.kind == CONCERN_NO_UPDATE)
    assert (
        joint.path
        == "Anti-Social Behaviour › To reduce ASB in hotspot areas › Joint days of action"
    )
    assert joint.message == "Red with no Q1 update"


def test_green_action_with_overdue_milestone(workspace: Workspace) -> None:
    promote = ids_by_title(workspace, Action)["Actively promote Essex wide campaigns"]
    assert (GOOD_BUT_OVERDUE, "action", promote) not in kinds(workspace, quarter=1)
    late = kinds(workspace, quarter=1, today=dt.date(2017, 1, 5))
    assert (GOOD_BUT_OVERDUE, "action", promote) in late
    # The quarter's RAG is its update's (Green here), not the action's own.
    workspace.write(ops.edit_field, "action", promote, "rag", "A")
    assert (GOOD_BUT_OVERDUE, "action", promote) in kinds(
        workspace, quarter=1, today=dt.date(2017, 1, 5)
    )
    workspace.write(ops.set_update, promote, 1, ops.UpdateValue("Campaign two late", "A"))
    assert (GOOD_BUT_OVERDUE, "action", promote) not in kinds(
        workspace, quarter=1, today=dt.date(2017, 1, 5)
    )


def test_copied_update_no_lead_and_undated_milestone(workspace: Workspace) -> None:
    actions = ids_by_title(workspace, Action)
    j9 = actions["Re-introduce the J9 scheme in both districts"]
    joint = actions["Joint days of action"]
    workspace.write(
        ops.set_update, j9, 2, ops.UpdateValue("J9 training  sessions booked\nfor October", "A")
    )
    workspace.write(ops.set_leads, joint, [])
    workspace.write(ops.edit_field, "action", joint, "lead_note", " ")
    milestone = workspace.write(ops.add_item, "milestone", joint, title="Days agreed").id
    found = kinds(workspace, quarter=2)
    assert (COPIED_UPDATE, "action", j9) in found
    assert (NO_LEAD, "action", joint) in found
    assert (MILESTONE_NO_DATE, "milestone", milestone) in found
    # The Q2 default comes from the plan's current quarter.
    workspace.write(ops.edit_field, "plan", 1, "current_quarter", 2)
    assert kinds(workspace) == found
    workspace.write(ops.set_update, j9, 2, ops.UpdateValue("Training delivered", "G"))
    assert (COPIED_UPDATE, "action", j9) not in kinds(workspace, quarter=2)


def test_copied_from_last_years_q4_after_roll_forward(workspace: Workspace) -> None:
    j9 = ids_by_title(workspace, Action)["Re-introduce the J9 scheme in both districts"]
    workspace.write(ops.set_update, j9, 4, ops.UpdateValue("Still waiting for the venue", "A"))
    workspace.write(roll_forward, 1)
    carried = workspace.read(
        lambda s: s.execute(select(Action.id).where(Action.carried_from_id == j9)).scalar_one()
    )
    workspace.write(ops.set_update, carried, 1, ops.UpdateValue("Still waiting for the venue", "A"))
    findings = workspace.read(run_checks, 2, 1, JULY)
    copied = [f for f in findings if f.kind == COPIED_UPDATE]
    assert [(f.id, f.message) for f in copied] == [
        (carried, "Q1 update is word for word the last year's Q4 update")
    ]


def test_is_overdue_accepts_objects_rows_and_dicts(workspace: Workspace) -> None:
    today = dt.date(2016, 7, 1)
    assert is_overdue({"due_date": "2016-06-30", "done_date": None}, today)
    assert not is_overdue({"due_date": "2016-07-01", "done_date": None}, today)  # due today
    assert not is_overdue({"due_date": "2016-06-30", "done_date": "2016-06-29"}, today)
    assert not is_overdue({"due_date": None}, today)
    rows = workspace.read(
        lambda s: s.execute(select(Milestone).order_by(Milestone.id)).scalars().all()
    )
    assert [is_overdue(m, dt.date(2017, 1, 1)) for m in rows] == [False, True]
    core_rows = workspace.read(
        lambda s: s.execute(
            select(Milestone.due_date, Milestone.done_date).order_by(Milestone.id)
        ).all()
    )
    assert [is_overdue(r, dt.date(2017, 1, 1)) for r in core_rows] == [False, True]
