"""What only a cspdesk export holds, read back so that export → import → export is exact: the
plan's introduction sheet and the actions' start and due dates (from its "All actions" sheet).
"""

from __future__ import annotations

from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.io.xlsx_book import SheetGrid
from cspdesk.io.xlsx_headers import map_header_row
from cspdesk.io.xlsx_values import as_text, is_blank, parse_date

INTRODUCTION = "Introduction"


def introduction_of(sheet: SheetGrid) -> str | None:
    """The text of an "Introduction" sheet (its first cell says so), else None."""
    texts = [as_text(v) for row in sheet.rows for v in row if not is_blank(v)]
    if not texts or texts[0].casefold() != INTRODUCTION.casefold():
        return None
    return "\n".join(texts[1:])


def dates_from_flat(draft: PlanDraft, sheet: SheetGrid) -> bool:
    """Give the draft's actions the start and due dates of the export's flat sheet, row by row
    in the same order; False (nothing changed) when the rows are not the same actions."""
    first = next((i for i, row in enumerate(sheet.rows[:5]) if map_header_row(row)), None)
    if first is None:
        return False
    header = map_header_row(sheet.rows[first])
    assert header is not None
    at = {name: i for i, name in enumerate(header[1]) if name is not None}
    rows = [row for row in sheet.rows[first + 1 :] if any(not is_blank(v) for v in row)]
    actions = draft.actions()

    def cell(row: list[object], name: str) -> object:
        index = at.get(name)
        return row[index] if index is not None and index < len(row) else None

    pairs = list(zip(rows, actions, strict=False))
    if len(rows) != len(actions) or any(as_text(cell(r, "action")) != a.title for r, a in pairs):
        return False
    for row, action in pairs:
        action.start_date = parse_date(cell(row, "start_date"))[0]
        action.due_date = parse_date(cell(row, "due_date"))[0]
    return True
