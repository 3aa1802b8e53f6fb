"""The detail pane's quarter: every lead's part with its source, the agreed RAG, undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from cspdesk.core.plan.model import Contribution
from cspdesk.store.db import Workspace
from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.plan_model import ID_ROLE, Column
from tests.cli.runner import run_cli
from tests.cli.test_joint_returns import demo_with_q2_returns
from tests.returns_batch import fill_batch
from tests.ui.test_one_rag_everywhere import J9, find


def test_each_leads_part_is_shown_edited_and_agreed(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, paths, joint = demo_with_q2_returns(tmp_path)
    fill_batch(paths, joint)
    assert run_cli("returns", "apply", "--db", str(db), *map(str, paths)).returncode == 0
    assert run_cli("close-quarter", "--db", str(db), "--quarter", "Q1").returncode == 0
    window = MainWindow(Workspace.open(db))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    index = find(window.document.model, J9)
    rag_cell = index.siblingAtColumn(Column.RAG)
    assert rag_cell.data() == "Amber (partners disagree)"
    assert "Castle Point Borough Council: Green" in rag_cell.data(Qt.ItemDataRole.ToolTipRole)
    window.tree.setCurrentIndex(index)
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    box = window.detail.quarter_box
    assert box.title() == "Q2 update"
    assert "partners disagree (Castle Point Borough Council: Green" in box.rag_label.text()
    names = [slot.name for _, _, slot in box.parts.values()]
    assert names == ["Safer Places", "Castle Point Borough Council", "Rochford District Council"]
    first = next(iter(box.parts))
    text = box.parts[first][0]
    assert text.toPlainText().startswith("Safer Places did its part")
    assert any(
        "From its return (2016-17 Q2 return – Safer Places.xlsx)" in label.text()
        for label in box.findChildren(type(box.rag_label))
    )

    # The officer corrects one lead's words: saved at once, one undo step, nobody else's touched.
    text.setPlainText("Safer Places trained 40 staff.")
    box._commit_part(first)

    def texts() -> dict[str, str]:
        return window.document.workspace.read(
            lambda s: {
                c.lead_name: c.text
                for c in s.scalars(
                    select(Contribution).where(
                        Contribution.action_id == index.data(ID_ROLE),
                        Contribution.quarter == 2,
                    )
                )
            }
        )

    assert texts()["Safer Places"] == "Safer Places trained 40 staff."
    assert texts()["Rochford District Council"].startswith("Rochford District Council did")
    assert window.undo_action.text() == "&Undo Edit Safer Places' Q2 part"
    window.undo_action.trigger()
    assert texts()["Safer Places"].startswith("Safer Places did its part")

    # Agreeing the proposal makes it this quarter's RAG, no longer in dispute.
    qtbot.waitUntil(lambda: window.detail.quarter_box is not None)
    window.detail.quarter_box.confirm.click()
    qtbot.waitUntil(lambda: rag_cell.data() == "Amber")
