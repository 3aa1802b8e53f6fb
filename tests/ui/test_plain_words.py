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
    # What the filter found is said on a line of its own: it squeezes neither box.
    bar = window.filter_bar
    before = (bar.text.width(), combo.width(), window.splitter.sizes())
    bar.lead.setCurrentIndex(1)
    qtbot.waitUntil(lambda: bar.matches.isVisible() and "shown" in bar.matches.text())
    qtbot.wait(20)
    assert (bar.text.width(), combo.width(), window.splitter.sizes()) == before
    bar.lead.setCurrentIndex(0)
    qtbot.waitUntil(lambda: not bar.matches.isVisible())


def test_column_headings_are_never_cut(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.fit_columns()
    header = window.tree.header()
    for column in (Column.LEADS, Column.TIMESCALE, Column.RAG, Column.DIRECTION):
        if not window.tree.isColumnHidden(column):
            assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()


def test_a_narrow_tree_gives_the_title_the_width_first(window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.columns import fit_columns

    room = 600  # the tree's share of a 1366×768 screen at 150%
    fit_columns(window.tree, window.document.model, room)
    header = window.tree.header()
    assert header.sectionSize(Column.TITLE) >= room * 0.45  # before leads, timescale and RAG
    rag_end = header.sectionPosition(Column.RAG) + header.sectionSize(Column.RAG)
    assert rag_end <= room  # the RAG whole: editing it does not push the tree sideways
    for column in (Column.TITLE, Column.LEADS, Column.TIMESCALE, Column.RAG):
        assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width()
        tip = window.document.model.headerData(
            column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
        )
        assert tip, column  # the short heading's whole meaning, on hover


def test_in_a_wide_tree_no_title_is_cut_and_the_title_follows_the_tree(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.columns import fit_columns, title_wanted

    model = window.document.model
    nodes = [n for n in model.root.walk() if n.kind != "root"]
    wanted = title_wanted(window.tree, nodes)
    fit_columns(window.tree, model, wanted + 1200)
    header = window.tree.header()
    assert header.sectionSize(Column.TITLE) >= wanted
    widest = max(nodes, key=lambda n: window.tree.fontMetrics().horizontalAdvance(n.title))
    assert window.tree.fontMetrics().horizontalAdvance(widest.title) < wanted

    # Widening the window widens the title, not the latest update.
    window.fit_columns()
    title, update = header.sectionSize(Column.TITLE), header.sectionSize(Column.UPDATE)
    window.resize(window.width() + 150, window.height())
    qtbot.waitUntil(lambda: header.sectionSize(Column.TITLE) > title)
    assert header.sectionSize(Column.UPDATE) == update


def test_a_width_the_officer_drags_is_kept(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    from cspdesk.ui.columns import own_widths

    window.fit_columns()
    header = window.tree.header()
    before = header.sectionSize(Column.LEADS)
    edge = header.sectionViewportPosition(Column.LEADS) + before - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    for step in range(1, 7):
        qtbot.mouseMove(header.viewport(), QPoint(edge + 10 * step, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 60, y))
    dragged = header.sectionSize(Column.LEADS)
    assert dragged > before
    assert own_widths() == {Column.LEADS: dragged}
    window.resize(window.width() - 100, window.height())  # the program's own sizing is not hers
    window.fit_columns()  # as when another workspace is opened
    assert header.sectionSize(Column.LEADS) == dragged
    assert own_widths() == {Column.LEADS: dragged}


def test_a_narrow_rag_column_keeps_the_label_and_drops_the_mark(window) -> None:  # type: ignore[no-untyped-def]
    model = window.document.model
    window.tree.expandAll()
    marked = next(
        n for n in model.index_by_key.values() if n.kind == "action" and n.rag_mark == " (plan)"
    )
    cell = model.find(*marked.key).siblingAtColumn(Column.RAG)
    delegate = window.tree.itemDelegate()
    option = QStyleOptionViewItem()
    option.widget = window.tree
    option.rect = window.tree.visualRect(cell).adjusted(0, 0, 400, 0)
    delegate.initStyleOption(option, cell)
    assert option.text.endswith(" (plan)")  # room: the whole of it
    option = QStyleOptionViewItem()
    option.widget = window.tree
    label = model.rag_style.label(marked.rag)
    narrow = window.tree.visualRect(cell)
    narrow.setWidth(window.tree.fontMetrics().horizontalAdvance(label) + 40)
    option.rect = narrow
    delegate.initStyleOption(option, cell)
    assert option.text == label  # "Grey", not "Grey (pl…"
    # A wide cell running out of the tree's sight: what shows is what counts.
    option = QStyleOptionViewItem()
    option.widget = window.tree
    hidden = window.tree.visualRect(cell)
    hidden.moveLeft(window.tree.viewport().width() - narrow.width())
    hidden.setWidth(400)
    option.rect = hidden
    delegate.initStyleOption(option, cell)
    assert option.text == label
    assert "no quarter has reported" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_the_rag_editor_lies_over_its_own_cell(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    window.tree.expandAll()
    model = window.document.model
    action = next(k for k in model.index_by_key if k[0] == "action")
    cell = model.find(*action).siblingAtColumn(Column.RAG)
    window.tree.setCurrentIndex(cell)
    window.tree.edit(cell)
    combo = next(w for w in window.tree.viewport().findChildren(QComboBox) if w.isVisible())
    rect = window.tree.visualRect(cell)
    geometry = combo.geometry()
    assert geometry.left() <= rect.left() + 1  # not pushed right past the cell's swatch
    assert abs(geometry.center().y() - rect.center().y()) <= 1  # on its row, not below it
    assert geometry.right() < window.tree.viewport().width()  # and in sight
    assert geometry.width() >= combo.sizeHint().width()

    # Picked: saved, the list closes and the keys are the tree's again (Tab then leaves it).
    before = model.node(cell).rag
    combo.setCurrentIndex(2 if combo.findData(before) != 2 else 1)  # another status
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(
        lambda: not any(w.isVisible() for w in window.tree.viewport().findChildren(QComboBox))
    )
    assert model.node(cell).rag != before
    assert window.tree.state() != window.tree.State.EditingState


def test_the_checker_gives_the_item_its_room(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from cspdesk.ui.checker_panel import CheckerPanel

    panel = CheckerPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(1200, 400)
    with qtbot.waitExposed(panel):
        panel.show()
    panel.refresh(1, 1, dt.date(2016, 7, 10))
    tree = panel.tree
    room = tree.viewport().width()
    problem = tree.sizeHintForColumn(1)
    assert tree.columnWidth(0) >= room // 2
    assert tree.columnWidth(0) + problem <= room  # the problem column shows its words whole
    assert tree.textElideMode() == Qt.TextElideMode.ElideRight  # "2.2.1 To safe…": number first
    panel.resize(700, 400)
    qtbot.waitUntil(lambda: tree.columnWidth(0) + tree.columnWidth(1) <= tree.viewport().width())
