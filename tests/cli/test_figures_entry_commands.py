"""figures add-indicator / set and funding add-grant / allocate / spend, run as a user runs
them (a real process on a real workspace file): rows written, ids printed, bad input refused
in one line naming the option, exit 1 and nothing written."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from cspdesk.core.plan.model import Allocation, Grant, Indicator, IndicatorValue, Spend
from cspdesk.store.db import Workspace
from tests.seed_figures import first_plan_id, priority_ids


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def counts(path: Path) -> list[int]:
    models = (Indicator, IndicatorValue, Grant, Allocation, Spend)
    with Workspace.open(path, read_only=True) as workspace:
        return workspace.read(
            lambda s: [s.execute(select(func.count(m.id))).scalar_one() for m in models]
        )


def refused(result: subprocess.CompletedProcess[str], line: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == f"cspdesk: {line}\n"
    assert result.stdout == ""


def test_add_indicator_and_set_figures(workspace_path: Path) -> None:
    db = str(workspace_path)
    added = run(
        "figures", "add-indicator", "--db", db, "--priority", "2",
        "--name", "Burglary in dwelling", "--unit", "crimes", "--source", "Essex Police",
        "--better", "down", "--baseline", "699", "--baseline-period", "2015/16",
        "--target", "5% reduction", "--decimals", "1",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with Workspace.open(workspace_path, read_only=True) as workspace:
        second = workspace.read(priority_ids, workspace.read(first_plan_id))[1]
        (row,) = workspace.read(lambda s: list(s.execute(select(Indicator)).scalars()))
    assert added.stdout.startswith(f"Added indicator {row.id}: Burglary in dwelling under 2. ")
    assert added.stdout.rstrip().endswith("(crimes, better down, 1 dp)")
    assert (row.priority_id, row.action_id, row.unit, row.source, row.decimals) == (
        second,
        None,
        "crimes",
        "Essex Police",
        1,
    )
    assert (row.baseline, row.baseline_period, row.target) == ("699", "2015/16", "5% reduction")

    put = run(
        "figures", "set", "--db", db, "--indicator", "burglary", "--quarter", "Q3",
        "--value", "727", "--previous", "699",
    )  # fmt: skip
    assert put.returncode == 0, put.stderr
    assert put.stdout == (
        f"Set Burglary in dwelling (indicator {row.id}) Q3, 1 Apr – 31 Dec 2016: 727"
        " (last year 699)\n"
    )
    again = run(
        "figures", "set", "--db", db, "--indicator", str(row.id), "--quarter", "3",
        "--value", "1,833", "--period", "1 Apr – 31 Dec 2013",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    show = run("figures", "show", "--db", db, "--quarter", "Q3")
    line = next(x for x in show.stdout.splitlines() if "Burglary in dwelling" in x)
    assert " ".join(line.split()).endswith("1 Apr – 31 Dec 2013 1833 no figure for last year")
    assert counts(workspace_path) == [1, 1, 0, 0, 0]

    refused(
        run("figures", "add-indicator", "--db", db, "--priority", "7", "--name", "Robbery"),
        "--priority '7': the plan has 2 priorities; there is no priority 7",
    )
    refused(
        run("figures", "add-indicator", "--db", db, "--priority", "1", "--name", "Robbery",
            "--better", "sideways"),
        "--better 'sideways': choose up or down",
    )  # fmt: skip
    refused(
        run("figures", "set", "--db", db, "--indicator", "robbery", "--quarter", "Q3",
            "--value", "1"),
        "--indicator 'robbery': no indicator matches 'robbery' (known: Burglary in dwelling)",
    )  # fmt: skip
    refused(
        run("figures", "set", "--db", db, "--indicator", "1", "--quarter", "Q3",
            "--value", "lots"),
        "--value 'lots': not a figure (for example 727, 1,833 or 26.1%)",
    )  # fmt: skip
    assert counts(workspace_path) == [1, 1, 0, 0, 0]


def test_grant_allocate_spend_and_bad_amounts(workspace_path: Path) -> None:
    db = str(workspace_path)
    grant = run(
        "funding", "add-grant", "--db", db, "--source", "PCC grant", "--amount", "£14,019",
        "--conditions", "50% on submission of action plans", "--year", "2016/17",
    )  # fmt: skip
    assert grant.returncode == 0, grant.stderr
    assert grant.stdout == "Added grant 1: PCC grant £14,019 for 2016/17\n"
    allocate = run(
        "funding", "allocate", "--db", db, "--grant", "1", "--priority", "1",
        "--amount", "£4K", "--note", "CSP allocation",
    )  # fmt: skip
    assert allocate.returncode == 0, allocate.stderr
    assert allocate.stdout.startswith("Added allocation 1: £4,000 of PCC grant (grant 1) to 1. ")
    over = run(
        "funding", "allocate", "--db", db, "--grant", "1", "--priority", "2", "--amount", "£11K"
    )
    assert over.returncode == 0, over.stderr
    assert "WARNING: Over-allocated: PCC grant is £14,019 but £15,000 is allocated" in over.stdout
    spend = run(
        "funding", "spend", "--db", db, "--allocation", "1", "--amount", "£1,250.50",
        "--date", "2016-09-30", "--description", "Street triage car",
    )  # fmt: skip
    assert spend.returncode == 0, spend.stderr
    assert spend.stdout.splitlines()[0] == (
        "Added spend 1: £1,250.50 on 30 Sep 2016 from allocation 1: Street triage car"
    )
    with Workspace.open(workspace_path, read_only=True) as workspace:
        first, second = workspace.read(priority_ids, workspace.read(first_plan_id))
        grants, allocations, spends = workspace.read(
            lambda s: [list(s.execute(select(m).order_by(m.id)).scalars()) for m in
                       (Grant, Allocation, Spend)]
        )  # fmt: skip
    assert [(g.source, g.amount_pence, g.conditions) for g in grants] == [
        ("PCC grant", 1_401_900, "50% on submission of action plans")
    ]
    assert [(a.grant_id, a.priority_id, a.amount_pence, a.note) for a in allocations] == [
        (1, first, 400_000, "CSP allocation"),
        (1, second, 1_100_000, ""),
    ]
    assert [(s.allocation_id, s.amount_pence, s.spent_on) for s in spends] == [
        (1, 125_050, dt.date(2016, 9, 30))
    ]

    before = counts(workspace_path)
    refused(
        run("funding", "add-grant", "--db", db, "--source", "PCC grant", "--amount", "£14X"),
        "--amount '£14X': not an amount of money (for example £4,000 or £4K)",
    )
    refused(
        run("funding", "allocate", "--db", db, "--grant", "1", "--priority", "1",
            "--amount", "four thousand"),
        "--amount 'four thousand': not an amount of money (for example £4,000 or £4K)",
    )  # fmt: skip
    refused(
        run("funding", "allocate", "--db", db, "--grant", "9", "--priority", "1", "--amount", "1"),
        "--grant '9': there is no grant with this id",
    )
    refused(
        run("funding", "spend", "--db", db, "--allocation", "1", "--amount=-£5"),
        "--amount '-£5': an amount cannot be negative",
    )
    refused(
        run("funding", "spend", "--db", db, "--allocation", "1", "--amount", "£5",
            "--date", "31/09/2016"),
        "--date '31/09/2016': not a date (for example 2016-09-30 or 30/09/2016)",
    )  # fmt: skip
    refused(  # the tester's slip: the year typed as 2000 in a 2016/17 plan
        run("funding", "spend", "--db", db, "--allocation", "1", "--amount", "£5",
            "--date", "07/12/2000"),
        "--date '07/12/2000': 7 Dec 2000 is outside the plan's year 2016/17 (1 Apr 2016 to "
        "31 Mar 2017); spending is counted in the plan of the year it was spent",
    )  # fmt: skip
    assert counts(workspace_path) == before
