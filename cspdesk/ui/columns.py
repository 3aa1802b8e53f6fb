"""Column widths of the plan tree: each sized to its content, within reason."""

from __future__ import annotations

from itertools import islice

from PySide6.QtWidgets import QComboBox, QTreeView

from cspdesk.ui.plan_model import Column, PlanModel

# (narrowest, widest) in pixels; the title takes what is left, and the last column stretches.
BOUNDS = {
    Column.LEADS: (120, 230),
    Column.TIMESCALE: (90, 220),
    Column.RAG: (80, 200),
    Column.DIRECTION: (80, 170),
}
TITLE_BOUNDS = (260, 560)
UPDATE_MIN = 160
SAMPLE = 3000  # nodes measured: enough to see every kind of text without walking 50,000
PADDING = 16


def rag_editor_width(model: PlanModel) -> int:
    """How wide the inline RAG editor must be to show its longest label."""
    from cspdesk.ui.delegates import fill_rag_combo

    combo = QComboBox()
    fill_rag_combo(combo, model.rag_style)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo.sizeHint().width()


def fit_columns(tree: QTreeView, model: PlanModel) -> None:
    metrics = tree.fontMetrics()
    header = tree.header()
    widths: dict[Column, int] = {}
    nodes = list(islice((n for n in model.root.walk() if n.kind != "root"), SAMPLE))
    for column, (low, high) in BOUNDS.items():
        texts = {model._display(node, column, False) or "" for node in nodes}
        content = max((metrics.horizontalAdvance(t) for t in texts), default=0) + PADDING
        if column == Column.RAG:
            content = max(content + 18, rag_editor_width(model))  # room for the swatch
        wanted = max(content, header.sectionSizeFromContents(column).width())
        widths[column] = max(low, min(high, wanted))
    has_directions = any(node.direction for node in nodes)
    tree.setColumnHidden(Column.DIRECTION, not has_directions)
    if not has_directions:
        widths.pop(Column.DIRECTION)
    for column, width in widths.items():
        tree.setColumnWidth(column, width)
    room = tree.viewport().width() or tree.width()
    title = room - sum(widths.values()) - UPDATE_MIN
    tree.setColumnWidth(Column.TITLE, max(TITLE_BOUNDS[0], min(TITLE_BOUNDS[1], title)))
