"""Importing figures from workbooks laid out as police performance summaries."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cspdesk.core.figures import performance as figures
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.io.figures_import import apply_figures, preview_figures
from cspdesk.io.figures_read import read_figures
from cspdesk.io.gate import ImportRefused
from cspdesk.store.db import Workspace
from tests.seed_figures import SEED_003, SEED_004, first_plan_id, make_plan_2013, priority_ids


def seed_003_workbook(path: Path) -> Path:
    """Seed 003's table as typed in Excel: the period in the title, total and change columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Crime summary"
    sheet["A1"] = "Summary of crime performance for 1/4/16 to 31/3/17"
    sheet.append([])
    sheet.append(["Crime", "Total crimes", "No. change", "% change"])
    for seed in SEED_003:
        sheet.append(
            [
                seed.name,
                int(seed.value),
                seed.change.replace("+", "+ ").replace("-", "- "),
                seed.percent,
            ]
        )
    book.save(path)
    return path


def police_summary_workbook(path: Path, *, bad: str | None = None) -> Path:
    """Seed 004's figures as a police summary: period columns, numbers, % formatted cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rochford"
    sheet["A1"] = "Rochford District – Performance Summary"
    sheet["A2"] = "Source: iQuanta"
    sheet.append([])
    sheet.append(
        [
            "Crime category",
            "01 April 2013 to 31 December 2013",
            "01 April 2012 to 31 December 2012",
            "Difference",
            "% change",
        ]
    )
    sheet.append(["Acquisitive crime"])  # a section heading without figures
    for seed in SEED_004:
        if seed.unit == "%":
            sheet.append([seed.name, float(seed.value) / 100, float(seed.previous) / 100])
            sheet.cell(sheet.max_row, 2).number_format = "0.0%"
            sheet.cell(sheet.max_row, 3).number_format = "0.0%"
            continue
        value = int(seed.value) if seed.value else "n/a"
        previous = int(seed.previous) if seed.previous else "n/a"
        percent = None
        if seed.value:
            percent = (int(seed.value) - int(seed.previous)) / int(seed.previous)
        sheet.append([seed.name, value, previous, None, percent])
        sheet.cell(sheet.max_row, 5).number_format = "0.0%" if seed.decimals else "0%"
    if bad is not None:
        sheet.append(["Robbery", bad, 12])
    book.save(path)
    return path


def test_seed_003_table_imported(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    read = read_figures(seed_003_workbook(tmp_path / "thurrock.xlsx"))
    assert read.problems == ()
    preview = workspace.read(preview_figures, plan_id, read)
    assert [line.name for line in preview.to_create] == [s.name for s in SEED_003]
    assert {v.quarter for line in preview.lines for v in line.values} == {4}
    assert [line.decimals for line in preview.lines] == [s.decimals for s in SEED_003]
    workspace.write(apply_figures, preview)
    rows = workspace.read(figures.performance_table, plan_id, 4)
    assert [(r.name, r.value, r.previous, r.change, r.percent_change) for r in rows] == [
        (s.name, s.value, s.previous, s.change, s.percent) for s in SEED_003
    ]
    assert [r.unit for r in rows] == ["crimes"] * 3 + ["offences"] * 2 + ["crimes"]


def test_police_summary_imported_and_undone(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.write(make_plan_2013)
    target = workspace.read(priority_ids, plan_id)[2]
    before = workspace.read(export_workspace)
    read = read_figures(police_summary_workbook(tmp_path / "rochford.xlsx"))
    assert read.source == "iQuanta" and read.problems == ()
    preview = workspace.read(preview_figures, plan_id, read, priority_id=target)
    assert preview.priority == "Reduce serious acquisitive crime and acquisitive crime"
    assert [v.label for line in preview.lines for v in line.values] == ["1 Apr – 31 Dec 2013"] * 8
    change = workspace.write(apply_figures, preview)
    rows = workspace.read(figures.performance_table, plan_id, 3)
    assert [(r.name, r.summary) for r in rows] == [(s.name, s.summary) for s in SEED_004]
    solved = next(r for r in rows if r.unit == "%")
    assert (solved.value, solved.better, solved.direction) == ("26.1%", "up", "better")
    assert {r.priority_id for r in rows} == {target} and {r.source for r in rows} == {"iQuanta"}
    # Importing again matches every indicator and replaces nothing.
    again = workspace.read(preview_figures, plan_id, read, priority_id=target)
    assert again.to_create == () and not any(
        v.replaces for line in again.lines for v in line.values
    )
    workspace.write(change.revert)
    assert workspace.read(export_workspace) == before


def test_bad_cell_is_named_and_nothing_changes(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.write(make_plan_2013)
    before = workspace.read(export_workspace)
    read = read_figures(police_summary_workbook(tmp_path / "bad.xlsx", bad="about forty"))
    assert [p.describe() for p in read.problems] == [
        "sheet 'Rochford', row 14, column B: 'about forty' is not a figure (for 'Robbery')"
    ]
    preview = workspace.read(preview_figures, plan_id, read)
    assert not preview.ok
    with pytest.raises(ImportRefused, match=r"bad\.xlsx, sheet 'Rochford', row 14, column B"):
        workspace.write(apply_figures, preview)
    assert workspace.read(export_workspace) == before


def test_quarter_columns_pair_with_last_year(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["", "Q1 2015/16", "Q1 2016/17", "Q2 2015/16", "Q2 2016/17"])
    sheet.append(["ASB incidents", 410, 400, 420, 430])
    book.save(tmp_path / "q.xlsx")
    read = read_figures(tmp_path / "q.xlsx")
    preview = workspace.read(preview_figures, plan_id, read)
    values = preview.lines[0].values
    assert [(v.quarter, v.value, v.previous) for v in values] == [(1, 400, 410), (2, 430, 420)]
    workspace.write(apply_figures, preview)
    row = workspace.read(figures.performance_table, plan_id, 2)[0]
    assert (row.period, row.change, row.percent_change) == ("1 Jul – 30 Sep 2016", "+10", "+2.4%")


def test_refusals(tmp_path: Path) -> None:
    text = tmp_path / "figures.xlsx"
    text.write_text("Crime,Total\nRobbery,144\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="text file"):
        read_figures(text)
    book = openpyxl.Workbook()
    book.active.append(["Minutes of the meeting"])
    book.save(tmp_path / "minutes.xlsx")
    with pytest.raises(ImportRefused, match="no table of figures"):
        read_figures(tmp_path / "minutes.xlsx")


@pytest.mark.parametrize(
    ("name", "heading", "unit"),
    [
        ("Burglary Dwelling", "Category", "crimes"),  # issue 25: its headline lost "crimes"
        ("Theft from a motor vehicle", "", "crimes"),
        ("Anti-Social Behaviour", "Crime type", "incidents"),
        ("Domestic abuse victims", "", "victims"),
        ("Sexual offences", "", "offences"),
        ("Referrals to the hub", "", "count"),
    ],
)
def test_what_a_new_indicator_counts(name: str, heading: str, unit: str) -> None:
    from cspdesk.io.figures_import import unit_for

    assert unit_for(name, heading, rate=False) == unit
