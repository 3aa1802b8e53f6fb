"""A year played through headless: edit, close Q1, change, close Q2, compare, roll forward."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.history import action_history
from cspdesk.core.plan.model import Action, HistoryEntry, Milestone, Plan
from cspdesk.core.quarter.changes import changes_since_last_quarter
from cspdesk.core.quarter.closing import close_quarter, reopen_quarter
from cspdesk.core.quarter.direction import Trend, direction_of_travel
from cspdesk.core.quarter.guards import (
    PlanReadOnly,
    QuarterClosed,
    ensure_plan_editable,
    ensure_update_editable,
)
from cspdesk.core.quarter.rollforward import roll_forward
from cspdesk.core.quarter.snapshots import quarter_statuses, snapshot_payload
from cspdesk.core.quarter.view import build_quarter_view
from cspdesk.core.workspace.plan_tree import build_plan_tree
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def action_ids(workspace: Workspace, plan_id: int = 1) -> dict[str, int]:
    tree = workspace.read(build_plan_tree, plan_id)
    return {
        a["title"].split()[0]: a["id"]
        for p in tree["priorities"]
        for o in p["objectives"]
        for a in o["actions"]
    }


def plan_of(workspace: Workspace, year: str) -> Plan:
    return workspace.read(lambda s: s.execute(select(Plan).where(Plan.year == year)).scalar_one())


def test_a_year_played_through(workspace: Workspace) -> None:
    ids = action_ids(workspace)  # "Actively" (G), "Re-introduce" (A, J9), "Joint" (R)
    promote, j9, joint = ids["Actively"], ids["Re-introduce"], ids["Joint"]

    # Q1: the officer edits, then closes the quarter.
    workspace.write(ops.set_update, j9, 1, ops.UpdateValue("J9 training booked", "A"))
    closed_q1 = workspace.write(close_quarter, 1, 1, "Helen Collins")
    q1 = workspace.read(snapshot_payload, 1, 1)
    # The snapshot is the quarter's view, exactly as it would be built now.
    assert q1 == workspace.read(build_quarter_view, 1, 1)
    assert plan_of(workspace, "2016/17").current_quarter == 2
    assert closed_q1.describe() == "Close Q1 2016/17"
    with pytest.raises(QuarterClosed):
        workspace.read(ensure_update_editable, j9, 1)
    workspace.read(ensure_update_editable, j9, 2)  # Q2 is open

    # Q2: things change after the close.
    workspace.write(ops.edit_field, "action", promote, "title", "Promote campaigns (renamed)")
    workspace.write(ops.set_update, promote, 2, ops.UpdateValue("Campaign two slipped", "R"))
    workspace.write(ops.set_update, j9, 2, ops.UpdateValue("Partners trained", "G", "return: RDC"))
    campaign_two = workspace.read(
        lambda s: s.execute(
            select(Milestone.id).where(Milestone.title == "Campaign two launched")
        ).scalar_one()
    )
    workspace.write(ops.edit_field, "milestone", campaign_two, "due_date", dt.date(2017, 2, 28))
    objective = workspace.read(lambda s: s.get(Action, joint).objective_id)
    fresh = workspace.write(ops.add_item, "action", objective, title="Street briefings", rag="A").id

    # The Q1 snapshot is what the committee saw in July, whatever was edited since.
    assert workspace.read(snapshot_payload, 1, 1) == q1
    assert "Actively promote Essex wide campaigns" in str(q1)
    assert "renamed" not in str(q1)

    workspace.write(close_quarter, 1, 2)
    trends = workspace.read(direction_of_travel, 1, 2)
    assert trends[promote].trend is Trend.WORSENED and trends[promote].arrow == "▼"
    assert (trends[j9].trend, trends[j9].arrow, trends[j9].word) == (
        Trend.IMPROVED,
        "▲",
        "improved",
    )
    assert trends[joint].trend is Trend.SAME and trends[joint].arrow == "►"
    assert trends[fresh].trend is Trend.NEW and trends[fresh].arrow == "●"

    report = workspace.read(changes_since_last_quarter, 1, 2)
    assert report.previous == ("2016/17", 1)
    assert [i.id for i in report.new_reds] == [promote]
    assert [i.id for i in report.improved] == [j9]
    assert [(i.entity, i.id) for i in report.slipped] == [("milestone", campaign_two)]
    assert "31 Dec 2016 → 28 Feb 2017" in report.slipped[0].detail
    assert [i.id for i in report.silent] == [joint]  # no update in Q1 or Q2
    assert workspace.read(snapshot_payload, 1, 1) == q1  # reprint Q1: unchanged

    # Reopening is deliberate and recorded; closing again re-freezes.
    with pytest.raises(CspdeskError, match="say why"):
        workspace.write(reopen_quarter, 1, 1, "  ")
    workspace.write(reopen_quarter, 1, 1, "late police return", "Helen Collins")
    assert workspace.read(snapshot_payload, 1, 1) is None
    assert workspace.read(quarter_statuses, 1)[1].state == "reopened"
    notes = workspace.read(
        lambda s: s.execute(
            select(HistoryEntry.who, HistoryEntry.note).where(HistoryEntry.field == "q1_closed")
        ).all()
    )
    assert ("Helen Collins", "late police return") in notes
    workspace.write(close_quarter, 1, 1)
    assert (
        workspace.read(snapshot_payload, 1, 1)["priorities"][0]["objectives"][0]["actions"][0][
            "title"
        ]
        == "Promote campaigns (renamed)"
    )

    # Year end: roll forward. The Blue milestone stays behind; every action is unfinished.
    before_roll = workspace.read(export_workspace)
    roll = workspace.write(roll_forward, 1, None, "Helen Collins")
    new_plan = plan_of(workspace, "2017/18")
    assert new_plan.rolled_from_id == 1 and new_plan.title == "Partnership Plan 2017/18"
    assert plan_of(workspace, "2016/17").read_only
    with pytest.raises(PlanReadOnly):
        workspace.read(ensure_plan_editable, 1)
    new_tree = workspace.read(build_plan_tree, new_plan.id)
    carried = {
        a["carried_from_id"]: a
        for p in new_tree["priorities"]
        for o in p["objectives"]
        for a in o["actions"]
    }
    assert set(carried) == {promote, j9, joint, fresh}
    assert all(a["updates"] == [] for a in carried.values())  # history linked, not copied
    assert [m["title"] for m in carried[promote]["milestones"]] == ["Campaign two launched"]
    assert carried[promote]["milestones"][0]["original_due_date"] == "2016-12-31"
    assert carried[j9]["leads"] == [
        {
            "agency": "Rochford District Council",
            "officer": "Graham Browne",
            "text": "Rochford District Council – Graham Browne (GB)",
        }
    ]

    history = workspace.read(action_history, carried[j9]["id"])
    assert {item.year for item in history} == {"2016/17", "2017/18"}
    q2 = next(item for item in history if item.what == "Q2 update")
    assert (q2.who, q2.new, q2.action_id) == ("return: RDC", "Partners trained", j9)
    assert history[0].what == "Carried forward" and history[0].who == "Helen Collins"

    # Q1 of the new year compares with the last closed quarter of the old one.
    new_trends = workspace.read(direction_of_travel, new_plan.id, 1)
    assert new_trends[carried[j9]["id"]].trend is Trend.SAME

    # One undo step takes the roll-forward back.
    workspace.write(roll.revert)
    assert workspace.read(export_workspace) == before_roll


def test_close_is_one_undo_step(workspace: Workspace) -> None:
    before = workspace.read(export_workspace)
    change = workspace.write(close_quarter, 1, 1)
    snapshot = workspace.read(snapshot_payload, 1, 1)
    undone = workspace.write(change.revert)
    assert workspace.read(snapshot_payload, 1, 1) is None
    assert workspace.read(export_workspace) == before  # current quarter back to Q1
    workspace.write(undone.revert)  # redo
    assert workspace.read(snapshot_payload, 1, 1) == snapshot
    assert plan_of(workspace, "2016/17").current_quarter == 2
    with pytest.raises(QuarterClosed, match="closed already"):
        workspace.write(close_quarter, 1, 1)


def test_reopen_undo_restores_the_closed_snapshot(workspace: Workspace) -> None:
    workspace.write(close_quarter, 1, 1)
    frozen = workspace.read(snapshot_payload, 1, 1)
    reopened = workspace.write(reopen_quarter, 1, 1, "typo in police update")
    assert workspace.read(snapshot_payload, 1, 1) is None
    workspace.write(reopened.revert)
    assert workspace.read(snapshot_payload, 1, 1) == frozen
    with pytest.raises(CspdeskError, match="not closed"):
        workspace.write(reopen_quarter, 1, 3, "never closed")


def test_closing_a_quarter_out_of_order_keeps_current_quarter(workspace: Workspace) -> None:
    workspace.write(close_quarter, 1, 3)
    assert plan_of(workspace, "2016/17").current_quarter == 1
    # Q3 compares with nothing earlier: every action is new.
    assert {d.trend for d in workspace.read(direction_of_travel, 1, 3).values()} == {Trend.NEW}
