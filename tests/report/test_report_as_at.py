"""As at means as at: an appendix reprinted months later says only what was known at its
quarter's end, in the PDF, the HTML and the Word appendix alike (issue 25's cases)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Priority
from cspdesk.report.html import render_html
from cspdesk.report.model import ReportModel
from cspdesk.report.pdf import write_pdf
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace
from tests.report.report_helpers import pdf_text, squash

pytestmark = pytest.mark.both_engines
MARCH = dt.date(2017, 3, 15)  # the appendices are reprinted in March


def _later_news(session: Session) -> None:
    """Q3 figures, spending in May and November, and a milestone due in October, not done."""
    first, second = session.scalars(select(Priority.id).order_by(Priority.position)).all()[:2]
    indicator = figures.add_indicator(
        session, "Burglary Dwelling", priority_id=second, unit="crimes", source="Essex Police"
    )
    figures.set_value(session, indicator.id, "206", "168", quarter=3)
    grant = funding.add_grant(session, 1, "PCC grant", "£12,527")
    allocation = funding.add_allocation(session, grant.id, "£4,000", priority_id=first)
    funding.add_spend(session, allocation.id, "£1,000", spent_on=dt.date(2016, 5, 12))
    funding.add_spend(session, allocation.id, "£1,250.50", spent_on=dt.date(2016, 11, 1))
    j9 = session.scalar(select(Action.id).where(Action.title.like("Re-introduce the J9%")))
    ops.add_item(
        session, "milestone", j9, title="J9 training delivered", due_date=dt.date(2016, 10, 31)
    )


def _outputs(workspace: Workspace, quarter: int, folder: Path) -> dict[str, str]:
    """What a reader reads of the quarter's appendix: the PDF's text and the HTML's."""
    model: ReportModel = workspace.read(build_quarter_report, 1, quarter, today=MARCH)
    pdf = folder / f"q{quarter}.pdf"
    write_pdf(model, pdf)
    return {"pdf": squash(" ".join(pdf_text(pdf)[1])), "html": html_words(render_html(model))}


def html_words(page: str) -> str:
    """The words of an HTML page as read (chart text included), without its markup or styles."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.DOTALL)
    return squash(unescape(re.sub(r"<[^>]+>", " ", page)))


def test_an_old_quarter_reprinted_later_says_only_what_was_known(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.write(_later_news)
    for name, text in _outputs(workspace, 1, tmp_path).items():
        assert "as at 30 June 2016" in text, name
        assert not re.search(r"\b(206|168)\b", text), name  # Q3's figures, nowhere
        assert "no figures entered" in text, name
        assert "£1,000" in text and "£2,250.50" not in text and "£1,250.50" not in text, name
        assert "J9 training delivered – due 31 Oct 2016" in text, name  # not yet overdue
        assert "overdue" not in text, name
    for name, text in _outputs(workspace, 3, tmp_path).items():
        assert "as at 31 December 2016" in text, name
        assert "22.6% increase (38 crimes) in Burglary Dwelling" in text, name
        assert "£2,250.50" in text, name
        assert "J9 training delivered – overdue – due 31 Oct 2016" in text, name
        # Nothing was reported for Q3: Q1's RAG is carried, and says so.
        assert "Green (Q1)" in text and "Amber (Q1)" in text, name


def test_a_milestone_done_after_the_quarter_was_overdue_then(
    workspace: Workspace, tmp_path: Path
) -> None:
    def done_late(session: Session) -> None:
        j9 = session.scalar(select(Action.id).where(Action.title.like("Re-introduce the J9%")))
        ops.add_item(
            session,
            "milestone",
            j9,
            title="Trainers booked",
            due_date=dt.date(2016, 9, 15),
            done_date=dt.date(2016, 11, 2),
        )

    workspace.write(done_late)
    q2 = _outputs(workspace, 2, tmp_path)
    q3 = _outputs(workspace, 3, tmp_path)
    for name in ("pdf", "html"):
        assert "Trainers booked – overdue – due 15 Sep 2016" in q2[name], name
        assert "done 2 Nov 2016" not in q2[name], name
        assert "Trainers booked – done 2 Nov 2016" in q3[name], name


def test_the_export_shows_each_indicators_latest_figures_with_their_period(
    workspace: Workspace, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from cspdesk.io.xlsx_plan_write import export_plan_xlsx

    workspace.write(_later_news)  # the plan's current quarter is still Q1
    target = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, 1, target)
    sheet = load_workbook(target, read_only=True)["Performance"]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    heading, line = rows[0], rows[1]
    got = dict(zip(heading, line, strict=True))
    assert got["Indicator"] == "Burglary Dwelling"
    assert got["Period"] == "1 Apr – 31 Dec 2016"
    assert (got["This year"], got["Same period last year"]) == (206, 168)
    assert got["Summary"] == "22.6% increase (38 crimes) in Burglary Dwelling"


def test_the_export_marks_milestones_overdue_as_at_the_plans_quarter_and_reads_back(
    workspace: Workspace, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from cspdesk.io.xlsx_plan_write import export_plan_xlsx
    from cspdesk.io.xlsx_values import parse_milestones

    def late(session: Session) -> None:
        j9 = session.scalar(select(Action.id).where(Action.title.like("Re-introduce the J9%")))
        ops.add_item(session, "milestone", j9, title="Venue booked", due_date=dt.date(2016, 6, 1))
        ops.add_item(session, "milestone", j9, title="Trainers found", due_date=dt.date(2016, 9, 1))

    workspace.write(late)  # the plan's current quarter is Q1: as at 30 June 2016
    target = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, 1, target)
    cells = [
        str(value)
        for row in load_workbook(target, read_only=True)["All actions"].iter_rows(values_only=True)
        for value in row
        if value and "Venue booked" in str(value)
    ]
    assert cells and "• Venue booked (due 01/06/2016, overdue)" in cells[0]
    assert "• Trainers found (due 01/09/2016)" in cells[0]  # not due yet at Q1's end
    drafts, notes = parse_milestones(cells[0], lambda label: label)
    venue = next(d for d in drafts if d.title == "Venue booked")
    assert (venue.due_date, venue.done_date, notes) == (dt.date(2016, 6, 1), None, [])


def test_undated_spending_is_printed_apart_from_the_quarters_total(
    workspace: Workspace, tmp_path: Path
) -> None:
    def spend(session: Session) -> None:
        first = session.scalars(select(Priority.id).order_by(Priority.position)).first()
        grant = funding.add_grant(session, 1, "PCC grant", "£12,527")
        allocation = funding.add_allocation(session, grant.id, "£4,000", priority_id=first)
        funding.add_spend(session, allocation.id, "£1,000", spent_on=dt.date(2016, 5, 12))
        funding.add_spend(session, allocation.id, "£333")

    workspace.write(spend)
    for name, text in _outputs(workspace, 1, tmp_path).items():
        assert "£1,000 £3,000" in text, name  # spent and remaining: the dated spend only
        assert "£1,333" not in text and "£2,667" not in text, name
        assert "Undated spending: £333 has no date, so it is not counted" in text, name
