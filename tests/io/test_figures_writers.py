"""The performance and funding sections written to real PDF, HTML and Excel files and read back:
the seed 003 table and the seed 004 figures to the digit."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate

from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.errors import CspdeskError
from cspdesk.io.xlsx_figures import write_performance_sheet
from cspdesk.io.xlsx_funding import write_funding_sheet
from cspdesk.report.html.figures import performance_html
from cspdesk.report.html.funding import funding_html
from cspdesk.report.pdf.figures import performance_flowables
from cspdesk.report.pdf.funding import funding_flowables
from cspdesk.store.db import Workspace
from tests.seed_figures import (
    SEED_003,
    SEED_004,
    enter_seed_003,
    enter_seed_004,
    first_plan_id,
    make_plan_2013,
    priority_ids,
)


@pytest.fixture
def seeded(workspace: Workspace) -> tuple[Workspace, int, int]:
    plan_003 = workspace.read(first_plan_id)
    workspace.write(enter_seed_003, plan_003)
    plan_004 = workspace.write(make_plan_2013)
    workspace.write(enter_seed_004, plan_004)
    return workspace, plan_003, plan_004


def pdf_text(path: Path, flowables: list) -> str:
    SimpleDocTemplate(str(path), pagesize=landscape(A4), title="Figures").build(flowables)
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_seed_003_table(seeded: tuple[Workspace, int, int], tmp_path: Path) -> None:
    workspace, plan_id, _ = seeded
    rows = workspace.read(figures.performance_table, plan_id, 4)
    text = squash(pdf_text(tmp_path / "p.pdf", performance_flowables(rows)))
    for seed in SEED_003:
        # One table line: name, period, figure, last year, change, % change, in that order.
        line = (
            f"{seed.name} Source: Police STORM database 1 Apr 2016 – 31 Mar 2017 "
            f"{seed.value} {seed.previous} {seed.change} {seed.percent}"
        )
        assert line in text, line
    assert "Worse: 4% increase (28 crimes)" in text


def test_pdf_seed_004_figures(seeded: tuple[Workspace, int, int], tmp_path: Path) -> None:
    workspace, _, plan_id = seeded
    rows = workspace.read(figures.performance_table, plan_id, 3)
    summary = workspace.read(funding.funding_summary, plan_id)
    story = performance_flowables(rows) + funding_flowables(summary)
    text = squash(pdf_text(tmp_path / "p.pdf", story))
    for seed in SEED_004:
        assert seed.summary in text, seed.summary
    assert (
        "All Crime solved rate Source: Police STORM database 1 Apr – 31 Dec 2013 26.1% 24.3% "
        "+1.8 points Better: 1.8% better" in text
    )
    assert (
        "Burglary Dwelling Source: iQuanta 1 Apr – 31 Dec 2013 206 168 +38 +22.6% "
        "Worse: 22.6% increase (38 crimes)" in text
    )
    assert "Reduce repeat incidents of domestic abuse by 2014 £7,000 £5,700 £1,300" in text
    assert "Total £23,000 £5,700 £17,300" in text
    assert "PCC grant – Rochford District CSP £13,000 £11,000 £2,000" in text
    assert "Warning" not in text


def test_pdf_escapes_user_text(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    evil = 'Hate <b>crime</b> & <img src="/etc/passwd"/> <a href="http://x">x</a>'
    added = workspace.write(figures.add_indicator, evil, priority_id=pid, source="<i>STORM</i>")
    workspace.write(figures.set_value, added.id, "10", "12", quarter=1)
    grant = workspace.write(funding.add_grant, plan_id, "PCC <grant>", "£100", "<font size=40>")
    workspace.write(funding.add_allocation, grant.id, "£200", priority_id=pid)
    rows = workspace.read(figures.performance_table, plan_id, 1)
    summary = workspace.read(funding.funding_summary, plan_id)
    text = squash(
        pdf_text(tmp_path / "e.pdf", performance_flowables(rows) + funding_flowables(summary))
    )
    assert evil in text
    assert "Source: <i>STORM</i>" in text and "<font size=40>" in text
    assert "Warning: Over-allocated: PCC <grant> is £100 but £200 is allocated" in text
    html = performance_html(rows) + funding_html(summary)
    assert "<img" not in html and "&lt;img src=" in html and "<b>crime" not in html


def write_xlsx(path: Path, *writers: Callable[[Any], object]) -> openpyxl.Workbook:
    """Each writer run on one XlsxWriter workbook with its default options, read back."""
    book = xlsxwriter.Workbook(str(path))
    for write in writers:
        write(book)
    book.close()
    return openpyxl.load_workbook(path)


def test_over_allocation_in_every_format(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    workspace.write(funding.add_allocation, grant.id, "£13K", priority_id=pid)
    summary = workspace.read(funding.funding_summary, plan_id)
    html = funding_html(summary)
    assert 'class="warning"' in html and "Over-allocated: PCC grant is £12,527" in html
    assert "-£473 (over-allocated)" in html
    read = write_xlsx(tmp_path / "f.xlsx", lambda book: write_funding_sheet(book, summary))
    warning = read["Funding"]["A1"]
    assert warning.value == (
        "Warning: Over-allocated: PCC grant is £12,527 but £13,000 is allocated (£473 too much)"
    )
    assert warning.font.b and warning.font.color.rgb == "FFB03A2E"


def test_excel_sheets(seeded: tuple[Workspace, int, int], tmp_path: Path) -> None:
    workspace, plan_003, plan_004 = seeded
    rows_003 = workspace.read(figures.performance_table, plan_003, 4)
    rows_004 = workspace.read(figures.performance_table, plan_004, 3)
    summary = workspace.read(funding.funding_summary, plan_004)
    read = write_xlsx(
        tmp_path / "figures.xlsx",
        lambda book: write_performance_sheet(book, rows_003),
        lambda book: write_performance_sheet(book, rows_004, title="Performance 2013-14"),
        lambda book: write_funding_sheet(book, summary),
    )
    sheet = read["Performance"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == len(SEED_003)
    for line, seed in zip(lines, SEED_003, strict=True):
        assert line[col["Indicator"]] == seed.name
        assert line[col["This year"]] == int(seed.value)  # a number, not text
        assert line[col["Same period last year"]] == int(seed.previous)
        assert line[col["Change"]] == int(seed.change)
        percent = line[col["% change"]]
        assert isinstance(percent, float)
        # The cell holds the rounded percentage; its format prints it as the report does.
        assert f"{percent * 100:+.{seed.decimals}f}%" == seed.percent
        assert line[col["Better or worse"]] == "Worse" if seed.change.startswith("+") else "Better"
    cells = {c.value: c for c in sheet["C"]}
    vehicle = sheet.cell(cells["Vehicle offences"].row, col["% change"] + 1)
    assert vehicle.number_format == "+0.0%;-0.0%;0.0%"
    burglary = sheet.cell(cells["Burglary in dwelling"].row, col["% change"] + 1)
    assert burglary.number_format == "+0%;-0%;0%"
    assert sheet.cell(cells["Vehicle offences"].row, col["This year"] + 1).number_format == "0"
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == "A1:O7"
    by_name = {
        row[col["Indicator"]]: row
        for row in read["Performance 2013-14"].iter_rows(min_row=2, values_only=True)
    }
    for seed in SEED_004:
        wanted = f"{seed.summary} in {seed.name}" if seed.value else f"{seed.name}: {seed.summary}"
        assert by_name[seed.name][col["Summary"]] == wanted
    solved = by_name["All Crime solved rate"]
    assert (solved[col["This year"]], solved[col["Change"]], solved[col["Better or worse"]]) == (
        26.1,
        1.8,
        "Better",
    )
    assert solved[col["% change"]] is None
    rates = read["Performance 2013-14"]
    rate_cells = next(r for r in rates.iter_rows() if r[2].value == "All Crime solved rate")
    assert rate_cells[col["This year"]].number_format == '0.0"%"'
    assert rate_cells[col["Change"]].number_format == '+0.0" points";-0.0" points";0.0" points"'
    assert by_name["Repeat victims of Domestic Abuse"][col["This year"]] is None
    money = list(read["Funding"].iter_rows(values_only=True))
    assert money[0][:4] == ("Priority", "Allocated", "Spent to date", "Remaining")
    assert money[2][:4] == ("Reduce repeat incidents of domestic abuse by 2014", 7000, 5700, 1300)
    assert money[6][:4] == ("Total", 23000, 5700, 17300)
    assert money[8] == (
        "Grant", "Amount", "Allocated", "Not yet allocated", "Spent to date", "Conditions"
    )  # fmt: skip
    assert money[9][:5] == ("PCC grant – Rochford District CSP", 13000, 11000, 2000, 5700)
    assert read["Funding"]["B3"].number_format == '"£"#,##0;-"£"#,##0'


def test_excel_money_prints_pennies_only_when_there_are_some(
    workspace: Workspace, tmp_path: Path
) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£14,019")
    allocation = workspace.write(funding.add_allocation, grant.id, "£4K", priority_id=pid)
    workspace.write(funding.add_spend, allocation.id, "£1,250.50")
    summary = workspace.read(funding.funding_summary, plan_id)
    sheet = write_xlsx(tmp_path / "m.xlsx", lambda book: write_funding_sheet(book, summary))[
        "Funding"
    ]
    first = sheet[2]
    assert [c.value for c in first[:4]] == [summary.lines[0].title, 4000, 1250.5, 2749.5]
    assert first[1].number_format == '"£"#,##0;-"£"#,##0'
    assert first[2].number_format == first[3].number_format == '"£"#,##0.00;-"£"#,##0.00'


def test_excel_text_is_never_a_formula(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    workspace.write(figures.add_indicator, '=HYPERLINK("http://x","y")', priority_id=pid)
    rows = workspace.read(figures.performance_table, plan_id)
    read = write_xlsx(tmp_path / "x.xlsx", lambda book: write_performance_sheet(book, rows))
    cell = read["Performance"]["C2"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    assert cell.quotePrefix


def test_excel_text_too_long_for_a_cell_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    workspace.write(figures.add_indicator, "Robbery", priority_id=pid, source="x" * 40_000)
    rows = workspace.read(figures.performance_table, plan_id)
    with pytest.raises(CspdeskError, match=r"sheet 'Performance', row 2: 40000 characters"):
        write_xlsx(tmp_path / "x.xlsx", lambda book: write_performance_sheet(book, rows))


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.captions = 0
        self.scopes: list[str] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.captions += tag == "caption"
        self.svgs += tag == "svg"
        if tag == "th":
            self.scopes.append(dict(attrs).get("scope") or "")


def test_html_tables(seeded: tuple[Workspace, int, int]) -> None:
    workspace, _, plan_id = seeded
    rows = workspace.read(figures.performance_table, plan_id, 3)
    html = performance_html(rows) + funding_html(workspace.read(funding.funding_summary, plan_id))
    parser = _Tables()
    parser.feed(html)
    assert parser.captions == 3 + 2  # a table per priority with figures, then funding, grants
    assert parser.scopes and all(scope in ("col", "row") for scope in parser.scopes)
    assert parser.svgs == sum(1 for r in rows if r.value)  # a chart per indicator with figures
    assert '<td class="num">+22.6%</td>' in html
    assert '<td class="worse">Worse: 22.6% increase (38 crimes)</td>' in html
    assert '<td class="better">Better: 1.8% better</td>' in html
