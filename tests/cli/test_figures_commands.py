"""figures import / show and funding show, run as a user runs them: a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cspdesk.core.funding import summary as funding
from cspdesk.store.db import Workspace
from tests.io.test_figures_read import police_summary_workbook, seed_003_workbook
from tests.seed_figures import first_plan_id, priority_ids


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def indicator_count(path: Path) -> int:
    from sqlalchemy import func, select

    from cspdesk.core.plan.model import Indicator

    with Workspace.open(path, read_only=True) as workspace:
        return workspace.read(lambda s: s.execute(select(func.count(Indicator.id))).scalar_one())


def test_import_dry_run_then_import_and_show(workspace_path: Path, tmp_path: Path) -> None:
    book = seed_003_workbook(tmp_path / "thurrock.xlsx")
    db = str(workspace_path)
    dry = run("figures", "import", str(book), "--db", db, "--dry-run", "--priority", "2")
    assert dry.returncode == 0, dry.stderr
    assert "New indicators under 'Anti-Social Behaviour':" in dry.stdout
    assert "  + Vehicle offences (offences, better down)" in dry.stdout
    assert "Vehicle offences: Q4 1 Apr 2016 – 31 Mar 2017: 1833 (last year 1687)" in dry.stdout
    assert indicator_count(workspace_path) == 0

    plain = run("figures", "import", str(book), "--db", db, "--dry-run")
    assert "New indicators under 'Performance overview':" in plain.stdout, plain.stdout
    done = run("figures", "import", str(book), "--db", db, "--year", "2016/17")
    assert done.returncode == 0, done.stderr
    report = tmp_path / "q4.html"
    assert run("report", "--db", db, "--quarter", "Q4", "-o", str(report)).returncode == 0
    # the caption names its scrolling region (id="table-N"), so match from its text on
    assert ">Performance overview</caption>" in report.read_text(encoding="utf-8")
    assert "Imported 6 figures" in done.stdout
    show = run("figures", "show", "--db", db, "--quarter", "Q4")
    assert show.returncode == 0, show.stderr
    line = next(x for x in show.stdout.splitlines() if "Vehicle offences" in x)
    assert " ".join(line.split()).endswith(
        "Vehicle offences 1 Apr 2016 – 31 Mar 2017 1833 1687 +146 +8.7% worse "
        "8.7% increase (146 offences)"
    )

    data = json.loads(run("export-json", "--db", db).stdout)
    plan = data["plans"][0]
    # Imported without --priority: filed for the plan as a whole, not under the first priority.
    assert plan["priorities"][0]["performance_indicators"] == []
    indicators = plan["performance_indicators"]
    assert [i["name"] for i in indicators][:2] == [
        "Burglary in dwelling",
        "Racially / Religiously aggravated",
    ]
    vehicle = next(i for i in indicators if i["name"] == "Vehicle offences")
    assert (vehicle["decimals"], vehicle["values"][0]["value"]) == (1, "1833")
    assert vehicle["values"][0]["previous_value"] == "1687"
    assert plan["funding"]["grants"] == []
    assert all(
        a["performance_indicators"] == []
        for o in plan["priorities"][0]["objectives"]
        for a in o["actions"]
    )


def test_bad_workbook_is_one_line_and_changes_nothing(workspace_path: Path, tmp_path: Path) -> None:
    book = police_summary_workbook(tmp_path / "bad.xlsx", bad="forty")
    result = run("figures", "import", str(book), "--db", str(workspace_path))
    assert result.returncode == 1
    assert "sheet 'Rochford', row 14, column B: 'forty' is not a figure" in result.stdout
    assert result.stderr.strip() == "cspdesk: bad.xlsx: 1 problem(s); nothing imported"
    assert (
        "No performance indicators." in run("figures", "show", "--db", str(workspace_path)).stdout
    )
    missing = run("figures", "import", str(tmp_path / "none.xlsx"), "--db", str(workspace_path))
    assert missing.returncode == 1 and "none.xlsx: no such file" in missing.stderr


def test_funding_show(workspace_path: Path) -> None:
    with Workspace.open(workspace_path) as workspace:
        plan_id = workspace.read(first_plan_id)
        first, second = workspace.read(priority_ids, plan_id)
        grant = workspace.write(
            funding.add_grant,
            plan_id,
            "PCC grant",
            "£12,527",
            "50% on submission of action plans evidencing milestones",
        )
        workspace.write(funding.add_allocation, grant.id, "£10K", priority_id=first)
        workspace.write(funding.add_allocation, grant.id, "4,000", priority_id=second)
    result = run("funding", "show", "--db", str(workspace_path))
    assert result.returncode == 0, result.stderr
    assert "PCC grant: £12,527 (£14,000 allocated)" in result.stdout
    assert "Conditions: 50% on submission of action plans evidencing milestones" in result.stdout
    assert "Total                           £14,000    £0     £14,000" in result.stdout
    assert "WARNING: Over-allocated: PCC grant is £12,527 but £14,000 is allocated" in result.stdout
