"""Workspace settings: RAG labels and colours, agencies and officers, each one undo step."""

from __future__ import annotations

from sqlalchemy import select

from cspdesk.core.model import Agency, RagStatus
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


def test_add_and_delete_agency(qtbot, window) -> None:  # type: ignore[no-untyped-def]
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
