"""Words a partner writes outside the return's cells (issue 23): notes typed on the cover,
comments on cells. Each is listed to the officer as not merged, with sheet, cell and text;
"merged" is never said alone while they are left out."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cspdesk.returns.account import not_merged
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli


def police_return(workspace: Workspace, folder: Path) -> Path:
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, folder)}
    return made["Essex Police"]


def left_out(workspace: Workspace, path: Path) -> dict[tuple[str, int, str], str]:
    diff = workspace.read(read_return, path)
    return {fate.cell.where: fate.cell.text for fate in not_merged(diff)}


def test_words_typed_on_the_cover_are_listed_not_lost(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    path = police_return(workspace, tmp_path)
    assert left_out(workspace, path) == {}, "the cover as made holds no partner's words"
    book = load_workbook(path)
    cover = book["Cover"]
    cover["B8"], cover["B9"] = "Essex Police", "PC Jane Smith"
    cover["C9"] = "tel 01234 567890, off 3-14 Oct"
    cover["B10"] = "Sorry this is late - Sgt Brown retired"
    cover["A40"] = "Figures for Rochford to follow"  # far below the RAG key
    book["Actions"]["G2"] = "Two days of action held"
    book.save(path)

    assert left_out(workspace, path) == {
        ("Cover", 9, "C"): "tel 01234 567890, off 3-14 Oct",
        ("Cover", 10, "B"): "Sorry this is late - Sgt Brown retired",
        ("Cover", 40, "A"): "Figures for Rochford to follow",
    }
    run = run_cli("returns", "apply", "--db", str(workspace_path), str(path))
    assert "completed by Essex Police, PC Jane Smith" in run.stdout
    assert (
        "note: sheet 'Cover', row 9, column C: 'tel 01234 567890, off 3-14 Oct' written on the "
        "cover was not merged" in run.stdout
    ), run.stdout
    assert "row 10, column B: 'Sorry this is late - Sgt Brown retired'" in run.stdout
    assert "NOT ALL MERGED: merged 2 changes; 3 cells of the partner's were not merged" in (
        run.stdout
    )
