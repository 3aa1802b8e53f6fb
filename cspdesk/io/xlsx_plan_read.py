"""Reading an existing plan workbook into a PlanDraft (a preview: nothing is written).

Layouts handled: one sheet per priority, or several priorities in one sheet under section rows
("Priority" then a title row, or "STRATEGIC PRIORITY 1: REDUCE ..."); title, key/value and blank
rows above a header row, which is found by its column titles; header rows repeated per page; an
objective cell merged (or left blank) down over its actions; RAG as text or only as fill
colour; a flat table with a Priority column; a sheet of agencies and officers; quarter columns
titled "Q2", "Jul-Sep" or "Sept 16"; one sheet per quarter (read as one plan); an Excel table
(a SharePoint list) by its definition; Word tables (io/plan_docx.py) and .xls/.ods grids.

Nothing vanishes: the walker keeps each sheet's ledger (``SheetLedger``), every non-empty cell
stored in the draft (a column without a field of its own goes to the action's notes) or listed
as not imported with why (notes, total and key rows; rows outside the table).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import (
    CELL_ROW,
    ActionDraft,
    ObjectiveDraft,
    PlanDraft,
    PriorityDraft,
    SheetLedger,
    SheetMapping,
    cell_key,
)
from cspdesk.core.leads.table import read_leads
from cspdesk.core.plan import periods
from cspdesk.core.plan.limits import over_limit
from cspdesk.core.rag import scheme as rag
from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.io.gate import ImportRefused
from cspdesk.io.plan_book import load_plan_book, table_headers
from cspdesk.io.typed_dates import read_typed_date
from cspdesk.io.xlsx_book import Book, Progress, SheetGrid, column_letter
from cspdesk.io.xlsx_funding import FIGURE_SHEETS
from cspdesk.io.xlsx_headers import field_for, header_like, map_header_row, quarter_in, resolve
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
    _colours: dict[str, str | None] = field(default_factory=dict)

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
        if colour not in self._colours:  # a sheet uses a handful of colours, many times over
            self._colours[colour] = hue_rag(colour, [(s.code, s.colour) for s in self.statuses])
        return self._colours[colour]

    def label(self, code: str | None) -> str:
        return next((s.label for s in self.statuses if s.code == code), "")


_NOTE_ROW = re.compile(r"^(?:notes?|nb|n\.b\.|please note|\*+)\s*[:.\-–*]?\s", re.IGNORECASE)
_TOTAL_ROW = re.compile(r"^(?:grand\s+)?(?:total|totals|sum|count)\b", re.IGNORECASE)
_KEY_ROW = re.compile(
    r"^(?:(?:rag|colour|color|status)\s+)?(?:key|legend)(?:\s+to\s+\w+)?\s*(?:[:\-–]|$)"
    r"|^(?:red|amber|green|blue|grey|r|a|g|b)\s*[=:–\-]\s*\S",
    re.IGNORECASE,
)
# A lone line that is the plan's title, year, version, partnership or quarter, not a heading.
_TITLE_LIKE = re.compile(
    r"\bplan\b|\b20\d\d\b|\bversion\b|community\s+safety|\bCSP\b|\bquarter\b|\bq[1-4]\b"
    r"|\bupdated?\b|\bkey\b|\blegend\b",
    re.IGNORECASE,
)
_RAG_COLUMNS = {"rag", "q1_rag", "q2_rag", "q3_rag", "q4_rag", "outcomes_rag", "previous_rag"}
_RAG_FIELDS = ("rag", "q1_rag", "q2_rag", "q3_rag", "q4_rag")


def _same(text: str) -> str:
    """A title as compared across rows and sheets: case, spaces and end punctuation aside."""
    return " ".join(text.casefold().split()).rstrip(" .:;")


class _Walker:
    """Walks one sheet's rows, growing the draft, and keeps the ledger of its cells: each
    non-empty one stored somewhere in the draft or listed as not imported, with why."""

    def __init__(self, draft: PlanDraft, scheme: RagScheme, book: Book, overrides: Overrides):
        self.draft = draft
        self.scheme = scheme
        self.book = book
        self.overrides = overrides
        # Titles already read (rows appended below, another quarter's sheet): the same items.
        self.priorities: dict[str, PriorityDraft] = {}
        self.objectives: dict[tuple[int, str], ObjectiveDraft] = {}
        self.refs: dict[tuple[str, str], ActionDraft] = {}
        self.columns: dict[str, int] = {}
        self.tables: dict[str, set[int]] = table_headers(book) if not book.made_by_cspdesk else {}

    def problem(self, message: str, row: int | None = None, col: int | None = None,
                level: str = "warning") -> None:  # fmt: skip
        column = column_letter(col) if col is not None else None
        self.draft.add_problem(message, self.sheet.name, None if row is None else row + 1,
                               column, level)  # fmt: skip

    # ---- the ledger ----------------------------------------------------------------------------

    def keep(self, r: int, c: int | None) -> None:
        row = self.sheet.rows[r]
        if c is not None and c < len(row) and not is_blank(row[c]):
            self.ledger.stored.add(cell_key(r, c))

    def keep_row(self, r: int, row: list[object]) -> None:
        for c, value in enumerate(row):
            if not is_blank(value):
                self.ledger.stored.add(cell_key(r, c))

    def lose(self, r: int, c: int, why: str) -> None:
        """List one cell as not imported (once), with what it held."""
        key = cell_key(r, c)
        if key in self.ledger.lost:
            return
        self.ledger.stored.discard(key)
        self.ledger.lost.add(key)
        text = as_text(self.sheet.rows[r][c])
        shown = text if len(text) <= 60 else text[:57] + "..."
        self.problem(f"{shown!r}: {why}", r, c, "lost")

    def lose_row(self, r: int, row: list[object], why: str) -> None:
        for c, value in enumerate(row):
            if not is_blank(value):
                self.lose(r, c, why)

    def close_ledger(self) -> None:
        """Whatever no rule placed is listed too: nothing leaves the sheet unnamed."""
        placed = self.ledger.stored | self.ledger.lost
        for key in sorted(_cells(self.sheet) - placed):
            self.lose(*divmod(key, CELL_ROW), "not read: outside the plan's tables")

    # ---- per sheet ---------------------------------------------------------------------------

    def walk(self, sheet: SheetGrid, only_directory: bool, quarter: int | None = None) -> None:
        self.sheet = sheet
        self.quarter = quarter  # the sheet holds this quarter's updates (one sheet per quarter)
        self.ledger = self.draft.ledger.setdefault(sheet.name, SheetLedger())
        self.mapping: SheetMapping | None = None
        self.choices: dict[int, set[str]] = {}  # SharePoint choice columns: their values
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
            if header is None and r in self.tables.get(sheet.name, ()):
                header = table_header(row)
            if header is not None and not (only_directory and header[0] != "directory"):
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
        if not only_directory or self.mapping is not None:
            self.close_ledger()

    def start_table(self, r: int, row: list[object], kind: str, fields: list[str | None]) -> None:
        headers = [as_text(v) for v in row]
        chosen = self.overrides.get((self.sheet.name, r + 1))
        if chosen is None and kind != "directory":
            # A column the reader does not know is kept as the action's notes, not dropped.
            named = zip(fields, headers, strict=False)
            fields = [name or ("notes" if text else None) for name, text in named]
        fields = chosen or fields
        self.choices = choice_columns(self.sheet.rows, r, len(headers)) if kind == "plan" else {}
        unnoted = list(headers)  # the columns still to be named in a note
        if chosen is None:
            fields = self.urgency_to_notes(r, unnoted, fields)
        self.mapping = SheetMapping(self.sheet.name, r + 1, headers, list(fields), kind)
        self.columns = {}
        for c, name in enumerate(fields):
            if name is not None:
                self.columns.setdefault(name, c)
        self.draft.mappings.append(self.mapping)
        self.keep_row(r, row)
        for c, (text, name) in enumerate(zip(unnoted, fields, strict=False)):
            if text and name == "notes" and kind != "directory":
                self.problem(f"column {text!r} has no field of its own; its cells are kept in "
                             "the action's notes", r, c, "note")  # fmt: skip
            elif text and name is None:
                self.problem(f"column {text!r} is not imported", r, c, "warning")

    def urgency_to_notes(
        self, r: int, headers: list[str], fields: list[str | None]
    ) -> list[str | None]:
        """A "Priority" column of SharePoint choices ("(1) High", "(2) Normal") says how urgent
        an item is, not which of the plan's priorities it serves: kept in the action's notes."""
        fields = list(fields)
        for c, values in self.choices.items():
            if c < len(fields) and fields[c] == "priority" and values <= _URGENCY:
                fields[c] = "notes"
                shown = ", ".join(sorted(v.capitalize() for v in values))
                self.problem(f"column {headers[c]!r} says how urgent each item is (SharePoint "
                             f"choices: {shown}), not which plan priority it serves; kept in "
                             "the action's notes", r, c, "note")  # fmt: skip
                headers[c] = ""  # named: no second note for it
        return fields

    # ---- rows outside tables ----------------------------------------------------------------

    def single_text(self) -> str | None:
        return self.texts[0] if len(set(self.texts)) == 1 else None

    def furniture_row(self, r: int, row: list[object]) -> bool:
        """A note, total or key/legend row: listed, never made into plan items."""
        first = self.texts[0]
        if _NOTE_ROW.match(first + " ") or first.casefold().startswith(("note:", "notes:")):
            self.lose_row(r, row, "a note row under the table, not an action; not imported")
        elif _TOTAL_ROW.match(first) and len(first) < 60:
            self.lose_row(r, row, "a total row, not an action; not imported")
        elif (_KEY_ROW.match(first) and len(first) < 200) or self.legend_line(row):
            self.lose_row(r, row, "a key (legend) row, not part of the plan; not imported")
        else:
            return False
        return True

    def legend_line(self, row: list[object]) -> bool:
        """ "Green | On track or complete": a status named first, outside any RAG column, with a
        word or two beside it; nothing a plan item is called."""
        if len(self.texts) > 3:
            return False
        c = next(c for c, v in enumerate(row) if not is_blank(v))
        fields = self.mapping.fields if self.mapping is not None else []
        if c < len(fields) and fields[c] in _RAG_COLUMNS:
            return False
        first = " ".join(self.texts[0].split()).casefold().rstrip(" :=-–")
        return any(first in (s.code.casefold(), s.label.casefold()) for s in self.scheme.statuses)

    def section_row(self, r: int, row: list[object]) -> bool:
        """A priority section row ("Priority" / "STRATEGIC PRIORITY 1: ...") or a label row."""
        text = self.single_text()
        if text is not None:
            if self.pending_title:
                self.pending_title = False
                self.start_priority(text)
                self.keep_row(r, row)
                return True
            m = _PRIORITY_ROW.match(text)
            if m and (len(text) < 300 or self.book.made_by_cspdesk):  # ours: any length
                if m.group("title"):
                    self.start_priority(m.group("title").strip())
                else:
                    self.pending_title = True
                self.keep_row(r, row)
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
            if text and text not in target.get(name, "").split("\n"):
                target[name] = (target.get(name, "") + "\n" + text).strip()
        self.keep_row(r, row)
        return True

    def heading_row(self, r: int, row: list[object]) -> bool:
        """A lone text right above a table's header row heads that table: its priority ("Safer
        roads" above "Objective | Action | Lead", as a Word plan puts each priority)."""
        text = self.single_text()
        if text is None or len(text) > 200 or _TITLE_LIKE.search(text) or len(self.texts) != 1:
            return False
        if self.mapping is not None and (is_blank(row[0]) or self.columns.get("action") == 0):
            return False  # inside a table: an action's own cell before a repeated header
        for following in self.sheet.rows[r + 1 : r + 40]:
            texts = [as_text(v) for v in following if not is_blank(v)]
            if texts:
                if not (header_like(texts) and map_header_row(following) is not None):
                    return False
                self.start_priority(text)
                self.keep_row(r, row)
                return True
        return False

    def title_row(self, r: int, row: list[object]) -> None:
        if self.section_row(r, row) or self.furniture_row(r, row) or self.heading_row(r, row):
            return
        for c, value in enumerate(row):  # each cell on its own: a key beside the title stays out
            if not is_blank(value):
                self.title_cell(r, c, as_text(value))

    def title_cell(self, r: int, c: int, text: str) -> None:
        draft = self.draft
        draft.directory.add_places(text)  # "Castle Point and Rochford CSP": "RDC", "Police"
        if text in (draft.title, draft.version_label, draft.partnership):
            self.keep(r, c)  # repeated on every sheet
            return
        if _KEY_ROW.match(text):
            self.lose(r, c, "a key (legend), not part of the plan; not imported")
            return
        year = _YEAR.search(text)
        if year and draft.year is None:
            with contextlib.suppress(ValueError):
                draft.year = periods.parse_year(f"{year.group(1)}/{year.group(2)}")
        quarter = _QUARTER.search(text)
        if quarter:
            draft.current_quarter = int(next(g for g in quarter.groups() if g))
            self.keep(r, c)
        elif text.lower().startswith("version") and not draft.version_label:
            draft.version_label = text
            self.keep(r, c)
        elif "plan" in text.lower() and not draft.title and len(text) <= 300:
            draft.title = text
            self.keep(r, c)
        elif _PARTNERSHIP.search(text) and not draft.partnership and len(text) <= 200:
            draft.partnership = text
            self.keep(r, c)
        elif year and len(text) <= 20:
            self.keep(r, c)  # "2016/17": the plan's year
        else:
            self.lose(r, c, "above the table and not the plan's title, year or partnership; "
                      "not imported")  # fmt: skip

    # ---- tables ----------------------------------------------------------------------------

    def start_priority(self, title: str) -> PriorityDraft:
        """The priority of this title: one already read (rows appended under it, the same
        priority on another quarter's sheet) or a new one."""
        same = _same(title)
        found = self.priorities.get(same)
        if found is None:
            found = PriorityDraft(title, dict(self.pending_fields), sheet=self.sheet.name)
            self.draft.priorities.append(found)
            self.priorities[same] = found
        else:
            for name, text in self.pending_fields.items():
                found.fields.setdefault(name, text)
        self.priority = found
        self.pending_fields = {}
        self.objective = None
        self.action = None
        return found

    def start_objective(self, title: str) -> ObjectiveDraft:
        assert self.priority is not None
        key = (id(self.priority), _same(title))
        found = self.objectives.get(key)
        if found is None:
            found = ObjectiveDraft(title)
            self.priority.objectives.append(found)
            self.objectives[key] = found
        self.objective = found
        self.action = None
        return found

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
        initials = values.get("initials", "")
        too_long = over_limit("officer", "initials", initials)
        if values.get("officer"):
            officer = directory.add_officer(values["officer"], "" if too_long else initials,
                                            agency.key if agency else None,
                                            values.get("officer_email", ""))  # fmt: skip
            self.draft.listed.add(("officer", officer.key))
        for c, name in enumerate(self.mapping.fields):
            if name is not None and c < len(row) and not is_blank(row[c]):
                if name == "initials" and too_long:
                    self.lose(r, c, f"{too_long}; the officer's initials are made from the name")
                else:
                    self.keep(r, c)
        for c, value in enumerate(row):
            if not is_blank(value) and cell_key(r, c) not in self.ledger.stored:
                self.lose(r, c, "not an agency or officer column; not imported")

    def values(self, row: list[object]) -> dict[str, str]:
        assert self.mapping is not None
        found = {}
        for c, name in enumerate(self.mapping.fields):
            if name is not None and name != "notes" and c < len(row) and not is_blank(row[c]):
                found[name] = self.cell_text(row, c)
        return found

    def cell_text(self, row: list[object], c: int) -> str:
        """A cell's text; a SharePoint choice without its ordinal ("(2) Normal" is "Normal")."""
        text = as_text(row[c])
        return choice_value(text) if c in self.choices else text

    def extras(self, row: list[object]) -> list[tuple[int, str]]:
        """The row's cells in notes columns (and right of the header row): (column, label)."""
        assert self.mapping is not None
        fields, headers = self.mapping.fields, self.mapping.headers
        found = []
        for c, value in enumerate(row):
            if is_blank(value):
                continue
            if c >= len(fields) or (fields[c] == "notes"):
                label = headers[c] if c < len(headers) else ""
                label = label or f"Column {column_letter(c)}"
                found.append((c, label))
        return found

    def col(self, name: str) -> int | None:
        return self.columns.get(name)

    def body_row(self, r: int, row: list[object]) -> None:
        assert self.mapping is not None
        if self.section_row(r, row) or self.furniture_row(r, row) or self.heading_row(r, row):
            return
        values = self.values(row)
        extras = self.extras(row)
        if not values:
            self.lose_row(r, row, "outside the table's columns; not imported")
            return
        priority = values.get("priority")
        if priority and (self.priority is None or _same(priority) != _same(self.priority.title)):
            self.start_priority(priority)
        if self.priority is None:
            self.start_priority(self.sheet.name)
        self.keep(r, self.col("priority"))
        objective = values.get("objective")
        c_obj = self.col("objective")
        if objective and (
            self.objective is None
            or _same(objective) != _same(self.objective.title)
            or (r, c_obj) in self.sheet.merged_top_left
        ):
            self.start_objective(objective)
        self.keep(r, c_obj)
        title = values.get("action")
        if title:
            if self.objective is None:
                self.start_objective("")
            self.action = self.find_action(title, values.get("id", "")) or self.new_action(
                title, r, values.get("id", "")
            )
            self.keep(r, self.col("action"))
            self.fill(self.action, values, r, row, first=True)
        elif self.action is not None and (set(values) - {"objective", "priority", "id"} or extras):
            self.fill(self.action, values, r, row, first=False)
        elif not objective:
            self.lose_row(r, row, "row has no action; not imported")
            return
        else:
            for name in set(values) - {"objective", "priority"}:
                c = self.col(name)
                if c is not None:
                    self.lose(r, c, "the row has an objective but no action to hold this; "
                              "not imported")  # fmt: skip
            for c, _ in extras:
                self.lose(r, c, "the row has an objective but no action to hold this; "
                          "not imported")  # fmt: skip
            return
        for c, label in extras:
            assert self.action is not None
            self.action.add_note(label, self.cell_text(row, c))
            self.ledger.stored.add(cell_key(r, c))

    def new_action(self, title: str, r: int, ref: str) -> ActionDraft:
        assert self.objective is not None and self.mapping is not None
        action = ActionDraft(title, sheet=self.sheet.name, row=r + 1, ref=ref)
        # One sheet per quarter: each RAG column is its quarter's; the latest becomes current.
        action.rag_column = "rag" in self.mapping.fields and self.quarter is None
        self.objective.actions.append(action)
        if ref and self.quarter is not None:
            self.refs[(ref, _same(title))] = action
        return action

    def find_action(self, title: str, ref: str) -> ActionDraft | None:
        """On a later quarter's sheet, the same action read from an earlier one (by reference,
        else by title under the same objective)."""
        if self.quarter is None or self.objective is None:
            return None
        same = _same(title)
        if ref and (ref, same) in self.refs:
            return self.refs[(ref, same)]
        return next((a for a in self.objective.actions if _same(a.title) == same), None)

    def fill(self, action: ActionDraft, values: dict[str, str], r: int, row: list[object],
             first: bool) -> None:  # fmt: skip
        def append(old: str, new: str) -> str:
            if new in old.split("\n"):
                return old  # the same text on another quarter's sheet
            return f"{old}\n{new}" if old else new

        quarter = self.quarter or self.draft.current_quarter
        for name, text in values.items():
            c = self.columns[name]
            if name in ("priority", "objective", "action"):
                continue
            self.ledger.stored.add(cell_key(r, c))  # values() holds only non-empty cells
            if name == "id":
                if self.book.made_by_cspdesk:
                    continue
                action.ref = action.ref or text
                if text != action.ref:
                    action.add_note(self.mapping.headers[c] if self.mapping and c is not None
                                    else "Reference", text)  # fmt: skip
            elif name == "outcomes":
                action.outcomes = append(action.outcomes, text)
            elif name == "lead":
                lead = text
                if values.get("lead_agency") and values["lead_agency"] not in text:
                    lead = f"{values['lead_agency']} – {text}"  # Organisation – Owner
                if lead not in action.lead_texts:
                    action.lead_texts.append(lead)  # read once all texts are known: read_leads
            elif name == "lead_agency":
                if "lead" not in values and text not in action.lead_texts:
                    action.lead_texts.append(text)
            elif name == "timescale":
                action.timescale = append(action.timescale, text)
            elif name == "timescale_update":
                timescale, update = split_timescale_update(text)
                if timescale and not action.timescale:
                    action.timescale = timescale
                elif timescale:
                    update = text
                self.add_update(action, quarter, update, None)
            elif name in _RAG_FIELDS:
                rag_name = f"q{quarter}_rag" if name == "rag" and self.quarter else name
                self.rag_cell(action, rag_name, text, r, c)
            elif name == "outcomes_rag":
                self.rag_cell(action, f"q{quarter}_rag", text, r, c)
            elif name == "previous_rag":
                if quarter > 1:
                    self.rag_cell(action, f"q{quarter - 1}_rag", text, r, c)
                else:
                    action.add_note("RAG (last quarter)", text)
                    self.problem("a previous quarter's RAG before Q1; kept in the action's "
                                 "notes", r, c, "warning")  # fmt: skip
            elif name == "milestones":
                milestones, notes = parse_milestones(text, self.scheme.parse)
                known = {m.title for m in action.milestones}
                action.milestones += [m for m in milestones if m.title not in known]
                for note in notes:
                    self.problem(note, r, c)
            elif name == "update":
                self.add_update(action, quarter, text, None)
            elif name.endswith("_update"):
                self.add_update(action, int(name[1]), text, None)
            elif name in ("start_date", "due_date"):
                self.date_cell(action, name, row[c] if c is not None else None, r, c)
        if first:
            for name in _RAG_FIELDS:
                at = self.col(name)
                if at is not None and name not in values:
                    q = self.quarter if name == "rag" else int(name[1])
                    self.colour_rag.append((action, r, at, q))

    def date_cell(self, action: ActionDraft, name: str, value: object, r: int,
                  c: int | None) -> None:  # fmt: skip
        if isinstance(value, str):
            # Typed text: read once the plan's year is known (settle_dates_and_rag).
            action.date_texts[name] = as_text(value)
            return
        day, note = parse_date(value)
        if day is None:
            action.date_texts[name] = as_text(value)
            return
        if note:
            self.problem(note, r, c, "warning")
        setattr(action, name, day)

    def add_update(self, action: ActionDraft, quarter: int, text: str, rag: str | None) -> None:
        if not text and rag is None:
            return
        old_text, old_rag = action.updates.get(quarter, ("", None))
        if text and text in old_text.split("\n"):
            text = ""
        text = f"{old_text}\n{text}".strip() if old_text else text
        action.updates[quarter] = (text, rag or old_rag)

    def rag_cell(self, action: ActionDraft, name: str, text: str, r: int, c: int | None) -> None:
        text = choice_value(text)  # "(3) Completed": a SharePoint status
        try:
            code = self.scheme.parse(text)
        except ValueError as error:
            label = (self.mapping.headers[c] if self.mapping and c is not None
                     and c < len(self.mapping.headers) else "") or "RAG"  # fmt: skip
            action.add_note(label, text)
            self.problem(f"{error}; kept in the action's notes (the statuses are "
                         f"{', '.join(s.label for s in self.scheme.statuses)})", r, c)  # fmt: skip
            return
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
                             f"{self.scheme.label(code)}", r, c, "warning")  # fmt: skip
            elif colour not in ("FFFFFF", "000000"):  # white or black: no RAG meant
                self.problem(f"the RAG cell is coloured #{colour}, which is no RAG colour; no "
                             "RAG read from it", r, c, "warning")  # fmt: skip


_CHOICE = re.compile(r"^\((\d{1,2})\)\s+(\S.*)$", re.DOTALL)
_URGENCY = {"critical", "urgent", "high", "medium", "normal", "low"}


def choice_value(text: str) -> str:
    """ "(2) Normal" -> "Normal": a SharePoint choice field's value, its ordinal dropped."""
    found = _CHOICE.match(text)
    return found.group(2).strip() if found else text


def choice_columns(rows: list[list[object]], header: int, width: int) -> dict[int, set[str]]:
    """The columns of the table under ``header`` whose every value is a SharePoint choice with
    its ordinal ("(1) High", "(2) In Progress"), a handful of them: column -> the values, in
    lower case and without ordinals. The table ends at its first empty row."""
    seen: dict[int, set[str]] = {c: set() for c in range(width)}
    for row in rows[header + 1 :]:
        if all(is_blank(v) for v in row):
            break
        for c in list(seen):
            if c < len(row) and not is_blank(row[c]):
                found = _CHOICE.match(as_text(row[c]))
                if found is None:
                    del seen[c]
                else:
                    seen[c].add(found.group(2).strip().casefold())
    return {c: values for c, values in seen.items() if values and len(values) <= 12}


def table_header(row: list[object]) -> tuple[str, list[str | None]] | None:
    """An Excel table's header row, however few titles the reader knows, when it names one
    column of a plan's (a lead, date, RAG or update): its known columns mapped, the first text
    column the action when none is named ("Title" in a SharePoint list)."""
    fields = resolve([field_for(c) if isinstance(c, str) else None for c in row])
    if not set(fields) - {None, "notes", "id", "action"}:
        return None  # a table of something else: no lead, date, RAG or update column
    if "action" not in fields:
        first = next((c for c, v in enumerate(row) if isinstance(v, str) and v.strip()), None)
        if first is None:
            return None
        fields[first] = "action"
    return "plan", fields


def _first_header_kind(sheet: SheetGrid, tables: set[int] | None = None) -> str | None:
    for r, row in enumerate(sheet.rows[:60]):
        texts = [as_text(v) for v in row if not is_blank(v)]
        header = map_header_row(row) if header_like(texts) else None
        if header is None and tables and r in tables:
            header = table_header(row)
        if header is not None:
            return header[0]
    return None


def _quarter_sheets(book: Book, kinds: dict[str, str | None]) -> dict[str, int]:
    """One sheet per quarter ("Q1", "Apr-Jun 16", "Quarter 3 16/17"): each plan sheet's quarter,
    when two or more plan sheets name different quarters; else nothing."""
    found = {s.name: quarter_in(s.name) for s in book.sheets if kinds[s.name] in ("plan", "flat")}
    named = {name: q for name, q in found.items() if q is not None}
    if len(set(named.values())) < 2 or len(named) != len(found):
        return {}
    return named


def _cells(sheet: SheetGrid) -> set[int]:
    """The sheet's non-empty cells, as ledger keys."""
    found = set()
    for r, row in enumerate(sheet.rows):
        base = r * CELL_ROW
        for c, value in enumerate(row):
            if value is not None and value != "" and not (type(value) is str and value.isspace()):
                found.add(base + c)
    return found


def _lose_sheet(draft: PlanDraft, sheet: SheetGrid, why: str, level: str = "lost") -> None:
    """A whole sheet not read: its cells are listed as one line."""
    cells = _cells(sheet)
    draft.ledger[sheet.name] = SheetLedger(lost=cells)
    count = "1 cell" if len(cells) == 1 else f"{len(cells)} cells"
    draft.add_problem(f"{why} ({count} with content)", sheet.name, level=level)


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
    with paused_gc():
        return _parse_book(book, directory, scheme, year, overrides, progress)


def _parse_book(
    book: Book,
    directory: Directory,
    scheme: RagScheme,
    year: str | None,
    overrides: Overrides | None,
    progress: Progress | None,
) -> PlanDraft:
    draft = PlanDraft(source=book.path.name, directory=directory)
    walker = _Walker(draft, scheme, book, overrides or {})
    kinds = {s.name: _first_header_kind(s, walker.tables.get(s.name)) for s in book.sheets}
    has_plan = "plan" in kinds.values()
    quarters = _quarter_sheets(book, kinds)
    flats: list[SheetGrid] = []
    # Agencies first, so that leads in the plan sheets match them.
    for sheet in book.sheets:
        if kinds[sheet.name] == "directory":
            walker.walk(sheet, only_directory=True)
    # One sheet per quarter: read in quarter order, each adding its quarter's updates.
    order = sorted(book.sheets, key=lambda s: quarters.get(s.name, 0)) if quarters else book.sheets
    for done, sheet in enumerate(order):
        if progress is not None:
            progress(done, len(book.sheets))
        kind = kinds[sheet.name]
        if not any(not is_blank(v) for row in sheet.rows for v in row):
            draft.add_problem("the sheet is empty; skipped", sheet.name, level="note")
        elif book.made_by_cspdesk and sheet.name in FIGURE_SHEETS:
            _lose_sheet(draft, sheet, "performance figures and funding are not part of a plan "
                        "import; skipped", level="note")  # fmt: skip
        elif kind is None and (introduction := introduction_of(sheet)) is not None:
            draft.introduction = introduction
            draft.ledger[sheet.name] = SheetLedger(stored=_cells(sheet))
        elif kind is None:
            _lose_sheet(draft, sheet, "no header row found (a row naming columns such as "
                        "'Actions', 'Lead', 'RAG'); sheet not imported")  # fmt: skip
        elif kind == "flat" and has_plan and book.made_by_cspdesk:
            flats.append(sheet)  # its dates, once the plan sheets are read
            draft.ledger[sheet.name] = SheetLedger(stored=_cells(sheet))  # the same plan
        elif kind == "flat" and has_plan and not quarters:
            _lose_sheet(draft, sheet, "a flat list of the actions in the other sheets; skipped",
                        level="note")  # fmt: skip
        elif kind != "directory":
            walker.walk(sheet, only_directory=False, quarter=quarters.get(sheet.name))
        if sheet.formulas and kind not in (None, "directory"):
            refs = ", ".join(sheet.formulas[:5]) + (" ..." if len(sheet.formulas) > 5 else "")
            draft.add_problem(
                f"{len(sheet.formulas)} formula cell(s) ({refs}): formulas are not "
                "evaluated; the value last saved in the file was used",
                sheet.name,
            )
    if quarters:
        names = ", ".join(f"{name!r} (Q{q})" for name, q in quarters.items())
        draft.add_problem(f"one sheet per quarter: {names} read as one plan, actions matched by "
                          "reference and title", level="warning")  # fmt: skip
    if year is not None:
        draft.year = year
    elif draft.year is None:
        found = _YEAR.search(" ".join(s.name for s in book.sheets)) or _YEAR.search(book.path.stem)
        if found:
            with contextlib.suppress(ValueError):
                draft.year = periods.parse_year(f"{found.group(1)}/{found.group(2)}")
    if not (flats and dates_from_flat(draft, flats[0])):
        settle_dates_and_rag(draft)  # a cspdesk export's dates are all written out
    settle_current_quarter(draft)
    if draft.title and draft.year:
        draft.title = periods.retitled(draft.title, draft.year)
    draft.title = draft.title or (f"Partnership Plan {draft.year}" if draft.year else "")
    directory.add_places(f"{draft.title} {book.path.stem}")
    read_leads(draft)
    if progress is not None:
        progress(len(book.sheets), len(book.sheets))
    return draft


def settle_current_quarter(draft: PlanDraft) -> None:
    """The current quarter is the latest with an update or a RAG (or the one a title names)."""
    latest = max((q for a in draft.actions() for q, (text, rag) in a.updates.items()
                  if text or rag), default=1)  # fmt: skip
    if latest > draft.current_quarter:
        draft.current_quarter = latest


def settle_dates_and_rag(draft: PlanDraft) -> None:
    """Once the plan's year is known: typed start and due dates (kept as timescale text when
    they are no date), due dates from timescales and titles ("Q3 – Oct 16", "Roadshow - Oct
    16"), and the latest quarter's RAG as an action's current one."""
    for action in draft.actions():
        for name, text in action.date_texts.items():
            typed = read_typed_date(text, due=name == "due_date", plan_year=draft.year)
            if typed is None:
                if text not in action.timescale.split("; "):
                    action.timescale = f"{action.timescale}; {text}" if action.timescale else text
                continue
            setattr(action, name, typed.day)
            if typed.how:
                draft.add_problem(
                    f"{'due' if name == 'due_date' else 'start'} date {text!r} read as "
                    f"{typed.day:%d/%m/%Y} ({typed.how})", action.sheet, action.row,
                    level="warning",
                )  # fmt: skip
        if action.due_date is None and action.timescale:
            typed = read_typed_date(action.timescale, due=True, plan_year=draft.year)
            action.due_date = typed.day if typed else due_from_text(action.timescale, draft.year)
        if action.due_date is None:
            title, due = title_and_due(action.title, draft.year)
            if due is not None:
                action.title, action.due_date = title, due
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
    with paused_gc():
        book = load_plan_book(path, _scaled(progress, 0, 60))
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
