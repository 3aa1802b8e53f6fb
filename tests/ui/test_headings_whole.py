"""Column headings shown whole, not cut to "encies and office" (screen test, 3)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from cspdesk.store.db import Workspace
from cspdesk.ui.figures_pane import FiguresPane


def cut_headings(table: QTableWidget, *, skip: int = -1) -> list[str]:
    header = table.horizontalHeader()
    return [
        table.horizontalHeaderItem(column).text()
        for column in range(table.columnCount())
        if column != skip and header.sectionSize(column) < header.sectionSizeHint(column)
    ]


def test_the_figures_headings_are_whole(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.figures_pane import Col

    pane = FiguresPane(workspace)
    qtbot.addWidget(pane)
    assert cut_headings(pane.table, skip=Col.INDICATOR) == []  # the indicator takes what is left


def test_the_lead_readings_headings_are_whole(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog

    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    last = dialog.aliases.columnCount() - 1  # stretched over the rest of the table
    assert cut_headings(dialog.aliases, skip=last) == []
