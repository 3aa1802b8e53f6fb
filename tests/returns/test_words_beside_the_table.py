"""Words a partner writes outside the return's cells (issue 23): notes typed on the cover,
comments on cells. Each is listed to the officer as not merged, with sheet, cell and text;
"merged" is never said alone while they are left out."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment

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


THREADED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"'
    ' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<threadedComment ref="G2" dT="2016-10-03T10:00:00.00" personId="{P1}" id="{C1}">'
    "<text>Figures are provisional</text></threadedComment>"
    '<threadedComment ref="G2" dT="2016-10-04T09:00:00.00" personId="{P2}" id="{C2}"'
    ' parentId="{C1}"><text>Confirmed on Monday</text></threadedComment>'
    "</ThreadedComments>"
)
PERSONS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
    '<person displayName="Jane Smith" id="{P1}" userId="jane" providerId="None"/>'
    '<person displayName="Sgt Brown" id="{P2}" userId="brown" providerId="None"/></personList>'
)
REL = '<Relationship Id="{id}" Type="{type}" Target="{target}"/>'
OFFICE_2017 = "http://schemas.microsoft.com/office/2017/10/relationships/"


def with_threaded_comment(path: Path) -> None:
    """Add an Excel 365 threaded comment with a reply on G2 of the actions sheet, beside the
    legacy note Excel writes for older versions (which must not be listed twice)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet2.xml"  # openpyxl keeps the order: Cover, Actions, stamp
    assert b'name="Actions" sheetId="2"' in parts["xl/workbook.xml"]
    rels = "xl/worksheets/_rels/sheet2.xml.rels"
    sheet_rels = parts[rels].decode()
    extra = REL.format(id="rIdT1", type=OFFICE_2017 + "threadedComment",
                       target="../threadedComments/threadedComment1.xml")  # fmt: skip
    parts[rels] = sheet_rels.replace("</Relationships>", extra + "</Relationships>").encode()
    book_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    extra = REL.format(id="rIdP1", type=OFFICE_2017 + "person", target="persons/person.xml")
    parts["xl/_rels/workbook.xml.rels"] = book_rels.replace(
        "</Relationships>", extra + "</Relationships>"
    ).encode()
    parts["xl/threadedComments/threadedComment1.xml"] = THREADED.encode()
    parts["xl/persons/person.xml"] = PERSONS.encode()
    assert sheet in parts
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_comments_on_cells_are_listed_with_author_and_text(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    path = police_return(workspace, tmp_path)
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet["G2"] = "Two days of action held"
    sheet["G2"].comment = Comment("[Threaded comment] Figures are provisional", "tc={C1}")
    sheet["H3"].comment = Comment("We think this is Red really", "Jane Smith")
    book["Cover"]["B9"].comment = Comment("Off 3-14 October", "")
    book.save(path)
    with_threaded_comment(path)

    assert left_out(workspace, path) == {
        ("Actions", 2, "G (comment)"): "Figures are provisional",
        ("Actions", 3, "H (comment)"): "We think this is Red really",
        ("Cover", 9, "B (comment)"): "Off 3-14 October",
        ("Actions", 2, "G (reply 1)"): "Confirmed on Monday",
    }
    diff = workspace.read(read_return, path)
    notes = [p.describe() for p in diff.problems]
    assert (
        "sheet 'Actions', row 3, column H (comment): the comment by Jane Smith on cell H3, "
        "'We think this is Red really', was not merged" in "\n".join(notes)
    ), notes
    assert any("the reply to the comment by Sgt Brown on cell G2" in n for n in notes), notes
    assert any(
        "the comment by Jane Smith on cell G2, 'Figures are provisional'" in n for n in notes
    )
    assert not any("[Threaded comment]" in n for n in notes), "Excel's legacy copy is not listed"
    run = run_cli("returns", "apply", "--db", str(workspace_path), str(path))
    assert "NOT ALL MERGED: merged 2 changes; 4 cells" in run.stdout, run.stdout


def test_a_damaged_or_oversized_comments_part_refuses_the_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    from cspdesk.io.gate import ImportRefused
    from cspdesk.returns.comments import MAX_COMMENTS_BYTES

    path = police_return(workspace, tmp_path)
    book = load_workbook(path)
    book["Actions"]["H3"].comment = Comment("We think this is Red really", "Jane Smith")
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    [member] = [name for name in parts if name.startswith("xl/comments")]
    padding = b"<!--" + os.urandom(MAX_COMMENTS_BYTES // 2).hex().encode() + b"-->"
    for damaged, words in (
        (parts[member][:-40], "the workbook is damaged"),
        (parts[member] + padding, f"its part {member} (cell comments) is 8 MB"),
    ):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in parts.items():
                target.writestr(name, damaged if name == member else data)
        with pytest.raises(ImportRefused) as refused:
            workspace.read(read_return, path)
        assert words in refused.value.describe()
