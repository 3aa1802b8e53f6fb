"""mypy over cspdesk against a baseline that only goes down.

tests/data/mypy-baseline.json holds the count of mypy errors per file when the baseline was
set. A file with more errors than its count fails this test (fix the new error); a file with
fewer passes, and `python -m tests.test_types --update` lowers the baseline to match.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "data" / "mypy-baseline.json"
ERROR = re.compile(r"^(?P<file>[^:]+):\d+: error: ")


def mypy_errors() -> tuple[Counter[str], list[str]]:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in run.stdout.splitlines() if ERROR.match(line)]
    counts = Counter(m.group("file") for line in lines if (m := ERROR.match(line)))
    return counts, lines


def test_mypy_errors_never_grow() -> None:
    if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    baseline: dict[str, int] = json.loads(BASELINE.read_text(encoding="utf-8"))
    counts, lines = mypy_errors()
    grown = {f: n for f, n in counts.items() if n > baseline.get(f, 0)}
    shown = [line for line in lines if line.split(":", 1)[0] in grown]
    assert not grown, "new mypy errors (fix them; the baseline only goes down):\n" + "\n".join(
        shown
    )


if __name__ == "__main__" and "--update" in sys.argv:
    counts, _ = mypy_errors()
    old: dict[str, int] = json.loads(BASELINE.read_text(encoding="utf-8"))
    new = {f: min(n, old.get(f, n)) if "--reset" not in sys.argv else n for f, n in counts.items()}
    BASELINE.write_text(json.dumps(dict(sorted(new.items())), indent=1) + "\n", encoding="utf-8")
    print(f"{sum(new.values())} errors in {len(new)} files")
