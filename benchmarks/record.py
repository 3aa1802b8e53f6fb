"""One line per figure a benchmark measures, for `python -m benchmarks` to gather.

A benchmark prints its figures for a person as before and also calls ``record(name, seconds)``
for each median; when the runner sets CSPDESK_BENCH_RECORD, the figure is appended there as a
JSON line. Run alone, ``record`` does nothing.
"""

from __future__ import annotations

import json
import os

RECORD_VARIABLE = "CSPDESK_BENCH_RECORD"


def record(name: str, seconds: float) -> None:
    """Note the median ``seconds`` of the step ``name`` ("open 10,000 actions")."""
    path = os.environ.get(RECORD_VARIABLE)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"name": name, "seconds": round(seconds, 4)}) + "\n")
