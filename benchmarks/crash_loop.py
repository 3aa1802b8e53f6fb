"""Full kill -9 run: ``python benchmarks/crash_loop.py [KILLS]`` (default 200), then a control
run with the journal off, which must be caught. Prints kills, edits and any failure."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.store import crash_harness


def main() -> int:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    code = 0
    for mode, count in (("DELETE", kills), ("OFF", 50)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "crash.cspdesk"
            crash_harness.make_workspace(path)
            started = time.perf_counter()
            result = crash_harness.run(
                path, count, journal_mode=mode, seed=1, stop_on_failure=mode == "OFF"
            )
            took = time.perf_counter() - started
        print(
            f"journal={mode}: {result.kills} kills, {result.edits_acknowledged} edits "
            f"acknowledged, {len(result.failures)} failures in {took:.1f} s"
        )
        for failure in result.failures[:5]:
            print(f"  {failure}")
        if mode == "DELETE" and not result.ok:
            code = 1
        if mode == "OFF" and result.ok:
            print("  control NOT caught: the checks cannot fail")
            code = 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
