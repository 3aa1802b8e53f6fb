"""Figures > Import police data…: the preview, the districts to count, the import on the undo
stack, and a bad download refused with Import left off (real widgets, a real workspace)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select, update

from cspdesk.core.plan.model import Partnership, Plan, PoliceCount
from cspdesk.ui.dialogs.police_import import PoliceImportDialog
from tests.police_download import months_between, write_zip


def counts_kept(window) -> int:  # type: ignore[no-untyped-def]
    return window.document.workspace.read(
        lambda s: s.execute(select(func.count(PoliceCount.id))).scalar_one()
    )


def prepare(window) -> int:  # type: ignore[no-untyped-def]
    workspace = window.document.workspace
    workspace.write(lambda s: s.execute(update(Partnership).values(areas="Castle Point; Rochford")))
    return workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())


def test_preview_then_import_from_the_figures_menu(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prepare(window)
    made = write_zip(tmp_path / "essex.zip", months_between("2015-04", "2016-06"))
    menu = window.features.figures_menu
    assert menu.title() == "F&igures"
    action = next(a for a in menu.actions() if a.text() == "Import &police data…")
    seen: dict[str, object] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PoliceImportDialog)
        dialog.load([made.path])
        seen["preview"] = dialog.text.toPlainText()
        seen["ticked"] = [
            dialog.districts.item(i).text()
            for i in range(dialog.districts.count())
            if dialog.districts.item(i).checkState() == Qt.CheckState.Checked
        ]
        seen["kept before import"] = counts_kept(window)
        rochford = next(
            dialog.districts.item(i)
            for i in range(dialog.districts.count())
            if dialog.districts.item(i).text() == "Rochford"
        )
        rochford.setCheckState(Qt.CheckState.Unchecked)
        seen["after untick"] = dialog.text.toPlainText()
        assert dialog.import_button.isEnabled()
        dialog.import_button.click()

    QTimer.singleShot(0, drive)
    action.trigger()
    assert "Districts counted: Castle Point, Rochford" in str(seen["preview"])
    assert "Other districts, ignored: Southend-on-Sea" in str(seen["preview"])
    assert "Rows with no location, not counted: 45" in str(seen["preview"])
    assert sorted(seen["ticked"]) == ["Castle Point", "Rochford"]  # type: ignore[call-overload]
    assert seen["kept before import"] == 0  # the preview changes nothing
    assert "Districts counted: Castle Point (" in str(seen["after untick"])
    assert "Other districts, ignored: " in str(seen["after untick"])
    kept = counts_kept(window)
    assert kept == 15 * 6  # Castle Point only: 15 months x 6 crime types
    stack = window.document.undo_stack
    assert stack.undoText() == "Import police data"
    assert window.statusBar().currentMessage() == (  # said, not done silently
        "Police data imported from essex.zip for Castle Point: 15 months, April 2015 to June "
        "2016 (15 new). Undo with Ctrl+Z."
    )
    stack.undo()
    qtbot.waitUntil(lambda: counts_kept(window) == 0)


def test_a_bad_download_is_refused_and_import_stays_off(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan_id = prepare(window)
    made = write_zip(tmp_path / "essex.zip", months_between("2016-04", "2016-05"))
    cut = tmp_path / "cut.zip"
    cut.write_bytes(made.path.read_bytes()[:-100])
    dialog = PoliceImportDialog(window, window.document.workspace, plan_id)
    qtbot.addWidget(dialog)
    dialog.load([cut])
    assert dialog.problem.text().startswith("cut.zip: the zip is damaged or incomplete")
    assert not dialog.import_button.isEnabled()

    old = write_zip(tmp_path / "old.zip", ["2013-04"])
    dialog.load([old.path])
    assert "2013-04 lies outside 2015/16 and 2016/17" in dialog.problem.text()
    assert dialog.problem.text().endswith("Nothing was changed.")
    assert not dialog.import_button.isEnabled()
    assert counts_kept(window) == 0
