"""The detail pane fits its width: at 1280×720 and 150% (a 837×440 window) the dates and
every field show whole, labels above the fields, with no sideways scroll bar (issue 28)."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QFormLayout


def test_a_narrow_detail_pane_puts_labels_above_and_needs_no_sideways_scroll(
    qtbot,  # type: ignore[no-untyped-def]
    window,
) -> None:
    window.resize(837, 440)
    window.splitter.setSizes([837 - 270, 270])
    window.tree.expandAll()
    action = next(key for key in window.document.model.index_by_key if key[0] == "action")
    window.select(action)
    detail = window.detail
    bar = detail.horizontalScrollBar()
    qtbot.waitUntil(lambda: detail.widget().width() <= detail.viewport().width())
    qtbot.wait(50)
    assert not bar.isVisible()
    right = detail.viewport().width()
    for name, editor in detail.editors.items():
        edge = editor.mapTo(detail.viewport(), QPoint(editor.width(), 0)).x()
        assert edge <= right, f"{name} is cut off: it ends at {edge}, the pane at {right}"
    forms = detail.widget().findChildren(QFormLayout)
    assert forms[0].rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows

    window.resize(1600, 900)  # room again: labels beside their fields
    window.splitter.setSizes([900, 700])
    qtbot.waitUntil(lambda: forms[0].rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapLongRows)
    assert not bar.isVisible()
