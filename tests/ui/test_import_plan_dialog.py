"""The import preview and the export dialog, driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
)
from sqlalchemy import select

from cspdesk.core.plan.model import Agency, Plan
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs.import_plan import (
    ImportPlanDialog,
    run_export_xlsx_dialog,
    run_import_plan_dialog,
)
from tests.io.xlsx_fixtures import seed_000_layout


@pytest.fixture
def message_boxes(qtbot) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Answers every message box that opens (as a user clicking OK) and records its text."""
    seen: list[str] = []

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append(widget.text())
                widget.accept()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(30)
    yield seen
    timer.stop()


def years(workspace: Workspace) -> list[str]:
    return workspace.read(
        lambda s: s.execute(select(Plan.year).order_by(Plan.year)).scalars().all()
    )


def test_preview_remap_and_import(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    message_boxes: list[str],  # type: ignore[no-untyped-def]
) -> None:
    dialog = ImportPlanDialog(None, workspace)
    qtbot.addWidget(dialog)
    assert dialog.load(seed_000_layout(tmp_path / "legacy.xlsx"))
    assert dialog.year_edit.text() == "2016/17"
    assert [
        dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())
    ] == [
        "Priority: Safeguarding Vulnerable People",
        "Priority: Anti-Social Behaviour",
    ]
    groups = [dialog.problems.topLevelItem(i) for i in range(dialog.problems.topLevelItemCount())]
    assert sum(g.childCount() for g in groups) == len(dialog.draft.problems) > 0
    assert all(g.text(0).endswith(f"({g.childCount()})") for g in groups)
    headings = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"What will be created", "Column mapping (editable)"} <= headings
    assert "Leads (editable): 6 distinct texts" in headings
    assert "6 actions" in dialog.counts_label.text()
    # Map "Outcomes / Measures" (first table) to nothing: the parse runs again.
    row = next(
        r for r in range(dialog.mapping.rowCount())
        if dialog.mapping.item(r, 2).text() == "Outcomes / Measures"
    )  # fmt: skip
    combo = dialog.mapping.cellWidget(row, 3)
    assert isinstance(combo, QComboBox) and combo.currentData() == "outcomes"
    combo.setCurrentIndex(combo.findData(None))
    assert dialog.draft.actions()[0].outcomes == ""
    assert dialog.draft.actions()[-1].outcomes == "Reduction in ASB cases"  # another table
    # The year already has a plan: refused with a message, the dialog stays open.
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.change is None and dialog.isVisible()
    assert "already has a plan for 2016/17" in message_boxes[-1]
    dialog.year_edit.setText("2019/20")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.change is not None and not dialog.isVisible()
    assert years(workspace) == ["2016/17", "2019/20"]
    workspace.write(dialog.change.revert)
    assert years(workspace) == ["2016/17"]


def test_run_import_dialog_end_to_end(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch,
    message_boxes: list[str],  # type: ignore[no-untyped-def]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def accept_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportPlanDialog):
            dialog.year_edit.setText("2020/21")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        else:
            QTimer.singleShot(50, accept_preview)

    QTimer.singleShot(50, accept_preview)
    change = run_import_plan_dialog(None, workspace)
    assert change is not None and change.describe() == "Add plan"
    assert years(workspace) == ["2016/17", "2020/21"]


def test_unreadable_file_says_why(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    message_boxes: list[str],  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "returns.xlsx"
    path.write_text("Action,Lead\n")
    assert run_import_plan_dialog(None, workspace, path) is None
    assert message_boxes and "returns.xlsx: this is a text file (CSV?)" in message_boxes[0]
    assert years(workspace) == ["2016/17"]


def test_export_dialog(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch,
    message_boxes: list[str],  # type: ignore[no-untyped-def]
) -> None:
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    target = tmp_path / "for partners"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    run_export_xlsx_dialog(None, workspace, plan_id)
    written = tmp_path / "for partners.xlsx"
    assert written.exists()
    assert "All actions" in openpyxl.load_workbook(written, read_only=True).sheetnames
    assert message_boxes == [f"The plan was exported to {written}."]
    # A folder that does not exist: an error message, no file.
    run_export_xlsx_dialog(None, workspace, plan_id, tmp_path / "missing" / "x.xlsx")
    assert "does not exist" in message_boxes[-1]


def preview(qtbot, workspace: Workspace, path: Path) -> ImportPlanDialog:  # type: ignore[no-untyped-def]
    dialog = ImportPlanDialog(None, workspace)
    qtbot.addWidget(dialog)
    assert dialog.load(path)
    return dialog


def lead_row(dialog: ImportPlanDialog, text: str) -> int:
    return next(r for r in range(dialog.leads.rowCount()) if dialog.leads.item(r, 0).text() == text)


def test_correct_a_lead_in_the_preview_and_keep_it(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    message_boxes: list[str],  # type: ignore[no-untyped-def]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    dialog = preview(qtbot, workspace, path)
    row = lead_row(dialog, "ECC DA provider i.e. Safer Places/ HC + GB")
    assert dialog.leads.item(row, 2).text() == (
        "Essex County Council; Safer Places; Castle Point Borough Council – Helen Collins (HC); "
        "Rochford District Council – Graham Browne (GB)"
    )
    assert dialog.leads.item(row, 3).text() == "Essex County Council – DA provider"
    assert dialog.leads.item(row, 0).toolTip() == "ECC DA provider i.e. Safer Places/ HC + GB"
    dialog.leads.item(row, 2).setText("Safer Places; GB")
    shown = dialog.leads.item(row, 2)  # filled again with what the typed words become
    assert shown.toolTip().startswith(f"{shown.text()}\n\nWrite the leads")
    dialog.leads.item(row, 3).setText("ECC's DA provider")
    action = next(a for a in dialog.draft.actions() if a.title.startswith("Re - introduce"))
    assert dialog.draft.directory.describe(action.leads) == (
        "Safer Places; Rochford District Council – Graham Browne (GB)"
    )
    assert action.lead_note == "ECC's DA provider"
    leads_shown = [
        dialog.tree.topLevelItem(0).child(1).child(1).text(2),
    ]
    assert leads_shown == ["Safer Places; Rochford District Council – Graham Browne (GB)"]
    dialog.year_edit.setText("2019/20")
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.change is not None
    # The next import of the same workbook reads that text as the officer chose.
    again = preview(qtbot, workspace, path)
    row = lead_row(again, "ECC DA provider i.e. Safer Places/ HC + GB")
    assert again.leads.item(row, 2).text() == (
        "Safer Places; Rochford District Council – Graham Browne (GB)"
    )
    assert again.leads.item(row, 2).font().bold()


def test_year_clash_offers_a_new_workspace(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    target = tmp_path / "Castle Point 2016-17"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    offered: list[str] = []

    def click_new(box: QMessageBox) -> None:
        offered.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == "New workspace for this plan").click()

    monkeypatch.setattr(QMessageBox, "exec", click_new)
    dialog = preview(qtbot, workspace, path)
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "New workspace for this plan" in offered
    assert dialog.new_workspace == tmp_path / "Castle Point 2016-17.cspdesk"
    assert years(workspace) == ["2016/17"]  # the open workspace is untouched
    with Workspace.open(dialog.new_workspace) as new:
        assert years(new) == ["2016/17"]
        names = new.read(lambda s: sorted(s.execute(select(Agency.name)).scalars()))
    assert "Essex Police" in names and "Castle Point Borough Council" in names


def test_new_workspace_for_the_plan_opens_in_the_window(
    qtbot,
    window,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    target = tmp_path / "Real plan.cspdesk"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def click_new(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == "New workspace for this plan").click()

    monkeypatch.setattr(QMessageBox, "exec", click_new)

    def accept_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportPlanDialog):
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        else:
            QTimer.singleShot(50, accept_preview)

    QTimer.singleShot(50, accept_preview)
    assert run_import_plan_dialog(window, window.document.workspace, path) is None
    assert window.document.workspace.path == target
    assert years(window.document.workspace) == ["2016/17"]


@pytest.mark.parametrize("name", ["month_range_plan.xls", "month_range_plan.ods", "plan.docx"])
def test_preview_of_each_format_lists_what_is_not_imported_first(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,
    message_boxes: list[str],  # type: ignore[no-untyped-def]
    name: str,
) -> None:
    from tests.io import plan_documents, plan_layouts

    if name == "plan.docx":
        path = plan_documents.table_per_priority(tmp_path / name)
    else:
        path = Path(__file__).resolve().parent.parent / "data" / "plan_formats" / name
    dialog = ImportPlanDialog(None, workspace)
    qtbot.addWidget(dialog)
    assert dialog.load(path)
    groups = [dialog.problems.topLevelItem(i) for i in range(dialog.problems.topLevelItemCount())]
    titles = [g.text(0) for g in groups]
    if name == "plan.docx":
        assert titles[0] == "Not imported (1)" and groups[0].isExpanded()
        assert "Note: figures for Q4" in groups[0].child(0).text(0)
        assert "1 cells not imported" in dialog.counts_label.text()
    else:
        assert not any(t.startswith("Not imported") for t in titles)
        assert "0 cells not imported" in dialog.counts_label.text()
        original = plan_layouts.month_range_quarter_pairs(tmp_path / "plan.xlsx")
        assert dialog.draft is not None
        assert len(dialog.draft.actions()) == 2 and original.exists()
    ranks = [t.split(":")[0] for t in titles]
    order = {"Not imported (1)": 0, "Errors": 0, "Guesses and warnings": 1, "Notes": 2}
    assert [order[r] for r in ranks] == sorted(order[r] for r in ranks)
    dialog.year_edit.setText("2019/20")
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.change is not None
    assert years(workspace) == ["2016/17", "2019/20"]


def test_every_control_of_the_preview_has_a_name_a_screen_reader_reads(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    from tests.ui.accessible import unnamed_focusable

    dialog = preview(qtbot, workspace, seed_000_layout(tmp_path / "legacy.xlsx"))
    dialog.show()
    assert unnamed_focusable(dialog) == []
