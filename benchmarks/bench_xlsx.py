"""Plan workbook speed: export the 10,000-action plan (limit 5 s), import that workbook (8 s),
and import a 10,000-action legacy sheet written by openpyxl whose RAG is only cell colour (so the
colour pass runs too; reported, same 8 s limit).

Run: python benchmarks/bench_xlsx.py [--runs 3] [--actions 10000]
Prints each run (wall clock, and this process's CPU time, which shows less of what other
programs on a shared machine cost) and the medians; exits 1 when a wall-clock median is over its
limit.
"""

from __future__ import annotations

import argparse
import statistics
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

EXPORT_LIMIT_S = 5.0
IMPORT_LIMIT_S = 8.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--actions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = make_synthetic_workspace(root / "source.cspdesk", actions=args.actions)
        out = root / "plan.xlsx"
        exports, imports, export_cpu, import_cpu = [], [], [], []
        with Workspace.open(source, read_only=True) as workspace:
            for _ in range(args.runs):
                began, cpu = time.perf_counter(), time.process_time()
                workspace.read(export_plan_xlsx, 1, out)
                exports.append(time.perf_counter() - began)
                export_cpu.append(time.process_time() - cpu)
                print(f"export: {exports[-1]:.2f} s (CPU {export_cpu[-1]:.2f} s, "
                      f"{out.stat().st_size // 1024} KB)")  # fmt: skip
        for run in range(args.runs):
            target = root / f"target{run}.cspdesk"
            with Workspace.create(target, "Target CSP") as workspace:
                began, cpu = time.perf_counter(), time.process_time()
                directory = workspace.read(Directory.from_session)
                scheme = workspace.read(RagScheme.from_session)
                _, draft = read_plan(out, directory, scheme)
                read_s = time.perf_counter() - began
                workspace.write(apply_draft, draft)
                imports.append(time.perf_counter() - began)
                import_cpu.append(time.process_time() - cpu)
                counts = draft.counts()
                print(f"import: {imports[-1]:.2f} s (CPU {import_cpu[-1]:.2f} s; "
                      f"read+parse {read_s:.2f} s; "
                      f"{counts['actions']} actions, {counts['milestones']} milestones, "
                      f"{counts['leads']} leads)")  # fmt: skip
    legacy = root_legacy(args.actions, args.runs)
    export_median, import_median = statistics.median(exports), statistics.median(imports)
    print(f"median export {export_median:.2f} s (CPU {statistics.median(export_cpu):.2f} s; "
          f"limit {EXPORT_LIMIT_S} s), median import {import_median:.2f} s "
          f"(CPU {statistics.median(import_cpu):.2f} s; limit {IMPORT_LIMIT_S} s)")  # fmt: skip
    print(f"median legacy import {legacy:.2f} s (limit {IMPORT_LIMIT_S} s)")
    record(f"export {args.actions:,} actions", export_median)
    record(f"import {args.actions:,} actions", import_median)
    record(f"legacy import {args.actions:,} actions", legacy)
    within = max(import_median, legacy) <= IMPORT_LIMIT_S
    return 0 if export_median <= EXPORT_LIMIT_S and within else 1


def root_legacy(actions: int, runs: int) -> float:
    """Median time to import a legacy-style sheet: one priority per sheet, objective left blank
    under its first action, free-text leads, RAG as fill colour only."""
    import openpyxl
    from openpyxl.styles import PatternFill

    fills = [PatternFill("solid", fgColor=c) for c in ("FF00B050", "FFFFC000", "FFFF0000")]
    times = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "legacy 2016-17.xlsx"
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        per_sheet = -(-actions // 5)
        for s in range(5):
            sheet = workbook.create_sheet(f"Priority {s + 1}")
            sheet.append(["Partnership Plan 2016/17"])
            sheet.append(["Strategic Objective", "Actions", "Outcomes / Measures",
                          "Lead Agency/ Officer", "Timescales / Updates", "RAG"])  # fmt: skip
            for i in range(min(per_sheet, actions - s * per_sheet)):
                sheet.append([f"Objective {i // 10} of priority {s}" if i % 10 == 0 else None,
                              f"Action {i} to deliver targeted awareness work", "Fewer victims",
                              f"Essex Police – Officer {i % 40} (O{i % 40}); All partners",
                              "Q1-4\nProgress this quarter", None])  # fmt: skip
                sheet.cell(sheet.max_row, 6).fill = fills[i % 3]
        workbook.save(path)
        for run in range(runs):
            with Workspace.create(Path(folder) / f"legacy{run}.cspdesk", "Legacy CSP") as ws:
                began = time.perf_counter()
                directory = ws.read(Directory.from_session)
                _, draft = read_plan(path, directory, ws.read(RagScheme.from_session))
                ws.write(apply_draft, draft)
                times.append(time.perf_counter() - began)
                rags = sum(1 for a in draft.actions() if a.rag)
                print(f"legacy import: {times[-1]:.2f} s ({len(draft.actions())} actions, "
                      f"{rags} RAG from colour)")  # fmt: skip
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
