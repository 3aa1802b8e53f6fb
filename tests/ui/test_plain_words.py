"""What the window shows reads whole and true: titles cut only at the end, the checker's item
numbers on hover (issue 28, item 10)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from cspdesk.core.plan.model import Plan
from cspdesk.core.plan.refs import item_references
from cspdesk.ui.plan_model import Column


def test_the_tree_gives_the_same_item_numbers_as_the_checker(window) -> None:  # type: ignore[no-untyped-def]
    model = window.document.model
    plan_id = window.document.workspace.read(lambda s: s.query(Plan.id).scalar())
    refs = window.document.workspace.read(item_references, plan_id)
    assert len(refs) > 5
    for key, (number, _title) in refs.items():
        tip = model.find(*key).siblingAtColumn(Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.split(":", 1)[0].endswith(f" {number}"), (key, tip, number)


def test_titles_are_cut_at_the_end_only(window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    delegate = window.tree.itemDelegate()
    action = next(k for k in window.document.model.index_by_key if k[0] == "action")
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, window.document.model.find(*action))
    assert option.textElideMode == Qt.TextElideMode.ElideRight


def test_the_rag_filter_reads_in_full(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.resize(900, 500)
    qtbot.wait(20)
    combo = window.filter_bar.rag
    text = combo.currentText()
    assert combo.width() >= combo.fontMetrics().horizontalAdvance(text) + 20


def test_column_headings_are_never_cut(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.fit_columns()
    header = window.tree.header()
    for column in (Column.LEADS, Column.TIMESCALE, Column.RAG, Column.DIRECTION):
        if not window.tree.isColumnHidden(column):
            assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()


def test_a_narrow_tree_keeps_the_rag_column_in_sight(window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.columns import fit_columns

    room = 600  # the tree's share of a 1366×768 screen at 150%
    fit_columns(window.tree, window.document.model, room)
    header = window.tree.header()
    assert header.sectionPosition(Column.RAG) + 30 <= room  # its colour and label start in sight
    for column in (Column.TITLE, Column.LEADS, Column.TIMESCALE):
        assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()
