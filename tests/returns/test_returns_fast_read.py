"""Returns read through the gate and calamine (io/xlsx_fast.py): stamp wherever it hides,
refusals still naming sheet, row and column, and crafted sheets refused before calamine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.packaging.custom import CustomPropertyList

from cspdesk.io.gate import ImportRefused
from cspdesk.io.xlsx_fast import (
    _OTHER_CELL_START,
    _PREFIXED_START,
    _extent,
    _references,
    _walked_references,
    open_fast,
    sheet_extent,
)
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace
from tests.io.workbooks import part, rewrite
from tests.returns.returns_fill import fill_all_partners

EXPECTED = {
    ("action", 1, "update"): "Second campaign booked\nfor December",
    ("action", 1, "rag"): "A",
    ("milestone", 2, "done_date"): dt.date(2016, 12, 15),
    ("milestone", 2, "rag"): "B",
}


@pytest.fixture
def filled(workspace: Workspace, tmp_path: Path) -> Path:
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    fill_all_partners(made["All partners"])
    return made["All partners"]


def changes(workspace: Workspace, path: Path) -> dict[tuple[str, int, str], object]:
    diff = workspace.read(read_return, path)
    return {(c.kind, c.item_id, c.field): c.new for c in diff.changes}


def sheet_member(path: Path, name: str) -> str:
    with open_fast(path) as book:
        sheet = book.sheet(name)
        assert sheet is not None and sheet.member is not None
        return sheet.member


@pytest.mark.parametrize("state", ["veryHidden", "hidden"])
def test_stamp_sheet_read_very_hidden_or_hidden(
    workspace: Workspace, filled: Path, tmp_path: Path, state: str
) -> None:
    path = filled
    if state == "hidden":  # what LibreOffice makes of "very hidden"
        xml = part(filled, "xl/workbook.xml").replace(b'"veryHidden"', b'"hidden"')
        path = rewrite(filled, tmp_path / "hidden.xlsx", {"xl/workbook.xml": xml})
    with open_fast(path) as book:
        stamp = book.sheet("cspdesk")
        assert stamp is not None and stamp.state == state
        assert book.rows("cspdesk")[0][:2] == ["format", "cspdesk-return"]
    assert changes(workspace, path) == EXPECTED


def test_lost_stamp_sheet_falls_back_to_property_then_defined_name(
    workspace: Workspace, filled: Path, tmp_path: Path
) -> None:
    book = load_workbook(filled)
    del book["cspdesk"]
    no_sheet = tmp_path / "no stamp sheet.xlsx"
    book.save(no_sheet)
    with open_fast(no_sheet) as fast:
        assert "cspdesk" not in fast.sheetnames
        assert fast.custom_props["cspdesk_return_token"] == fast.defined_names[
            "cspdesk_return_token"
        ].strip('"')
    assert changes(workspace, no_sheet) == EXPECTED
    book.custom_doc_props = CustomPropertyList()
    name_only = tmp_path / "defined name only.xlsx"
    book.save(name_only)
    with open_fast(name_only) as fast:
        assert fast.custom_props == {}
    assert changes(workspace, name_only) == EXPECTED
    del book.defined_names["cspdesk_return_token"]
    nothing = tmp_path / "nothing.xlsx"
    book.save(nothing)
    with pytest.raises(ImportRefused, match="no return stamp"):
        workspace.read(read_return, nothing)


def test_foreign_id_refused_naming_sheet_row_and_column(
    workspace: Workspace, filled: Path, tmp_path: Path
) -> None:
    book = load_workbook(filled)
    book["Actions"]["A3"] = "X99"
    bad = tmp_path / "bad id.xlsx"
    book.save(bad)
    with pytest.raises(ImportRefused, match="'X99', which cspdesk did not write") as error:
        workspace.read(read_return, bad)
    assert (error.value.sheet, error.value.row, error.value.column) == ("Actions", 3, "A")
    assert "bad id.xlsx, sheet 'Actions', row 3, column A" in str(error.value)


def test_far_cell_refused_before_calamine_lays_out_the_grid(
    workspace: Workspace, filled: Path, tmp_path: Path
) -> None:
    # calamine would allocate rows x columns cells for this and abort the whole process.
    member = sheet_member(filled, "Actions")
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    xml = part(filled, member).replace(b"</sheetData>", far)
    crafted = rewrite(filled, tmp_path / "far.xlsx", {member: xml})
    with pytest.raises(ImportRefused, match="too large to read") as error:
        workspace.read(read_return, crafted)
    assert error.value.sheet == "Actions"


def test_dtd_in_a_part_is_still_refused_by_the_gate(
    workspace: Workspace, filled: Path, tmp_path: Path
) -> None:
    xml = b'<!DOCTYPE x [<!ENTITY e "boom">]>' + part(filled, "xl/workbook.xml")
    crafted = rewrite(filled, tmp_path / "dtd.xlsx", {"xl/workbook.xml": xml})
    with pytest.raises(ImportRefused, match="DTD or entities"):
        workspace.read(read_return, crafted)


@pytest.mark.parametrize(
    ("xml", "extent"),
    [
        (b'<row r="3"><c r="B3" t="s"><v>0</v></c></row>', (3, 2)),
        (b'<x:row r="2"><x:c r="AA2"/></x:row>', (2, 27)),
        # A ">" inside a quoted value does not hide the reference after it.
        (b'<c s=">" r="XFD1048576"/>', (1_048_576, 16_384)),
        # Rows and cells without a reference take the next position.
        (b'<row><c/><c>1</c></row><row r="10"><c r="B10"/></row>', (11, 4)),
        (b"<cols><col min='1' max='3'/></cols>", (0, 0)),
    ],
)
def test_sheet_extent_bounds_the_grid(xml: bytes, extent: tuple[int, int]) -> None:
    assert sheet_extent(xml) == extent


def test_sheet_extent_rejects_references_no_spreadsheet_writes() -> None:
    assert sheet_extent(b'<c r="a1"/>') is None
    assert sheet_extent(b'<c r="ABCD1"/>') is None
    assert sheet_extent(b'<row r="x"/>') is None


_SHEET = (
    b'<worksheet><cols><col min="1" max="2"/></cols><sheetData><row r="1" ht="30">'
    b'<c r="A1" s="1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="n"><v>2</v></c></row>'
    b'<row r="2"><c r="A2"/><c r="C2" s="4"></c></row></sheetData>'
    b'<conditionalFormatting sqref="H2:H9"><cfRule type="cellIs"/></conditionalFormatting>'
    b"</worksheet>"
)
_TAG_TOKENS = [
    b"<c ", b"<c>", b"<c/>", b"<row>", b"<row/>", b"<row ", b'<x:c r="B9"/>', b"<x:row>",
    b':c r="D4"', b"r=", b'r="', b"r='", b' r = "C3"', b'"', b"'", b">", b"<", b"\n",
    b'<c s=">" r="Z9"/>', b'<c r="AB12"', b'<row r="70000">', b'<c r=""/>', b'<row r="">',
    b'<c\tr="A1"/>', b'<c r="a1"/>', b'<c r="A1\'', b'<c r="XFD1048576"/>', b"<col ",
]  # fmt: skip


@st.composite
def _sheets(draw: st.DrawFn) -> bytes:
    data = _SHEET
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, min(len(data), at + 12)))
        data = data[:at] + draw(st.sampled_from([b"", *_TAG_TOKENS])) + data[end:]
    return data


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(_sheets())
def test_plain_references_are_those_the_full_walk_finds(data: bytes) -> None:
    """The quick path for sheets as spreadsheets write them finds every reference the walk
    over each tag's attributes finds, so the size gate bounds the same grid either way."""
    *quick, checked = _references(data)
    walked = _walked_references(data)
    assert _extent(*quick, checked) == _extent(*walked) == sheet_extent(data)
    if _extent(*walked) is not None:  # a reference run on over the next tag is refused anyway
        assert tuple(quick) == walked


def test_returns_as_written_take_the_quick_path(filled: Path) -> None:
    data = part(filled, sheet_member(filled, "Actions"))
    assert not (_PREFIXED_START.search(data) or _OTHER_CELL_START.search(data))
    *quick, checked = _references(data)
    assert checked and tuple(quick) == _walked_references(data)
    assert sheet_extent(data) is not None
