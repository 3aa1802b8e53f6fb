"""Success is said, the next step can be found, help is one key away (issue 28, items 6, 8, 11)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from cspdesk.core.plan.model import Plan
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.ui import file_notice
from cspdesk.ui.dialogs.quarter import RollForwardDialog
from cspdesk.ui.plan_model import Column, rag_mark_meaning

from .test_quarter_ui import when_modal


def _ok(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_closing_a_quarter_says_so_and_where_the_plan_moved(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    when_modal(qtbot, _ok)
    window.features.close_quarter()
    said = window.statusBar().currentMessage()
    assert said.startswith("Q1 2016/17 closed: what was reported is kept as it stood.")
    now = window.document.workspace.read(lambda s: s.query(Plan.current_quarter).scalar())
    assert f"The plan is now on Q{now}" in said or f"stays on Q{now}" in said


def test_the_quarter_menu_says_what_closing_does_and_how_to_move_on(window) -> None:  # type: ignore[no-untyped-def]
    tips = {a.text(): a.toolTip() for a in window.quarter_menu.actions()}
    assert "moves on to the next quarter" in tips["&Close quarter…"]
    assert "Roll forward" in tips["&Close quarter…"]
    assert "Close its quarters first" in tips["&Roll forward to next year…"]


def test_roll_forward_warns_of_quarters_not_closed(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = RollForwardDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    assert dialog.summary.text().startswith("Not closed: Q1, Q2, Q3, Q4 of 2016/17.")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Roll forward anyway"
    for quarter in range(1, 5):
        workspace.write(close_quarter, 1, quarter)
    dialog.update_summary()
    assert "Not closed" not in dialog.summary.text()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Roll forward"


def test_after_rolling_forward_the_new_plan_is_selected_and_the_heading_follows(
    qtbot, window
) -> None:  # type: ignore[no-untyped-def]
    when_modal(qtbot, _ok)
    window.features.roll_forward()
    assert window.current_key()[0] == "plan"
    year = window.document.workspace.read(lambda s: s.get(Plan, window.current_key()[1]).year)
    assert year == "2017/18"
    assert "The 2017/18 plan was made from 2016/17" in window.statusBar().currentMessage()
    model = window.document.model
    new_as_at = window.document.as_at(window.current_key()[1])
    heading = model.headerData(Column.TITLE, Qt.Orientation.Horizontal)
    assert f"{new_as_at:%Y}" in heading
    old_plan = next(k for k in model.index_by_key if k[0] == "plan" and k != window.current_key())
    window.select(old_plan)
    old_as_at = window.document.as_at(old_plan[1])
    assert f"{old_as_at:%B %Y}" in model.headerData(Column.TITLE, Qt.Orientation.Horizontal)


def test_the_words_after_a_rag_are_explained() -> None:
    assert "no quarter has reported" in rag_mark_meaning(" (plan)")
    assert "carried from that quarter" in rag_mark_meaning(" (Q1)")


def test_f1_opens_the_guide_shipped_with_the_program(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[Path] = []
    monkeypatch.setattr(file_notice, "open_path", lambda path: opened.append(path) or True)
    help_action = next(a for a in window.menuBar().actions() if a.text() == "&Help").menu()
    guide = help_action.actions()[0]
    assert guide.shortcut().toString() == "F1"
    guide.trigger()
    assert opened and opened[0].name == "guide.html" and opened[0].is_file()
    text = opened[0].read_text(encoding="utf-8")
    for words in (
        "Agree proposal",
        "Grey (plan)",
        "Green (Q1)",
        "Left as it was",
        "Proposed, Agreed",
        "item number (2.2.1",
        "Roll forward",
    ):
        assert words in text
    monkeypatch.setattr(file_notice, "open_path", lambda path: False)
    guide.trigger()
    assert "No program on this computer opened .html files" in window.statusBar().currentMessage()


def test_the_close_dialog_says_where_the_plan_goes_next(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.dialogs.quarter import CloseQuarterDialog

    dialog = CloseQuarterDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    assert "The plan then moves on to Q2." in dialog.summary.text()
    dialog.quarter.setCurrentIndex(3)
    assert "Roll forward to next year" in dialog.summary.text()


def test_the_quarter_words_are_explained_where_they_appear(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    model = window.document.model
    planned = next(
        n for n in model.index_by_key.values() if n.kind == "action" and n.rag_mark == " (plan)"
    )
    window.tree.expandAll()
    window.tree.setCurrentIndex(model.find(*planned.key))
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    box = window.detail.quarter_box
    for words in ("Green (Q1)", "Grey (plan)", "Proposed"):
        assert words in box.rag_label.toolTip()
    assert "Not agreed yet" in box.agreed.toolTip()
    label = model.rag_style.label(planned.rag)
    tip = box.confirm.toolTip()
    assert tip.startswith(f"Make the proposal, {label} (the plan), the agreed Q")
    assert "Grey (plan)" in tip and "Green (Q1)" in tip
    box.confirm.click()  # agreed: the button says how to go back to the proposal
    qtbot.waitUntil(
        lambda: (
            window.detail.quarter_box is not None
            and "is agreed" in window.detail.quarter_box.confirm.toolTip()
        )
    )
    header_tip = model.headerData(
        Column.RAG, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "(Q1)" in header_tip and "(plan)" in header_tip
