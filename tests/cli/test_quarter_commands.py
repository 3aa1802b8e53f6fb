"""The quarterly cycle from the command line: real processes on a real workspace file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cspdesk.core.quarter.snapshots import snapshot_payload
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli

pytestmark = pytest.mark.both_engines

run = run_cli


def test_a_real_process_reports_findings_with_exit_code_1(workspace_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cspdesk",
            "check",
            "--db",
            str(workspace_path),
            "--quarter",
            "1",
            "--today",
            "2016-07-01",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == "2 findings (as at 1 July 2016)"


def test_quarter_cycle_on_the_command_line(workspace_path: Path) -> None:
    db = str(workspace_path)
    check = run("check", "--db", db, "--quarter", "Q1", "--today", "2016-07-10", "--json")
    assert check.returncode == 1, check.stderr
    assert {f["kind"] for f in json.loads(check.stdout)} == {
        "no_baseline_target",
        "concern_without_update",
    }

    closed = run("close-quarter", "--db", db, "--quarter", "Q1", "--year", "2016/17")
    assert closed.returncode == 0, closed.stderr
    assert "Q1 2016/17 closed" in closed.stdout and "now at Q2" in closed.stdout
    with Workspace.open(workspace_path, read_only=True) as workspace:
        frozen = workspace.read(snapshot_payload, 1, 1)
    again = run("close-quarter", "--db", db, "--quarter", "1")
    assert again.returncode == 1 and again.stderr.strip().endswith("closed already")

    changes = run("changes", "--db", db, "--quarter", "Q2")
    assert changes.returncode == 0, changes.stderr
    assert "since Q1 2016/17" in changes.stdout
    assert "► Anti-Social Behaviour › To reduce ASB in hotspot areas › Joint days of action" in (
        changes.stdout
    )

    no_reason = run("reopen-quarter", "--db", db, "--quarter", "Q1")
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    reopened = run("reopen-quarter", "--db", db, "--quarter", "Q1", "--reason", "late return")
    assert reopened.returncode == 0, reopened.stderr
    assert run("close-quarter", "--db", db, "--quarter", "Q1").returncode == 0
    with Workspace.open(workspace_path, read_only=True) as workspace:
        assert workspace.read(snapshot_payload, 1, 1) == frozen  # nothing edited in between

    rolled = run("roll-forward", "--db", db, "--from", "2016/17", "--to", "2017/18")
    assert rolled.returncode == 0, rolled.stderr
    assert "3 unfinished action(s) carried over" in rolled.stdout
    twice = run("roll-forward", "--db", db, "--from", "2016/17")
    assert twice.returncode == 1 and "already" in twice.stderr


def test_check_exit_code_is_zero_when_clean(tmp_path: Path) -> None:
    db = tmp_path / "empty.cspdesk"
    assert run("new", "--db", str(db), "--name", "Empty CSP").returncode == 0
    assert run("check", "--db", str(db)).returncode == 1  # no plan at all: an error
    from cspdesk.core.plan import ops

    with Workspace.open(db) as workspace:
        workspace.write(ops.add_item, "plan", None, year="2016/17", title="Plan")
    clean = run("check", "--db", str(db))
    assert clean.returncode == 0
    assert clean.stdout.strip() == "no problems found (as at 30 June 2016)"


def test_check_judges_overdue_as_at_the_end_of_the_quarter(workspace_path: Path) -> None:
    """A 2016/17 plan checked years later: its milestone due in December is not overdue at Q1."""
    late = run("check", "--db", str(workspace_path), "--quarter", "Q1")
    assert late.returncode == 1, late.stderr
    assert late.stdout.splitlines()[-1] == "2 findings (as at 30 June 2016)"
    assert "overdue" not in late.stdout
    q3 = run("check", "--db", str(workspace_path), "--quarter", "Q4")
    assert "Green but 1 milestone overdue: Campaign two launched" in q3.stdout
    assert q3.stdout.splitlines()[-1].endswith("(as at 31 March 2017)")
