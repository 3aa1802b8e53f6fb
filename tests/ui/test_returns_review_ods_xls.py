"""The window's merge review offers .ods and .xls returns and shows for them what `returns
apply` shows: the same reader, the same changes and notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from cspdesk.commands.returns import describe_diff
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs import returns as dialogs
from tests.returns.ods_cells import adopt, copy_fixture
from tests.ui.test_returns_review_accounting import review_text


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_the_review_of_an_ods_or_xls_shows_what_the_cli_shows(  # type: ignore[no-untyped-def]
    qtbot, workspace_path: Path, tmp_path: Path, monkeypatch, kind: str
) -> None:
    adopt(workspace_path)
    path = copy_fixture(f"filled.{kind}", tmp_path)
    offered: list[str] = []

    def choose(*args: object) -> tuple[list[str], str]:
        offered.append(str(args[3]))
        return [str(path)], ""

    shown: list[dialogs.ReviewDialog] = []

    def review(dialog: dialogs.ReviewDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose)
    monkeypatch.setattr(dialogs.ReviewDialog, "exec", review)
    with Workspace.open(workspace_path) as workspace:
        assert dialogs.run_apply_returns_dialog(None, workspace, 1) is None
        [dialog] = shown
        qtbot.addWidget(dialog)
        [diff] = dialog.diffs
    [filter_text] = offered
    assert {"*.xlsx", "*.ods", "*.xls"} <= set(filter_text.split(";;")[0][9:-1].split())
    review = review_text(dialog)
    cli = describe_diff(diff)
    assert len(diff.problems) == 3  # the formula, the words on the cover, the comment
    for problem in diff.problems:
        assert f"  note: {problem.describe()}" in cli
        assert problem.describe() in review
    for change in diff.changes:
        assert change.item_title in review
    assert "50%" in review and "£1,234.50" in review
    assert "completed by Essex Police, Emma Clark" in review
    assert "3 cells of the partners' will not be merged" in dialog.summary.text()
