"""export-xlsx carries the "Performance" and "Funding" sheets, run as a user runs it: figures
imported from a police summary, funding entered with an over-allocation, the workbook written
by a real process and read back; and the export still imports as the same plan."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cspdesk.core.figures.performance import performance_table
from cspdesk.core.funding.money import format_money
from cspdesk.core.funding.summary import funding_summary
from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.store.db import Workspace
from tests.conftest import small_plan_data
from tests.io.test_figures_read import police_summary_workbook

PLAN_SHEETS = ["1. Safeguarding Vulnerable Peop", "2. Anti-Social Behaviour"]
OTHER_SHEETS = ["All actions", "Agencies and officers"]
WARNING = (
    "Warning: Over-allocated: PCC grant is £12,527 but £14,250.50 is allocated (£1,723.50 too much)"
)


def run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def export(db: str, path: Path) -> openpyxl.Workbook:
    assert run("export-xlsx", "--db", db, "-o", str(path)) == f"plan exported to {path}\n"
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[list[str]]]:
    """The small plan with police figures and over-allocated funding entered through the CLI,
    exported; with the sheet names seen at each step."""
    folder = tmp_path_factory.mktemp("export")
    path = folder / "plan.cspdesk"
    with Workspace.create(path, "Test Vale CSP") as workspace:
        workspace.write(load_workspace_data, small_plan_data())
    db = str(path)
    steps = [export(db, folder / "bare.xlsx").sheetnames]
    run("figures", "import", str(police_summary_workbook(folder / "rochford.xlsx")),
        "--db", db, "--priority", "1")  # fmt: skip
    # No places of its own: the export's default of one place applies (8.3%, not 8%); and
    # figures from 10,000 print grouped (13,058), as the report prints them.
    run("figures", "add-indicator", "--db", db, "--priority", "2", "--name", "Total crime",
        "--unit", "crimes", "--source", "Essex Police")  # fmt: skip
    run("figures", "set", "--db", db, "--indicator", "total crime", "--quarter", "Q1",
        "--value", "13,058", "--previous", "12,061")  # fmt: skip
    steps.append(export(db, folder / "figures.xlsx").sheetnames)
    run("funding", "add-grant", "--db", db, "--source", "PCC grant", "--amount", "£12,527",
        "--conditions", "50% on submission of action plans")  # fmt: skip
    run("funding", "allocate", "--db", db, "--grant", "1", "--priority", "1", "--amount", "£13K")
    run("funding", "allocate", "--db", db, "--grant", "1", "--priority", "2",
        "--amount", "£1,250.50")  # fmt: skip
    # dated: undated spending is in no quarter's totals (core.funding.summary)
    run("funding", "spend", "--db", db, "--allocation", "1", "--amount", "£2,000",
        "--date", "2016-05-12")  # fmt: skip
    out = folder / "plan.xlsx"
    steps.append(export(db, out).sheetnames)
    return path, out, steps


def test_export_carries_performance_and_funding(
    exported: tuple[Path, Path, list[list[str]]], tmp_path: Path
) -> None:
    _, out, steps = exported
    assert steps == [
        PLAN_SHEETS + OTHER_SHEETS,  # no indicators, no grants: neither sheet
        [*PLAN_SHEETS, "Performance", *OTHER_SHEETS],
        [*PLAN_SHEETS, "Performance", "Funding", *OTHER_SHEETS],
    ]
    book = openpyxl.load_workbook(out)
    performance = book["Performance"]
    header = [c.value for c in performance[1]]
    assert header[2:13] == [
        "Indicator", "Unit", "Source", "Better when", "Period", "This year",
        "Same period last year", "Change", "% change", "Better or worse", "Summary",
    ]  # fmt: skip
    lines = {row[2].value: row for row in performance.iter_rows(min_row=2)}
    burglary = lines["Burglary Dwelling"]
    assert [c.value for c in burglary[:13]] == [
        "Safeguarding Vulnerable People", None, "Burglary Dwelling", "crimes", "iQuanta",
        "lower", "1 Apr – 31 Dec 2013", 206, 168, 38, 0.226, "Worse",
        "22.6% increase (38 crimes) in Burglary Dwelling",
    ]  # fmt: skip
    assert burglary[10].number_format == "+0.0%;-0.0%;0.0%"  # prints +22.6%
    assert burglary[11].fill.fgColor.rgb == "FFF6D0CC"
    assert [c.value for c in lines["Anti-Social Behaviour"][9:13]] == [
        -12,
        -0.01,
        "Better",
        "1% reduction (12 incidents) in Anti-Social Behaviour",
    ]
    assert lines["Anti-Social Behaviour"][10].number_format == "+0%;-0%;0%"  # its own places
    total = lines["Total crime"]
    assert [c.value for c in total[7:13]] == [
        13058, 12061, 997, 0.083, "Worse", "8.3% increase (997 crimes) in Total crime"
    ]  # fmt: skip
    assert total[7].number_format == "#,##0" and total[10].number_format == "+0.0%;-0.0%;0.0%"
    assert lines["Repeat victims of Domestic Abuse"][12].value == (
        "Repeat victims of Domestic Abuse: figure unavailable"
    )
    solved = [c.value for c in lines["All Crime solved rate"][7:13]]
    assert solved == [26.1, 24.3, 1.8, None, "Better", "1.8% better in All Crime solved rate"]

    funding = book["Funding"]
    warning = funding["A1"]
    assert warning.value == WARNING
    assert warning.font.b and warning.font.color.rgb == "FFB03A2E"  # in red
    rows = [tuple(c.value for c in row) for row in funding.iter_rows()]
    assert rows[2][:4] == ("Priority", "Allocated", "Spent to date", "Remaining")
    assert rows[3][:4] == ("Safeguarding Vulnerable People", 13000, 2000, 11000)
    assert rows[4][:4] == ("Anti-Social Behaviour", 1250.5, 0, 1250.5)
    assert rows[5][:4] == ("Total", 14250.5, 2000, 12250.5)
    assert rows[8] == (
        "PCC grant", 12527, 14250.5, -1723.5, 2000, "50% on submission of action plans"
    )  # fmt: skip
    assert funding["D9"].fill.fgColor.rgb == "FFF6D0CC"  # not yet allocated: -£1,723.50

    # The program's own export comes back as the plan; the two sheets are noted, not warned of.
    other = tmp_path / "other.cspdesk"
    run("new", "--db", str(other), "--name", "Other CSP")
    imported = run("import-plan", str(out), "--db", str(other))
    assert "warning" not in imported
    assert "note: sheet 'Performance': performance figures and funding are not part" in imported
    assert "note: sheet 'Funding': performance figures and funding are not part" in imported
    assert "2 priorities, 2 objectives, 3 actions" in imported


def printed(book: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Each sheet's cells as LibreOffice prints them (number formats applied), via CSV."""
    # Filter options: comma, quote, UTF-8, from row 1, ..., "as shown", ..., every sheet (-1).
    # A profile of its own: another LibreOffice running on the machine cannot block this one.
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
         "--outdir", str(folder), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return {
        name: list(csv.reader((folder / f"{book.stem}-{name}.csv").open(encoding="utf-8")))
        for name in ("Performance", "Funding")
    }


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_cells_print_what_the_report_prints(
    exported: tuple[Path, Path, list[list[str]]], tmp_path: Path
) -> None:
    path, out, _ = exported
    with Workspace.open(path, read_only=True) as workspace:
        rows = workspace.read(performance_table, 1, 1, decimals=1)
        summary = workspace.read(funding_summary, 1)
    sheets = printed(out, tmp_path)
    performance = {line[2]: line for line in sheets["Performance"][1:]}
    assert len(performance) == len(rows) == 9
    for row in rows:
        shown = performance[row.name][7:11]
        assert shown == [row.value, row.previous, row.change, row.percent_change], row.name
    assert performance["Burglary Dwelling"][7:12] == ["206", "168", "+38", "+22.6%", "Worse"]
    assert performance["All Crime solved rate"][7:10] == ["26.1%", "24.3%", "+1.8 points"]
    assert performance["Total crime"][7:11] == ["13,058", "12,061", "+997", "+8.3%"]
    funding = sheets["Funding"]
    assert funding[0][0] == WARNING
    for line, shown in zip((*summary.lines, summary.total), funding[3:6], strict=True):
        assert shown[:4] == [line.title, line.allocated, line.spent, line.remaining]
    (grant,) = summary.grants
    assert funding[8][:5] == [
        grant.source,
        *(format_money(p) for p in (grant.amount_pence, grant.allocated_pence)),
        format_money(grant.unallocated_pence),
        format_money(grant.spent_pence),
    ]
    assert funding[8][1:5] == ["£12,527", "£14,250.50", "-£1,723.50", "£2,000"]
