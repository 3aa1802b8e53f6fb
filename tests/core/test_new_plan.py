"""A plan started by hand takes this financial year, or the first later one that is free."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.core.plan import ops
from cspdesk.core.plan.new_plan import free_plan_year
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

IN_2016_17 = dt.date(2016, 11, 3)


def test_an_empty_workspace_takes_this_year(empty_location: Location) -> None:
    workspace = Workspace.create(empty_location, "Test CSP")
    try:
        assert workspace.read(free_plan_year, IN_2016_17) == "2016/17"
        assert workspace.read(free_plan_year, dt.date(2017, 3, 31)) == "2016/17"
        assert workspace.read(free_plan_year, dt.date(2017, 4, 1)) == "2017/18"
    finally:
        workspace.close()


def test_years_already_planned_are_skipped(empty_location: Location) -> None:
    workspace = Workspace.create(empty_location, "Test CSP")
    try:
        for year in ("2016/17", "2017/18", "2019/20"):
            workspace.write(lambda s, y=year: ops.add_item(s, "plan", None, year=y, title="Plan"))
        assert workspace.read(free_plan_year, IN_2016_17) == "2018/19"
        assert workspace.read(free_plan_year, dt.date(2019, 6, 1)) == "2020/21"
    finally:
        workspace.close()
