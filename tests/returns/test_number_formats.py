"""A number typed in a return's update cell is stored as the partner saw it (issue 23, B5):
the rule (``shown``) table-driven, then through a return read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cspdesk.returns.make import make_returns
from cspdesk.returns.number_formats import Unrendered, shown
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (0.5, "0%", "50%"),
        (0.125, "0.0%", "12.5%"),
        (2000, "#,##0", "2,000"),
        (1234.5, "[$£-809]#,##0.00", "£1,234.50"),
        (1234.5, '"£"#,##0.00', "£1,234.50"),
        (-1234.5, "[$£-809]#,##0.00;[RED]-[$£-809]#,##0.00", "-£1,234.50"),
        (-1234.5, "#,##0.00;(#,##0.00)", "(1,234.50)"),
        (-3, "0", "-3"),
        (0.3333333333, "0.0", "0.3"),
        (2.5, "0", "3"),  # Excel rounds half away from nought
        (1.5, "0.0#", "1.5"),
        (1.256, "0.0#", "1.26"),
        (0.5, "#.00", ".50"),
        (12, '0" visits"', "12 visits"),
        (12, "0_);(0)", "12"),
        (7, "[Color10]0", "7"),
        (0, '#,##0;-#,##0;"-"', "-"),
        (0.3333333333, "General", "0.3333333333"),
        (46024, "General", "46024"),
        (17, "@", "17"),
        (42643, "dd/mm/yyyy", "30/09/2016"),
        (42643, "d mmmm yyyy", "30 September 2016"),
        (42643.75, "dd/mm/yy hh:mm", "30/09/16 18:00"),
        (0.75, "h:mm AM/PM", "6:00 PM"),
    ],
)
def test_a_number_is_shown_as_its_format_shows_it(value: float, code: str, text: str) -> None:
    assert shown(value, code) == text


@pytest.mark.parametrize("code", ["# ?/?", "0.00E+00", "[<100]0;0.0", "[h]:mm:ss", "#,##0,", "#"])
def test_formats_not_rendered_are_said_so(code: str) -> None:
    with pytest.raises(Unrendered):
        shown(0 if code == "#" else 0.5, code)


def test_numbers_in_update_cells_are_stored_as_the_partner_saw_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    path = made["All partners"]
    book = load_workbook(path)
    sheet = book["Actions"]
    typed = {
        "G2": (0.5, "0%"),
        "G6": (2000, "#,##0"),  # a new-work row
        "C6": ("Leaflet drop", None),
        "G7": (1.5, "# ?/?"),  # another new-work row, shown as "1 1/2"
        "C7": ("Second drop", None),
    }
    for ref, (value, number_format) in typed.items():
        sheet[ref] = value
        if number_format:
            sheet[ref].number_format = number_format
    book.save(path)

    diff = workspace.read(read_return, path)
    assert {c.field: c.new for c in diff.changes if c.row == 2}["update"] == "50%"
    added = {row.row: row.values for row in diff.added}
    assert added[6]["This quarter's update"] == "2,000"
    assert added[7]["This quarter's update"] == "1.5"
    [note] = [p.describe() for p in diff.problems if "does not render" in p.message]
    assert note == (
        "sheet 'Actions': the number in cell G7 is shown in a format cspdesk does not render "
        "(# ?/?); it was read as the plain number 1.5: check it"
    )


def test_a_damaged_styles_part_refuses_the_file(workspace: Workspace, tmp_path: Path) -> None:
    import zipfile

    from cspdesk.io.gate import ImportRefused

    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    path = made["All partners"]
    book = load_workbook(path)
    book["Actions"]["G2"] = 0.5
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data[:-30] if name == "xl/styles.xml" else data)
    with pytest.raises(ImportRefused, match="the workbook is damaged"):
        workspace.read(read_return, path)
