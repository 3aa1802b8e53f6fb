"""Plan import speed in the other formats officers keep a plan in: the 10,000-action plan saved
as .xls and as .ods (limit 5 s each), and a 500-action Word plan (.docx, limit 5 s).

Run: python benchmarks/bench_plan_formats.py [--runs 3] [--actions 10000]
Needs LibreOffice (soffice) to save the .xls and .ods. Prints each run (wall clock and this
process's CPU time) and the medians; exits 1 when a wall-clock median is over its limit.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import record
from benchmarks.synthetic import make_synthetic_workspace
from cspdesk.core.leads.directory import Directory
from cspdesk.io.plan_apply import apply_draft
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.io.xlsx_plan_write import export_plan_xlsx
from cspdesk.store.db import Workspace

LIMIT_S = 5.0
WORD_ACTIONS = 500


def timed_import(path: Path, root: Path, runs: int) -> float:
    times = []
    for run in range(runs):
        with Workspace.create(root / f"{path.suffix[1:]}{run}.cspdesk", "Target CSP") as ws:
            began, cpu = time.perf_counter(), time.process_time()
            directory = ws.read(Directory.from_session)
            _, draft = read_plan(path, directory, ws.read(RagScheme.from_session), year="2020/21")
            ws.write(apply_draft, draft)
            times.append(time.perf_counter() - began)
            print(f"{path.name}: {times[-1]:.2f} s (CPU {time.process_time() - cpu:.2f} s; "
                  f"{len(draft.actions())} actions)")  # fmt: skip
    return statistics.median(times)


def word_plan(path: Path, actions: int) -> Path:
    """A Word plan: per priority a heading and a table of its actions."""
    import docx

    document = docx.Document()
    document.add_paragraph("Partnership Plan 2020/21")
    per = -(-actions // 5)
    for p in range(5):
        document.add_heading(f"Priority theme {p + 1}", level=2)
        count = min(per, actions - p * per)
        table = document.add_table(rows=count + 1, cols=5)
        for c, title in enumerate(["Objective", "Action", "Lead", "Timescale", "RAG"]):
            table.cell(0, c).text = title
        for i in range(count):
            row = table.rows[i + 1].cells
            row[0].text = f"Objective {i // 10} of theme {p}"
            row[1].text = f"Action {i} to deliver targeted awareness work"
            row[2].text = f"Essex Police – Officer {i % 40} (O{i % 40})"
            row[3].text = "Q1-4"
            row[4].text = "GAR"[i % 3]
    document.save(str(path))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--actions", type=int, default=10_000)
    args = parser.parse_args()
    medians: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = make_synthetic_workspace(root / "source.cspdesk", actions=args.actions)
        xlsx = root / "plan.xlsx"
        with Workspace.open(source, read_only=True) as workspace:
            workspace.read(export_plan_xlsx, 1, xlsx)
        for suffix in ("xls", "ods"):
            subprocess.run(
                ["soffice", "--headless", f"-env:UserInstallation=file://{root}/lo",
                 "--convert-to", suffix, "--outdir", str(root), str(xlsx)],
                check=True, capture_output=True, timeout=900,
            )  # fmt: skip
            medians[suffix] = timed_import(root / f"plan.{suffix}", root, args.runs)
            record(f"import {args.actions:,} actions .{suffix}", medians[suffix])
        medians["docx"] = timed_import(word_plan(root / "plan.docx", WORD_ACTIONS), root, args.runs)
        record(f"import {WORD_ACTIONS} actions .docx", medians["docx"])
    print(", ".join(f"median {k} {v:.2f} s" for k, v in medians.items()) + f" (limit {LIMIT_S} s)")
    return 0 if max(medians.values()) <= LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
