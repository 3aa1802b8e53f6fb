"""The guards editing code calls first: closed quarters and read-only plans are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cspdesk.core.plan.model import Action, Milestone, Objective, Priority
from cspdesk.core.quarter.closing import close_quarter, reopen_quarter
from cspdesk.core.quarter.guards import (
    PlanReadOnly,
    QuarterClosed,
    ensure_plan_editable,
    ensure_quarter_open,
    ensure_update_editable,
    plan_id_of,
    why_not_editable,
)
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def test_plan_id_of_every_level(workspace: Workspace) -> None:
    for model, entity in [
        (Priority, "priority"),
        (Objective, "objective"),
        (Action, "action"),
        (Milestone, "milestone"),
    ]:
        item_id = workspace.read(lambda s, m=model: s.execute(select(m.id)).scalars().first())
        assert workspace.read(plan_id_of, entity, item_id) == 1
    with pytest.raises(CspdeskError, match="no action with id 999"):
        workspace.read(plan_id_of, "action", 999)


def test_closed_quarter_and_read_only_plan_are_refused(workspace: Workspace) -> None:
    workspace.read(ensure_quarter_open, 1, 1)
    workspace.write(close_quarter, 1, 1)
    with pytest.raises(QuarterClosed, match="Q1 2016/17 is closed"):
        workspace.read(ensure_quarter_open, 1, 1)
    with pytest.raises(QuarterClosed):
        workspace.read(ensure_update_editable, 1, 1)
    workspace.write(reopen_quarter, 1, 1, "late return")
    workspace.read(ensure_update_editable, 1, 1)
    from cspdesk.core.plan import ops

    workspace.write(ops.edit_field, "plan", 1, "read_only", True)
    with pytest.raises(PlanReadOnly, match="2016/17 plan is kept read-only"):
        workspace.read(ensure_plan_editable, 1)
    with pytest.raises(PlanReadOnly):
        workspace.read(ensure_update_editable, 1, 2)


@pytest.mark.parametrize(
    ("kept", "closed", "in_quarter", "expected"),
    [
        (False, False, True, None),
        (False, True, False, None),  # a title is no quarter's: a closed quarter keeps it open
        (False, True, True, "Q1 2016/17 is closed: what was reported is frozen."),
        (True, False, False, "The 2016/17 plan is kept read-only for the record"),
        (True, True, True, "The 2016/17 plan is kept read-only for the record"),
    ],
)
def test_why_not_editable_says_the_refusal_before_any_edit(
    workspace: Workspace, kept: bool, closed: bool, in_quarter: bool, expected: str | None
) -> None:
    """The reason asked before an editor opens is the refusal's own sentence, capitalised."""
    from cspdesk.core.plan import ops

    action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    if closed:
        workspace.write(close_quarter, 1, 1, advance=False)
    if kept:
        workspace.write(ops.edit_field, "plan", 1, "read_only", True)
    reason = workspace.read(why_not_editable, "action", action_id, in_current_quarter=in_quarter)
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(expected) and reason.endswith(".")


def test_undo_never_reopens_a_closed_quarter_but_may_undo_a_reopening(
    workspace: Workspace,
) -> None:
    """Undoing a close would reopen the quarter without the reason the reopen dialog records;
    undoing a reopening closes the quarter again, and is allowed."""
    from cspdesk.core.quarter.guards import UndoRefused, ensure_revert_allowed

    closed = workspace.write(close_quarter, 1, 1)
    with pytest.raises(UndoRefused, match="undo does not reopen a quarter"):
        workspace.read(ensure_revert_allowed, closed)
    reopened = workspace.write(reopen_quarter, 1, 1, "a late return")
    workspace.read(ensure_revert_allowed, reopened)
