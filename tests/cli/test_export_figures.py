"""export-xlsx carries the "Performance" and "Funding" sheets, run as a user runs it: figures
imported from a police summary, funding entered with an over-allocation, the workbook written
by a real process and read back; and the export still imports as the same plan."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

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


def test_export_carries_performance_and_funding(workspace_path: Path, tmp_path: Path) -> None:
    db = str(workspace_path)
    assert export(db, tmp_path / "bare.xlsx").sheetnames == PLAN_SHEETS + OTHER_SHEETS

    run("figures", "import", str(police_summary_workbook(tmp_path / "rochford.xlsx")),
        "--db", db, "--priority", "1")  # fmt: skip
    # No places of its own: the export's default of one place applies (24.1%, not 24%).
    run("figures", "add-indicator", "--db", db, "--priority", "2", "--name", "Robbery",
        "--unit", "crimes", "--source", "Essex Police")  # fmt: skip
    run("figures", "set", "--db", db, "--indicator", "robbery", "--quarter", "Q1",
        "--value", "144", "--previous", "116")  # fmt: skip
    figures_only = export(db, tmp_path / "figures.xlsx")
    assert figures_only.sheetnames == [*PLAN_SHEETS, "Performance", *OTHER_SHEETS]

    run("funding", "add-grant", "--db", db, "--source", "PCC grant", "--amount", "£12,527",
        "--conditions", "50% on submission of action plans")  # fmt: skip
    run("funding", "allocate", "--db", db, "--grant", "1", "--priority", "1", "--amount", "£13K")
    run("funding", "allocate", "--db", db, "--grant", "1", "--priority", "2",
        "--amount", "£1,250.50")  # fmt: skip
    run("funding", "spend", "--db", db, "--allocation", "1", "--amount", "£2,000")
    out = tmp_path / "plan.xlsx"
    book = export(db, out)
    assert book.sheetnames == [*PLAN_SHEETS, "Performance", "Funding", *OTHER_SHEETS]

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
    robbery = lines["Robbery"]
    assert [c.value for c in robbery[9:13]] == [
        28,
        0.241,
        "Worse",
        "24.1% increase (28 crimes) in Robbery",
    ]
    assert robbery[10].number_format == "+0.0%;-0.0%;0.0%"
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
