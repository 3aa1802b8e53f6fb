"""Run every workbook of the real-world corpus through the gate and read_rows, each in its own
process, and report outcome, time and peak memory.

``python benchmarks/corpus_run.py [CORPUS_DIR] [--full] [--json OUT]`` (default: ../shared/corpus
beside the repository; --full: open_workbook's full load read cell by cell instead of
read_rows). Exit code 1 if any file let through an error other than ImportRefused or crashed
its process. Time limit per file: 60 s; address-space limit: 2 GB.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT = 60
MEMORY_LIMIT = 2 * 1024**3
WORKER = """
import json, sys, time
from cspdesk.io.gate import ImportRefused, open_workbook, read_rows
started = time.perf_counter()
try:
    if sys.argv[2] == "full":  # a full load (styles, merged cells) read cell by cell
        workbook = open_workbook(sys.argv[1])
        rows = sum(1 for ws in workbook.worksheets for _ in ws.iter_rows(values_only=True))
        outcome = {"status": "imported", "sheets": len(workbook.worksheets), "rows": rows}
    else:
        sheets = read_rows(sys.argv[1])
        outcome = {"status": "imported", "sheets": len(sheets),
                   "rows": sum(len(s.rows) for s in sheets)}
except ImportRefused as error:
    outcome = {"status": "refused", "message": str(error)}
except BaseException as error:
    outcome = {"status": "ESCAPED", "message": f"{type(error).__name__}: {error}"[:300]}
outcome["seconds"] = time.perf_counter() - started
import resource
outcome["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(outcome))
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_one(path: Path, mode: str = "rows") -> dict[str, object]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        preexec_fn=_limit,
    )
    try:
        out, err = process.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"file": str(path), "status": "TIMEOUT", "wall": TIME_LIMIT}
    wall = time.perf_counter() - started
    lines = out.decode().strip().splitlines()
    if process.returncode != 0 or not lines:
        result: dict[str, object] = {
            "status": "CRASHED",
            "message": err.decode()[-300:],
            "returncode": process.returncode,
        }
    else:
        result = json.loads(lines[-1])
    result.update(file=str(path), wall=wall)
    return result


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--") and not a.endswith(".json")]
    corpus = Path(args[0]) if args else ROOT.parent / "shared" / "corpus"
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "README.md")
    results = []
    for path in files:
        results.append(run_one(path, "full" if "--full" in sys.argv else "rows"))
    counts: dict[str, int] = {}
    for result in results:
        counts[str(result["status"])] = counts.get(str(result["status"]), 0) + 1
    print(f"{len(results)} files: {counts}")
    timed = [r for r in results if "seconds" in r]
    slowest = max(timed, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    print(
        f"median in-process time {statistics.median(float(r['seconds']) for r in timed):.3f} s; "
        f"slowest {float(slowest['seconds']):.2f} s ({Path(str(slowest['file'])).name}, "
        f"{slowest['status']})"
    )
    biggest = max(timed, key=lambda r: float(r.get("maxrss_mb", 0)))  # type: ignore[arg-type]
    print(
        f"median peak memory {statistics.median(float(r['maxrss_mb']) for r in timed):.0f} MB; "
        f"largest {float(biggest['maxrss_mb']):.0f} MB ({Path(str(biggest['file'])).name}, "
        f"{float(biggest['seconds']):.2f} s) (whole process, Python and openpyxl included)"
    )
    for bad in (r for r in results if r["status"] not in ("imported", "refused")):
        print(f"  {bad['status']}: {bad['file']}: {bad.get('message', '')}")
    if "--json" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--json") + 1])
        out.write_text(json.dumps(results, indent=1))
    return 0 if set(counts) <= {"imported", "refused"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
