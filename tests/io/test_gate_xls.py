"""An Excel 97-2003 workbook (.xls) is bounded by the gate before calamine opens it: calamine
reads every sheet at once, reserving what a sheet claims and laying out every cell up to its
farthest one, so the gate reads the records first and refuses, naming the file and sheet."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cspdesk.io.gate import ImportRefused, check_plan_file
from cspdesk.io.xls_records import scan
from tests.io import hostile


def test_the_records_give_the_extent_calamine_lays_out() -> None:
    sheets = scan(hostile.XLS_SOURCE).sheets
    workbook = CalamineWorkbook.from_path(str(hostile.XLS_SOURCE))
    laid_out = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        laid_out.append((name, sheet.total_height + 1, sheet.total_width + 1))
    workbook.close()
    assert [(s.name, s.rows, s.columns) for s in sheets] == laid_out
    assert check_plan_file(hostile.XLS_SOURCE) == "xls"


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (hostile.xls_far_cell, "sheet 'Delivery 2016-17': 65,536 rows; the limit is 50,000"),
        (
            lambda p: hostile.xls_far_cell(p, 40_000, 255),
            "sheet 'Delivery 2016-17': the sheets span 10,240,256 cells in all; the limit is "
            "400,000 (delete the empty rows and columns",
        ),
        (
            hostile.xls_claimed_dimensions,
            "sheet 'Delivery 2016-17': the sheet claims 2,147,483,647 rows and 65,535 columns, "
            "more than Excel 97-2003 allows; the workbook is damaged",
        ),
        (hostile.xls_string_count, "the workbook declares 2,147,483,647 different texts"),
        (hostile.xls_dimensions_backwards, "the workbook is damaged"),
    ],
    ids=["far-row", "far-cells", "claimed-dimensions", "string-count", "dimensions-backwards"],
)
def test_a_hostile_xls_is_refused_before_calamine_opens_it(
    tmp_path: Path, make: Callable[[Path], Path], said: str
) -> None:
    path = make(tmp_path / "plan.xls")
    began = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        check_plan_file(path)
    assert str(refused.value).startswith(f"plan.xls, {said}") or str(refused.value).startswith(
        f"plan.xls: {said}"
    ), str(refused.value)
    assert time.perf_counter() - began < 1


@pytest.mark.parametrize("keep", [600, 3000, 5000])
def test_a_cut_xls_is_refused_as_damaged(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "cut.xls"
    path.write_bytes(hostile.XLS_SOURCE.read_bytes()[:keep])
    with pytest.raises(ImportRefused, match=r"cut\.xls: the workbook is damaged"):
        check_plan_file(path)


@pytest.mark.parametrize("seed", range(40))
def test_a_mutated_xls_is_read_or_refused_in_words(tmp_path: Path, seed: int) -> None:
    """Bytes changed at random in the records (and the compound file's tables): the gate and
    calamine read it, or it is refused with our one line; never another exception."""
    import random

    from cspdesk.io.plan_book import load_plan_book

    chance = random.Random(seed)
    data = bytearray(hostile.XLS_SOURCE.read_bytes())
    for _ in range(chance.choice([1, 4, 16])):
        at = chance.randrange(len(data)) if seed % 2 else chance.randrange(0, 600)
        data[at] = chance.randrange(256)
    path = tmp_path / "mutated.xls"
    path.write_bytes(bytes(data))
    try:
        book = load_plan_book(path)
        {sheet.name: book.fills(sheet.name) for sheet in book.sheets}
    except ImportRefused as refused:
        assert str(refused).startswith("mutated.xls")


@pytest.mark.parametrize(
    "make",
    [hostile.xls_sheet_past_stream, hostile.xls_mini_chain_past_stream, hostile.xls_short_sheet],
    ids=["sheet-past-stream", "mini-chain-past-stream", "short-sheet-record"],
)
def test_an_xls_calamine_panics_on_is_refused_before_it_prints_the_panic(
    tmp_path: Path, make: Callable[[Path], Path], capfd: pytest.CaptureFixture[str]
) -> None:
    """calamine's Rust panics are caught (reader_failures), but Rust prints each to the
    terminal first: the records that make it panic are refused before calamine opens them."""
    from cspdesk.io.plan_book import load_plan_book

    path = make(tmp_path / "plan.xls")
    with pytest.raises(ImportRefused, match=r"^plan\.xls: the workbook is damaged"):
        load_plan_book(path)
    assert "panicked" not in capfd.readouterr().err
