"""A partnership's whole quarter of returns, filled in as each partner would (shared by tests).

Every partner writes its own words for every action it leads, joint actions included; on joint
actions the first lead in alphabetical order says Green and every other says Amber, so those
partners disagree on the RAG.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from cspdesk.returns.layout import COLUMN_INDEX, parse_row_id

UPDATE_COL = COLUMN_INDEX["update"] + 1
RAG_COL = COLUMN_INDEX["rag"] + 1


@dataclass(frozen=True)
class Written:
    lead: str
    action_id: int
    text: str
    rag: str | None  # the label typed, None when left as shown


def lead_of(path: Path) -> str:
    """ "2016-17 Q2 return – Essex Police.xlsx" -> "Essex Police"."""
    return path.stem.split(" – ", 1)[1]


def fill_batch(paths: list[Path], joint: set[int]) -> list[Written]:
    """Fill every return as its partner would; what each one wrote."""
    written: list[Written] = []
    first_lead: dict[int, str] = {}
    for path in sorted(paths, key=lambda p: lead_of(p).casefold()):
        lead = lead_of(path)
        book = load_workbook(path)
        sheet = book["Actions"]
        for row in range(2, sheet.max_row + 1):
            parsed = parse_row_id(sheet.cell(row, 1).value)
            if parsed is None or parsed[0] != "action":
                continue
            action_id = parsed[1]
            text = f"{lead} did its part of action {action_id} this quarter."
            sheet.cell(row, UPDATE_COL).value = text
            rag = None
            if action_id in joint:
                rag = "Green" if first_lead.setdefault(action_id, lead) == lead else "Amber"
                sheet.cell(row, RAG_COL).value = rag
            written.append(Written(lead, action_id, text, rag))
        book.save(path)
    return written
