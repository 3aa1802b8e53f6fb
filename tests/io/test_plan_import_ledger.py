"""Nothing vanishes: every non-empty cell of every sheet read is stored in the draft (as a
title, lead, date, RAG, update, milestone or note) or listed as not imported with its sheet, row
and column; over every layout the tests know."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.io.typed_dates import read_typed_date
from cspdesk.io.xlsx_book import column_letter
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.io.xlsx_values import as_text, is_blank, parse_date
from tests.io import plan_layouts
from tests.io.xlsx_fixtures import google_style_layout, seed_000_layout, seed_004_layout

LAYOUTS = (*plan_layouts.ALL, seed_000_layout, seed_004_layout, google_style_layout)


def haystack(draft: PlanDraft) -> str:
    """Every text the draft would write, in one string."""
    parts = [draft.title, draft.version_label, draft.partnership, draft.introduction,
             draft.year or ""]  # fmt: skip
    parts += [h for m in draft.mappings for h in m.headers]
    for priority in draft.priorities:
        parts += [priority.title, *priority.fields.values()]
        for objective in priority.objectives:
            parts.append(objective.title)
            for a in objective.actions:
                parts += [a.title, a.outcomes, a.timescale, a.notes, a.ref, *a.lead_texts]
                parts += [text for text, _ in a.updates.values()]
                parts += [m.title for m in a.milestones]
    return "\n".join(parts).casefold()


# Words that mark structure rather than hold data: "Priority", "STRATEGIC PRIORITY 1:", the
# priority's label cells ("CSP Resources:").
STRUCTURE = {"priority", "strategic", "csp", "resources", "lead", "agencies", "key", "risks",
             "achieving", "target", "baseline", "performance", "indicators", "mitigations",
             "mitigate", "actions", "risk", "sub", "themes", "to"}  # fmt: skip
# A date at the end of a title becomes the action's due date ("Freedom Programme - Sept 13").
DATE_WORDS = re.compile(
    r"(?i)^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$|^\d{2,4}$"
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]{2,}", text.casefold()))


def readable_as_value(text: str, scheme: RagScheme, year: str | None) -> bool:
    """A cell stored as a RAG code, a date or a quarter rather than as its words."""
    try:
        if scheme.parse(text) is not None:
            return True
    except ValueError:
        pass
    return (
        parse_date(text)[0] is not None
        or read_typed_date(text, due=True, plan_year=year) is not None
        or re.fullmatch(r"(?i)(?:q[1-4]|[1-4](?:st|nd|rd|th) quarter)\s+update|\d{4}/\d{2}", text)
        is not None
    )


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_every_cell_is_stored_or_listed(tmp_path: Path, layout: Callable[[Path], Path]) -> None:
    scheme = RagScheme.default()
    book, draft = read_plan(layout(tmp_path / "plan.xlsx"), Directory(), scheme)
    texts = haystack(draft)
    listed = {(p.sheet, p.row, p.column) for p in draft.problems if p.level == "lost"}
    whole_sheets = {p.sheet for p in draft.problems if p.level == "lost" and p.row is None}
    for sheet in book.sheets:
        cells = {
            (r, c): value
            for r, row in enumerate(sheet.rows)
            for c, value in enumerate(row)
            if not is_blank(value)
        }
        if not cells:
            continue
        ledger = draft.ledger[sheet.name]
        stored, lost = ledger.cells("stored"), ledger.cells("lost")
        assert not stored & lost, sheet.name
        assert stored | lost == set(cells), (sheet.name, sorted(set(cells) ^ (stored | lost))[:5])
        for r, c in lost:  # each listed where the officer can find it
            assert sheet.name in whole_sheets or (sheet.name, r + 1, column_letter(c)) in listed
        for r, c in stored:
            text = as_text(cells[(r, c)])
            if not isinstance(cells[(r, c)], str) or readable_as_value(text, scheme, draft.year):
                continue
            missing = _words(text) - _words(texts) - STRUCTURE
            if any(a.due_date for a in draft.actions()):
                missing = {w for w in missing if not DATE_WORDS.match(w)}
            assert not missing, (sheet.name, r + 1, c, text, missing)


def test_a_row_of_furniture_and_a_key_beside_the_title_are_listed(tmp_path: Path) -> None:
    _, draft = read_plan(plan_layouts.working_sheet(tmp_path / "w.xlsx"), Directory(),
                         RagScheme.default())  # fmt: skip
    lost = {(p.row, p.column): p.message for p in draft.problems if p.level == "lost"}
    assert "a key (legend)" in lost[(1, "D")]
    assert "a note row" in lost[(7, "A")]
    assert "a total row" in lost[(8, "A")]
    assert "a key (legend)" in lost[(11, "A")] and "a key (legend)" in lost[(12, "B")]
    assert draft.title == "Community Safety Partnership Plan 2016/17"  # no key glued on
    # First in the preview: what was not imported.
    assert draft.problem_groups()[0][0] == "Not imported"
