"""The same 24 partner returns through the window's merge review give the same plan as the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from cspdesk.core.plan.model import Contribution, ReturnRecord
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs import returns as dialogs
from tests.cli.runner import run_cli
from tests.cli.test_joint_returns import demo_with_q2_returns
from tests.returns_batch import fill_batch


def contributions(db: Path) -> set[tuple]:
    with Workspace.open(db, read_only=True) as workspace:
        return workspace.read(
            lambda s: {
                (c.action_id, c.quarter, c.lead_name, c.agency_id, c.text, c.rag)
                for c in s.scalars(select(Contribution))
            }
        )


def test_review_and_cli_merge_the_same(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, paths, joint = demo_with_q2_returns(tmp_path)
    fill_batch(paths, joint)
    copy = tmp_path / "copy.cspdesk"
    shutil.copy(db, copy)
    assert run_cli("returns", "apply", "--db", str(db), *map(str, paths)).returncode == 0

    shown: list[dialogs.ReviewDialog] = []

    def accept(dialog: dialogs.ReviewDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ReviewDialog, "exec", accept)
    with Workspace.open(copy) as workspace:
        outcome = dialogs.run_apply_returns_dialog(None, workspace, 1, paths=paths)
        assert outcome is not None and outcome.change is not None
        change = outcome.change
        waiting = workspace.read(lambda s: s.scalars(select(ReturnRecord.decisions_waiting)).all())
    review = shown[0]
    qtbot.addWidget(review)
    changes = [c for _, c in review.change_items]
    assert not any(c.conflict for c in changes)  # two partners on one action never clash
    assert all(item.checkState(0).name == "Checked" for item, _ in review.change_items)
    flagged = {c.action_id for c in changes if c.disagree}
    assert flagged == joint
    assert "0 conflicts" in review.summary.text()
    assert set(waiting) == {0}
    assert contributions(copy) == contributions(db) and len(contributions(db)) == 69

    # One undo step puts every contribution back exactly as it was (none, here).
    with Workspace.open(copy) as workspace:
        workspace.write(change.revert)
    assert contributions(copy) == set()
