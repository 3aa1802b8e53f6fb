"""Time the figures feature on a large plan: 200 indicators x 8 quarters of values.

Run: python benchmarks/figures_bench.py [--indicators 200] [--repeat 5]
Prints the median of each step: performance_table, funding_summary, PDF section (built and
written), Excel sheets, and an import of a 200-row police summary workbook (read + preview).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import record
from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.core.plan import ops
from cspdesk.store.db import Workspace


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    workspace = Workspace.create(folder / "bench.cspdesk", "Bench CSP")

    def fill(session):  # type: ignore[no-untyped-def]
        plan = ops.add_item(session, "plan", None, year="2016/17")
        pids = [
            ops.add_item(session, "priority", plan.id, title=f"Priority {i}").id for i in range(5)
        ]
        grant = funding.add_grant(session, plan.id, "PCC grant", "£24,976")
        for i in range(args.indicators):
            added = figures.add_indicator(
                session, f"Category {i}", priority_id=pids[i % 5], unit="crimes", decimals=i % 2
            )
            for q in range(1, 5):
                figures.set_value(session, added.id, str(100 + i + q), str(90 + i), quarter=q)
            for y in range(4):
                figures.set_value(
                    session, added.id, str(i), str(i + 1), period_label=f"Old period {y}"
                )
        for pid in pids:
            a = funding.add_allocation(session, grant.id, "£4K", priority_id=pid)
            funding.add_spend(session, a.id, "£1,000")
        return plan.id

    plan_id = workspace.write(fill)
    rows = workspace.read(figures.performance_table, plan_id, 3)
    summary = workspace.read(funding.funding_summary, plan_id)

    def pdf() -> None:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.platypus import SimpleDocTemplate

        from cspdesk.report.pdf.figures import performance_flowables
        from cspdesk.report.pdf.funding import funding_flowables

        SimpleDocTemplate(str(folder / "f.pdf"), pagesize=landscape(A4)).build(
            performance_flowables(rows) + funding_flowables(summary)
        )

    def xlsx() -> None:
        import xlsxwriter

        from cspdesk.io.xlsx_figures import write_performance_sheet
        from cspdesk.io.xlsx_funding import write_funding_sheet

        book = xlsxwriter.Workbook(str(folder / "f.xlsx"))
        write_performance_sheet(book, rows)
        write_funding_sheet(book, summary)
        book.close()

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Crime category", "1 Apr – 31 Dec 2016", "1 Apr – 31 Dec 2015", "% change"])
    for i in range(args.indicators):
        sheet.append([f"Category {i}", 100 + i, 90 + i, "+5%"])
    book.save(folder / "summary.xlsx")

    def import_preview() -> None:
        from cspdesk.io.figures_import import preview_figures
        from cspdesk.io.figures_read import read_figures

        read = read_figures(folder / "summary.xlsx")
        workspace.read(preview_figures, plan_id, read)

    steps = {
        "performance_table": lambda: workspace.read(figures.performance_table, plan_id, 3),
        "funding_summary": lambda: workspace.read(funding.funding_summary, plan_id),
        "pdf sections (with charts)": pdf,
        "excel sheets": xlsx,
        "import read+preview": import_preview,
    }
    print(f"{args.indicators} indicators x 8 values, median of {args.repeat}:")
    for name, fn in steps.items():
        median = median_time(fn, args.repeat)
        print(f"  {name:28s} {median * 1000:8.1f} ms")
        record(f"{name} ({args.indicators} indicators)", median)
    workspace.close()


if __name__ == "__main__":
    main()
