"""The whole plan as a workbook formatted as a person would: committee sheets, a flat table, leads.

- one sheet per priority in the committee layout (objective merged down over its actions, RAG
  cells filled with the scheme's colours and carrying the label, milestones one per line);
- "All actions": every action in one flat table with IDs, filtered and frozen, for pivoting;
- "Performance" (the plan's indicators against last year) and "Funding" (grants, allocations,
  spend, warnings), each left out when the plan has none (io/xlsx_figures.py, io/xlsx_funding.py);
- "Agencies and officers".
Every user string is written with ``write_string`` (never a formula). XlsxWriter is used because
openpyxl is about four times slower here (see benchmarks/bench_xlsx.py). The file is written
through a temporary file and renamed (io/atomic.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk import APP_NAME, __version__
from cspdesk.core.figures.performance import performance_table
from cspdesk.core.figures.police_lines import crime_summary
from cspdesk.core.funding.summary import funding_summary
from cspdesk.core.leads.directory import Directory
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Contribution,
    Milestone,
    Objective,
    Plan,
    Priority,
    Update,
)
from cspdesk.core.quarter.as_at import AsAt, milestone_as_at
from cspdesk.core.quarter.rule import load_quarters
from cspdesk.core.rag import scheme as rag_scheme
from cspdesk.core.rag.classes import rag_classes
from cspdesk.errors import CspdeskError
from cspdesk.io.atomic import write_with
from cspdesk.io.cells import EXCEL_CELL_LIMIT, clean_text
from cspdesk.io.xlsx_book import EXPORT_MARK
from cspdesk.io.xlsx_crime import write_crime_sheet
from cspdesk.io.xlsx_figures import write_performance_sheet
from cspdesk.io.xlsx_funding import FIGURE_SHEETS, write_funding_sheet
from cspdesk.io.xlsx_page import print_setup
from cspdesk.io.xlsx_plan_export_read import INTRODUCTION
from cspdesk.io.xlsx_text import text_workbook_class
from cspdesk.io.xlsx_values import format_milestone

Progress = Callable[[int, int], None]
CONSTANT_MEMORY = False  # measured: streaming mode used more CPU here (temp files)

PRIORITY_LABELS = {
    "sub_themes": "Sub-themes",
    "indicators": "Performance indicators",
    "baseline": "Baseline",
    "target": "Target",
    "lead_agencies": "CSP lead agencies",
    "resources": "CSP resources",
    "key_risks": "Key risks to achieving",
    "mitigations": "Key actions to mitigate risk",
}
COMMITTEE_COLUMNS = [
    ("Strategic Objective", 30),
    ("Actions", 45),
    ("Outcomes / Measures", 35),
    ("Lead Agency / Officer", 26),
    ("Timescales", 14),
    ("RAG", 9),
    ("Key Milestones", 42),
]
FLAT_COLUMNS = [
    ("Action ID", 10),
    ("Priority", 26),
    ("Strategic Objective", 30),
    ("Actions", 40),
    ("Outcomes / Measures", 30),
    ("Lead Agency / Officer", 26),
    ("Timescales", 14),
    ("Start date", 11),
    ("Due date", 11),
    ("RAG", 9),
    ("Key Milestones", 40),
]


class ExportData:
    """The plan's rows, loaded with a few Core queries and grouped by parent."""

    def __init__(self, session: Session, plan_id: int) -> None:
        self.plan = session.get(Plan, plan_id)
        if self.plan is None:
            raise CspdeskError(f"no plan with id {plan_id}")
        in_plan = Priority.plan_id == plan_id
        self.priorities = session.execute(
            select(Priority).where(in_plan).order_by(Priority.position)
        ).scalars().all()  # fmt: skip
        self.objectives = _group(session.execute(
            select(Objective.id, Objective.priority_id, Objective.title)
            .join(Priority).where(in_plan).order_by(Objective.position)
        ), "priority_id")  # fmt: skip
        a = Action
        self.actions = _group(session.execute(
            select(a.id, a.objective_id, a.title, a.outcomes, a.timescale, a.start_date,
                   a.due_date, a.rag, a.lead_note)
            .join(Objective).join(Priority).where(in_plan).order_by(a.position)
        ), "objective_id")  # fmt: skip
        m = Milestone
        self.milestones = _group(session.execute(
            select(m.action_id, m.title, m.due_date, m.done_date, m.rag)
            .join(Action).join(Objective).join(Priority).where(in_plan).order_by(m.position)
        ), "action_id")  # fmt: skip
        self.leads = _group(session.execute(
            select(ActionLead.action_id, ActionLead.agency_id, ActionLead.officer_id)
            .join(Action).join(Objective).join(Priority).where(in_plan)
            .order_by(ActionLead.position)
        ), "action_id")  # fmt: skip
        reported = session.execute(
            select(Update.quarter).join(Action).join(Objective).join(Priority).where(in_plan)
            .union(select(Contribution.quarter).join(Action).join(Objective).join(Priority)
                   .where(in_plan))
        ).scalars().all()  # fmt: skip
        self.scheme = rag_scheme.load_scheme(session)
        self.directory = Directory.from_session(session)
        last = max(reported, default=1)
        self.quarters = list(range(1, max(last, self.plan.current_quarter, 1) + 1))
        # Each quarter's RAG and printed update by the one rule (core.quarter.rule).
        ids = [row.id for rows in self.actions.values() for row in rows]
        classes = rag_classes(session)
        self.by_quarter = {
            q: load_quarters(session, dict.fromkeys(ids, q), classes)
            for q in {*self.quarters, self.plan.current_quarter}
        }
        self.action_count = sum(len(rows) for rows in self.actions.values())
        # The export is the plan as it stands today (core.quarter.as_at): each indicator's latest
        # figures with their period, and spending dated up to today. Percentages to one place
        # unless an indicator sets its own, as police summaries print.
        now = AsAt.today()
        # Overdue as at the plan's current quarter (its end once past): a 2016/17 plan exported
        # years later does not mark every milestone overdue.
        self.as_at = AsAt.of_quarter(self.plan.year, self.plan.current_quarter).day
        self.performance = performance_table(session, plan_id, None, decimals=1)
        self.funding = funding_summary(session, plan_id, spent_by=now.up_to)
        self.crime = crime_summary(session, plan_id, self.plan.current_quarter)
        self.labels = {s.code: s.label for s in self.scheme}
        self._lead_texts: dict[int, str] = {}
        self._milestone_texts: dict[int, str] = {}

    def lead_text(self, action: Any) -> str:
        if action.id not in self._lead_texts:
            self._lead_texts[action.id] = self._lead_text(action)
        return self._lead_texts[action.id]

    def _lead_text(self, action: Any) -> str:
        """The leads and the lead note, written so that importing the export reads them back."""
        keys = [(lead.agency_id, lead.officer_id) for lead in self.leads.get(action.id, [])]
        note = action.lead_note or ""
        if note:
            reading = self.directory.read(note, create=False)
            if list(reading.leads) == keys and not reading.note:
                note = ""  # the lead as typed in full (older files): the leads say it all
        return self.directory.describe(keys, note)

    def milestone_text(self, action_id: int) -> str:
        if action_id not in self._milestone_texts:
            labels, day = self.labels, self.as_at
            self._milestone_texts[action_id] = "\n".join(
                format_milestone(
                    m.title,
                    m.due_date,
                    m.done_date,
                    labels.get(m.rag),
                    milestone_as_at(m.due_date, m.done_date, day).overdue,
                )
                for m in self.milestones.get(action_id, [])
            )
        return self._milestone_texts[action_id]


def _group(rows: Any, key: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def row_height(texts: list[str], widths: list[int]) -> float:
    """Points for a row whose wrapped cells hold ``texts`` in columns ``widths`` characters wide:
    neither Excel nor LibreOffice grows a row written by a program, so a tall cell would be cut."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        if text:
            per_line = max(int(width * 1.15), 1)  # 10 pt text in columns sized for 11 pt
            count = sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))
            lines = max(lines, count)
    return min(409.0, 13.0 * lines + 2)


def _sheet_name(title: str, index: int, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", " ", f"{index}. {title}")
    base = " ".join(base.split())[:31].strip() or f"Priority {index}"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


class _Writer:
    def __init__(self, workbook: Any, data: ExportData, progress: Progress | None) -> None:
        self.wb = workbook
        self.data = data
        self.progress = progress
        self.done = 0
        self.total = max(2 * data.action_count, 1)
        base = {"text_wrap": True, "valign": "top", "border": 1, "font_size": 10}
        self.cell = workbook.add_format(base)
        self.date = workbook.add_format({**base, "num_format": "dd/mm/yyyy"})
        self.number = workbook.add_format({**base, "align": "left"})
        self.header = workbook.add_format(
            {**base, "bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF"}
        )
        self.blank = workbook.add_format({"border": 1})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.subtitle = workbook.add_format({"italic": True, "font_size": 11})
        self.section = workbook.add_format({"bold": True, "font_size": 12, "bg_color": "#D9E1F2"})
        self.label = workbook.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.rag = {
            s.code: workbook.add_format({**base, "bold": True, "align": "center",
                                         "bg_color": s.colour, "font_color": s.text_colour})
            for s in data.scheme
        }  # fmt: skip
        self.labels = {s.code: s.label for s in data.scheme}
        # Widths of the wrapped columns of a committee row, in the order row_height gets texts.
        self.widths = [COMMITTEE_COLUMNS[i][1] for i in (1, 2, 3, 6)] + [40] * 4

    def text(self, sheet: Any, row: int, col: int, value: object, fmt: Any) -> None:
        if value is None or value == "":
            return  # blank cells get their borders from the table's conditional format
        text = value if type(value) is str and value.isprintable() else clean_text(str(value))
        if len(text) > EXCEL_CELL_LIMIT:
            raise CspdeskError(
                f"sheet {sheet.name!r}, row {row + 1}: {len(text)} characters; an Excel cell "
                f"holds at most {EXCEL_CELL_LIMIT}. Shorten that text and export again"
            )
        sheet.write_string(row, col, text, fmt)

    def rag_cell(self, sheet: Any, row: int, col: int, code: str | None) -> None:
        if code is not None:
            sheet.write_string(row, col, self.labels.get(code, code), self.rag.get(code, self.cell))

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % 500 == 0:
            self.progress(self.done, self.total)

    def setup(self, sheet: Any, columns: list[tuple[str, int]], header_row: int) -> None:
        for col, (_, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        for col, (title, _) in enumerate(columns):
            sheet.write_string(header_row, col, title, self.header)
        sheet.freeze_panes(header_row + 1, 0)
        print_setup(sheet, header_row)

    def update_columns(self) -> list[tuple[str, int]]:
        return [c for q in self.data.quarters for c in ((f"Q{q} Update", 40), (f"Q{q} RAG", 9))]

    def update_texts(self, action_id: int) -> list[str]:
        return [self.data.by_quarter[q][action_id].printed for q in self.data.quarters]

    def current_rag(self, action_id: int) -> str | None:
        return self.data.by_quarter[self.data.plan.current_quarter][action_id].rag.code

    def updates(self, sheet: Any, row: int, first_col: int, action_id: int) -> None:
        for i, quarter in enumerate(self.data.quarters):
            found = self.data.by_quarter[quarter][action_id]
            self.text(sheet, row, first_col + 2 * i, found.printed, self.cell)
            # A RAG carried from an earlier quarter is not this quarter's: left blank.
            rag = None if found.rag.carried else found.rag.code
            self.rag_cell(sheet, row, first_col + 2 * i + 1, rag)

    def priority_sheet(self, index: int, priority: Priority, used: set[str]) -> None:
        data = self.data
        sheet = self.wb.add_worksheet(_sheet_name(priority.title, index, used))
        columns = COMMITTEE_COLUMNS + self.update_columns()
        last = len(columns) - 1
        self.text(sheet, 0, 0, data.plan.title or f"Partnership Plan {data.plan.year}", self.title)
        row = 1
        if data.plan.version_label:
            self.text(sheet, row, 0, data.plan.version_label, self.subtitle)
            row += 1
        sheet.merge_range(row, 0, row, last, "", self.section)
        self.text(sheet, row, 0, f"Priority: {priority.title}", self.section)
        row += 1
        for name, label in PRIORITY_LABELS.items():
            value = getattr(priority, name)
            if value:
                sheet.write_string(row, 0, f"{label}:", self.label)
                sheet.merge_range(row, 1, row, last, "", self.cell)
                self.text(sheet, row, 1, value, self.cell)
                row += 1
        header_row = row + 1
        self.setup(sheet, columns, header_row)
        row = header_row + 1
        for objective in data.objectives.get(priority.id, []):
            actions = data.actions.get(objective.id, [])
            first = row
            self.text(sheet, row, 0, objective.title, self.cell)
            for action in actions:
                self.text(sheet, row, 1, action.title, self.cell)
                self.text(sheet, row, 2, action.outcomes, self.cell)
                self.text(sheet, row, 3, data.lead_text(action), self.cell)
                self.text(sheet, row, 4, action.timescale, self.cell)
                self.rag_cell(sheet, row, 5, self.current_rag(action.id))
                self.text(sheet, row, 6, data.milestone_text(action.id), self.cell)
                self.updates(sheet, row, 7, action.id)
                texts = [action.title, action.outcomes, data.lead_text(action),
                         data.milestone_text(action.id), *self.update_texts(action.id)]  # fmt: skip
                sheet.set_row(row, row_height(texts, self.widths))
                row += 1
                self.tick()
            if not actions:
                row += 1
            elif len(actions) > 1:
                # Merged once the block is written: constant_memory mode writes rows in order
                # and keeps the text already in the first cell.
                sheet.merge_range(first, 0, row - 1, 0, objective.title, self.cell)
        self.borders(sheet, header_row + 1, row - 1, last)

    def borders(self, sheet: Any, first: int, last_row: int, last_col: int) -> None:
        """Blank cells of a table get borders too, with one rule instead of one cell each."""
        if last_row >= first:
            sheet.conditional_format(first, 0, last_row, last_col,
                                     {"type": "blanks", "format": self.blank})  # fmt: skip

    def flat_sheet(self) -> None:
        data = self.data
        sheet = self.wb.add_worksheet("All actions")
        columns = FLAT_COLUMNS + self.update_columns() + [("Objective ID", 10), ("Priority ID", 10)]
        self.setup(sheet, columns, 0)
        row = 1
        for priority in data.priorities:
            for objective in data.objectives.get(priority.id, []):
                for action in data.actions.get(objective.id, []):
                    sheet.write_number(row, 0, action.id, self.number)
                    self.text(sheet, row, 1, priority.title, self.cell)
                    self.text(sheet, row, 2, objective.title, self.cell)
                    self.text(sheet, row, 3, action.title, self.cell)
                    self.text(sheet, row, 4, action.outcomes, self.cell)
                    self.text(sheet, row, 5, data.lead_text(action), self.cell)
                    self.text(sheet, row, 6, action.timescale, self.cell)
                    for col, day in ((7, action.start_date), (8, action.due_date)):
                        if day is not None:
                            sheet.write_datetime(row, col, day, self.date)
                    self.rag_cell(sheet, row, 9, self.current_rag(action.id))
                    self.text(sheet, row, 10, data.milestone_text(action.id), self.cell)
                    self.updates(sheet, row, 11, action.id)
                    sheet.write_number(row, len(columns) - 2, objective.id, self.number)
                    sheet.write_number(row, len(columns) - 1, priority.id, self.number)
                    row += 1
                    self.tick()
        sheet.autofilter(0, 0, max(row - 1, 1), len(columns) - 1)
        self.borders(sheet, 1, row - 1, len(columns) - 1)

    def introduction_sheet(self) -> None:
        """The plan's introduction, when it has one, on a sheet of its own."""
        text = self.data.plan.introduction
        if not text:
            return
        sheet = self.wb.add_worksheet(INTRODUCTION)
        sheet.set_column(0, 0, 100)
        sheet.write_string(0, 0, INTRODUCTION, self.title)
        wrap = self.wb.add_format({"text_wrap": True, "valign": "top", "font_size": 11})
        self.text(sheet, 1, 0, text, wrap)
        sheet.set_row(1, row_height([text], [100]))

    def directory_sheet(self) -> None:
        directory = self.data.directory
        sheet = self.wb.add_worksheet("Agencies and officers")
        columns = [("Agency", 34), ("Short name", 14), ("Agency email", 28), ("Officer", 26),
                   ("Initials", 9), ("Officer email", 28)]  # fmt: skip
        self.setup(sheet, columns, 0)
        row = 1
        agencies = sorted(directory.agencies.values(), key=lambda a: a.name.lower())
        for agency in [*agencies, None]:
            officers = sorted(
                (o for o in directory.officers.values()
                 if o.agency_key == (agency.key if agency else None)),
                key=lambda o: o.name.lower(),
            )  # fmt: skip
            if agency is None and not officers:
                break
            for officer in officers or [None]:
                a_values = [agency.name, agency.short_name, agency.email] if agency else [""] * 3
                o_values = [officer.name, officer.initials, officer.email] if officer else [""] * 3
                values = a_values + o_values
                for col, value in enumerate(values):
                    self.text(sheet, row, col, value, self.cell)
                row += 1
        sheet.autofilter(0, 0, max(row - 1, 1), len(columns) - 1)


def export_plan_xlsx(
    session: Session, plan_id: int, target: Path | str, progress: Progress | None = None
) -> Path:
    """Write the plan to ``target`` (.xlsx), atomically; returns the path written."""
    target = Path(target)
    data = ExportData(session, plan_id)

    def write(temp: Path) -> None:
        workbook = text_workbook_class()(
            str(temp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "constant_memory": CONSTANT_MEMORY,
            },
        )
        workbook.set_properties({"title": data.plan.title, "subject": f"Plan {data.plan.year}"})
        workbook.set_custom_property(EXPORT_MARK, f"{APP_NAME} {__version__}")
        writer = _Writer(workbook, data, progress)
        used: set[str] = {"all actions", "agencies and officers", "introduction"}
        used |= {name.lower() for name in FIGURE_SHEETS}
        try:
            writer.introduction_sheet()
            for index, priority in enumerate(data.priorities, start=1):
                writer.priority_sheet(index, priority, used)
            if data.performance:
                write_performance_sheet(workbook, data.performance)
            if data.funding.grants:
                write_funding_sheet(workbook, data.funding)
            if data.crime is not None:
                write_crime_sheet(workbook, data.crime)
            writer.flat_sheet()
            writer.directory_sheet()
        finally:
            try:
                workbook.close()
            except Exception as error:  # xlsxwriter's FileCreateError and friends
                raise CspdeskError(f"{target}: could not write ({error})") from error
        if progress is not None:
            progress(writer.total, writer.total)

    write_with(target, write)
    return target
