"""The report model: what the appendix prints, read from a real workspace."""

from __future__ import annotations

from cspdesk.core.leads.printed import lead_text
from cspdesk.core.plan import ops
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.report.model import contrast, readable_text_colour
from cspdesk.store.db import Workspace
from tests.report.report_helpers import model_of


def test_model_of_the_fixture_plan(workspace: Workspace) -> None:
    model = model_of(workspace)
    assert model.title == "Partnership Plan 2016/17 – 1st Quarter Update"
    assert [s.number for s in model.sections] == [1, 2]
    first = model.sections[0].objectives[0].actions
    assert [a.rag for a in first] == ["G", "A"]
    assert first[1].leads == ["Rochford District Council – Graham Browne (GB)"]
    assert first[0].update == "'Together we Can' campaign promoted."
    assert [m.done for m in first[0].milestones] == ["20 Jun 2016", ""]
    assert model.sections[0].rag_counts() == {"G": 1, "A": 1}
    assert not model.has_directions()  # Q1 has no quarter before it


def test_direction_from_the_previous_quarter_or_given(workspace: Workspace) -> None:
    action_id = model_of(workspace).sections[0].objectives[0].actions[0].id
    workspace.write(ops.set_update, action_id, 2, ops.UpdateValue("Slipped", "A"))
    # One rule (core.quarter.direction): against the last closed quarter, none while Q1 is open.
    assert model_of(workspace, quarter=2).sections[0].objectives[0].actions[0].direction is None
    workspace.write(close_quarter, 1, 1)
    q2 = model_of(workspace, quarter=2)
    action = q2.sections[0].objectives[0].actions[0]
    assert (action.rag, action.direction) == ("A", "down")  # Green in Q1, Amber now
    given = model_of(workspace, quarter=2, direction={action_id: "up"})
    assert given.sections[0].objectives[0].actions[0].direction == "up"


def test_lead_text_and_readable_colours() -> None:
    assert lead_text("Essex Police", "Emma Clark", "EC") == "Essex Police – Emma Clark (EC)"
    assert lead_text(None, "Emma Clark", "") == "Emma Clark"
    assert lead_text("All partners", None, None) == "All partners"
    assert readable_text_colour("#2E8B57", "#FFFFFF") == "#000000"  # 4.25:1 is too little
    assert readable_text_colour("#C0392B", "#FFFFFF") == "#FFFFFF"
    assert contrast("#000000", "#FFFFFF") == 21
