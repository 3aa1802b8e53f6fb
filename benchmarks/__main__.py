"""Every benchmark at its named size, one table of medians, compared with the committed baseline.

    python -m benchmarks [--quick] [--only NAME ...] [--out FILE] [--update-baseline]

Each benchmark runs as its own process (as a user starts the program) with the sizes the issues
name, or small sizes with --quick for a developer's loop. The medians are printed as one table
and written to a JSON file (benchmarks/results.json unless --out). Against benchmarks/
baseline.json (full sizes only), every figure more than 20% slower is named and the exit status
is 1. A change that makes something slower on purpose updates the baseline in the same commit
(--update-baseline) and says why in its message.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.record import RECORD_VARIABLE

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
SLOWER = 1.20  # more than 20% over the baseline is a regression


@dataclass(frozen=True)
class Bench:
    name: str
    module: str
    full: tuple[str, ...]
    quick: tuple[str, ...]


BENCHES = (
    Bench("tree", "benchmarks.bench_tree", (), ("--quick",)),
    Bench("xlsx", "benchmarks.bench_xlsx", ("--runs", "3"), ("--runs", "1", "--actions", "500")),
    Bench(
        "returns",
        "benchmarks.bench_returns",
        ("--repeat", "3"),
        ("--actions", "500", "--leads", "5"),
    ),
    Bench(
        "merge", "benchmarks.bench_merge", (), ("--actions", "500", "--leads", "5", "--repeat", "1")
    ),
    Bench("quarter", "benchmarks.bench_quarter", (), ("--actions", "500", "--runs", "1")),
    Bench(
        "report",
        "benchmarks.bench_report",
        ("--sizes", "500,10000", "--formats", "pdf,html"),
        ("--sizes", "demo", "--repeat", "1", "--formats", "pdf,html"),
    ),
    Bench("figures", "benchmarks.figures_bench", (), ("--indicators", "20", "--repeat", "1")),
    Bench(
        "police", "benchmarks.bench_police", ("--repeat", "3"), ("--rows", "20000", "--repeat", "1")
    ),
)


def run(bench: Bench, quick: bool) -> tuple[dict[str, float], str]:
    """The bench's recorded medians, and its output when it failed (else "")."""
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as handle:
        path = Path(handle.name)
    try:
        env = {**os.environ, RECORD_VARIABLE: str(path)}
        args = bench.quick if quick else bench.full
        done = subprocess.run(
            [sys.executable, "-m", bench.module, *args],
            cwd=HERE.parent,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = path.read_text(encoding="utf-8").splitlines()
    finally:
        path.unlink(missing_ok=True)
    figures = {}
    for line in lines:
        item = json.loads(line)
        figures[f"{bench.name}: {item['name']}"] = float(item["seconds"])
    failed = "" if done.returncode == 0 or figures else (done.stdout + done.stderr)[-2000:]
    return figures, failed


def table(figures: dict[str, float], baseline: dict[str, float]) -> tuple[str, list[str]]:
    width = max((len(n) for n in figures), default=10)
    out = [f"{'figure':<{width}}  {'median':>10}  {'baseline':>10}  change"]
    slower = []
    for name, seconds in figures.items():
        before = baseline.get(name)
        change = "" if not before else f"{(seconds / before - 1) * 100:+.0f}%"
        if before and seconds > before * SLOWER:
            slower.append(f"{name}: {seconds:.3f} s against {before:.3f} s ({change})")
            change += "  SLOWER"
        shown = "" if before is None else f"{before:.3f} s"
        out.append(f"{name:<{width}}  {seconds:>8.3f} s  {shown:>10}  {change}")
    return "\n".join(out), slower


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="some benchmarks only")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--update-baseline", action="store_true")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHES if not args.only or b.name in args.only]
    figures: dict[str, float] = {}
    for bench in chosen:
        start = time.perf_counter()
        found, failed = run(bench, args.quick)
        figures.update(found)
        print(f"{bench.name}: {len(found)} figures in {time.perf_counter() - start:.0f} s")
        if failed:
            print(f"{bench.name} FAILED:\n{failed}")
    baseline = {} if args.quick else json.loads(BASELINE.read_text(encoding="utf-8"))
    text, slower = table(figures, baseline)
    print(text)
    args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if args.update_baseline and not args.quick:
        BASELINE.write_text(
            json.dumps({**baseline, **figures}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"baseline updated: {BASELINE}")
        return 0
    for line in slower:
        print(f"SLOWER than the baseline: {line}")
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
