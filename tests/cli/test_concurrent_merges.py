"""Two officers merging two partners' Q2 returns into one plan at the same moment, each with
`cspdesk returns apply`: both partners' words reach the plan, credited to each lead. On a
server both merges land; a file takes one writer, so the second is told who has it and lands
when run again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core.plan.model import Contribution
from cspdesk.returns.scope import load_actions
from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.returns_batch import Written, fill_batch, lead_of

pytestmark = pytest.mark.both_engines


def q2_returns(location: Location, folder: Path) -> tuple[list[Path], set[int]]:
    assert run_cli("demo", "--db", str(location)).returncode == 0
    made = run_cli("returns", "make", "--db", str(location), "--quarter", "Q2", "-o", str(folder))
    assert made.returncode == 0, made.stdout + made.stderr
    with Workspace.open(location, read_only=True) as workspace:
        actions = workspace.read(load_actions, 1, 2)
    return sorted(folder.glob("*.xlsx")), {a.id for a in actions.values() if len(a.lead_ids) > 1}


# The command as the officer runs it, started once every process has imported cspdesk.
TOGETHER = """
import pathlib, sys, time
from cspdesk.cli import main
from cspdesk.commands import returns
ready, me, count = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
(ready / me).touch()
while len(list(ready.iterdir())) < count:
    time.sleep(0.001)
raise SystemExit(main(sys.argv[4:]))
"""


def apply_together(location: Location, paths: list[Path], ready: Path) -> list[tuple]:
    """`cspdesk returns apply` of each path in a process of its own, all at the same moment."""
    ready.mkdir()
    runs = []
    for number, path in enumerate(paths):
        command = [sys.executable, "-c", TOGETHER, str(ready), str(number), str(len(paths))]
        command += ["returns", "apply", "--db", str(location), str(path)]
        runs.append(
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    return [(*run.communicate(timeout=300), run.returncode) for run in runs]


def test_two_officers_merge_two_returns_at_once(empty_location: Location, tmp_path: Path) -> None:
    paths, joint = q2_returns(empty_location, tmp_path / "Q2 returns")
    written = fill_batch(paths, joint)
    # Two partners who lead the same joint action, so both merges write to that action.
    action_id = next(iter(sorted(joint)))
    leads = sorted({w.lead for w in written if w.action_id == action_id})[:2]
    chosen = [next(p for p in paths if lead_of(p) == lead) for lead in leads]
    results = apply_together(empty_location, chosen, tmp_path / "ready")

    shared = isinstance(empty_location, ServerAddress)
    for path, (out, err, code) in zip(chosen, results, strict=True):
        if code == 0:
            assert "merged" in out and "Traceback" not in err
            continue
        assert not shared, f"a server takes both merges at once: {out}{err}"
        # A file takes one writer: the officer is told who has it, and runs it again.
        assert "close it there first" in err and "Traceback" not in err, err
        again = run_cli("returns", "apply", "--db", str(empty_location), str(path))
        assert again.returncode == 0, again.stdout + again.stderr

    with Workspace.open(empty_location, read_only=True) as workspace:
        stored = workspace.read(
            lambda s: {
                (c.lead_name, c.action_id): (c.text, c.source)
                for c in s.scalars(select(Contribution).where(Contribution.quarter == 2))
            }
        )
    merged: list[Written] = [w for w in written if w.lead in leads]
    assert {w.lead for w in merged if w.action_id == action_id} == set(leads)
    for item in merged:
        text, source = stored[(item.lead, item.action_id)]
        assert text == item.text  # the partner's own words, under its own name
        assert source.startswith(f"return: {item.lead} ")
    assert len(stored) == len(merged)  # and nothing from anyone else
