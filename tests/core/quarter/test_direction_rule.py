"""Direction of travel's comparison (core.quarter.direction.compare), pinned table by table."""

from __future__ import annotations

import pytest

from cspdesk.core.quarter.direction import Trend, compare
from cspdesk.core.rag.classes import RagClasses

# "GX" shares Green's rank (a scheme an officer edited: two good statuses of equal standing).
CLASSES = RagClasses(
    rank={"R": 1, "A": 2, "G": 3, "GX": 3, "B": 4, "N": None},
    label={"R": "Red", "A": "Amber", "G": "Green", "GX": "Green+", "B": "Blue", "N": "Grey"},
    complete=frozenset({"B"}),
    good=frozenset({"B", "G", "GX"}),
    concern=frozenset({"R", "A"}),
    worst=frozenset({"R"}),
)


@pytest.mark.parametrize(
    ("before", "now", "trend"),
    [
        ("A", "G", Trend.IMPROVED),
        ("G", "B", Trend.IMPROVED),  # complete counts as better than on track
        ("G", "R", Trend.WORSENED),
        ("A", "A", Trend.SAME),
        ("G", "GX", Trend.SAME),  # different statuses of equal rank: no change
        ("GX", "G", Trend.SAME),
        ("N", "N", Trend.SAME),  # the same unranked status is no change
        ("N", "G", Trend.NOT_COMPARABLE),
        ("G", "N", Trend.NOT_COMPARABLE),
        ("G", None, Trend.NOT_COMPARABLE),
        (None, None, Trend.NOT_COMPARABLE),
    ],
)
def test_direction_compares_ranks(before: str | None, now: str | None, trend: Trend) -> None:
    assert compare(before, now, CLASSES) is trend
