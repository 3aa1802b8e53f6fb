"""The demo workspace: Castle Point and Rochford CSP's Partnership Plan 2016/17 at Q1."""

from __future__ import annotations

import json

from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.paths import resources_dir
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

DEMO_FILE = "demo/castle_point_2016.json"


def demo_data() -> dict:  # type: ignore[type-arg]
    return json.loads((resources_dir() / DEMO_FILE).read_text(encoding="utf-8"))


def create_demo_workspace(path: Location | str) -> Workspace:
    data = demo_data()
    workspace = Workspace.create(
        path, data["partnership"]["name"], data["partnership"].get("areas", "")
    )
    workspace.write(load_workspace_data, data)
    return workspace
