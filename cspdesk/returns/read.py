"""Read filled-in partner returns back as a ReturnDiff per file (core/returns_diff.py).

A return comes back as .xlsx, or saved by LibreOffice as .ods or as Excel 97-2003 .xls
(book.py reads those two with the same facts: values, formulas, numbers as shown, comments,
saved time, the token in the document properties).

A file is refused (ImportRefused, nothing read into the plan) when it is not a cspdesk return,
belongs to another workspace, plan or quarter, or holds rows its lead does not lead. Everything
else partners do is tolerated and reported: deleted rows, added rows, RAG typed by hand, text
with line breaks, values typed into the wrong column, and fields the officer has edited since
the return was made (conflicts, never accepted by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Plan
from cspdesk.core.plan.words import possessive
from cspdesk.io.gate import ImportRefused, check_return_file
from cspdesk.io.xlsx_book import TOKEN_PROPERTY, column_letter
from cspdesk.io.xlsx_fast import FastBook, open_fast
from cspdesk.returns.account import account
from cspdesk.returns.book import OtherBook, open_other_book
from cspdesk.returns.cells import cell_text, is_blank
from cspdesk.returns.collector import without_collector
from cspdesk.returns.comments import CellComment, cell_comments
from cspdesk.returns.compare import SheetRead, SheetRow, compare_rows
from cspdesk.returns.copies import fold_copy
from cspdesk.returns.cover import CoverCell, added_words, made_cover
from cspdesk.returns.diff import Problem, ReturnDiff, WrittenCell, mark_batch
from cspdesk.returns.disagree import mark_disagreements
from cspdesk.returns.formulas import FormulaCell, formula_cells
from cspdesk.returns.layout import (
    ACTIONS_SHEET,
    COLUMNS,
    COMPLETED_BY,
    COVER_SHEET,
    FORMAT,
    HEADINGS,
    MANIFEST_KEY,
    STAMP_SHEET,
    WORKSPACE_PROPERTY,
    BadManifest,
    decode_manifest,
    parse_row_id,
)
from cspdesk.returns.number_formats import as_seen, written_as_shown
from cspdesk.returns.parts import credit_part, organisation
from cspdesk.returns.received import hold_withdrawals
from cspdesk.returns.saved import local_text, saved_time
from cspdesk.returns.scope import BatchScope
from cspdesk.returns.versions import earlier_values, mark_superseded

HEADER_SEARCH_ROWS = 10
AnyBook = FastBook | OtherBook  # a return saved as .xlsx, or as .ods or .xls
EDITABLE = {c.key for c in COLUMNS if c.editable}


@without_collector
def read_returns(
    session: Session,
    paths: Iterable[Path | str],
    *,
    plan_id: int | None = None,
    quarter: int | None = None,
) -> tuple[list[ReturnDiff], list[ImportRefused]]:
    """Read several returns; refused files are listed apart and the rest still read. The
    files are read first, then what their checks ask of the plan in one go (one round trip
    to a server for the batch, not a few per file)."""
    diffs: list[ReturnDiff] = []
    refused: list[ImportRefused] = []
    given: set[Path] = set()
    paths = list(paths)
    scope = BatchScope(session, len(paths))
    opened: list[_Opened | ImportRefused] = []
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in given:
            opened.append(ImportRefused(Path(path), "this file was given twice"))
            continue
        given.add(resolved)
        try:
            opened.append(_open_return(Path(path)))
        except ImportRefused as error:
            opened.append(error)
    files = [o for o in opened if isinstance(o, _Opened)]
    scope.check_reads([o.stamp.get("token", "") for o in files], _milestones_shown(files))
    for item in opened:
        if isinstance(item, ImportRefused):
            refused.append(item)
            continue
        try:
            diffs.append(_compare(session, item, plan_id, quarter, scope))
        except ImportRefused as error:
            refused.append(error)
    mark_superseded(diffs)
    mark_batch(diffs)
    mark_disagreements(session, diffs, scope.classes)
    for diff in diffs:
        hold_withdrawals(diff)
    return diffs, refused


@without_collector
def read_return(
    session: Session,
    path: Path | str,
    *,
    plan_id: int | None = None,
    quarter: int | None = None,
    scope: BatchScope | None = None,
) -> ReturnDiff:
    """Compare one return with the plan; ImportRefused when it cannot be merged at all."""
    scope = scope or BatchScope(session)
    opened = _open_return(Path(path))
    scope.check_reads([opened.stamp.get("token", "")], _milestones_shown([opened]))
    diff = _compare(session, opened, plan_id, quarter, scope)
    hold_withdrawals(diff)
    return diff


def _milestones_shown(files: Iterable[_Opened]) -> set[int]:
    """The milestones the files' rows and stamps name (compare.py asks for their actions)."""
    shown: set[int] = set()
    for opened in files:
        shown.update((opened.manifest or {}).get("m", {}))
        shown.update(r.item_id for s in opened.sheets for r in s.rows if r.kind == "milestone")
    return shown


@dataclass
class _Opened:
    """What a return's file holds, read before anything is asked of the plan."""

    path: Path
    stamp: dict[str, str]
    manifest: dict[str, Any] | None
    cover_lead: str | None  # the lead its cover names
    completed: dict[str, str]  # the cover's "completed by" fields, by label
    cover: list[CoverCell]  # every non-empty cell of the cover
    # Its sheets, their formulas set aside and when it was saved; or what reading them raised,
    # raised once its stamp has been checked (as when each step read the plan in turn).
    sheets: list[SheetRead] = field(default_factory=list)
    formulas: list[Problem] = field(default_factory=list)  # and numbers shown plain (a note)
    comments: list[CellComment] = field(default_factory=list)
    saved_at: dt.datetime | None = None
    failed: Exception | None = None


def _open_return(path: Path) -> _Opened:
    kind = check_return_file(path)
    if kind != "xlsx":
        return _open_other(path, kind)
    with open_fast(path) as workbook:
        stamp, manifest = _read_stamp(workbook, path)
        opened = _Opened(path, stamp, manifest, *_read_cover(workbook))
        try:
            opened.sheets = _read_sheets(workbook, path, stamp.get("sheet") or ACTIONS_SHEET)
            for sheet in opened.sheets:
                part = workbook.sheet(sheet.name)
                member = part.member if part else None
                data = workbook.part_bytes(member) if member else None
                opened.formulas += _set_formulas_aside(path, member, sheet, data)
                opened.formulas += as_seen(workbook, sheet)
            opened.saved_at = saved_time(workbook)
            opened.comments = cell_comments(workbook)
        except Exception as error:  # raised again once the stamp has been checked
            opened.failed = error
    return opened


def _open_other(path: Path, kind: str) -> _Opened:
    """``_open_return`` for a return saved as .ods or .xls: the same facts, from book.py."""
    with open_other_book(path, kind) as book:
        stamp, manifest = _read_stamp(book, path)
        opened = _Opened(path, stamp, manifest, *_read_cover(book))
        try:
            opened.sheets = _read_sheets(book, path, stamp.get("sheet") or ACTIONS_SHEET)
            for sheet in opened.sheets:
                cells = book.formula_cells(sheet.name, set(_editable_letters(sheet)))
                opened.formulas += _set_aside(sheet, cells)
                letter = sheet.letters.get("update")
                if letter is not None:
                    opened.formulas += written_as_shown(sheet, book.render(sheet.name, letter))
            opened.saved_at = book.saved_at
            opened.comments = book.comments
        except Exception as error:  # raised again once the stamp has been checked
            opened.failed = error
    return opened


def _compare(
    session: Session,
    opened: _Opened,
    plan_id: int | None,
    quarter: int | None,
    scope: BatchScope,
) -> ReturnDiff:
    path, stamp, sheets, manifest = opened.path, opened.stamp, opened.sheets, opened.manifest
    record = _check_stamp(session, path, stamp, plan_id, quarter, scope)
    completed_by = _check_cover(opened, record, stamp.get("lead", ""))
    if opened.failed is not None:
        raise opened.failed
    saved_at = opened.saved_at
    _check_version(path, record, saved_at, completed_by)
    plan = scope.plan(record.plan_id)
    diff = ReturnDiff(
        path=str(path),
        file_name=path.name,
        token=record.token,
        record_id=record.id,
        plan_id=record.plan_id,
        plan_year=plan.year,
        quarter=record.quarter,
        agency_id=record.agency_id,
        lead_name=record.lead_name,
        made_at=record.made_at,
        merged_at=record.merged_at,
        merged_file=record.merged_file,
        plan_quarter=plan.current_quarter,
        saved_at=saved_at,
        completed_by=completed_by,
        earlier=earlier_values(record.merged_values),
    )
    diff.problems.extend(opened.formulas)
    _check_cover_words(diff, opened, scope)
    for cell, problem in (comment.note() for comment in opened.comments):
        diff.written.append(cell)
        diff.problems.append(problem)
    credit_part(session, diff)
    compare_rows(session, path, diff, sheets[0], manifest, scope)
    for copy in sheets[1:]:
        fold_copy(
            diff,
            copy,
            lambda into, copy=copy: compare_rows(  # type: ignore[misc]
                session, path, into, copy, manifest, scope, lost_note=False
            ),
        )
    numbers = scope.numbers(record.plan_id)
    diff.refs = {c.action_id: numbers[c.action_id] for c in diff.changes if c.action_id in numbers}
    account(diff)
    return diff


def _read_stamp(workbook: AnyBook, path: Path) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The stamp sheet's keys and values (it may be very hidden, or hidden once LibreOffice
    has saved the file), else the token kept as a custom property or defined name."""
    values: dict[str, str] = {}
    chunks: list[str] = []
    if STAMP_SHEET in workbook.sheetnames:
        for row in workbook.rows(STAMP_SHEET):
            if not row or is_blank(row[0]):
                continue
            key = str(row[0]).strip()
            value = "" if len(row) < 2 or row[1] is None else str(row[1])
            if key == MANIFEST_KEY:
                chunks.append(value)
            else:
                values.setdefault(key, value.strip())
        if values.get("format") != FORMAT:
            raise ImportRefused(
                path, "this is not a cspdesk partner return (its stamp is missing or damaged)"
            )
    else:
        # The stamp sheet was lost (copied into a new workbook?): the token may survive.
        props = workbook.custom_props
        token = props.get(TOKEN_PROPERTY)
        if token is None and TOKEN_PROPERTY in workbook.defined_names:
            token = workbook.defined_names[TOKEN_PROPERTY].strip('"')
        if not token:
            raise ImportRefused(
                path,
                "this is not a cspdesk partner return (no return stamp); "
                "use the file cspdesk made for the lead",
            )
        values = {"token": token, "workspace": props.get(WORKSPACE_PROPERTY, "")}
    manifest = None
    if chunks:
        try:
            manifest = decode_manifest(chunks)
        except BadManifest as error:
            raise ImportRefused(
                path,
                f"the return's hidden stamp is damaged (its list of rows cannot be read: "
                f"{error}); nothing was merged from it: ask the partner to copy their words "
                "into a fresh return",
                sheet=STAMP_SHEET,
            ) from error
    return values, manifest


def _int(text: str | None) -> int | None:
    try:
        return None if text in (None, "") else int(float(str(text)))
    except (ValueError, OverflowError):  # "nan", "inf": not what cspdesk wrote
        return -1


def _check_stamp(
    session: Session,
    path: Path,
    stamp: dict[str, str],
    plan_id: int | None,
    quarter: int | None,
    scope: BatchScope,
) -> Any:
    """The return's record (its columns), when the stamp names one this plan may merge."""
    partnership = scope.partnership
    if stamp.get("workspace") and stamp["workspace"] != partnership.uid:
        made_for = stamp.get("partnership") or "another partnership"
        raise ImportRefused(
            path,
            f"this return was made by another cspdesk workspace "
            f"({made_for}), not this one; merge it in the workspace that made it",
        )
    record = scope.record(stamp.get("token", ""))
    if record is None:
        raise ImportRefused(
            path,
            "this workspace has no record of making this return (made "
            "from another copy of the workspace, or for a deleted plan)",
        )
    stamped = (_int(stamp.get("plan_id")), _int(stamp.get("quarter")), _int(stamp.get("agency_id")))
    if "plan_id" in stamp and stamped != (record.plan_id, record.quarter, record.agency_id):
        raise ImportRefused(
            path,
            "the return's stamp has been altered (its plan, quarter or "
            "lead no longer match the return cspdesk made)",
        )
    plan = scope.plan(record.plan_id)
    if plan_id is not None and record.plan_id != plan_id:
        other = session.get(Plan, plan_id)
        wanted = other.year if other is not None else "chosen"
        raise ImportRefused(
            path,
            f"this return is for the {plan.year} plan, not the {wanted} "
            "plan; open that plan to merge it",
        )
    if quarter is not None and record.quarter != quarter:
        raise ImportRefused(
            path, f"this return is for Q{record.quarter} {plan.year}, not Q{quarter}"
        )
    closed = scope.closed_on(record.plan_id, record.quarter)
    if closed is not None:
        raise ImportRefused(
            path,
            f"Q{record.quarter} {plan.year} was closed on "
            f"{closed:%d/%m/%Y} and its report frozen; reopen the quarter to "
            "merge a late return",
        )
    return record


def _read_cover(workbook: AnyBook) -> tuple[str | None, dict[str, str], list[CoverCell]]:
    """The lead the cover names (None when it names none), its "completed by" fields, and
    every non-empty cell on it (to find words a partner added to it)."""
    completed: dict[str, str] = {}
    lead = None
    cells: list[CoverCell] = []
    if COVER_SHEET in workbook.sheetnames:
        for number, row in enumerate(workbook.rows(COVER_SHEET), start=1):
            cells += [(number, i, value) for i, value in enumerate(row) if not is_blank(value)]
            if number > 40:
                continue
            label = str(row[0] or "").strip() if row else ""
            if len(row) < 2 or is_blank(row[1]):
                continue
            if label == "Lead" and lead is None:
                lead = str(row[1]).strip()
            elif label in COMPLETED_BY:
                completed[label] = cell_text(row[1])
    return lead, completed, cells


def _check_cover(opened: _Opened, record: Any, stamped: str) -> str:
    """The stamp is bound to the lead the return was made for: a file whose cover (or stamp)
    names another lead than its token's record carries someone else's stamp. Returns who the
    cover says completed the return ("organisation, name"; "" when not filled in)."""
    named = {record.lead_name} | ({stamped.strip()} if stamped.strip() else set())
    if opened.cover_lead is not None:
        named.add(opened.cover_lead)
    completed = opened.completed
    others = sorted(named - {record.lead_name})
    if others:
        raise ImportRefused(
            opened.path,
            f"this file is {possessive(others[0])} return by its cover, but it carries the "
            f"stamp of {possessive(record.lead_name)} return (copied from another file?); "
            f"ask {others[0]} to fill in the return made for them",
            sheet=COVER_SHEET,
        )
    return ", ".join(completed[label] for label in COMPLETED_BY if completed.get(label))


def _check_cover_words(diff: ReturnDiff, opened: _Opened, scope: BatchScope) -> None:
    """Words the partner added to the cover, beside "Completed by" or anywhere else: each
    listed as not merged (the cover as made is rebuilt from the stamp to tell them apart)."""
    count = len((opened.manifest or {}).get("a", {}))
    made = made_cover(opened.stamp, count, scope.scheme) if opened.manifest else None
    for cell, problem in added_words(opened.cover, made):
        diff.written.append(cell)
        diff.problems.append(problem)


def _check_version(
    path: Path, record: Any, saved_at: dt.datetime | None, completed_by: str
) -> None:
    """A version of the return saved before the version already merged is an older one sent
    by mistake: refused, with both times, so it never overwrites the newer words. (A copy
    another organisation completed is not a version: compare.py keeps both's words.)"""
    merged = record.merged_saved_at
    if saved_at is None or merged is None or record.merged_at is None or saved_at >= merged:
        return
    before, now = (organisation(text) for text in (record.completed_by, completed_by))
    if before and now and before != now:
        return
    raise ImportRefused(
        path,
        f"this is an older version of {possessive(record.lead_name)} return: it was saved on "
        f"{local_text(saved_at)}, but the version merged on "
        f"{local_text(record.merged_at)} ({record.merged_file}) was saved later, on "
        f"{local_text(merged)}; nothing was merged from it, so the newer words stand",
    )


def _find_header(rows: Any) -> tuple[int, dict[int, str], dict[int, str]] | None:
    for number, values in enumerate(rows, start=1):
        found = {
            i: HEADINGS.get(str(v).strip().casefold(), "")
            for i, v in enumerate(values)
            if not is_blank(v)
        }
        if "id" in found.values():
            others = {i: cell_text(values[i]) for i, key in found.items() if not key}
            return number, {i: key for i, key in found.items() if key}, others
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _read_sheets(workbook: AnyBook, path: Path, name: str) -> list[SheetRead]:
    """The return's sheet of actions, then any copy of it a partner made ("Actions (2)")."""
    candidates = [name] if name in workbook.sheetnames else []
    candidates += [s for s in workbook.sheetnames if s not in (name, STAMP_SHEET, COVER_SHEET)]
    found: list[SheetRead] = []
    for sheet_name in candidates:
        rows = iter(workbook.rows(sheet_name))
        header = _find_header(rows)
        if header is not None:
            sheet = _read_sheet(path, sheet_name, header, rows)
            if not found or sheet.rows:  # a copy counts when it carries the return's ids
                found.append(sheet)
    if not found:
        raise ImportRefused(
            path,
            f"no sheet of actions with its hidden ID column was found "
            f"(expected sheet {name!r}); ask for the return in the form it was "
            "sent",
            sheet=name,
        )
    return found


def _read_sheet(
    path: Path,
    sheet_name: str,
    header: tuple[int, dict[int, str], dict[int, str]],
    rows: Iterator[list[object]],
) -> SheetRead:
    header_row, columns, other_headings = header
    index = {key: i for i, key in columns.items()}
    letters = {key: column_letter(i) for key, i in index.items()}
    id_col = index["id"]
    read = SheetRead(sheet_name, [], [], letters)
    slots = [(c.key, index.get(c.key)) for c in COLUMNS if c.key != "id"]
    editable = [(letters[key], i) for key, i in index.items() if key in EDITABLE]
    written = read.written
    outside: dict[int, list[int]] = {}  # row width -> the columns not the return's
    for number, values in enumerate(rows, start=header_row + 1):
        raw_id = values[id_col] if id_col < len(values) else None
        parsed = parse_row_id(raw_id)
        if parsed is None:
            if not is_blank(raw_id):
                raise ImportRefused(
                    path,
                    f"the hidden ID cell holds {str(raw_id)[:40]!r}, which cspdesk did not write",
                    sheet=sheet_name,
                    row=number,
                    column=letters["id"],
                )
            texts = {}
            for i, v in enumerate(values):
                if not is_blank(v):
                    texts[_heading(i, columns, other_headings)] = cell_text(v)
                    written.append(WrittenCell(sheet_name, number, column_letter(i), v))
            if texts:
                read.added.append((number, texts))
            continue
        width = len(values)
        cells = {k: values[i] if i is not None and i < width else None for k, i in slots}
        if width not in outside:
            outside[width] = [i for i in range(width) if i not in columns]
        strays = [(column_letter(i), values[i]) for i in outside[width] if not is_blank(values[i])]
        for letter, i in editable:
            if i < width and not is_blank(values[i]):
                written.append(WrittenCell(sheet_name, number, letter, values[i]))
        for letter, value in strays:
            written.append(WrittenCell(sheet_name, number, letter, value))
        read.rows.append(SheetRow(number, parsed[0], parsed[1], cells, strays))
    return read


def _set_formulas_aside(
    path: Path, member: str | None, sheet: SheetRead, data: bytes | None = None
) -> list[Problem]:
    """Formulas in the partner's columns are never merged (not even their saved results):
    each is blanked and named in a note instead."""
    return _set_aside(sheet, formula_cells(path, member, set(_editable_letters(sheet)), data))


def _editable_letters(sheet: SheetRead) -> dict[str, str]:
    """Column letter -> key of the sheet's editable columns."""
    return {letter: key for key, letter in sheet.letters.items() if key in EDITABLE}


def _set_aside(sheet: SheetRead, cells: list[FormulaCell]) -> list[Problem]:
    keys = _editable_letters(sheet)
    rows = {row.number: row for row in sheet.rows}
    problems = []
    for cell in cells:
        row = rows.get(cell.row)
        if row is None:
            continue
        row.cells[keys[cell.column]] = None
        problems.append(
            Problem(
                f"{cell.describe()}: not merged (a return takes typed text, RAG and dates, "
                "not formulas)",
                sheet.name,
                cell.row,
                cell.column,
            )
        )
    return problems


def _heading(i: int, columns: dict[int, str], others: dict[int, str]) -> str:
    if i in columns:
        return next(c.heading for c in COLUMNS if c.key == columns[i])
    return others.get(i) or f"column {column_letter(i)}"
