"""`cspdesk export-json` ("the whole workspace as JSON") holds what the workspace keeps beside
the plan tree too: the returns made and merged, the new work partners sent, closed quarters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.returns.returns_fill import merge_new_work

pytestmark = pytest.mark.both_engines


def test_new_work_returns_and_closed_quarters_are_exported(
    workspace_path: Location, tmp_path: Path
) -> None:
    with Workspace.open(workspace_path) as workspace:
        merged = merge_new_work(workspace, tmp_path)
    closed = run_cli("close-quarter", "--db", str(workspace_path), "--quarter", "Q1")
    assert closed.returncode == 0, closed.stderr
    dump = run_cli("export-json", "--db", str(workspace_path))
    assert dump.returncode == 0, dump.stderr
    data = json.loads(dump.stdout)
    plan = data["plans"][0]

    [new_work] = plan["new_work"]
    assert new_work["cells"] == {
        "Action / milestone": "White Ribbon day stall",
        "This quarter's update": "Held on 25 Nov",
        "RAG": "Green",
    }
    assert (new_work["quarter"], new_work["file_name"]) == (1, merged.name)
    assert (new_work["sheet"], new_work["row"], new_work["placed_at"]) == ("Actions", 6, None)

    sent = {r["lead_name"]: r for r in plan["returns"]}
    assert sent["All partners"]["merged_file"] == merged.name
    assert sent["All partners"]["completed_by"] == "Essex Police, Emma Clark"
    assert new_work["return_token"] == sent["All partners"]["token"]

    [quarter] = plan["closed_quarters"]
    assert quarter["quarter"] == 1 and not quarter["reopened"] and quarter["frozen"]
    assert data["history"], "closing the quarter is in the history"
    assert {"at", "who", "entity", "entity_id", "field", "old", "new"} <= set(data["history"][0])
    assert data["lead_aliases"] == []
