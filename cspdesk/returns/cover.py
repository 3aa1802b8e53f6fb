"""The return's Cover sheet: what cspdesk writes on it (returns.sheets lays it out), and the
words a partner added to it, found by comparing the cover read back with the cover made.

Only the "Completed by" cells are the partner's to fill in (read.py reads them); anything else
typed on the cover (a phone number beside the name, a note under it) is listed to the officer
as not merged, with its cell and text, so no word is lost without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from cspdesk.core.plan import periods
from cspdesk.core.plan.model import RagStatus
from cspdesk.io.xlsx_book import column_letter
from cspdesk.returns.cells import cell_text, is_blank
from cspdesk.returns.diff import Problem, WrittenCell
from cspdesk.returns.layout import ACTIONS_SHEET, COMPLETED_BY, COVER_SHEET

CoverLine = tuple[str, str, str]  # label (column A), text (column B), the look it is written in
CoverCell = tuple[int, int, Any]  # row from 1, column from 0, the value read


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def cover_lines(
    partnership: str, year: str, quarter: int, lead: str, due: dt.date, count: int, token: str
) -> list[CoverLine]:
    """The cover's lines above its RAG key, one a row from row 1."""
    start, end = periods.quarter_bounds(year, quarter)
    return [
        ("", partnership, "cover_title"),
        ("", f"Partnership Plan {year}: {periods.quarter_title(year, quarter)}", "cover_subtitle"),
        ("Lead", lead, "cover_text"),
        ("Quarter", f"Q{quarter} {year} ({long_date(start)} to {long_date(end)})", "cover_text"),
        ("Please return by", long_date(due), "cover_text"),
        ("Actions", str(count), "cover_text"),
        ("Reference", f"{year} Q{quarter} · {token[:8]}", "cover_text"),
        (COMPLETED_BY[0], "", "cover_input"),
        (COMPLETED_BY[1], "", "cover_input"),
        ("", "", "cover_text"),
        ("", "How to fill in this return", "cover_heading"),
        (
            "1.",
            f"The '{ACTIONS_SHEET}' sheet lists the actions (and their milestones) that "
            f"{lead} leads in the plan.",
            "cover_text",
        ),
        (
            "2.",
            "For each action, write this quarter's progress in 'This quarter's update' and "
            "choose its RAG status from the drop-down list.",
            "cover_text",
        ),
        (
            "3.",
            "For each milestone, give the date it was done in 'Done date' (dd/mm/yyyy) "
            "and its RAG status.",
            "cover_text",
        ),
        (
            "4.",
            "Only the yellow cells can be changed; the rest is the plan. If something in "
            "the plan is wrong, say so in the update.",
            "cover_text",
        ),
        (
            "5.",
            "New work that is not in the plan: write it in the empty yellow rows under the "
            "last action (what it is, this quarter's update, its RAG status); we will place "
            "it in the plan.",
            "cover_text",
        ),
        (
            "6.",
            "Say who filled in the return under 'Completed by' above. If several organisations "
            "answer this return, each fills in its own copy of the file.",
            "cover_text",
        ),
        (
            "7.",
            "Please do not rename the sheets. Save the file as .xlsx (keep its name) and "
            "email it back by the date above.",
            "cover_text",
        ),
        ("", "", "cover_text"),
        ("", "RAG key", "cover_heading"),
    ]


def made_cover(
    stamp: dict[str, str], count: int, scheme: Iterable[RagStatus]
) -> dict[tuple[int, int], str] | None:
    """The cover's texts as made, by (row, column) from (1, 0): from the return's stamp, its
    count of actions and the RAG key; None when the stamp lacks what the cover showed."""
    try:
        due = dt.date.fromisoformat(stamp["due_date"])
        lines = cover_lines(
            stamp["partnership"],
            stamp["plan_year"],
            int(stamp["quarter"]),
            stamp["lead"],
            due,
            count,
            stamp["token"],
        )
    except (KeyError, ValueError):
        return None
    texts = [(label, text) for label, text, _ in lines]
    texts += [(status.label, status.meaning or "") for status in scheme]
    return {
        (row, column): value
        for row, pair in enumerate(texts, start=1)
        for column, value in enumerate(pair)
        if value
    }


def added_words(
    cells: Iterable[CoverCell], made: dict[tuple[int, int], str] | None
) -> list[tuple[WrittenCell, Problem]]:
    """The cover's cells that differ from the cover as made, each with its note; the
    "Completed by" answers (beside their labels in column A) are the partner's, read apart.
    Without the cover as made (its stamp sheet lost), only cells right of the cover's two
    columns count."""
    grid = {(row, column): value for row, column, value in cells}
    answers = {
        (row, 1)
        for (row, column), value in grid.items()
        if column == 0 and cell_text(value).strip() in COMPLETED_BY
    }
    found = []
    for (row, column), value in sorted(grid.items()):
        if is_blank(value) or (row, column) in answers:
            continue
        text = cell_text(value)
        if made is not None and made.get((row, column)) == text:
            continue
        if made is None and column < 2:
            continue
        letter = column_letter(column)
        found.append(
            (
                WrittenCell(COVER_SHEET, row, letter, value),
                Problem(
                    f"{text[:200]!r} written on the cover was not merged (cspdesk keeps only "
                    "'Completed by' from the cover); copy it into the plan yourself if it "
                    "is needed",
                    COVER_SHEET,
                    row,
                    letter,
                ),
            )
        )
    return found
