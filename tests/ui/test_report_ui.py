"""The dashboard pane and the print dialog, offscreen with pytest-qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from cspdesk.commands.common import resolve_plan_id
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.report.browser import find_browser
from cspdesk.store.db import Workspace
from cspdesk.ui.dashboard import DashboardPane
from cspdesk.ui.dialogs.print_report import PrintReportDialog


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


def test_print_sends_the_same_pdf_as_save_pdf_to_the_system(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    """Issue 25: Print… printed a poorer second rendering (16 pages for 11, no borders, no RAG
    colours, no running footer); now it prints the very PDF Save PDF writes."""
    dialog, opened = opening_dialog(qtbot, workspace)
    printed: list[Path] = []
    sent_to: list[str] = []
    dialog.choose_printer = lambda parent: "Committee Room Printer"
    dialog.send_to_printer = lambda pdf, printer: (printed.append(pdf), sent_to.append(printer))
    saved = tmp_path / "saved.pdf"
    write_and_wait(qtbot, dialog, opened, saved)
    dialog.print_report()
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=60000)
    dialog.wait()
    assert printed[0].suffix == ".pdf" and not opened[1:]
    assert sent_to == ["Committee Room Printer"]

    def pages(path: Path) -> list[str]:
        return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]

    assert pages(printed[0]) == pages(saved)
    assert "Page 1 of" in pages(printed[0])[0]  # the running footer, as saved


def test_print_to_file_writes_the_pdf_there_without_a_printing_service(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    """Qt's print dialog offers "Print to File (PDF)": that needs no ``lp``; the appendix was
    refused with "No printing service (lp) was found" and no file was written (screen test, 2)."""
    from PySide6.QtWidgets import QMainWindow

    from cspdesk.ui.file_notice import FileNotice

    window = QMainWindow()
    qtbot.addWidget(window)
    window.file_notice = FileNotice(window)  # type: ignore[attr-defined]
    dialog = PrintReportDialog(window, workspace, resolve_plan_id(workspace, None))
    printed: list[Path] = []
    told: list[str] = []
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "printed.pdf"
    dialog.choose_printer = lambda parent: target
    dialog.send_to_printer = lambda pdf, printer: printed.append(pdf)
    dialog.tell = told.append
    dialog.print_report()
    qtbot.waitUntil(lambda: bool(told), timeout=60000)
    dialog.wait()
    assert told == [f"The appendix was printed to the file {target}."] and printed == []
    assert "Page 1 of" in PdfReader(target).pages[0].extract_text()
    assert window.file_notice.text.text() == f"Appendix printed to file: {target}"  # type: ignore[attr-defined]
    assert [p.name for p in target.parent.iterdir()] == ["printed.pdf"]  # no half-written copy left


def test_the_print_dialogs_file_is_where_the_pdf_goes(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    from cspdesk.ui.dialogs.print_report import print_target

    printer = QPrinter()
    printer.setOutputFileName(str(tmp_path / "Q1.pdf"))
    assert print_target(printer) == tmp_path / "Q1.pdf"
    printer.setOutputFileName(str(tmp_path / "Q1 appendix"))
    assert print_target(printer) == tmp_path / "Q1 appendix.pdf"
    printer.setOutputFileName("")
    assert print_target(printer) == printer.printerName()


def test_the_title_lines_belong_to_the_quarter_and_freeze_when_it_closes(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    dialog, opened = opening_dialog(qtbot, workspace)
    dialog.quarter.setCurrentIndex(0)
    dialog.committee.setText("Safer Communities Committee")
    dialog.meeting_date.setText("2016-07-21")
    dialog.version_line.setText("Version 2 – July 2016")
    write_and_wait(qtbot, dialog, opened, tmp_path / "q1.pdf")
    workspace.write(close_quarter, resolve_plan_id(workspace, None), 1)
    dialog, opened = opening_dialog(qtbot, workspace)
    dialog.ask = lambda question: True
    dialog.quarter.setCurrentIndex(2)  # Q3: the committee carried, a new meeting and version
    assert (dialog.committee.text(), dialog.meeting_date.text()) == (
        "Safer Communities Committee",
        "",
    )
    assert dialog.version_line.text() == ""
    dialog.meeting_date.setText("2017-02-09")
    dialog.version_line.setText("Version 3 – January 2017")
    write_and_wait(qtbot, dialog, opened, tmp_path / "q3.pdf")
    # Reprinting Q1 after Q3 gives Q1's meeting and version line, fixed now Q1 is closed.
    dialog.quarter.setCurrentIndex(0)
    assert dialog.meeting_date.text() == "2016-07-21" and dialog.meeting_date.isReadOnly()
    opened.clear()
    write_and_wait(qtbot, dialog, opened, tmp_path / "q1-again.pdf")
    for name, meeting, version in (
        ("q1-again.pdf", "21 July 2016", "Version 2 – July 2016"),
        ("q3.pdf", "9 February 2017", "Version 3 – January 2017"),
    ):
        first = " ".join(PdfReader(tmp_path / name).pages[0].extract_text().split())
        assert f"Safer Communities Committee, {meeting}" in first, name
        assert version in first, name


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


def test_dialog_saves_the_word_appendix(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    import docx

    dialog, opened = opening_dialog(qtbot, workspace)
    assert dialog.word_button.text() == "Save for Word…"
    dialog.committee.setText("Safer Communities Committee")
    target = tmp_path / "appendix.docx"
    write_and_wait(qtbot, dialog, opened, target)
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert "Safer Communities Committee" in texts
    assert "Priority 1: Safeguarding Vulnerable People" in texts


@pytest.mark.skipif(os.name == "nt", reason="CUPS' lp is the Unix way of printing")
def test_the_pdf_goes_to_the_chosen_printer_through_lp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cspdesk.errors import CspdeskError
    from cspdesk.ui.dialogs.print_report import send_to_printer

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.log"
    lp = bin_dir / "lp"
    lp.write_text(
        f'#!/bin/sh\necho "$@" > {log}\n[ "$2" = "Broken" ] && echo "printer is offline" >&2 '
        "&& exit 1\nexit 0\n"
    )
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    pdf = tmp_path / "appendix.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    send_to_printer(pdf, "Committee Room")
    assert log.read_text().split() == ["-d", "Committee", "Room", str(pdf)]
    with pytest.raises(CspdeskError, match="The printer refused the appendix: printer is offline"):
        send_to_printer(pdf, "Broken")


def test_cancelling_the_printer_choice_prints_nothing(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace
) -> None:
    dialog, opened = opening_dialog(qtbot, workspace)
    printed: list[Path] = []
    dialog.choose_printer = lambda parent: None
    dialog.send_to_printer = lambda pdf, printer: printed.append(pdf)
    dialog.print_report()
    dialog.wait()
    assert printed == [] and opened == [] and dialog._thread is None


def test_a_saved_appendix_is_announced_and_a_missing_viewer_is_said(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    """Saved: the status bar names the file with Open / Show in folder; when no program opens
    the PDF, the officer is told so and where it is, never nothing."""
    from PySide6.QtWidgets import QMainWindow

    from cspdesk.ui.file_notice import FileNotice

    window = QMainWindow()
    qtbot.addWidget(window)
    window.file_notice = FileNotice(window)  # type: ignore[attr-defined]
    dialog = PrintReportDialog(window, workspace, resolve_plan_id(workspace, None))
    told: list[str] = []
    dialog.open_file = lambda path: False
    dialog.tell = told.append
    target = tmp_path / "Q1 appendix.pdf"
    dialog.generate(target, open_after=True)
    qtbot.waitUntil(lambda: bool(told), timeout=60000)
    dialog.wait()
    assert told == [f"No program on this computer opened .pdf files; the file is at {target}."]
    assert window.file_notice.text.text() == f"Appendix saved: {target}"  # type: ignore[attr-defined]
    assert not window.file_notice.isHidden()  # type: ignore[attr-defined]
