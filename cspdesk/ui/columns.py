"""Column widths of the plan tree: the title first, the others sized to their content.

The title is what an officer reads to find an item, so it gets the width first: every other
column is sized to its content within a cap, the title takes what they leave (and follows the
tree as it is widened or narrowed), and in a tree too narrow for all of them it keeps about half
the tree, or all it needs; the columns that do not fit are reached by scrolling. Widths the
officer sets by dragging a column's edge are remembered and used from then on.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QComboBox, QTreeView

from cspdesk.core.quarter.outline import Node
from cspdesk.ui.plan_model import Column, PlanModel

# (narrowest, widest) in pixels, before the officer sizes them; the title takes what is left.
BOUNDS = {
    Column.LEADS: (120, 190),
    Column.TIMESCALE: (90, 200),
    Column.RAG: (80, 200),
    Column.DIRECTION: (80, 170),
    Column.UPDATE: (130, 320),
}
TITLE_SHARE = 0.5  # of a tree too narrow for every column, what the title keeps...
TITLE_FLOOR = 0.45  # ...or a little less, so that the RAG column fits whole
# Measuring a text costs ~0.04 ms: of each column (and each depth of titles) only the longest
# few by their number of characters are measured, which picks the widest well enough.
MEASURED = 12
SAMPLE = 3000  # nodes measured: enough to see every kind of text without walking 50,000
PADDING = 16
OWN_WIDTHS_KEY = "window/tree_own_widths"


def rag_editor_width(model: PlanModel) -> int:
    """How wide the inline RAG editor must be to show its longest label."""
    from cspdesk.ui.delegates import fill_rag_combo

    combo = QComboBox()
    fill_rag_combo(combo, model.rag_style)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo.sizeHint().width()


def own_widths(settings: QSettings | None = None) -> dict[Column, int]:
    """The widths the officer gave columns by hand (none until she drags one)."""
    raw = (settings or QSettings()).value(OWN_WIDTHS_KEY, "")
    try:
        found = json.loads(raw) if isinstance(raw, str) and raw else {}
        return {Column(int(k)): int(v) for k, v in found.items() if int(v) > 0}
    except (ValueError, TypeError, AttributeError):
        return {}  # a hand-edited or older settings file: sized afresh, never a failure


def title_wanted(tree: QTreeView, nodes: list[Node]) -> int:
    """The width that shows the longest title whole, with its indentation."""
    by_depth: dict[tuple[int, bool], list[str]] = {}
    for node in nodes:
        depth, above = 0, node.parent
        while above is not None and above.kind != "root":
            depth, above = depth + 1, above.parent
        by_depth.setdefault((depth, node.kind in ("plan", "priority")), []).append(node.title)
    plain = tree.fontMetrics()
    bold_font = QFont(tree.font())
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    widest = 0
    for (depth, is_bold), titles in by_depth.items():
        metrics = bold if is_bold else plain
        longest = heapq.nlargest(MEASURED, titles, key=len)
        text = max((metrics.horizontalAdvance(t) for t in longest), default=0)
        widest = max(widest, (depth + 1) * tree.indentation() + text)
    return widest + PADDING


def fit_columns(tree: QTreeView, model: PlanModel, room: int) -> None:
    """Size the columns for a tree ``room`` pixels wide."""
    metrics = tree.fontMetrics()
    header = tree.header()
    widths: dict[Column, int] = {}
    headings: dict[Column, int] = {}
    nodes = list(islice((n for n in model.root.walk() if n.kind != "root"), SAMPLE))
    for column, (low, high) in BOUNDS.items():
        texts = {model._display(node, column, False) or "" for node in nodes}
        if column == Column.TIMESCALE:  # an overdue marker may appear after the next edit
            texts.add("31 Oct 2016 (overdue)")
        longest = heapq.nlargest(MEASURED, texts, key=len)
        content = max((metrics.horizontalAdvance(t) for t in longest), default=0) + PADDING
        if column == Column.RAG:
            content = max(content + 18, rag_editor_width(model))  # room for the swatch
        # Never "Since last quarte": a heading is read whole.
        headings[column] = header.sectionSizeFromContents(column).width() + PADDING
        widths[column] = max(low, min(high, content), headings[column])
    has_directions = any(node.direction for node in nodes)
    tree.setColumnHidden(Column.DIRECTION, not has_directions)
    if not has_directions:
        widths.pop(Column.DIRECTION)
    own = own_widths()
    widths.update({c: w for c, w in own.items() if c in widths})
    heading = header.sectionSizeFromContents(Column.TITLE).width() + PADDING
    least = max(heading, min(title_wanted(tree, nodes), int(room * TITLE_SHARE)))
    title = room - sum(widths.values())
    if title < least:
        # A narrow tree (a small or scaled screen): the latest update scrolls out of sight
        # first, then leads and timescale give way (cut, whole on hover) so the RAG stays in sight
        # where it can; the title keeps ``least``.
        title = least
        ahead = [c for c in (Column.LEADS, Column.TIMESCALE, Column.RAG) if c in widths]
        over = title + sum(widths[c] for c in ahead) - room
        for column in (Column.LEADS, Column.TIMESCALE):
            if column in own:
                continue
            narrowest = max(BOUNDS[column][0], headings[column])
            give = max(0, min(widths[column] - narrowest, over))
            widths[column] -= give
            over -= give
        # The RAG whole rather than the tree jumping sideways when it is edited: the title
        # gives the last few pixels, down to TITLE_FLOOR of the tree; or takes what is spare.
        title -= over if over < 0 else min(over, max(0, title - int(room * TITLE_FLOOR)))
    if Column.TITLE in own:
        title = own[Column.TITLE]
    stretch = title_stretch(tree)
    with stretch.adjusting():
        header.setStretchLastSection(False)  # the title stretches, not the latest update
        for column, width in widths.items():
            tree.setColumnWidth(column, width)
        tree.setColumnWidth(Column.TITLE, title)


class TitleStretch(QObject):
    """Gives the title column what the tree gains or loses as it is resized, and remembers a
    width the officer sets by dragging a column's edge."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        self._adjusting = 0
        self._dragging = False  # a mouse button held on the header: the officer sizing a column
        self._viewport = tree.viewport()
        self._viewport.installEventFilter(self)
        tree.header().viewport().installEventFilter(self)
        tree.header().sectionResized.connect(self._section_resized)

    @contextmanager
    def adjusting(self) -> Iterator[None]:
        """Sizes set inside are the program's, not the officer's."""
        self._adjusting += 1
        try:
            yield
        finally:
            self._adjusting -= 1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only the event's type and identity are looked at first: events also arrive while
        # the tree is being destroyed, when asking it anything would fail.
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            self._dragging = kind == QEvent.Type.MouseButtonPress
        elif kind == QEvent.Type.Resize and watched is self._viewport:
            assert isinstance(event, QResizeEvent)
            gained = event.size().width() - event.oldSize().width()
            if event.oldSize().width() > 0 and gained:
                self._follow(event.size().width(), gained)
        return False

    def _follow(self, room: int, gained: int) -> None:
        header = self.tree.header()
        if header.count() <= Column.TITLE:
            return
        title = header.sectionSize(Column.TITLE)
        heading = header.sectionSizeFromContents(Column.TITLE).width() + PADDING
        floor = min(title, max(heading, int(room * TITLE_SHARE)))
        with self.adjusting():
            header.setStretchLastSection(False)  # a header state saved by an older version
            header.resizeSection(Column.TITLE, max(floor, title + gained))

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        # Only a drag by the officer on the header is hers to remember: sizes set here,
        # restored from settings or fitted to content are not.
        if self._adjusting or not self._dragging:
            return
        settings = QSettings()
        kept = {int(c): w for c, w in own_widths(settings).items()}
        kept[column] = new
        settings.setValue(OWN_WIDTHS_KEY, json.dumps(kept))


def title_stretch(tree: QTreeView) -> TitleStretch:
    """The tree's one TitleStretch, made the first time columns are fitted."""
    found = tree.findChild(TitleStretch)
    return found if isinstance(found, TitleStretch) else TitleStretch(tree)
