"""Bookmarks in the print PDF: one per part of the appendix, so a reader can jump to a priority."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


class Bookmark(Flowable):
    """Takes no room; marks where it lands as an outline entry named ``title``."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title, self.key = title, key

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.bookmarkPage(self.key)
        canvas.addOutlineEntry(self.title, self.key, level=0)


def show_outline_and_title(canvas: Canvas) -> None:
    """Open with the bookmarks shown and the document's title (not its file name) in the bar."""
    canvas.showOutline()
    canvas.setViewerPreference("DisplayDocTitle", "true")
