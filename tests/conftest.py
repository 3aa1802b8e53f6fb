"""Shared fixtures: real workspace files in a temporary folder, Qt offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cspdesk.core.serialize import load_workspace_data
from cspdesk.store.db import Workspace


def small_plan_data() -> dict[str, Any]:
    """A two-priority plan with leads, milestones and Q1 updates, shaped like seed 000."""
    return {
        "format": "cspdesk-workspace",
        "version": 1,
        "partnership": {"name": "Test Vale CSP", "areas": "Test Vale"},
        "agencies": [
            {
                "name": "Essex Police",
                "short_name": "Police",
                "officers": [{"name": "Emma Clark", "initials": "EC"}],
            },
            {
                "name": "Rochford District Council",
                "short_name": "RDC",
                "officers": [{"name": "Graham Browne", "initials": "GB"}],
            },
            {"name": "All partners"},
        ],
        "plans": [
            {
                "year": "2016/17",
                "title": "Partnership Plan 2016/17",
                "version_label": "Version 1 – June 2016",
                "current_quarter": 1,
                "priorities": [
                    {
                        "title": "Safeguarding Vulnerable People",
                        "baseline": "",
                        "target": "",
                        "objectives": [
                            {
                                "title": "To raise awareness of Domestic abuse",
                                "actions": [
                                    {
                                        "title": "Actively promote Essex wide campaigns",
                                        "outcomes": "Two DA campaigns promoted within the year",
                                        "timescale": "Q1-4",
                                        "rag": "G",
                                        "lead_note": "All partners",
                                        "leads": [{"agency": "All partners"}],
                                        "milestones": [
                                            {
                                                "title": "Campaign one launched",
                                                "due_date": "2016-06-30",
                                                "done_date": "2016-06-20",
                                                "rag": "B",
                                            },
                                            {
                                                "title": "Campaign two launched",
                                                "due_date": "2016-12-31",
                                                "rag": "G",
                                            },
                                        ],
                                        "updates": [
                                            {
                                                "quarter": 1,
                                                "rag": "G",
                                                "source": "officer",
                                                "text": "'Together we Can' campaign promoted.",
                                            }
                                        ],
                                    },
                                    {
                                        "title": "Re-introduce the J9 scheme in both districts",
                                        "outcomes": "Partner agencies trained",
                                        "timescale": "Q2 – Sept 16",
                                        "rag": "A",
                                        "lead_note": "GB",
                                        "leads": [
                                            {
                                                "agency": "Rochford District Council",
                                                "officer": "Graham Browne",
                                            }
                                        ],
                                        "updates": [
                                            {
                                                "quarter": 1,
                                                "rag": "A",
                                                "source": "officer",
                                                "text": "J9 training sessions booked for October",
                                            }
                                        ],
                                    },
                                ],
                            },
                        ],
                    },
                    {
                        "title": "Anti-Social Behaviour",
                        "baseline": "1259 incidents",
                        "target": "Reduce by 5%",
                        "objectives": [
                            {
                                "title": "To reduce ASB in hotspot areas",
                                "actions": [
                                    {
                                        "title": "Joint days of action",
                                        "timescale": "Q1-4",
                                        "rag": "R",
                                        "lead_note": "Essex Police – Emma Clark (EC)",
                                        "leads": [
                                            {"agency": "Essex Police", "officer": "Emma Clark"}
                                        ],
                                    },
                                ],
                            },
                        ],
                    },
                ],
            }
        ],
    }


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups, logs and default workspaces of a test go to a temporary folder."""
    home = tmp_path_factory.mktemp("cspdesk-home")
    monkeypatch.setenv("CSPDESK_HOME", str(home))
    return home


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    path = tmp_path / "plan.cspdesk"
    workspace = Workspace.create(path, "Test Vale CSP")
    workspace.write(load_workspace_data, small_plan_data())
    workspace.close()
    return path


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    with Workspace.open(workspace_path) as opened:
        yield opened
