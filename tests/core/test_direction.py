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


def test_a_closed_quarter_keeps_its_frozen_rag_when_the_scheme_is_edited_later(
    workspace: Workspace,
) -> None:
    """Partners who disagreed in a closed quarter: its RAG is what the committee saw, even after
    the officer re-ranks the scheme (the report and direction of travel read the same value)."""
    from sqlalchemy import update

    from cspdesk.core.plan.model import RagStatus, Update
    from cspdesk.core.quarter.contributions import ContributionValue, write_contributions
    from cspdesk.core.quarter.direction import quarter_view

    def drop_agreed(session):  # type: ignore[no-untyped-def]
        session.execute(update(Update).where(Update.action_id == 3).values(rag=None))

    workspace.write(drop_agreed)
    workspace.write(
        write_contributions,
        {
            (3, 1, "agency:one"): ContributionValue("On track.", "G", "One"),
            (3, 1, "agency:two"): ContributionValue("Slipping.", "A", "Two"),
        },
    )
    workspace.write(close_quarter, 1, 1)
    assert workspace.read(quarter_view, 1, 1).actions[3].rag == "A"  # the less favourable

    def rank_amber_above_green(session):  # type: ignore[no-untyped-def]
        session.execute(update(RagStatus).where(RagStatus.code == "A").values(rank=9))

    workspace.write(rank_amber_above_green)
    assert workspace.read(quarter_view, 1, 1).actions[3].rag == "A"
    workspace.write(ops.set_update, 3, 2, ops.UpdateValue("Now", "A"))
    assert workspace.read(direction_of_travel, 1, 2)[3].previous == "A"
