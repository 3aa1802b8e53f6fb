"""What the committee saw reprints identically, and the figures and funding reach the paper.

Print a quarter, close it, print it again, reopen it, print it again: the PDF and the HTML
say exactly the same each time, in both layouts, for the demo and for an imported plan.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.runner import run_cli
from tests.io.xlsx_fixtures import seed_000_layout

LAYOUTS = ("objectives", "milestones")


def printed(db: Path, out: Path, quarter: str = "Q1", *extra: str) -> dict[str, str]:
    """The text of the quarter's appendix as PDF and HTML, in both layouts."""
    texts = {}
    for layout in LAYOUTS:
        for suffix in (".pdf", ".html"):
            target = out / f"{layout}{suffix}"
            result = run_cli(
                "report", "--db", str(db), "--quarter", quarter, "-o", str(target),
                "--layout", layout, *extra,
            )  # fmt: skip
            assert result.returncode == 0, result.stdout + result.stderr
            if suffix == ".pdf":
                texts[target.name] = "\n".join(p.extract_text() for p in PdfReader(target).pages)
            else:
                texts[target.name] = target.read_text(encoding="utf-8")
    return texts


def demo(tmp_path: Path) -> Path:
    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    return db


def imported(tmp_path: Path) -> Path:
    db = tmp_path / "imported.cspdesk"
    assert (
        run_cli("new", "--db", str(db), "--name", "Castle Point and Rochford CSP").returncode == 0
    )
    book = seed_000_layout(tmp_path / "plan.xlsx")
    result = run_cli("import-plan", str(book), "--db", str(db), "--year", "2016/17")
    assert result.returncode == 0, result.stdout + result.stderr
    return db


@pytest.mark.parametrize("make", [demo, imported], ids=["demo", "imported"])
def test_close_and_reopen_reprint_the_same(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    db = make(tmp_path)
    (tmp_path / "open").mkdir()
    (tmp_path / "closed").mkdir()
    (tmp_path / "reopened").mkdir()
    before = printed(db, tmp_path / "open")
    assert run_cli("close-quarter", "--db", str(db), "--quarter", "Q1").returncode == 0
    closed = printed(db, tmp_path / "closed")
    reason = ("reopen-quarter", "--db", str(db), "--quarter", "Q1", "--reason", "late return")
    assert run_cli(*reason).returncode == 0
    reopened = printed(db, tmp_path / "reopened")
    for name in before:
        assert closed[name] == before[name], name
        assert reopened[name] == before[name], name


def test_a_closed_quarter_keeps_initials_milestones_contributions_and_rag(tmp_path: Path) -> None:
    """The closed path itself: drop any of these from what is frozen and this fails."""
    db = demo(tmp_path)
    j9 = ("Re-introduce the J9 scheme in both districts",)
    assert j9
    assert run_cli("close-quarter", "--db", str(db), "--quarter", "Q1").returncode == 0
    (tmp_path / "closed").mkdir()
    text = printed(db, tmp_path / "closed")["objectives.pdf"]
    flat = re.sub(r"\s+", " ", text)
    assert "Helen Collins (HC)" in flat and "Emma Clark (EC)" in flat  # initials as printed
    assert "J9 training sessions – due 31 Oct 2016" in flat  # milestones with dates
    assert "J9 Training sessions booked for October Green" in flat  # the quarter's RAG


def add_seed_004_figures_and_funding(db: Path) -> None:
    """Seed 004's burglary and ASB figures and its PCC grant, over-allocated, typed in."""
    for name, unit, value, previous in (
        ("Burglary Dwelling", "crimes", "206", "168"),
        ("Anti-Social Behaviour", "incidents", "1247", "1259"),
    ):
        added = run_cli(
            "figures", "add-indicator", "--db", str(db), "--priority", "2", "--name", name,
            "--unit", unit, "--source", "Essex Police", "--better", "down",
        )  # fmt: skip
        assert added.returncode == 0, added.stdout + added.stderr
        put = run_cli(
            "figures", "set", "--db", str(db), "--indicator", name, "--quarter", "Q1",
            "--value", value, "--previous", previous,
        )  # fmt: skip
        assert put.returncode == 0, put.stdout + put.stderr
    for args in (
        ("add-grant", "--source", "PCC grant", "--amount", "£14,019"),
        ("allocate", "--grant", "1", "--priority", "1", "--amount", "£4K"),
        ("allocate", "--grant", "1", "--priority", "2", "--amount", "£11K"),
        ("spend", "--allocation", "1", "--amount", "£1,250.50", "--date", "2016-06-30"),
    ):
        result = run_cli("funding", args[0], "--db", str(db), *args[1:])
        assert result.returncode == 0, result.stdout + result.stderr


def test_performance_and_funding_reach_the_appendix(workspace_path: Path, tmp_path: Path) -> None:
    add_seed_004_figures_and_funding(workspace_path)
    (tmp_path / "with").mkdir()
    texts = printed(workspace_path, tmp_path / "with")
    for name, text in texts.items():
        flat = re.sub(r"\s+", " ", text)
        assert "22.6% increase (38 crimes) in Burglary Dwelling" in flat, name
        assert "1.0% reduction (12 incidents) in Anti-Social Behaviour" in flat, name
        assert "Over-allocated: PCC grant is £14,019 but £15,000 is allocated" in flat, name
        assert "£1,250.50" in flat, name
    # The same after closing the quarter: the figures were frozen with it.
    assert run_cli("close-quarter", "--db", str(workspace_path), "--quarter", "Q1").returncode == 0
    (tmp_path / "closed").mkdir()
    assert printed(workspace_path, tmp_path / "closed") == texts
    # And left out when asked.
    (tmp_path / "without").mkdir()
    without = printed(
        workspace_path, tmp_path / "without", "Q1", "--without-performance", "--without-funding"
    )
    for name, text in without.items():
        assert "Burglary Dwelling" not in text and "PCC grant" not in text, name
