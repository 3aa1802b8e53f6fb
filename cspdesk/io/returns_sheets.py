"""Build one partner return workbook (cover, protected actions sheet, hidden stamp)."""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cspdesk.core import periods
from cspdesk.core.model import RagStatus
from cspdesk.core.returns_scope import ActionRow, Lead, PlanInfo
from cspdesk.io.cells import set_text
from cspdesk.io.returns_layout import (
    ACTIONS_SHEET,
    COLUMN_INDEX,
    COLUMNS,
    COVER_SHEET,
    DATE_FORMAT,
    FORMAT,
    MANIFEST_KEY,
    MILESTONE_MARK,
    STAMP_SHEET,
    TOKEN_PROPERTY,
    VERSION,
    WORKSPACE_PROPERTY,
    digest,
    encode_manifest,
    row_id,
)

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

INPUT_FILL = "FFF8DC"
HEADER_FILL = "DDE4EE"


@dataclass(frozen=True)
class Stamp:
    """Where a return belongs: workspace, plan, quarter, lead, and its own token."""

    plan: PlanInfo
    quarter: int
    lead: Lead
    token: str
    made_at: dt.datetime
    due: dt.date

    def values(self) -> dict[str, str]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "workspace": self.plan.workspace_uid,
            "partnership": self.plan.partnership,
            "plan_id": str(self.plan.id),
            "plan_year": self.plan.year,
            "quarter": str(self.quarter),
            "agency_id": "" if self.lead.agency_id is None else str(self.lead.agency_id),
            "lead": self.lead.name,
            "token": self.token,
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "due_date": self.due.isoformat(),
            "sheet": ACTIONS_SHEET,
        }


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def build_workbook(stamp: Stamp, actions: list[ActionRow], scheme: list[RagStatus]) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.defined_name import DefinedName

    workbook = Workbook()
    cover = workbook.active
    cover.title = COVER_SHEET
    _cover(cover, stamp, len(actions), scheme)
    _actions(workbook.create_sheet(ACTIONS_SHEET), actions, scheme, stamp.lead.agency_id)
    _stamp(workbook.create_sheet(STAMP_SHEET), stamp, actions)
    workbook.custom_doc_props.append(StringProperty(name=TOKEN_PROPERTY, value=stamp.token))
    workbook.custom_doc_props.append(
        StringProperty(name=WORKSPACE_PROPERTY, value=stamp.plan.workspace_uid)
    )
    workbook.defined_names[TOKEN_PROPERTY] = DefinedName(
        TOKEN_PROPERTY, attr_text=f'"{stamp.token}"'
    )
    workbook.properties.title = f"{stamp.plan.year} Q{stamp.quarter} return – {stamp.lead.name}"
    workbook.properties.creator = stamp.plan.partnership
    return workbook


def _cover(ws: Worksheet, stamp: Stamp, count: int, scheme: list[RagStatus]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    q, year = stamp.quarter, stamp.plan.year
    start, end = periods.quarter_bounds(year, q)
    lines: list[tuple[str, str]] = [
        ("", f"{stamp.plan.partnership}"),
        ("", f"Partnership Plan {year}: {periods.quarter_title(year, q)}"),
        ("Lead", stamp.lead.name),
        ("Quarter", f"Q{q} {year} ({long_date(start)} to {long_date(end)})"),
        ("Please return by", long_date(stamp.due)),
        ("Actions", str(count)),
        ("Reference", f"{year} Q{q} · {stamp.token[:8]}"),
        ("", ""),
        ("", "How to fill in this return"),
        (
            "1.",
            f"The '{ACTIONS_SHEET}' sheet lists the actions (and their milestones) that "
            f"{stamp.lead.name} leads in the plan.",
        ),
        (
            "2.",
            "For each action, write this quarter's progress in 'This quarter's update' and "
            "choose its RAG status from the drop-down list.",
        ),
        (
            "3.",
            "For each milestone, give the date it was done in 'Done date' (dd/mm/yyyy) "
            "and its RAG status.",
        ),
        (
            "4.",
            "Only the yellow cells can be changed; the rest is the plan. If something in "
            "the plan is wrong, say so in the update.",
        ),
        (
            "5.",
            "Please do not rename the sheets. New work can be added in rows at the bottom: "
            "we will place it in the plan.",
        ),
        ("6.", "Save the file as .xlsx (keep its name) and email it back by the date above."),
        ("", ""),
        ("", "RAG key"),
    ]
    for label, text in lines:
        ws.append([label or None, None])
        set_text(ws.cell(ws.max_row, 2), text)
    for status in scheme:
        ws.append([None, None, None])
        row = ws.max_row
        set_text(ws.cell(row, 1), status.label)
        set_text(ws.cell(row, 2), status.meaning)
        ws.cell(row, 1).fill = PatternFill("solid", fgColor=status.colour.lstrip("#"))
        ws.cell(row, 1).font = Font(color=status.text_colour.lstrip("#"), bold=True)
    ws["B1"].font = Font(bold=True, size=14)
    ws["B2"].font = Font(bold=True, size=12)
    ws["B9"].font = ws["B17"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=3):
        row[1].alignment = wrap
    ws.protection.sheet = True


def _actions(
    ws: Worksheet, actions: list[ActionRow], scheme: list[RagStatus], agency_id: int | None
) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    labels = {s.code: s.label for s in scheme}
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    unlocked = Protection(locked=False)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, index, column.heading)
        cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "C2"
    col = {key: i + 1 for key, i in COLUMN_INDEX.items()}

    # Assigning a style object costs a lookup per cell (the bulk of the time for 40 returns):
    # style the first cell of each kind, then copy its style array to the rest.
    looks: dict[str, Any] = {
        "plain": {"alignment": wrap},
        "bold": {"alignment": wrap, "font": bold},
        "input": {"alignment": wrap, "fill": input_fill, "protection": unlocked},
        "date": {"alignment": wrap, "number_format": DATE_FORMAT},
        "input_date": {
            "alignment": wrap,
            "fill": input_fill,
            "protection": unlocked,
            "number_format": DATE_FORMAT,
        },
    }
    styles: dict[str, Any] = {}

    def style(cell: Any, look: str) -> None:
        cached = styles.get(look)
        if cached is None:
            for name, value in looks[look].items():
                setattr(cell, name, value)
            styles[look] = copy(cell._style)
        else:
            cell._style = copy(cached)

    def put(row: int, key: str, value: Any, look: str = "plain") -> None:
        cell = ws.cell(row, col[key])
        if isinstance(value, dt.date):
            cell.value = value
        else:
            set_text(cell, value)
        style(cell, look)

    row = 1
    for action in actions:
        row += 1
        ws.cell(row, col["id"], row_id("action", action.id))
        put(row, "context", f"{action.priority} › {action.objective}")
        put(row, "title", action.title, "bold")
        put(row, "outcomes", action.outcomes or None)
        put(row, "timescale", action.timescale or None)
        put(row, "last", action.last_update or None)
        shown_text, shown_rag = action.shown_to(agency_id)
        put(row, "update", shown_text or None, "input")
        put(row, "rag", labels.get(shown_rag or ""), "input")
        for milestone in action.milestones:
            row += 1
            ws.cell(row, col["id"], row_id("milestone", milestone.id))
            put(row, "title", MILESTONE_MARK + milestone.title)
            if milestone.due_date is not None:
                put(row, "timescale", milestone.due_date, "date")
            put(row, "rag", labels.get(milestone.rag or ""), "input")
            put(row, "done", milestone.done_date, "input_date")
    last = max(row, 2)
    rag_col = get_column_letter(col["rag"])
    choices = ",".join(s.label.replace(",", " ") for s in scheme)
    validation = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="RAG status",
        error=f"Please choose one of: {choices.replace(',', ', ')}",
    )
    validation.add(f"{rag_col}2:{rag_col}{last}")
    ws.add_data_validation(validation)
    for status in scheme:
        ws.conditional_formatting.add(
            f"{rag_col}2:{rag_col}{last}",
            CellIsRule(
                operator="equal",
                formula=[f'"{status.label}"'],
                fill=PatternFill("solid", bgColor=status.colour.lstrip("#")),
                font=Font(color=status.text_colour.lstrip("#")),
            ),
        )
    ws.protection.sheet = True
    # Let partners widen columns and rows to read long text (no password is set).
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"


def manifest_of(actions: list[ActionRow], agency_id: int | None) -> dict[str, Any]:
    """Every row the return holds and the values it shows (to tell who changed what)."""
    shown = {a.id: a.shown_to(agency_id) for a in actions}
    return {
        "a": {str(a.id): [digest(shown[a.id][0]), shown[a.id][1]] for a in actions},
        "m": {
            str(m.id): [m.done_date.isoformat() if m.done_date else None, m.rag]
            for a in actions
            for m in a.milestones
        },
    }


def _stamp(ws: Worksheet, stamp: Stamp, actions: list[ActionRow]) -> None:
    for key, value in stamp.values().items():
        ws.append([key, None])
        set_text(ws.cell(ws.max_row, 2), value)
    for chunk in encode_manifest(manifest_of(actions, stamp.lead.agency_id)):
        ws.append([MANIFEST_KEY, None])
        set_text(ws.cell(ws.max_row, 2), chunk)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
