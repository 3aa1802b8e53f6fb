"""Kill -9 while saving: the file stays whole and every acknowledged edit is kept.

CI runs a bounded number of kills (CSPDESK_CRASH_KILLS, default 40); benchmarks/crash_loop.py
runs 200 and more. The control run with the journal off must be caught, which shows that the
checks can fail.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.store import crash_harness

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork and SIGKILL"
)
KILLS = int(os.environ.get("CSPDESK_CRASH_KILLS", "40"))


@pytest.fixture
def crash_workspace(tmp_path: Path) -> Path:
    path = tmp_path / "crash.cspdesk"
    crash_harness.make_workspace(path)
    return path


def test_kill_while_saving_loses_nothing(crash_workspace: Path) -> None:
    result = crash_harness.run(crash_workspace, KILLS, seed=KILLS)
    assert result.failures == []
    assert result.kills == KILLS
    assert result.edits_acknowledged >= KILLS


def test_control_without_journal_is_caught(crash_workspace: Path) -> None:
    result = crash_harness.run(crash_workspace, 20, journal_mode="OFF", stop_on_failure=True)
    assert result.failures, "the checks failed to notice a run without a journal"
