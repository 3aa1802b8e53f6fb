"""A partnership's whole Q2 through the command line: 24 partners' returns on joint actions.

Every partner's words reach the plan, credited to that partner, with no conflict; partners who
disagree on a RAG are flagged by `check`; the Q2 report prints each contribution under its lead.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from cspdesk.core.plan.model import Contribution
from cspdesk.returns.scope import load_actions
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.returns_batch import fill_batch


def squash(text: str) -> str:
    """Text with every run of white space removed (PDF lines wrap anywhere)."""
    return re.sub(r"\s+", "", text)


def demo_with_q2_returns(tmp_path: Path) -> tuple[Path, list[Path], set[int]]:
    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    out = tmp_path / "Q2 returns"
    made = run_cli("returns", "make", "--db", str(db), "--quarter", "Q2", "-o", str(out))
    assert made.returncode == 0, made.stdout + made.stderr
    with Workspace.open(db, read_only=True) as workspace:
        actions = workspace.read(load_actions, 1, 2)
    joint = {a.id for a in actions.values() if len(a.lead_ids) > 1}
    return db, sorted(out.glob("*.xlsx")), joint


def test_every_partners_words_are_kept_and_credited(tmp_path: Path) -> None:
    db, paths, joint = demo_with_q2_returns(tmp_path)
    assert len(paths) == 24 and len(joint) >= 10
    written = fill_batch(paths, joint)
    assert len(written) == 69  # every lead of every action, joint ones once per lead

    dry = run_cli("returns", "apply", "--db", str(db), "--dry-run", *map(str, paths))
    applied = run_cli("returns", "apply", "--db", str(db), *map(str, paths))
    assert applied.returncode == 0, applied.stdout
    assert "CONFLICT" not in applied.stdout and "waiting" not in applied.stdout
    # --dry-run said exactly what the real run did.
    assert (
        dry.stdout.replace("would merge", "merged").replace("dry run: nothing was written\n", "")
        == applied.stdout
    )

    with Workspace.open(db, read_only=True) as workspace:
        stored = workspace.read(
            lambda s: {
                (c.lead_name, c.action_id): (c.text, c.rag, c.source)
                for c in s.scalars(select(Contribution).where(Contribution.quarter == 2))
            }
        )
    assert len(stored) == 69
    for item in written:
        text, rag, source = stored[(item.lead, item.action_id)]
        assert text == item.text  # the partner's own words, under its own name
        assert source.startswith(f"return: {item.lead} ")
        if item.rag is not None:
            assert rag == item.rag[0]

    status = run_cli("returns", "status", "--db", str(db), "--quarter", "Q2")
    assert status.stdout.count("RETURNED") == 24, status.stdout

    check = run_cli("check", "--db", str(db), "--quarter", "Q2")
    flagged = [line for line in check.stdout.splitlines() if "partners disagree (" in line]
    assert len(flagged) == len(joint)
    assert any(": Green, " in line and ": Amber" in line for line in flagged)

    report = tmp_path / "q2.pdf"
    printed = run_cli("report", "--db", str(db), "--quarter", "Q2", "-o", str(report))
    assert printed.returncode == 0, printed.stderr
    text = squash("".join(page.extract_text() for page in PdfReader(report).pages))
    for item in written:
        if item.action_id in joint:
            assert squash(f"{item.lead} – {item.text}") in text, item
        else:
            assert squash(item.text) in text, item
    # Closed, the quarter prints every contribution just the same.
    assert run_cli("close-quarter", "--db", str(db), "--quarter", "Q1").returncode == 0
    texts = []
    for step in ("open", "closed"):
        if step == "closed":
            assert run_cli("close-quarter", "--db", str(db), "--quarter", "Q2").returncode == 0
        again = tmp_path / f"q2 {step}.pdf"
        assert (
            run_cli("report", "--db", str(db), "--quarter", "Q2", "-o", str(again)).returncode == 0
        )
        texts.append(squash("".join(page.extract_text() for page in PdfReader(again).pages)))
    assert texts[0] == texts[1]
    assert (
        squash(f"{written[0].lead} – {written[0].text}") in texts[1]
        or squash(written[0].text) in texts[1]
    )


def test_a_corrected_second_version_replaces_the_first(tmp_path: Path) -> None:
    db, paths, _joint = demo_with_q2_returns(tmp_path)
    police = next(p for p in paths if p.name.endswith("Essex Police.xlsx"))
    fill_batch([police], set())
    first = run_cli("returns", "apply", "--db", str(db), str(police))
    assert first.returncode == 0 and "CONFLICT" not in first.stdout
    written = fill_batch([police], set())  # the same return, sent again with new words
    corrected = written[0]
    book = load_workbook(police)
    sheet = book["Actions"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == f"A{corrected.action_id}":
            sheet.cell(row, 7).value = "Corrected: twelve visits, not ten."
    book.save(police)
    second = run_cli("returns", "apply", "--db", str(db), str(police))
    assert second.returncode == 0, second.stdout
    assert "CONFLICT" not in second.stdout
    assert "replaces the version of this return merged on" in second.stdout
    with Workspace.open(db, read_only=True) as workspace:
        texts = workspace.read(
            lambda s: s.scalars(
                select(Contribution.text).where(
                    Contribution.action_id == corrected.action_id,
                    Contribution.lead_name == "Essex Police",
                )
            ).all()
        )
    assert texts == ["Corrected: twelve visits, not ten."]


def test_undo_of_a_merge_restores_every_contribution_exactly(tmp_path: Path) -> None:
    from cspdesk.returns.apply import apply_returns
    from cspdesk.returns.read import read_returns

    db, paths, joint = demo_with_q2_returns(tmp_path)
    fill_batch(paths[:3], joint)
    assert run_cli("returns", "apply", "--db", str(db), *map(str, paths[:3])).returncode == 0

    def everything(session):  # type: ignore[no-untyped-def]
        return sorted(
            (c.id, c.action_id, c.lead_key, c.text, c.rag, c.source, c.return_id, c.updated_at)
            for c in session.scalars(select(Contribution))
        )

    with Workspace.open(db) as workspace:
        before = workspace.read(everything)
        fill_batch(paths, joint)  # every partner, the first three with a second version
        diffs, refused = workspace.read(read_returns, paths)
        assert refused == []
        change = workspace.write(apply_returns, diffs)
        assert len(workspace.read(everything)) == 69
        workspace.write(change.revert)
        after = workspace.read(everything)
    assert [row[1:] for row in after] == [row[1:] for row in before]


def test_a_leftover_return_needs_its_quarter_named(tmp_path: Path) -> None:
    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    out = tmp_path / "Q1 returns"
    assert (
        run_cli("returns", "make", "--db", str(db), "--quarter", "Q1", "-o", str(out)).returncode
        == 0
    )
    police = next(out.glob("*Essex Police.xlsx"))
    fill_batch([police], set())
    assert run_cli("close-quarter", "--db", str(db), "--quarter", "Q1").returncode == 0
    # Closed: refused whatever is said.
    closed = run_cli("returns", "apply", "--db", str(db), str(police), "--quarter", "Q1")
    assert closed.returncode == 1 and "reopen the quarter to merge a late return" in closed.stdout
    reason = ("reopen-quarter", "--db", str(db), "--quarter", "Q1", "--reason", "late police")
    assert run_cli(*reason).returncode == 0
    # The plan is in Q2 now: a Q1 return is merged into Q1 only when Q1 is named.
    plain = run_cli("returns", "apply", "--db", str(db), str(police))
    assert plain.returncode == 1
    assert "this return is for Q1 2016/17, but the plan is now in Q2; give --quarter Q1" in (
        plain.stdout
    )
    named = run_cli("returns", "apply", "--db", str(db), str(police), "--quarter", "Q1")
    assert named.returncode == 0 and "merged" in named.stdout, named.stdout
