"""Direction of travel rules: ranks, unranked statuses, new actions, glyphs."""

from __future__ import annotations

import pytest

from cspdesk.core.plan import ops
from cspdesk.core.quarter.closing import close_preview, close_quarter
from cspdesk.core.quarter.direction import ARROWS, Direction, Trend, compare, direction_of_travel
from cspdesk.core.rag.classes import rag_classes
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


@pytest.mark.parametrize(
    ("before", "after", "trend"),
    [
        ("R", "A", Trend.IMPROVED),
        ("G", "B", Trend.IMPROVED),  # complete ranks above Green
        ("A", "R", Trend.WORSENED),
        ("A", "A", Trend.SAME),
        ("N", "N", Trend.SAME),  # not started, still not started
        ("N", "G", Trend.NOT_COMPARABLE),
        ("G", None, Trend.NOT_COMPARABLE),
        (None, None, Trend.NOT_COMPARABLE),
    ],
)
def test_compare(workspace: Workspace, before: str | None, after: str | None, trend: Trend) -> None:
    assert compare(before, after, workspace.read(rag_classes)) is trend


def test_glyphs_and_words() -> None:
    assert [ARROWS[t] for t in Trend] == ["▲", "▼", "►", "●", "●"]
    assert str(Direction(Trend.SAME, "G", "G")) == "► no change"
    assert Direction(Trend.NOT_COMPARABLE, "N", "G").ascii == "n/c"


def test_open_quarter_uses_live_data_closed_uses_snapshot(workspace: Workspace) -> None:
    workspace.write(close_quarter, 1, 1)
    workspace.write(ops.set_update, 3, 2, ops.UpdateValue("Recovering", "A"))
    assert workspace.read(direction_of_travel, 1, 2)[3].trend is Trend.IMPROVED
    workspace.write(close_quarter, 1, 2)
    workspace.write(ops.set_update, 3, 2, ops.UpdateValue("Edited after the close", "R"))
    # Q2 is closed: what was reported (Amber) counts, not the later edit.
    assert workspace.read(direction_of_travel, 1, 2)[3].trend is Trend.IMPROVED


def test_close_preview_counts(workspace: Workspace) -> None:
    preview = workspace.read(close_preview, 1, 1)
    assert (preview.actions, preview.with_update) == (3, 2)
    assert preview.rag_counts == {"G": 1, "A": 1, "R": 1}
    assert preview.status.state == "open"
