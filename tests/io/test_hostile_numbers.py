"""Numbers from outside workbooks are checked where they enter: a number no reader can take is
refused naming its cell, a large one where it is allowed is read, and a reader library's own
failure (a Rust panic included) becomes the import's refusal."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from cspdesk.io.figures_read import read_figures
from cspdesk.io.gate import ImportRefused
from cspdesk.io.xlsx_book import load_book
from cspdesk.io.xlsx_fast import open_fast, reader_failures
from tests.io.test_figures_read import police_summary_workbook
from tests.io.workbooks import part, rewrite

SHEET = "xl/worksheets/sheet1.xml"


def _book_with(tmp_path: Path, name: str, value: str, *, date: bool) -> Path:
    """A sheet "Plan" whose B2 holds ``value`` as written in the XML, as a date or General."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append(["Action", "Due", "Reference"])
    sheet.append(["Patrols", dt.date(2016, 6, 30) if date else 7, 100091234567])
    base = tmp_path / f"base-{name}"
    workbook.save(base)
    xml = re.sub(rb'(<c r="B2"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>" + value.encode() + b"</v>",
                 part(base, SHEET))  # fmt: skip
    return rewrite(base, tmp_path / name, {SHEET: xml})


@pytest.mark.parametrize("value", ["-1e308", "1e309", "-inf", "NaN", "1e11", "2958466"])
def test_a_date_cell_no_date_can_be_is_refused_naming_it(tmp_path: Path, value: str) -> None:
    path = _book_with(tmp_path, "dates.xlsx", value, date=True)
    for read in (load_book, lambda p: open_fast(p).rows("Plan"), read_figures):
        with pytest.raises(ImportRefused) as caught:
            read(path)
        assert str(caught.value).startswith("dates.xlsx, sheet 'Plan', row 2, column B: ")


@pytest.mark.parametrize("value", ["-inf", "NaN", "1e309"])
def test_a_number_excel_never_writes_is_refused_in_any_cell(tmp_path: Path, value: str) -> None:
    path = _book_with(tmp_path, "numbers.xlsx", value, date=False)
    with pytest.raises(ImportRefused, match=r"row 2, column B: the number '.*' is not one Excel"):
        load_book(path)


def test_large_numbers_where_they_may_be_are_read(tmp_path: Path) -> None:
    dates = load_book(_book_with(tmp_path, "last.xlsx", "2958465", date=True))
    assert dates.sheets[0].rows[1][1:] == [dt.date(9999, 12, 31), 100091234567]
    general = load_book(_book_with(tmp_path, "big.xlsx", "1e308", date=False))
    assert general.sheets[0].rows[1][1] == 1e308


def test_a_rust_panic_becomes_the_refusal(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = _book_with(tmp_path, "panics.xlsx", "-1e308", date=True)
    refused = pytest.raises(ImportRefused, match=r"panics.xlsx, sheet 'Plan': the workbook is da")
    with refused, reader_failures(path, sheet="Plan"):  # calamine asked directly, unchecked
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Plan").to_python()


def test_ctrl_c_is_not_taken_for_a_damaged_workbook(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), reader_failures(tmp_path / "x.xlsx"):
        raise KeyboardInterrupt


def test_an_undeclared_number_format_is_named(tmp_path: Path) -> None:
    base = police_summary_workbook(tmp_path / "base.xlsx")
    styles = part(base, "xl/styles.xml").replace(b'<xf numFmtId="164"', b'<xf numFmtId="999"')
    crafted = rewrite(base, tmp_path / "formats.xlsx", {"xl/styles.xml": styles})
    with pytest.raises(ImportRefused, match=r"formats.xlsx, sheet 'Rochford', row 7, column B: "
                       "the cell's number format is missing"):  # fmt: skip
        read_figures(crafted)


def test_a_figure_beyond_any_count_is_a_named_problem(tmp_path: Path) -> None:
    base = police_summary_workbook(tmp_path / "base.xlsx")
    xml = part(base, SHEET).replace(b'<c r="B6" t="n"><v>2123</v>', b'<c r="B6" t="n"><v>1e308</v>')
    read = read_figures(rewrite(base, tmp_path / "huge.xlsx", {SHEET: xml}))
    assert [p.describe() for p in read.problems] == [
        "sheet 'Rochford', row 6, column B: 1e+308 is too large to be a figure (for 'All Crime')"
    ]


def test_a_raw_fraction_in_the_change_column_prints_at_most_three_places(tmp_path: Path) -> None:
    base = police_summary_workbook(tmp_path / "base.xlsx")
    workbook = openpyxl.load_workbook(base)
    for row in workbook.active.iter_rows(min_col=5, max_col=5):
        row[0].number_format = "General"  # -0.009531374106433678 shown as it is
    workbook.save(tmp_path / "raw.xlsx")
    read = read_figures(tmp_path / "raw.xlsx")
    assert not read.problems
    assert max(row.decimals or 0 for row in read.rows) == 3  # not 14 or 16, refused by core


def test_a_value_tag_with_attributes_is_checked_too(tmp_path: Path) -> None:
    path = _book_with(tmp_path, "plain.xlsx", "45000", date=True)
    xml = part(path, SHEET).replace(b"<v>45000</v>", b'<v xml:space="preserve"> -1e308</v>')
    crafted = rewrite(path, tmp_path / "spaced.xlsx", {SHEET: xml})
    with pytest.raises(
        ImportRefused, match=r"spaced.xlsx, sheet 'Plan', row 2, column B: the date"
    ):
        load_book(crafted)
