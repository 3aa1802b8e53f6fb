"""The workspace as JSON carries each quarter's title block and loads it back (issue 25): a
workspace moved through export-json reprints Q1 with Q1's committee, meeting and version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.core.quarter.title_block import TitleBlock, keep_title, quarter_title
from cspdesk.core.workspace.serialize import export_workspace, load_workspace_data
from cspdesk.store.db import Workspace
from tests.seed_figures import first_plan_id

pytestmark = pytest.mark.both_engines

Q1 = TitleBlock(
    "Appendix A", "Community Safety Partnership Board", "2016-07-21", "Version 2 – July 2016"
)
Q3 = TitleBlock("Appendix B", "CSP Executive", "2017-02-09", "")


def test_title_blocks_round_trip(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_id = workspace.read(first_plan_id)
    workspace.write(keep_title, plan_id, 1, Q1)
    workspace.write(keep_title, plan_id, 3, Q3)
    exported = workspace.read(export_workspace)
    assert exported["plans"][0]["title_blocks"] == [
        {"quarter": 1, **Q1.__dict__},
        {"quarter": 3, **Q3.__dict__},
    ]
    moved = Workspace.create(tmp_path / "moved.cspdesk", "Test Vale CSP")
    with moved:
        moved.write(load_workspace_data, json.loads(json.dumps(exported)))
        new_plan = moved.read(first_plan_id)
        assert moved.read(quarter_title, new_plan, 1) == Q1
        assert moved.read(quarter_title, new_plan, 3) == Q3
        again = moved.read(export_workspace)
    assert again["plans"][0]["title_blocks"] == exported["plans"][0]["title_blocks"]


def test_export_json_without_title_blocks_loads(tmp_path: Path) -> None:
    """An export written before title blocks were exported still loads, with none."""
    source = tmp_path / "plan.cspdesk"
    assert main(["demo", "--db", str(source)]) == 0
    out = tmp_path / "plan.json"
    assert main(["export-json", "--db", str(source), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(plan["title_blocks"] == [] for plan in data["plans"])
    for plan in data["plans"]:
        del plan["title_blocks"]
    with Workspace.create(tmp_path / "old.cspdesk", "Demo") as loaded:
        loaded.write(load_workspace_data, data)
        assert loaded.read(quarter_title, loaded.read(first_plan_id), 1) == TitleBlock()
