"""Column widths of the plan tree: each sized to its content, within reason."""

from __future__ import annotations

from itertools import islice

from PySide6.QtWidgets import QComboBox, QTreeView

from cspdesk.ui.plan_model import Column, PlanModel

# (narrowest, widest) in pixels; the title takes what is left, and the last column stretches.
BOUNDS = {
    Column.LEADS: (120, 190),
    Column.TIMESCALE: (90, 200),
    Column.RAG: (80, 200),
    Column.DIRECTION: (80, 170),
}
TITLE_BOUNDS = (300, 640)
NARROW_TITLE = 200  # the least a title gets when the tree is narrow
UPDATE_MIN = 130
SAMPLE = 3000  # nodes measured: enough to see every kind of text without walking 50,000
PADDING = 16


def rag_editor_width(model: PlanModel) -> int:
    """How wide the inline RAG editor must be to show its longest label."""
    from cspdesk.ui.delegates import fill_rag_combo

    combo = QComboBox()
    fill_rag_combo(combo, model.rag_style)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo.sizeHint().width()


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
        content = max((metrics.horizontalAdvance(t) for t in texts), default=0) + PADDING
        if column == Column.RAG:
            content = max(content + 18, rag_editor_width(model))  # room for the swatch
        heading = (
            header.sectionSizeFromContents(column).width() + PADDING
        )  # never "Since last quarte"
        headings[column] = heading
        widths[column] = max(low, min(high, content), heading)
    has_directions = any(node.direction for node in nodes)
    tree.setColumnHidden(Column.DIRECTION, not has_directions)
    if not has_directions:
        widths.pop(Column.DIRECTION)
    title = room - sum(widths.values()) - UPDATE_MIN
    if title < TITLE_BOUNDS[0]:
        # A narrow tree (a small or scaled screen): leads and timescale give way first, then title
        # down to NARROW_TITLE, so the RAG column stays in sight where it can.
        for column in (Column.LEADS, Column.TIMESCALE):
            narrowest = max(BOUNDS[column][0], headings[column])
            give = max(0, min(widths[column] - narrowest, TITLE_BOUNDS[0] - title))
            widths[column] -= give
            title += give
        lowest = max(NARROW_TITLE, header.sectionSizeFromContents(Column.TITLE).width() + PADDING)
    else:
        lowest = TITLE_BOUNDS[0]
    for column, width in widths.items():
        tree.setColumnWidth(column, width)
    tree.setColumnWidth(Column.TITLE, max(lowest, min(TITLE_BOUNDS[1], title)))
