"""Import two years of a large force's police open data: about 400,000 street rows (120 MB of
CSV) in a zip, read, previewed and kept in a workspace file. Target: at most 5 s and 300 MB.

Run: .venv/bin/python -m benchmarks.bench_police [--rows 400000] [--repeat 5]
Each run is a fresh process (so peak memory is its own); prints the median of each step (wall
clock, and the import's CPU time, steadier on a shared machine) and of the peak resident size.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks.record import record

TYPES = (
    ("Anti-social behaviour", 30),
    ("Violence and sexual offences", 30),
    ("Criminal damage and arson", 8),
    ("Other theft", 6),
    ("Public order", 6),
    ("Shoplifting", 5),
    ("Vehicle crime", 4),
    ("Burglary", 4),
    ("Drugs", 2),
    ("Other crime", 1),
    ("Robbery", 1),
    ("Bicycle theft", 1),
    ("Theft from the person", 1),
    ("Possession of weapons", 1),
)
DISTRICTS = [f"District {n}" for n in range(1, 13)] + ["Castle Point", "Rochford"]
OUTCOMES = ("Investigation complete; no suspect identified", "Unable to prosecute suspect",
            "Status update unavailable", "Under investigation", "Awaiting court outcome",
            "Court result unavailable", "Local resolution", "Offender given a caution")  # fmt: skip
PLACES = ("Parking Area", "Supermarket", "Shopping Area", "Petrol Station", "Nightclub",
          "Sports/Recreation Area", "Further/Higher Educational Building", "Hospital",
          "Conference/Exhibition Centre", "Theatre/Concert Hall", "Police Station")  # fmt: skip
HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]  # fmt: skip


def make_zip(path: Path, rows: int) -> int:
    """A download in data.police.uk's layout: 24 monthly street files (and outcomes files)."""
    rng = random.Random(26)
    names, weights = zip(*TYPES, strict=True)
    months = [f"{2015 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(24)]
    per_month = rows // len(months)
    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for month in months:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(HEADER)
            types = rng.choices(names, weights, k=per_month)
            for r, crime_type in enumerate(types):
                district = DISTRICTS[r % len(DISTRICTS)]
                lsoa = f"{district} {rng.randrange(1, 120):03d}{'ABCDE'[r % 5]}"
                located = r % 50 != 0
                asb = crime_type == "Anti-social behaviour"
                crime_id = "" if asb else hashlib.sha256(f"{month}{r}".encode()).hexdigest()
                writer.writerow(
                    [crime_id, month, "Essex Police", "Essex Police",
                     f"{0.5 + rng.random():.6f}" if located else "",
                     f"{51.5 + rng.random():.6f}" if located else "",
                     f"On or near {PLACES[r % len(PLACES)]}" if located else "No location",
                     f"E0102{r % 10000:04d}" if located else "", lsoa if located else "",
                     crime_type, "" if asb else OUTCOMES[r % len(OUTCOMES)], ""]
                )  # fmt: skip
            text = out.getvalue()
            size += len(text.encode())
            archive.writestr(f"{month}/{month}-essex-street.csv", text)
            archive.writestr(f"{month}/{month}-essex-outcomes.csv", "Crime ID,Outcome type\n")
    return size


def child(zip_path: Path, folder: Path) -> None:
    """One import in this process; prints its timings and peak memory as JSON."""
    start = time.perf_counter()
    from sqlalchemy import select, update

    from cspdesk.core.figures.police import preview_police
    from cspdesk.core.figures.police_apply import apply_police
    from cspdesk.core.plan import ops
    from cspdesk.core.plan.model import Partnership, Plan
    from cspdesk.io.police_data import read_police_data
    from cspdesk.store.db import Workspace

    workspace = Workspace.create(folder / f"bench-{time.time_ns()}.cspdesk", "Bench CSP")
    workspace.write(lambda s: ops.add_item(s, "plan", None, year="2016/17"))
    workspace.write(lambda s: s.execute(update(Partnership).values(areas="Castle Point; Rochford")))
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    ready = time.perf_counter()
    cpu = time.process_time()
    download = read_police_data([zip_path])
    read = time.perf_counter()
    months = list(download.months.values())

    def run(session):  # type: ignore[no-untyped-def]
        return apply_police(session, preview_police(session, plan_id, months, zip_path.name))

    change = workspace.write(run)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    workspace.close()
    print(
        json.dumps(
            {
                "setup": ready - start,
                "read": read - ready,
                "keep": done - read,
                "import": done - ready,
                "import_cpu": cpu,
                "rows": download.rows,
                "changes": len(change.changes),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("ZIP", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-police-"))
    zip_path = folder / "police.zip"
    made = time.perf_counter()
    csv_bytes = make_zip(zip_path, args.rows)
    print(
        f"download: {args.rows:,} rows, {csv_bytes / 1e6:.0f} MB of CSV, "
        f"{zip_path.stat().st_size / 1e6:.0f} MB zipped "
        f"(made in {time.perf_counter() - made:.1f} s)"
    )
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_police",
                "--child",
                str(zip_path),
                str(folder),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    for key in ("read", "keep", "import", "import_cpu"):
        values = [r[key] for r in runs]
        name = f"police data {args.rows:,} rows: {key.replace('_', ' ')}"
        record(name, statistics.median(values))
        print(f"{key:8} median {statistics.median(values):.2f} s  (runs: "
              + ", ".join(f"{v:.2f}" for v in values) + ")")  # fmt: skip
    peaks = [r["peak_mb"] for r in runs]
    print(f"peak     median {statistics.median(peaks):.0f} MB (process, with imports)")
    print(f"rows read {runs[0]['rows']:,}; changes {runs[0]['changes']}")


if __name__ == "__main__":
    main()
