"""Reading an existing plan workbook into a PlanDraft (a preview: nothing is written).

Layouts handled: one sheet per priority, or several priorities in one sheet under section rows
("Priority" then a title row, or "STRATEGIC PRIORITY 1: REDUCE ..."); title, key/value and blank
rows above a header row, which is found by its column titles; header rows repeated per page; an
objective cell merged (or left blank) down over its actions; RAG as text or only as fill
colour; a flat table with a Priority column; a sheet of agencies and officers.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import (
    ActionDraft,
    ObjectiveDraft,
    PlanDraft,
    PriorityDraft,
    SheetMapping,
)
from cspdesk.core.leads.table import read_leads
from cspdesk.core.plan import periods
from cspdesk.core.rag import scheme as rag
from cspdesk.io.gate import ImportRefused
from cspdesk.io.xlsx_book import Book, Progress, SheetGrid, column_letter, load_book
from cspdesk.io.xlsx_funding import FIGURE_SHEETS
from cspdesk.io.xlsx_headers import header_like, map_header_row
from cspdesk.io.xlsx_plan_export_read import dates_from_flat, introduction_of
from cspdesk.io.xlsx_values import (
    as_text,
    due_from_text,
    hue_rag,
    is_blank,
    parse_date,
    parse_milestones,
    split_timescale_update,
    title_and_due,
)

# Mapping overrides chosen in the dialog: (sheet, header row) -> field per column.
Overrides = dict[tuple[str, int], list[str | None]]

_PRIORITY_ROW = re.compile(
    r"^(?:strategic\s+)?priority(?:\s*\d+)?\s*(?:[:.\-–]\s*(?P<title>.+))?$",
    re.IGNORECASE | re.DOTALL,
)
_LABELS = {
    "performance indicators": "indicators",
    "indicators": "indicators",
    "baseline": "baseline",
    "target": "target",
    "targets": "target",
    "csp lead agencies": "lead_agencies",
    "lead agencies": "lead_agencies",
    "csp lead": "lead_agencies",
    "csp resources": "resources",
    "resources": "resources",
    "key risks to achieving": "key_risks",
    "key risks": "key_risks",
    "key actions to mitigate risk": "mitigations",
    "mitigations": "mitigations",
    "sub themes": "sub_themes",
    "sub-themes": "sub_themes",
}
_LABEL = re.compile(
    r"^(?P<label>" + "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True)) + r")"
    r"\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_PARTNERSHIP = re.compile(r"community\s+safety\s+partnership|\bCSP\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d)\s*[/\-–]\s*(20\d\d|\d\d)\b")
_QUARTER = re.compile(r"\b(?:([1-4])(?:st|nd|rd|th)\s+quarter|q([1-4])\s+update|quarter\s+([1-4]))",
                      re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class RagStatusInfo:
    code: str
    label: str
    colour: str  # "#RRGGBB"


@dataclass
class RagScheme:
    """What the parser needs of the workspace's RAG scheme."""

    statuses: list[RagStatusInfo]
    _cache: dict[str, str | ValueError | None] = field(default_factory=dict)

    @classmethod
    def from_session(cls, session: Session) -> RagScheme:
        return cls([RagStatusInfo(s.code, s.label, s.colour) for s in rag.load_scheme(session)])

    @classmethod
    def default(cls) -> RagScheme:
        return cls([RagStatusInfo(s.code, s.label, s.colour) for s in rag.DEFAULT_SCHEME])

    def parse(self, text: object) -> str | None:
        key = str(text)
        if key not in self._cache:
            try:
                self._cache[key] = rag.parse_rag(text, self.statuses)  # type: ignore[arg-type]
            except ValueError as error:
                self._cache[key] = error
        found = self._cache[key]
        if isinstance(found, ValueError):
            raise found
        return found

    def by_colour(self, colour: str) -> str | None:
        return hue_rag(colour, [(s.code, s.colour) for s in self.statuses])

    def label(self, code: str | None) -> str:
        return next((s.label for s in self.statuses if s.code == code), "")


class _Walker:
    """Walks one sheet's rows, growing the draft."""

    def __init__(self, draft: PlanDraft, scheme: RagScheme, book: Book, overrides: Overrides):
        self.draft = draft
        self.scheme = scheme
        self.book = book
        self.overrides = overrides

    def problem(self, message: str, row: int | None = None, col: int | None = None,
                level: str = "warning") -> None:  # fmt: skip
        column = column_letter(col) if col is not None else None
        self.draft.add_problem(message, self.sheet.name, None if row is None else row + 1,
                               column, level)  # fmt: skip

    # ---- per sheet ---------------------------------------------------------------------------

    def walk(self, sheet: SheetGrid, only_directory: bool) -> None:
        self.sheet = sheet
        self.mapping: SheetMapping | None = None
        self.priority: PriorityDraft | None = None
        self.objective: ObjectiveDraft | None = None
        self.action: ActionDraft | None = None
        self.pending_title = False
        self.pending_fields: dict[str, str] = {}
        self.colour_rag: list[tuple[ActionDraft, int, int, int | None]] = []
        for r, row in enumerate(sheet.rows):
            texts = [as_text(v) for v in row if not is_blank(v)]
            if not texts:
                continue
            self.texts = texts  # the row's non-blank cells as text, for the row handlers
            header = map_header_row(row) if header_like(texts) else None
            if header is not None:
                self.start_table(r, row, *header)
                continue
            if self.mapping is None:
                if not only_directory:
                    self.title_row(r, row)
            elif self.mapping.kind == "directory":
                self.directory_row(r, row)
            elif not only_directory:
                self.body_row(r, row)
        if self.colour_rag and not self.book.made_by_cspdesk:
            self.rag_from_fills()

    def start_table(self, r: int, row: list[object], kind: str, fields: list[str | None]) -> None:
        headers = [as_text(v) for v in row]
        fields = self.overrides.get((self.sheet.name, r + 1), fields)
        self.mapping = SheetMapping(self.sheet.name, r + 1, headers, list(fields), kind)
        self.draft.mappings.append(self.mapping)
        for c, (text, name) in enumerate(zip(headers, fields, strict=False)):
            if text and name is None:
                self.problem(f"column {text!r} is not imported", r, c, "note")

    # ---- rows outside tables ----------------------------------------------------------------

    def single_text(self) -> str | None:
        return self.texts[0] if len(set(self.texts)) == 1 else None

    def section_row(self, r: int, row: list[object]) -> bool:
        """A priority section row ("Priority" / "STRATEGIC PRIORITY 1: ...") or a label row."""
        text = self.single_text()
        if text is not None:
            if self.pending_title:
                self.pending_title = False
                self.start_priority(text)
                return True
            m = _PRIORITY_ROW.match(text)
            if m and len(text) < 300:
                if m.group("title"):
                    self.start_priority(m.group("title").strip())
                else:
                    self.pending_title = True
                return True
        cells = self.texts
        if not _LABEL.match(cells[0]) or len(cells) > 6:
            return False
        target = self.priority.fields if self.priority else self.pending_fields
        name = ""
        for text in cells:  # "CSP Lead Agencies | RDC ASB Officer | CSP Resources: | 4K"
            m = _LABEL.match(text)
            if m:
                name = _LABELS[m.group("label").lower()]
                text = (m.group("rest") or "").strip()
            if text:
                target[name] = (target.get(name, "") + "\n" + text).strip()
        return True

    def title_row(self, r: int, row: list[object]) -> None:
        if self.section_row(r, row):
            return
        text = " ".join(self.texts)
        draft = self.draft
        draft.directory.add_places(text)  # "Castle Point and Rochford CSP": "RDC", "Police"
        if text in (draft.title, draft.version_label):
            return  # repeated on every sheet
        year = _YEAR.search(text)
        if year and draft.year is None:
            with contextlib.suppress(ValueError):
                draft.year = periods.parse_year(f"{year.group(1)}/{year.group(2)}")
        quarter = _QUARTER.search(text)
        if quarter:
            draft.current_quarter = int(next(g for g in quarter.groups() if g))
            return
        if text.lower().startswith("version"):
            draft.version_label = draft.version_label or text[:200]
        elif "plan" in text.lower() and not draft.title:
            draft.title = text[:300]
        elif _PARTNERSHIP.search(text) and not draft.partnership and len(text) <= 200:
            draft.partnership = text
        else:
            self.problem(f"title row {text[:60]!r} is not imported", r, None, "note")

    # ---- tables ----------------------------------------------------------------------------

    def start_priority(self, title: str) -> PriorityDraft:
        self.priority = PriorityDraft(title[:500], dict(self.pending_fields), sheet=self.sheet.name)
        self.pending_fields = {}
        self.draft.priorities.append(self.priority)
        self.objective = None
        self.action = None
        return self.priority

    def directory_row(self, r: int, row: list[object]) -> None:
        assert self.mapping is not None
        values = self.values(row)
        directory = self.draft.directory
        agency = None
        if values.get("agency"):
            agency = directory.add_agency(values["agency"], values.get("short_name", ""),
                                          values.get("agency_email", ""))  # fmt: skip
        if agency is not None:
            self.draft.listed.add(("agency", agency.key))
        if values.get("officer"):
            officer = directory.add_officer(values["officer"], values.get("initials", ""),
                                            agency.key if agency else None,
                                            values.get("officer_email", ""))  # fmt: skip
            self.draft.listed.add(("officer", officer.key))

    def values(self, row: list[object]) -> dict[str, str]:
        assert self.mapping is not None
        found = {}
        for c, name in enumerate(self.mapping.fields):
            if name is not None and c < len(row) and not is_blank(row[c]):
                found[name] = as_text(row[c])
        return found

    def col(self, name: str) -> int | None:
        assert self.mapping is not None
        return self.mapping.fields.index(name) if name in self.mapping.fields else None

    def body_row(self, r: int, row: list[object]) -> None:
        assert self.mapping is not None
        if self.section_row(r, row):
            return
        values = self.values(row)
        if not values:
            text = " ".join(self.texts)
            self.problem(f"row {text[:60]!r} is outside the table's columns; not imported", r)
            return
        priority = values.get("priority")
        if priority and (self.priority is None or priority != self.priority.title):
            self.start_priority(priority)
        if self.priority is None:
            self.start_priority(self.sheet.name)
        objective = values.get("objective")
        c_obj = self.col("objective")
        if objective and (
            self.objective is None
            or objective != self.objective.title
            or (r, c_obj) in self.sheet.merged_top_left
        ):
            self.objective = ObjectiveDraft(objective)
            assert self.priority is not None
            self.priority.objectives.append(self.objective)
            self.action = None
        title = values.get("action")
        if title:
            if self.objective is None:
                self.objective = ObjectiveDraft("")
                assert self.priority is not None
                self.priority.objectives.append(self.objective)
            self.action = ActionDraft(title, sheet=self.sheet.name, row=r + 1)
            self.action.rag_column = "rag" in self.mapping.fields
            self.objective.actions.append(self.action)
            self.fill(self.action, values, r, row, first=True)
        elif self.action is not None and set(values) - {"objective", "priority", "id"}:
            self.fill(self.action, values, r, row, first=False)
        elif not objective:
            self.problem("row has no action; not imported", r, self.col("action"))

    def fill(self, action: ActionDraft, values: dict[str, str], r: int, row: list[object],
             first: bool) -> None:  # fmt: skip
        def append(old: str, new: str) -> str:
            return f"{old}\n{new}" if old else new

        quarter = self.draft.current_quarter
        for name, text in values.items():
            c = self.col(name)
            if name == "outcomes":
                action.outcomes = append(action.outcomes, text)
            elif name == "lead":
                action.lead_texts.append(text)  # read once all texts are known: read_leads
            elif name == "timescale":
                action.timescale = append(action.timescale, text)[:200]
            elif name == "timescale_update":
                timescale, update = split_timescale_update(text)
                if timescale and not action.timescale:
                    action.timescale = timescale
                self.add_update(action, quarter, update, None)
            elif name in ("rag", "q1_rag", "q2_rag", "q3_rag", "q4_rag"):
                self.rag_cell(action, name, text, r, c)
            elif name == "outcomes_rag":
                self.rag_cell(action, f"q{quarter}_rag", text, r, c)
            elif name == "milestones":
                milestones, notes = parse_milestones(text, self.scheme.parse)
                action.milestones += milestones
                for note in notes:
                    self.problem(note, r, c)
            elif name == "update":
                self.add_update(action, quarter, text, None)
            elif name.endswith("_update"):
                self.add_update(action, int(name[1]), text, None)
            elif name in ("start_date", "due_date"):
                day, note = parse_date(row[c] if c is not None else None)
                if note:
                    self.problem(note, r, c, "note" if day else "warning")
                setattr(action, name, day)
        if first:
            for name in ("rag", "q1_rag", "q2_rag", "q3_rag", "q4_rag"):
                c = self.col(name)
                if c is not None and name not in values:
                    self.colour_rag.append((action, r, c, None if name == "rag" else int(name[1])))

    def add_update(self, action: ActionDraft, quarter: int, text: str, rag: str | None) -> None:
        if not text and rag is None:
            return
        old_text, old_rag = action.updates.get(quarter, ("", None))
        text = f"{old_text}\n{text}".strip() if old_text else text
        action.updates[quarter] = (text, rag or old_rag)

    def rag_cell(self, action: ActionDraft, name: str, text: str, r: int, c: int | None) -> None:
        try:
            code = self.scheme.parse(text)
        except ValueError as error:
            self.problem(
                f"{error}; use one of {', '.join(s.label for s in self.scheme.statuses)}", r, c
            )
            return  # fmt: skip
        self.set_rag(action, None if name == "rag" else int(name[1]), code)

    def set_rag(self, action: ActionDraft, quarter: int | None, code: str | None) -> None:
        if quarter is None:
            action.rag = action.rag or code
        else:
            text, old = action.updates.get(quarter, ("", None))
            action.updates[quarter] = (text, old or code)

    def rag_from_fills(self) -> None:
        fills = self.book.fills(self.sheet.name)
        for action, r, c, quarter in self.colour_rag:
            colour = fills.get((r, c))
            if colour is None:
                continue
            code = self.scheme.by_colour(colour)
            if code is not None:
                self.set_rag(action, quarter, code)
                self.problem(f"RAG read from the cell colour #{colour} as "
                             f"{self.scheme.label(code)}", r, c, "note")  # fmt: skip


def _first_header_kind(sheet: SheetGrid) -> str | None:
    for row in sheet.rows[:60]:
        texts = [as_text(v) for v in row if not is_blank(v)]
        header = map_header_row(row) if header_like(texts) else None
        if header is not None:
            return header[0]
    return None


def parse_book(
    book: Book,
    directory: Directory,
    scheme: RagScheme,
    *,
    year: str | None = None,
    overrides: Overrides | None = None,
    progress: Progress | None = None,
) -> PlanDraft:
    """The plan a loaded workbook describes; problems are listed, never raised."""
    draft = PlanDraft(source=book.path.name, directory=directory)
    walker = _Walker(draft, scheme, book, overrides or {})
    kinds = {sheet.name: _first_header_kind(sheet) for sheet in book.sheets}
    has_plan = "plan" in kinds.values()
    flats: list[SheetGrid] = []
    # Agencies first, so that leads in the plan sheets match them.
    for sheet in book.sheets:
        if kinds[sheet.name] == "directory":
            walker.walk(sheet, only_directory=True)
    for done, sheet in enumerate(book.sheets):
        if progress is not None:
            progress(done, len(book.sheets))
        kind = kinds[sheet.name]
        if not any(not is_blank(v) for row in sheet.rows for v in row):
            draft.add_problem("the sheet is empty; skipped", sheet.name, level="note")
        elif book.made_by_cspdesk and sheet.name in FIGURE_SHEETS:
            draft.add_problem("performance figures and funding are not part of a plan import; "
                              "skipped", sheet.name, level="note")  # fmt: skip
        elif kind is None and (introduction := introduction_of(sheet)) is not None:
            draft.introduction = introduction
        elif kind is None:
            draft.add_problem("no header row found (a row naming columns such as 'Actions', "
                              "'Lead', 'RAG'); sheet skipped", sheet.name)  # fmt: skip
        elif kind == "flat" and has_plan and book.made_by_cspdesk:
            flats.append(sheet)  # its dates, once the plan sheets are read
        elif kind == "flat" and has_plan:
            draft.add_problem("a flat list of the actions in the other sheets; skipped",
                              sheet.name, level="note")  # fmt: skip
        elif kind != "directory":
            walker.walk(sheet, only_directory=False)
        if sheet.formulas and kind not in (None, "directory"):
            refs = ", ".join(sheet.formulas[:5]) + (" ..." if len(sheet.formulas) > 5 else "")
            draft.add_problem(
                f"{len(sheet.formulas)} formula cell(s) ({refs}): formulas are not "
                "evaluated; the value last saved in the file was used",
                sheet.name,
            )
    if year is not None:
        draft.year = year
    elif draft.year is None:
        found = _YEAR.search(" ".join(s.name for s in book.sheets)) or _YEAR.search(book.path.stem)
        if found:
            with contextlib.suppress(ValueError):
                draft.year = periods.parse_year(f"{found.group(1)}/{found.group(2)}")
    if not (flats and dates_from_flat(draft, flats[0])):
        settle_dates_and_rag(draft)  # a cspdesk export's dates are all written out
    draft.title = draft.title or (f"Partnership Plan {draft.year}" if draft.year else "")
    directory.add_places(f"{draft.title} {book.path.stem}")
    read_leads(draft)
    if progress is not None:
        progress(len(book.sheets), len(book.sheets))
    return draft


def settle_dates_and_rag(draft: PlanDraft) -> None:
    """Once the plan's year is known: due dates from timescales and titles ("Q3 – Oct 16",
    "Roadshow - Oct 16"), and the latest quarter's RAG as an action's current one."""
    for action in draft.actions():
        if action.due_date is None:
            title, due = title_and_due(action.title, draft.year)
            if due is not None:
                action.title, action.due_date = title, due
            elif action.timescale:
                action.due_date = due_from_text(action.timescale, draft.year)
        for milestone in action.milestones:
            if milestone.due_date is None:
                milestone.title, milestone.due_date = title_and_due(milestone.title, draft.year)
        if action.rag is None and not action.rag_column:
            rags = [rag for _, (_, rag) in sorted(action.updates.items()) if rag is not None]
            action.rag = rags[-1] if rags else None


def check_readable(draft: PlanDraft, path: Path) -> None:
    """Refuse a workbook in which no plan table was found at all."""
    if not any(m.kind in ("plan", "flat") for m in draft.mappings):
        raise ImportRefused(path, "no plan table found: no sheet has a header row naming columns "
                            "such as 'Strategic Objective', 'Actions', 'Lead', 'RAG'; add one "
                            "above the plan's rows and import again")  # fmt: skip
    if not draft.actions():
        raise ImportRefused(path, "the plan tables have no actions under their header rows")


def read_plan(
    path: Path | str,
    directory: Directory,
    scheme: RagScheme,
    *,
    year: str | None = None,
    overrides: Overrides | None = None,
    progress: Progress | None = None,
) -> tuple[Book, PlanDraft]:
    """Load and parse ``path``: the Book (to re-parse with other mappings) and the draft."""
    path = Path(path)
    book = load_book(path, _scaled(progress, 0, 60))
    if not any(not is_blank(v) for s in book.sheets for row in s.rows for v in row):
        raise ImportRefused(path, "every sheet is empty; there is nothing to import")
    draft = parse_book(book, directory, scheme, year=year, overrides=overrides,
                       progress=_scaled(progress, 60, 40))  # fmt: skip
    check_readable(draft, path)
    return book, draft


def _scaled(progress: Progress | None, start: int, span: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(start + (span * done) // max(total, 1), 100)
