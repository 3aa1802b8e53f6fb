"""The returns dialogs offscreen: review tree, ticks, edits, conflicts, chase list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from cspdesk.core.plan.model import Contribution
from cspdesk.core.quarter.contributions import ContributionValue, write_contributions
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.returns.apply import apply_returns
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_returns
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs import returns as dialogs


def filled(workspace: Workspace, tmp_path: Path) -> list[Path]:
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    book = load_workbook(made["All partners"])
    book["Actions"]["G2"] = "Partner text"
    book["Actions"]["H3"] = "red"
    book["Actions"]["I4"] = "01/12/2016"
    book.save(made["All partners"])
    # The officer types All partners' part in the window after the returns went out.
    value = ContributionValue("Officer text", None, "All partners", 3)
    workspace.write(write_contributions, {(1, 1, "agency:3"): value})
    return list(made.values())


def test_review_ticks_edits_and_conflicts(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = filled(workspace, tmp_path)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("no")
    diffs, refused = workspace.read(read_returns, [*paths, junk], plan_id=1)
    dialog = dialogs.ReviewDialog(None, diffs, refused, workspace.read(load_scheme))
    qtbot.addWidget(dialog)
    items = {
        f"{change.kind[0]}{change.field}{change.item_id}": item
        for item, change in dialog.change_items
    }
    conflict = items["aupdate1"]
    assert conflict.checkState(0) == Qt.CheckState.Unchecked
    assert conflict.background(0).color() == dialogs.CONFLICT
    assert (conflict.text(dialog.NOW), conflict.text(dialog.NEW)) == (
        "Officer text",
        "Partner text",
    )
    assert conflict.text(dialog.ACTION) == "1.1.1 Actively promote Essex wide campaigns"
    assert conflict.text(dialog.LEAD) == "All partners"
    assert "1 conflict" in dialog.summary.text()
    rag = items["mrag1"]
    assert rag.text(dialog.NEW) == "Red" and rag.checkState(0) == Qt.CheckState.Checked
    refused_item = dialog.tree.topLevelItem(dialog.tree.topLevelItemCount() - 1)
    assert "junk.xlsx" in refused_item.text(0) and refused_item.text(2) == "refused"
    assert refused_item.toolTip(0) == refused_item.text(0)  # read whole where it is cut off
    dialog.show_only.setCurrentIndex(1)  # conflicts and disagreements only
    assert not conflict.isHidden() and rag.isHidden()
    dialog.show_only.setCurrentIndex(0)
    items["mdone_date2"].setText(dialog.NEW, "2 Dec 2016")
    rag.setCheckState(0, Qt.CheckState.Unchecked)
    change = workspace.write(apply_returns, dialog.collect())
    assert workspace.read(lambda s: s.get(dialogs.Plan, 1)) is not None
    from cspdesk.core.plan.model import Milestone

    milestones = workspace.read(
        lambda s: {m.id: (m.done_date, m.rag) for m in s.query(Milestone).all()}
    )
    assert milestones[2][0] == dt.date(2016, 12, 2) and milestones[1][1] == "B"
    assert workspace.read(lambda s: s.get(Contribution, 1).text) == "Officer text"
    workspace.write(change.revert)
    assert workspace.read(lambda s: s.get(Milestone, 2).done_date) is None


def test_apply_dialog_returns_the_change(
    qtbot,
    workspace: Workspace,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    paths = filled(workspace, tmp_path)
    monkeypatch.setattr(dialogs.ReviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    outcome = dialogs.run_apply_returns_dialog(None, workspace, 1, paths=paths)
    assert outcome is not None and outcome.change is not None
    # Only All partners' return holds anything its partner wrote: the blank two are not merged.
    assert outcome.change.describe() == "Merge All partners' Q1 return"
    view = dialogs.ChaseListView(workspace)
    qtbot.addWidget(view)
    view.refresh(1, 1, dt.date(2016, 8, 1))
    statuses = {
        view.table.item(r, 0).text(): view.table.item(r, 1).text()
        for r in range(view.table.rowCount())
    }
    assert statuses == {
        "All partners": "returned, 1 decision waiting",
        "Essex Police": "late",
        "Rochford District Council": "late",
    }
    monkeypatch.setattr(dialogs.ReviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert dialogs.run_apply_returns_dialog(None, workspace, 1, paths=paths) is None


def test_make_dialog_writes_the_returns_off_the_ui_thread(
    qtbot,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import threading

    from cspdesk.returns import make as returns_make

    def accept(self: dialogs.MakeReturnsDialog) -> QDialog.DialogCode:
        self.folder.setText(str(tmp_path))
        self.emails.setChecked(True)
        return QDialog.DialogCode.Accepted

    threads: list[threading.Thread] = []
    real = returns_make.make_returns

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    said: list[str] = []
    monkeypatch.setattr(dialogs.MakeReturnsDialog, "exec", accept)
    monkeypatch.setattr(returns_make, "make_returns", recording)
    monkeypatch.setattr(dialogs.QMessageBox, "information", lambda *a: said.append(a[2]))
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda *a: said.append(a[2]))
    monkeypatch.setattr(dialogs.QMessageBox, "exec", lambda box: said.append(box.text()) or 0)
    made = dialogs.run_make_returns_dialog(None, workspace, 1)
    qtbot.waitUntil(lambda: len(said) == 1)
    assert made is not None and len(made) == 3
    assert threads and threads[0] is not threading.main_thread()
    assert {p.name for p in tmp_path.glob("*.xlsx")} == {m.path.name for m in made}
    assert said[0].startswith(f"3 returns written to {tmp_path}.")
    # Every lead without an address is named, with where to add one.
    without = sorted(m.lead.name for m in made if m.email_path is None)
    assert len(list(tmp_path.glob("*.eml"))) == 3 - len(without)
    assert f"{3 - len(without)} draft e-mail" in said[0]
    if without:
        assert f"None for {', '.join(without)}: no e-mail address" in said[0]
        assert "Email for returns" in said[0]
    # A refusal (here: the folder is gone) is shown, not raised, and nothing is written.
    monkeypatch.setattr(
        dialogs.MakeReturnsDialog,
        "exec",
        lambda self: self.folder.setText(str(tmp_path / "gone")) or QDialog.DialogCode.Accepted,
    )
    assert dialogs.run_make_returns_dialog(None, workspace, 1) is None
    qtbot.waitUntil(lambda: len(said) == 2)
    assert "no such folder" in said[1]


def test_a_row_the_partner_added_is_placed_as_a_new_action(
    qtbot,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from sqlalchemy import select

    from cspdesk.core.plan.model import Action, ActionLead

    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    book = load_workbook(made["All partners"])
    sheet = book["Actions"]
    sheet["C6"] = "White Ribbon day stall at the market"
    sheet["G6"] = "Held on 25 November; 200 leaflets given out"
    sheet["H6"] = "Green"
    book.save(made["All partners"])

    def accept(dialog: dialogs.ReviewDialog) -> QDialog.DialogCode:
        qtbot.addWidget(dialog)
        (item, _diff, _row) = dialog.added_items[0]
        assert "White Ribbon day stall" in item.text(0) and "200 leaflets" in item.text(0)
        label, where = dialog.targets[0]
        assert label.startswith("New action under objective 1.1 ")
        dialog.place(0, where)
        assert item.text(dialog.NOTE) == f"will be added: {label}"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ReviewDialog, "exec", accept)
    outcome = dialogs.run_apply_returns_dialog(None, workspace, 1, paths=[made["All partners"]])
    assert outcome is not None and outcome.change is not None

    def placed(session):  # type: ignore[no-untyped-def]
        action = session.scalars(
            select(Action).where(Action.title == "White Ribbon day stall at the market")
        ).one_or_none()
        if action is None:
            return None
        leads = session.scalars(
            select(ActionLead.agency_id).where(ActionLead.action_id == action.id)
        ).all()
        said = session.scalars(select(Contribution).where(Contribution.action_id == action.id))
        return action.objective_id, leads, [(c.text, c.rag, c.lead_name) for c in said]

    assert workspace.read(placed) == (
        1,
        [3],
        [("Held on 25 November; 200 leaflets given out", "G", "All partners")],
    )
    workspace.write(outcome.change.revert)  # one undo step takes it all back
    assert workspace.read(placed) is None


def test_returns_are_made_in_documents_and_looked_for_where_they_were_made(
    qtbot,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QSettings

    dialog = dialogs.MakeReturnsDialog(None, "2016/17", 2, dialogs.documents())
    qtbot.addWidget(dialog)
    assert Path(dialog.folder.text()) == dialogs.documents() / "Returns 2016-17 Q2"
    assert ".local" not in dialog.folder.text() and "AppData" not in dialog.folder.text()
    QSettings().setValue("returns/base", str(tmp_path))
    assert dialogs.returns_start_folder(workspace, 1) == tmp_path  # none made yet: the base
    (tmp_path / "Returns 2016-17 Q1").mkdir()
    assert dialogs.returns_start_folder(workspace, 1) == tmp_path / "Returns 2016-17 Q1"


def test_no_email_address_offers_the_agencies_page(
    qtbot, window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    def accept(self: dialogs.MakeReturnsDialog) -> QDialog.DialogCode:
        self.folder.setText(str(tmp_path))
        self.emails.setChecked(True)
        return QDialog.DialogCode.Accepted

    def click_add(box: QMessageBox) -> int:
        next(b for b in box.buttons() if b.text() == "Add e-mail addresses…").click()
        return 0

    pages: list[str] = []
    monkeypatch.setattr(dialogs.MakeReturnsDialog, "exec", accept)
    monkeypatch.setattr(dialogs.QMessageBox, "exec", click_add)
    monkeypatch.setattr(window, "workspace_settings", lambda page="": pages.append(page))
    dialogs.run_make_returns_dialog(window, window.document.workspace, 1)
    assert pages == ["Agencies"]
    from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog

    settings = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(settings)
    settings.show_page("Agencies")
    assert settings.tabs.tabText(settings.tabs.currentIndex()) == "Agencies"


def review_of_all_partners(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path, typed: dict[str, str]
) -> dialogs.ReviewDialog:
    """The review of the "All partners" return with ``typed`` (cell -> text) on its actions."""
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    book = load_workbook(made["All partners"])
    for cell, text in typed.items():
        book["Actions"][cell] = text
    book.save(made["All partners"])
    diffs, refused = workspace.read(read_returns, [made["All partners"]], plan_id=1)
    dialog = dialogs.ReviewDialog(None, diffs, refused, workspace.read(load_scheme))
    qtbot.addWidget(dialog)
    return dialog


def test_the_review_shows_each_note_whole_wrapped_in_its_column(
    qtbot,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QRect

    # G2: kept as the update, read as the RAG with a long note
    dialog = review_of_all_partners(qtbot, workspace, tmp_path, {"G2": "On track"})
    dialog.show()
    item = next(item for item, change in dialog.change_items if change.note)
    note = item.text(dialog.NOTE)
    assert len(note) > 40

    def whole() -> bool:
        shown = dialog.tree.visualRect(dialog.tree.indexFromItem(item, dialog.NOTE))
        needed = dialog.tree.fontMetrics().boundingRect(
            QRect(0, 0, shown.width() - 8, 10_000), Qt.TextFlag.TextWordWrap, note
        )
        return shown.width() < needed.width() * 2 and shown.height() >= needed.height()

    for width in (1100, 800):  # a narrower window: the note takes more lines
        dialog.resize(width, 640)
        qtbot.waitUntil(whole)
    lines = dialog.tree.visualRect(dialog.tree.indexFromItem(item, dialog.NOTE)).height()
    assert lines >= 2 * dialog.tree.fontMetrics().height()


def test_left_as_it_was_says_what_was_kept_why_and_what_to_do(
    qtbot,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    # G2: an update, the RAG left as the return showed it; H3: not a RAG status
    dialog = review_of_all_partners(
        qtbot, workspace, tmp_path, {"G2": "Partner text", "H3": "purple"}
    )
    kept = next(item for item, change in dialog.change_items if "left as it was" in change.note)
    tip = kept.toolTip(dialog.NOTE)
    assert tip.startswith(kept.text(dialog.NOTE))
    assert "left the RAG as the return showed it" in tip  # what was kept
    assert "had no RAG of its own yet" in tip  # why
    assert "Untick it" in tip  # what the officer can do
    top = dialog.tree.topLevelItem(0)
    problem = next(
        top.child(i) for i in range(top.childCount()) if "purple" in top.child(i).text(0)
    )
    tip = problem.toolTip(0)
    assert "was not changed by this return" in tip and "Set the RAG yourself" in tip


def test_the_make_dialog_says_who_the_shared_and_no_lead_returns_are_for(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = dialogs.MakeReturnsDialog(None, "2016/17", 2, dialogs.documents())
    qtbot.addWidget(dialog)
    dialog.show()
    said = dialog.who.text()
    assert "“All partners”, for actions the partners lead together" in said
    assert "“No lead agency”, for actions with no lead set" in said
    assert dialog.who.isVisible() and dialog.who.wordWrap()


def test_no_address_is_asked_for_the_return_of_actions_with_no_lead(tmp_path: Path) -> None:
    from cspdesk.core.quarter.contributions import NO_LEAD_NAME
    from cspdesk.returns.make import MadeReturn
    from cspdesk.returns.scope import Lead

    made = [
        MadeReturn(Lead(None, NO_LEAD_NAME), tmp_path / "a.xlsx", None, 2, 0, "t1"),
        MadeReturn(Lead(7, "Essex Police"), tmp_path / "b.xlsx", None, 5, 3, "t2"),
        MadeReturn(Lead(8, "Rochford DC"), tmp_path / "c.xlsx", tmp_path / "c.eml", 1, 0, "t3"),
    ]
    said = dialogs.made_summary(made, tmp_path, emails=True)
    assert "1 draft e-mail written" in said
    assert "None for Essex Police: no e-mail address. Add them" in said
    assert f"“{NO_LEAD_NAME}” is for actions with no lead set" in said
