"""Run the real plan import (--dry-run) over every corpus file, each in its own process.

Run: .venv/bin/python benchmarks/corpus_plan_import.py  (needs ../shared/corpus)
"""

import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DB = Path(tempfile.mkdtemp()) / "corpus.cspdesk"
subprocess.run(
    [sys.executable, "-m", "cspdesk", "new", "--db", str(DB), "--name", "Corpus CSP"],
    check=True,
    capture_output=True,
)
files = sorted(
    p
    for p in Path(str(Path(__file__).resolve().parents[1].parent / "shared" / "corpus")).rglob("*")
    if p.is_file()
)


def run(p):
    t = time.perf_counter()
    try:
        r = subprocess.run(
            [
                "/usr/bin/time",
                "-f",
                "MAXRSS %M",
                sys.executable,
                "-m",
                "cspdesk",
                "import-plan",
                str(p),
                "--db",
                str(DB),
                "--dry-run",
                "--year",
                "2016/17",
            ],
            capture_output=True,
            text=True,
            timeout=90,
            cwd=str(Path(__file__).resolve().parents[1]),
        )
    except subprocess.TimeoutExpired:
        return p, "TIMEOUT", 90, 0
    dt = time.perf_counter() - t
    rss = int(r.stderr.strip().splitlines()[-1].split()[-1]) / 1024 if "MAXRSS" in r.stderr else 0
    err = r.stderr.replace(r.stderr.strip().splitlines()[-1], "") if r.stderr.strip() else ""
    if "Traceback" in err or r.returncode not in (0, 1):
        return (
            p,
            f"ESCAPED rc={r.returncode} "
            + (err.strip().splitlines()[-1][:200] if err.strip() else ""),
            dt,
            rss,
        )
    return p, ("imported" if r.returncode == 0 else "refused"), dt, rss


with ThreadPoolExecutor(2) as ex:
    results = list(ex.map(run, files))
bad = [(p, s) for p, s, _, _ in results if s not in ("imported", "refused")]
print(
    "files",
    len(files),
    "escaped/timeouts",
    len(bad),
    "imported",
    sum(s == "imported" for _, s, _, _ in results),
    "refused",
    sum(s == "refused" for _, s, _, _ in results),
)
slow = max(results, key=lambda r: r[2])
big = max(results, key=lambda r: r[3])
print(f"slowest {slow[2]:.2f} s ({slow[0].name}), largest {big[3]:.0f} MB ({big[0].name})")
for p, s in bad:
    print(p.name, s)
