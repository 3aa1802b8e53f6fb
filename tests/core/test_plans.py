"""The window's questions about plans, answered by core.plan.plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspdesk.core.plan import ops
from cspdesk.core.plan.plans import (
    current_quarter,
    latest_plan_id,
    partnership_name,
    plan_item,
    plan_year,
    plan_years,
    priority_titles,
)
from cspdesk.errors import CspdeskError
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def test_plans_by_year_and_the_latest(workspace: Workspace) -> None:
    first = workspace.read(latest_plan_id)
    assert workspace.read(plan_years) == {first: "2016/17"}
    later = workspace.write(ops.add_item, "plan", None, year="2017/18", current_quarter=3).id
    earlier = workspace.write(ops.add_item, "plan", None, year="2015/16").id
    assert workspace.read(plan_years) == {first: "2016/17", later: "2017/18", earlier: "2015/16"}
    assert workspace.read(latest_plan_id) == later  # by year, not by the order they were added
    assert workspace.read(plan_year, earlier) == "2015/16"
    assert workspace.read(current_quarter, later) == 3
    assert workspace.read(current_quarter, first) == 1


def test_a_missing_plan_is_named(workspace: Workspace) -> None:
    for question in (plan_year, current_quarter):
        with pytest.raises(CspdeskError, match="no plan with id 999"):
            workspace.read(question, 999)


def test_priorities_in_the_plans_order(workspace: Workspace) -> None:
    plan_id = workspace.read(latest_plan_id)
    titles = ["Safeguarding Vulnerable People", "Anti-Social Behaviour"]
    assert [title for _, title in workspace.read(priority_titles, plan_id)] == titles
    first_id = workspace.read(priority_titles, plan_id)[0][0]
    workspace.write(ops.move_item, "priority", first_id, plan_id, 2)
    assert [t for _, t in workspace.read(priority_titles, plan_id)] == titles[::-1]


def test_the_partnership_name_and_an_empty_workspace(
    workspace: Workspace, empty_location: Location
) -> None:
    assert workspace.read(partnership_name) == "Test Vale CSP"
    if isinstance(empty_location, Path):
        empty_location.unlink(missing_ok=True)
    with Workspace.create(empty_location, "Rochford CSP") as empty:
        assert empty.read(latest_plan_id) is None
        assert empty.read(plan_years) == {}
        assert empty.read(partnership_name) == "Rochford CSP"


def test_an_item_is_read_by_its_kind_and_id_and_is_none_once_deleted(
    workspace: Workspace,
) -> None:
    plan_id = workspace.read(latest_plan_id)
    priority = workspace.write(ops.add_item, "priority", plan_id, title="Reduce reoffending").id
    item = workspace.read(plan_item, "priority", priority)
    assert (item.id, item.title) == (priority, "Reduce reoffending")
    workspace.write(ops.delete_item, "priority", priority)
    assert workspace.read(plan_item, "priority", priority) is None
