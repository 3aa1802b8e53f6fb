"""The sheet the appendix is laid out on: A4 landscape, or large print.

Large print lays the same pages out on a sheet 9/12 the size and draws each page scaled up by
12/9 onto A4: the body text's 9 pt comes out at 12 pt, with every line, table and chart
growing alike and the breaks worked out for the larger text (so more pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

PAPER = landscape(A4)
BODY_PT = 9
LARGE_PRINT_PT = 12


@dataclass(frozen=True)
class Sheet:
    scale: float = 1.0  # paper points per layout point

    @property
    def page(self) -> tuple[float, float]:
        """The page the story is laid out on, in layout points."""
        return PAPER[0] / self.scale, PAPER[1] / self.scale

    @property
    def margin(self) -> float:
        return 12 * mm / self.scale

    @property
    def top(self) -> float:
        return 16 * mm / self.scale

    @property
    def bottom(self) -> float:
        return 16 * mm / self.scale

    @property
    def frame_width(self) -> float:
        return self.page[0] - 2 * self.margin

    @property
    def frame_height(self) -> float:
        return self.page[1] - self.top - self.bottom


def sheet_for(large_print: bool) -> Sheet:
    return Sheet(LARGE_PRINT_PT / BODY_PT) if large_print else Sheet()
