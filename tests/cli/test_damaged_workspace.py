"""A damaged workspace file on the command line: one line naming the latest good backup and the
restore command that puts it back, which then works."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest


def cspdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("command", [["export-json"], ["figures", "show"], ["close-quarter"]])
def test_damage_names_the_latest_good_backup_and_how_to_restore_it(
    workspace_path: Path, command: list[str]
) -> None:
    backed_up = cspdesk("backup", "--db", str(workspace_path))
    assert backed_up.returncode == 0, backed_up.stderr
    _truncate(workspace_path)
    args = [*command, "--quarter", "Q1"] if command == ["close-quarter"] else command
    run = cspdesk(*args, "--db", str(workspace_path))
    assert run.returncode == 1
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith(f"cspdesk: {workspace_path}: the workspace file is damaged; "
                                 "the latest good backup is "), run.stderr  # fmt: skip
    assert "malformed" not in run.stderr and "could not be written" not in run.stderr
    found = re.search(r"\((cspdesk restore [^)]*)\)$", run.stderr.strip())
    assert found is not None, run.stderr
    restore = shlex.split(found.group(1))[1:]
    restored = cspdesk(*restore)
    assert restored.returncode == 0, restored.stderr
    assert cspdesk("export-json", "--db", str(workspace_path)).returncode == 0


def test_damage_without_a_backup_says_so(workspace_path: Path) -> None:
    _truncate(workspace_path)
    run = cspdesk("export-json", "--db", str(workspace_path))
    assert run.returncode == 1
    assert run.stderr == (
        f"cspdesk: {workspace_path}: the workspace file is damaged, and no good backup of it "
        "was found\n"
    )
