"""Hostile workbooks through the commands a user runs: how many were refused, how long the
slowest refusal took, and the most memory any run needed.

Run: python benchmarks/hostile_files.py [--runs 3]
Each file goes through `import-plan --dry-run`, `figures import` and `returns apply --dry-run`
in a fresh process (timed, its peak memory from wait4). Exits 1 when a run crashed (a signal,
a traceback), took over 10 s or used over 500 MB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cspdesk.store.demo import create_demo_workspace
from tests.io import hostile

LIMIT_S = 10.0
LIMIT_MB = 500


def _makers(folder: Path, a_return: Path) -> dict[str, Callable[[Path], Path]]:
    return {
        "case-only link, far cell (stamp)": lambda p: hostile.case_link_far_cell(
            a_return, p, "cspdesk"
        ),
        "twin member, far cell first": lambda p: hostile.twin_member_far_cell(
            a_return, p, "cspdesk", far_first=True
        ),
        "twin member, far cell last": lambda p: hostile.twin_member_far_cell(
            a_return, p, "cspdesk", far_first=False
        ),
        "far cell": hostile.far_cell,
        "200 overlapping merges": lambda p: hostile.merge_bomb(p, 200),
        "4,000 overlapping merges": lambda p: hostile.merge_bomb(p, 4000),
        "2 overlapping merges": lambda p: hostile.merge_bomb(p, 2, rows=20),
        "1,000,000 shared strings": lambda p: hostile.string_bomb(p, 1_000_000),
        "50,000-character text": lambda p: hostile.long_text(p, 50_000),
        "unsupported extension": hostile.unsupported_extension,
        "400,000 cells (at the limit)": lambda p: hostile.text_table(p, 33_333, 12, 150_000),
        ".xls, far cell": lambda p: hostile.xls_far_cell(p.with_suffix(".xls")),
        ".xls, 10 million cells": lambda p: hostile.xls_far_cell(p.with_suffix(".xls"), 40_000),
        ".xls, claims 2 billion rows": lambda p: hostile.xls_claimed_dimensions(
            p.with_suffix(".xls")
        ),
        ".xls, 2 billion strings": lambda p: hostile.xls_string_count(p.with_suffix(".xls")),
    }


def _run(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit status, last line said) of one cspdesk process.

    GNU time measures the peak: a child forked from this (large) process would report this
    process's memory as its own high-water mark.
    """
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name, sys.executable, "-m", "cspdesk",
             *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        took = time.perf_counter() - started
        kb = float(peak.read().split()[-1])
    said = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    last = next((line for line in said if "refused" in line or "cspdesk:" in line), "(read)")
    if "Traceback" in done.stderr:
        last = "Traceback: " + said[-1]
    return took, kb / 1024, done.returncode, last


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="cspdesk-hostile-"))
    db = folder / "demo.cspdesk"
    create_demo_workspace(db).close()
    subprocess.run(
        [sys.executable, "-m", "cspdesk", "returns", "make", "--db", str(db), "--quarter", "Q1",
         "-o", str(folder / "returns")],
        check=True, capture_output=True,
    )  # fmt: skip
    a_return = next((folder / "returns").glob("*.xlsx"))
    commands = {
        "import-plan": ["import-plan", "--dry-run", "--db", str(db)],
        "figures": ["figures", "import", "--db", str(db)],
        "returns": ["returns", "apply", "--dry-run", "--db", str(db)],
    }
    tried = refused = failures = 0
    slowest = (0.0, "")
    peak = (0.0, "")
    for name, make in _makers(folder, a_return).items():
        path = make(folder / f"{len(name)}-{tried}.xlsx")
        for command, args in commands.items():
            times, mbs = [], []
            for _ in range(runs):
                took, mb, code, said = _run([*args, str(path)])
                times.append(took)
                mbs.append(mb)
            tried += 1
            median = statistics.median(times)
            bad = code < 0 or "Traceback" in said or median > LIMIT_S or max(mbs) > LIMIT_MB
            failures += bad
            if code != 0 or "refused" in said:
                refused += 1
                if median > slowest[0]:
                    slowest = (median, f"{name} / {command}")
            if max(mbs) > peak[0]:
                peak = (max(mbs), f"{name} / {command}")
            line = said.strip()
            print(f"{'FAIL' if bad else 'ok  '} {median:5.2f} s {max(mbs):6.0f} MB  {name} / "
                  f"{command}: {line[:110]}")  # fmt: skip
    print(f"files tried {tried}, refused {refused}; slowest refusal {slowest[0]:.2f} s "
          f"({slowest[1]}); peak memory {peak[0]:.0f} MB ({peak[1]})")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
