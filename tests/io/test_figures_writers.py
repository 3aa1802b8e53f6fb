"""The performance and funding sections written to real PDF, HTML and Excel files and read back:
the seed 003 table and the seed 004 figures to the digit."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate

from cspdesk.core import figures, funding
from cspdesk.io.html_figures import funding_html, performance_html
from cspdesk.io.pdf_figures import funding_flowables, performance_flowables
from cspdesk.io.xlsx_figures import write_funding_sheet, write_performance_sheet
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


def test_over_allocation_in_every_format(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    workspace.write(funding.add_allocation, grant.id, "£13K", priority_id=pid)
    summary = workspace.read(funding.funding_summary, plan_id)
    html = funding_html(summary)
    assert 'class="warning"' in html and "Over-allocated: PCC grant is £12,527" in html
    assert "-£473 (over-allocated)" in html
    book = openpyxl.Workbook()
    write_funding_sheet(book, summary)
    book.save(tmp_path / "f.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["Funding"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Warning: Over-allocated: PCC grant") for t in texts)


def test_excel_sheets(seeded: tuple[Workspace, int, int], tmp_path: Path) -> None:
    workspace, plan_003, plan_004 = seeded
    book = openpyxl.Workbook()
    book.remove(book.active)
    write_performance_sheet(book, workspace.read(figures.performance_table, plan_003, 4))
    write_performance_sheet(
        book, workspace.read(figures.performance_table, plan_004, 3), title="Performance 2013-14"
    )
    write_funding_sheet(book, workspace.read(funding.funding_summary, plan_004))
    path = tmp_path / "figures.xlsx"
    book.save(path)
    read = openpyxl.load_workbook(path)
    sheet = read["Performance"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == len(SEED_003)
    for line, seed in zip(lines, SEED_003, strict=True):
        assert line[col["Indicator"]] == seed.name
        assert line[col["Figure"]] == int(seed.value)  # a number, not text
        assert line[col["Same period last year"]] == int(seed.previous)
        assert line[col["Change"]] == int(seed.change)
        percent = line[col["% change"]]
        assert isinstance(percent, float)
        # The cell holds the rounded percentage; its format prints it as the report does.
        assert f"{percent * 100:+.{seed.decimals}f}%" == seed.percent
    cells = {c.value: c for c in sheet["B"]}
    vehicle = sheet.cell(cells["Vehicle offences"].row, col["% change"] + 1)
    assert vehicle.number_format == "+0.0%;-0.0%;0.0%"
    burglary = sheet.cell(cells["Burglary in dwelling"].row, col["% change"] + 1)
    assert burglary.number_format == "+0%;-0%;0%"
    rates = {
        row[col["Indicator"]]: row
        for row in read["Performance 2013-14"].iter_rows(min_row=2, values_only=True)
    }
    solved = rates["All Crime solved rate"]
    assert (solved[col["Figure"]], solved[col["Change"]], solved[col["Better or worse"]]) == (
        26.1,
        1.8,
        "Better",
    )
    assert rates["Repeat victims of Domestic Abuse"][col["Figure"]] is None
    money = list(read["Funding"].iter_rows(min_row=2, max_row=7, values_only=True))
    assert money[1][:4] == ("Reduce repeat incidents of domestic abuse by 2014", 7000, 5700, 1300)
    assert money[-1][:4] == ("Total", 23000, 5700, 17300)


def test_excel_text_is_never_a_formula(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    workspace.write(figures.add_indicator, '=HYPERLINK("http://x","y")', priority_id=pid)
    book = openpyxl.Workbook()
    write_performance_sheet(book, workspace.read(figures.performance_table, plan_id))
    book.save(tmp_path / "x.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "x.xlsx")["Performance"]["B2"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


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
