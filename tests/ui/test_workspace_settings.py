"""Workspace settings: RAG labels and colours, agencies and officers, each one undo step."""

from __future__ import annotations

from sqlalchemy import select

from cspdesk.core.plan.model import Agency, RagStatus
from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog
from cspdesk.ui.plan_model import Column


def test_rename_rag_label_updates_tree_and_undoes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    table = dialog.scheme
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "G")
    table.item(row, 1).setText("On track")
    read = lambda: window.document.workspace.read(lambda s: s.get(RagStatus, "G").label)  # noqa: E731
    assert read() == "On track"
    model = window.document.model
    window.tree.expandAll()
    action = model.index(0, 0, model.index(0, 0, model.index(0, 0, model.index(0, 0))))
    assert action.siblingAtColumn(Column.RAG).data() == "On track"
    window.undo_action.trigger()
    assert read() == "Green"
    assert action.siblingAtColumn(Column.RAG).data() == "Green"


def test_add_and_delete_agency(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    # Essex Police leads an action: the delete asks first (tests/ui/test_delete_asks.py).
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: next(b for b in box.buttons() if b.text() == "Delete").click(),
    )
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    names = lambda: window.document.workspace.read(  # noqa: E731
        lambda s: list(s.execute(select(Agency.name).order_by(Agency.name)).scalars())
    )
    before = names()
    dialog._add("agency")
    assert "New agency" in names()
    police = next(
        r
        for r in range(dialog.agencies.rowCount())
        if dialog.agencies.item(r, 0).text() == "Essex Police"
    )
    dialog.agencies.setCurrentCell(police, 0)
    dialog._delete(dialog.agencies, "agency")
    assert "Essex Police" not in names()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert names() == before
    leads = window.document.model.root.walk()
    assert any("Essex Police" in node.leads for node in leads)


def _row(table, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)


def _agencies(window) -> list[str]:  # type: ignore[no-untyped-def]
    return window.document.workspace.read(
        lambda s: list(s.execute(select(Agency.name).order_by(Agency.name)).scalars())
    )


def test_merge_two_selected_agencies_in_one_undo_step(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QMessageBox

    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    table = dialog.agencies
    assert not dialog.agency_merge_button.isEnabled()
    select_rows = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for name in ("Essex Police", "Rochford District Council"):
        table.selectionModel().select(table.model().index(_row(table, name), 0), select_rows)
    assert dialog.agency_merge_button.isEnabled()
    # The officer keeps "Essex Police": the first button the box offers.
    monkeypatch.setattr(QMessageBox, "exec", lambda box: box.buttons()[0].click())
    dialog.agency_merge_button.click()
    assert _agencies(window) == ["All partners", "Essex Police"]
    leads = [node.leads for node in window.document.model.root.walk() if node.kind == "action"]
    assert not any("Rochford District Council" in text for text in leads)
    window.undo_action.trigger()
    assert _agencies(window) == ["All partners", "Essex Police", "Rochford District Council"]


def test_renaming_to_an_existing_name_offers_the_merge(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def yes(parent, title, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    table = dialog.agencies
    table.item(_row(table, "Rochford District Council"), 0).setText("essex police")
    assert "There is already an agency called 'essex police'" in asked[0]
    assert _agencies(window) == ["All partners", "Essex Police"]
    window.undo_action.trigger()
    assert "Rochford District Council" in _agencies(window)


def test_an_unexpected_error_is_shown_and_logged(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from cspdesk.ui.error_report import log_file

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)

    def broken(session):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    assert dialog.apply(broken) is None
    assert shown and "disk on fire" in shown[0] and str(log_file()) in shown[0]
    assert "RuntimeError: disk on fire" in log_file().read_text(encoding="utf-8")


def test_an_uncaught_error_in_the_window_is_a_message_and_in_the_log(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from PySide6.QtWidgets import QMessageBox

    from cspdesk.ui.error_report import install_excepthook, log_file

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(window)
    try:
        raise ValueError("a slot failed")
    except ValueError as error:
        sys.excepthook(ValueError, error, error.__traceback__)
    assert shown and "a slot failed" in shown[0]
    assert "ValueError: a slot failed" in log_file().read_text(encoding="utf-8")


def test_lead_readings_listed_and_forgotten(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from cspdesk.core.plan.model import LeadAlias

    def choose(session) -> None:  # type: ignore[no-untyped-def]
        police = session.execute(select(Agency.id).where(Agency.name == "Essex Police")).scalar()
        session.execute(insert(LeadAlias).values(text="EP team", position=0, agency_id=police,
                                                 note="the local team"))  # fmt: skip

    window.document.workspace.write(choose)
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    table = dialog.aliases
    assert [table.item(0, c).text() for c in range(3)] == [
        "EP team",
        "Essex Police",
        "the local team",
    ]
    table.setCurrentCell(0, 0)
    dialog._forget_alias()
    assert table.rowCount() == 0
    window.undo_action.trigger()
    assert dialog.aliases.rowCount() == 1
