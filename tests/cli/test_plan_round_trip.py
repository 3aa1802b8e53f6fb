"""Export, import into a new workspace, export again: the same plan, cell for cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from cspdesk.cli import main
from cspdesk.core.plan.model import Action, Agency, Plan
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.store.db import Workspace
from tests.io.test_xlsx_plan_write import cell_values


def essentials(data: dict[str, Any]) -> dict[str, Any]:
    """What the round trip must keep: no ids, update sources or times."""
    plan = data["plans"][0]
    for priority in plan["priorities"]:
        for objective in priority["objectives"]:
            for action in objective["actions"]:
                action.pop("id", None)
                action.pop("carried_from", None)
                for quarter_update in action["updates"]:
                    quarter_update.pop("source")
                    quarter_update.pop("updated_at")
                for milestone in action["milestones"]:
                    milestone.pop("original_due_date")
    plan.pop("current_quarter")
    return {"agencies": data["agencies"], "plan": plan}


def prepare(session: Any) -> None:
    session.execute(update(Plan).values(introduction="The partnership's aims.\n\nSecond part."))
    first, second, third = session.execute(select(Action.id).order_by(Action.id)).scalars()
    session.execute(
        update(Action)
        .where(Action.id == first)
        .values(start_date=dt.date(2016, 4, 1), due_date=dt.date(2016, 12, 31), lead_note="")
    )
    session.execute(update(Action).where(Action.id == second).values(lead_note=""))
    session.execute(
        update(Action)
        .where(Action.id == third)
        .values(lead_note="Essex Police – crime reduction officer", due_date=None)
    )
    session.add(Agency(name="Victim Support", email="essex@victimsupport.org.uk"))


def test_export_import_export_is_exact(
    tmp_path: Path, workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Workspace.open(workspace_path) as workspace:
        workspace.write(prepare)
        before = essentials(workspace.read(export_workspace))
    first, second, new = tmp_path / "first.xlsx", tmp_path / "second.xlsx", tmp_path / "new.cspdesk"
    assert main(["export-xlsx", "--db", str(workspace_path), "-o", str(first)]) == 0
    assert main(["import-plan", str(first), "--db", str(new), "--name", "Test Vale CSP"]) == 0
    assert main(["export-xlsx", "--db", str(new), "-o", str(second)]) == 0
    printed = capsys.readouterr().out
    assert "warning" not in printed and "error" not in printed
    with Workspace.open(new) as imported:
        after = essentials(imported.read(export_workspace))
    assert after == before
    one, two = cell_values(first), cell_values(second)
    assert list(one) == list(two)
    for sheet in one:
        assert one[sheet] == two[sheet] or sheet == "All actions", sheet
    # The flat sheet differs only in the ids of the new workspace's rows.
    ids = {0, len(one["All actions"][0]) - 2, len(one["All actions"][0]) - 1}
    strip = lambda rows: [[v for i, v in enumerate(r) if i not in ids] for r in rows]  # noqa: E731
    assert strip(one["All actions"]) == strip(two["All actions"])
