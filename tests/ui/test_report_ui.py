"""The dashboard pane and the print dialog, offscreen with pytest-qt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from cspdesk.commands.common import resolve_plan_id
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.report.browser import find_browser
from cspdesk.store.db import Workspace
from cspdesk.ui.dashboard import DashboardPane
from cspdesk.ui.dialogs.print_report import PrintReportDialog
from tests.report.report_helpers import median_word_height


def test_dashboard_shows_the_rag_chart_as_svg(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    pane = DashboardPane(workspace)
    qtbot.addWidget(pane)
    pane.refresh(resolve_plan_id(workspace, None), 1)
    pane.resize(800, 600)
    pane.show()
    qtbot.waitExposed(pane)
    assert pane.heading.text() == "Partnership Plan 2016/17 – 1st Quarter Update"
    assert len(pane.charts) == 1
    assert pane.charts[0].renderer().isValid()
    assert "<svg" in pane.svgs[0] and "Safeguarding Vulnerable" in pane.svgs[0]
    assert "1 Red" in pane.charts[0].accessibleDescription()
    image = pane.charts[0].grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    assert len(colours) > 3  # drawn, not blank
    # once Q1 is closed, Q2 has its RAGs to compare with: the direction-of-travel chart joins
    workspace.write(close_quarter, resolve_plan_id(workspace, None), 1)
    pane.refresh(resolve_plan_id(workspace, None), 2)
    assert [c.accessibleName() for c in pane.charts] == [
        "Actions by RAG status and priority",
        "Direction of travel since last quarter, by priority",
    ]
    pane.refresh(resolve_plan_id(workspace, None), 1)  # refreshing replaces, never stacks
    assert len(pane.charts) == 1


def opening_dialog(qtbot, workspace: Workspace) -> tuple[PrintReportDialog, list[Path]]:  # type: ignore[no-untyped-def]
    """The dialog, with the files it would open in the system viewer collected instead."""
    dialog = PrintReportDialog(None, workspace, resolve_plan_id(workspace, None))
    qtbot.addWidget(dialog)
    opened: list[Path] = []
    dialog.open_file = opened.append
    return dialog, opened


def write_and_wait(qtbot, dialog: PrintReportDialog, opened: list[Path], target: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.generate(target, open_after=True)
    qtbot.waitUntil(lambda: opened == [target], timeout=60000)
    dialog.wait()


def test_dialog_writes_the_pdf_off_the_ui_thread_and_opens_it(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    dialog, opened = opening_dialog(qtbot, workspace)
    dialog.priorities.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.include_milestones.setChecked(False)
    target = tmp_path / "appendix.pdf"
    write_and_wait(qtbot, dialog, opened, target)
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Safeguarding Vulnerable People" in text
    assert "Anti-Social Behaviour" not in text
    assert "Campaign one launched" not in text


def test_print_goes_through_qt(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = PrintReportDialog(None, workspace, resolve_plan_id(workspace, None))
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    dialog.print_to(printer)
    if os.environ.get("CSPDESK_KEEP_PRINT"):
        shutil.copy(out, os.environ["CSPDESK_KEEP_PRINT"])
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "1st Quarter Update" in text
    assert "Essex Police – Emma Clark (EC)" in text

    # Large print reaches paper printed through Qt too: 12 pt text against 10 pt.
    if shutil.which("pdftotext") is not None:
        dialog.large_print.setChecked(True)
        large = tmp_path / "large.pdf"
        printer.setOutputFileName(str(large))
        dialog.print_to(printer)
        assert 1.1 < median_word_height(large) / median_word_height(out) < 1.3


@pytest.mark.skipif(find_browser() is None, reason="no Chromium-based browser to print with")
def test_dialog_writes_the_accessible_pdf_for_the_website(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    dialog, opened = opening_dialog(qtbot, workspace)
    assert dialog.purpose.currentText() == "For printing"
    dialog.purpose.setCurrentText("For the website (accessible)")
    target = tmp_path / "appendix.pdf"
    write_and_wait(qtbot, dialog, opened, target)
    reader = PdfReader(target)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert "Safeguarding Vulnerable People" in "".join(p.extract_text() for p in reader.pages)


def test_dialog_without_a_browser_offers_the_web_version(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSPDESK_BROWSER", str(tmp_path / "no-such-browser"))
    dialog, opened = opening_dialog(qtbot, workspace)
    asked: list[str] = []
    dialog.ask = lambda question: asked.append(question) or False
    dialog.purpose.setCurrentText("For the website (accessible)")
    dialog.generate(tmp_path / "appendix.pdf")
    assert asked and "Save the web version (HTML) instead?" in asked[0]
    assert not (tmp_path / "appendix.pdf").exists() and not opened


def test_dialog_prints_the_title_block_and_remembers_it(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "appendix.pdf"
    dialog, opened = opening_dialog(qtbot, workspace)
    assert dialog.appendix_label.text() == ""  # nothing remembered yet
    dialog.appendix_label.setText("Appendix B")
    dialog.committee.setText("Safer Communities Committee")
    dialog.meeting_date.setText("24/11/2016")
    write_and_wait(qtbot, dialog, opened, target)
    first = " ".join(PdfReader(target).pages[0].extract_text().split())
    assert first.startswith("Appendix B Safer Communities Committee, 24 November 2016 Test Vale")
    again, _ = opening_dialog(qtbot, workspace)
    assert again.appendix_label.text() == "Appendix B"
    assert again.committee.text() == "Safer Communities Committee"
    assert again.meeting_date.text() == "2016-11-24"


def test_dialog_starts_at_the_latest_quarter_with_updates_and_marks_closed_ones(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    plan_id = resolve_plan_id(workspace, None)
    workspace.write(close_quarter, plan_id, 1)
    dialog, opened = opening_dialog(qtbot, workspace)
    assert dialog.quarter.currentText() == "Q1 (closed)"  # Q2 is current but has no updates
    assert [dialog.quarter.itemText(i) for i in range(4)] == ["Q1 (closed)", "Q2", "Q3", "Q4"]
    asked: list[str] = []
    dialog.ask = lambda question: asked.append(question) or False
    dialog.quarter.setCurrentIndex(2)
    dialog.generate(tmp_path / "q3.pdf", open_after=True)
    assert asked == [
        "Q3 2016/17 has no updates yet: every action would print “No update this quarter.”"
        "\n\nPrint it anyway?"
    ]
    assert not (tmp_path / "q3.pdf").exists() and not opened
