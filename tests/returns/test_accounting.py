"""The accounting invariant: every non-empty cell a partner writes is stored or reported.

For returns filled at random (hypothesis) in the editable columns, beside them, in the new-work
rows and in a copy of the sheet, each cell written is, after the merge, one of: as cspdesk
wrote it, held by the workspace (checked in the database, not by the accounting itself), or
named in the review at its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from itertools import count
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from cspdesk.core.plan.model import Contribution, Milestone, ReturnNewWork
from cspdesk.core.rag.scheme import DEFAULT_SCHEME
from cspdesk.returns.account import not_merged
from cspdesk.returns.apply import apply_return
from cspdesk.returns.cells import EXCEL_EPOCH, NotADate, cell_text, parse_date, read_rag
from cspdesk.returns.diff import ReturnDiff
from cspdesk.returns.layout import HEADINGS, normalise_text
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace

ROWS = {2: ("action", 1), 3: ("milestone", 1), 4: ("milestone", 2)}
CELLS = [f"{c}{r}" for r in (2, 3, 4) for c in "GHIJ"] + [f"{c}{r}" for r in (5, 6) for c in "CGH"]
VALUES = st.one_of(
    st.sampled_from(
        [
            "On track",
            "at risk",
            "Done",
            "Amber",
            "amber/red",
            "Purple",
            "15/12/2016",
            "31/09/2016",
            "Green - Amber",
            "Two campaigns held_x000B_and a third planned",
            "A long update about the quarter's work, longer than any status word",
            "  ",
        ]
    ),
    st.text(alphabet="abcdefgh XYZ.,", min_size=1, max_size=30),
    st.dates(dt.date(2015, 1, 1), dt.date(2018, 12, 31)),
    st.integers(1, 100),
)
EDITS = st.dictionaries(st.sampled_from(CELLS), VALUES, min_size=1, max_size=10)
_numbers = count()


def reported_cells(diff: ReturnDiff) -> tuple[set[Any], set[Any]]:
    """The cells the officer is told of (notes, whole-row notes, changes not taken), and the
    cells the accounting calls not merged, each as (sheet, row, column)."""
    reported: set[Any] = {(p.sheet, p.row, p.column) for p in diff.problems}
    reported |= {(p.sheet, p.row, "") for p in diff.problems}
    reported |= {(c.sheet, c.row, c.column) for c in diff.changes if not c.accepted}
    return reported, {f.cell.where for f in not_merged(diff)}


def _base(tmp_path_factory) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    base = tmp_path_factory.getbasetemp() / "accounting_base"
    if not (base / "plan.cspdesk").exists():
        from cspdesk.core.workspace.serialize import load_workspace_data
        from tests.conftest import small_plan_data

        base.mkdir(exist_ok=True)
        workspace = Workspace.create(base / "plan.cspdesk", "Test Vale CSP")
        workspace.write(load_workspace_data, small_plan_data())
        made = make_returns(workspace, 1, 1, base)
        workspace.close()
        source = next(m.path for m in made if m.lead.name == "All partners")
        shutil.copy(source, base / "return.xlsx")
    return base / "plan.cspdesk", base / "return.xlsx"


def _held(workspace: Workspace, row: int, column: str, text: str, value: object) -> bool:
    """Whether the workspace holds the cell's words, read straight from its tables;
    ``column``: the key of the column's heading ("update", "rag", "done"), else "".)"""
    kind, item_id = ROWS.get(row, ("new", 0))

    def load(session):  # type: ignore[no-untyped-def]
        if kind == "new":
            return [json.loads(w.cells) for w in session.scalars(select(ReturnNewWork))]
        if kind == "action":
            said = session.scalars(select(Contribution).where(Contribution.action_id == 1)).all()
            return [(c.text, c.rag) for c in said]
        milestone = session.get(Milestone, item_id)
        return [(milestone.done_date, milestone.rag)]

    found = workspace.read(load)
    if kind == "new":
        texts = {text}
        if isinstance(value, int) and column == "done":  # shown as a date: a day number
            texts |= {f"{EXCEL_EPOCH + dt.timedelta(days=value + d):%d/%m/%Y}" for d in (0, 1)}
        return any(texts & set(cells.values()) for cells in found)
    ok, code, _ = read_rag(value, DEFAULT_SCHEME)
    try:
        day = parse_date(value)
    except NotADate:
        day = None
    if isinstance(value, int) and column == "done":  # a number in a date cell is a day number
        day = EXCEL_EPOCH + dt.timedelta(days=value)
    for first, rag in found:
        if kind == "action" and first == normalise_text(text):
            return True
        if ok and code is not None and rag == code and column in ("update", "rag", "done"):
            return True
        if kind == "milestone" and day and first and abs((first - day).days) <= 1:
            return True
    return False


def _same_status(value: object, original: object) -> bool:
    ok, code, _ = read_rag(value, DEFAULT_SCHEME)
    was_ok, was, _ = read_rag(original, DEFAULT_SCHEME)
    return ok and was_ok and code is not None and code == was


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS, on_copy=st.booleans(), deleted=st.sampled_from([None, 7, 8, 9]))
@example(edits={"G2": "On track", "H2": dt.date(2015, 1, 1)}, on_copy=False, deleted=None)
@example(
    edits={"G2": "On track", "H2": "On track", "I2": "On track", "G3": "Done"},
    on_copy=True,
    deleted=None,
)
@example(edits={"J2": "Typed beside", "J3": "Beside", "C6": "New"}, on_copy=True, deleted=9)
def test_every_cell_written_is_stored_or_reported(
    tmp_path_factory, edits, on_copy, deleted
) -> None:  # type: ignore[no-untyped-def]
    plan, made = _base(tmp_path_factory)
    folder = tmp_path_factory.getbasetemp() / f"accounting_{next(_numbers)}"
    folder.mkdir()
    shutil.copy(plan, folder / "plan.cspdesk")
    path = folder / "return.xlsx"
    shutil.copy(made, path)
    book = load_workbook(path)
    sheet = book["Actions"]
    if deleted:  # the update, RAG or done date column deleted by the partner
        sheet.protection.sheet = False
        sheet.delete_cols(deleted)
    if on_copy:
        sheet = book.copy_worksheet(sheet)
        sheet.title = "Actions (2)"
    original = {ref: sheet[ref].value for ref in edits}
    for ref, value in edits.items():
        sheet[ref] = value
    book.save(path)
    with Workspace.open(folder / "plan.cspdesk") as workspace:
        diff = workspace.read(read_return, path)
        reported, left = reported_cells(diff)
        workspace.write(apply_return, diff)
        if deleted == 9:  # no done date column: no done date is cleared
            kept = workspace.read(lambda s: s.get(Milestone, 1).done_date)
            assert kept == dt.date(2016, 6, 20)
        for ref, value in edits.items():
            text = cell_text(value)
            if not text.strip():
                continue  # an empty cell says nothing
            letter, row = ref[0], int(ref[1:])
            column = HEADINGS.get(str(sheet[f"{letter}1"].value or "").casefold(), "")
            where = (sheet.title, row, letter)
            if value == original[ref] or (
                isinstance(value, dt.date)
                and original[ref] == dt.datetime.combine(value, dt.time())
            ):
                continue  # as cspdesk wrote it
            if column == "rag" and _same_status(value, original[ref]):
                continue  # the status cspdesk wrote, in other words ("On track" for Green)
            assert (
                _held(workspace, row, column, text, value)
                or where in reported
                or (sheet.title, row, "") in reported
            ), (ref, value, [p.describe() for p in diff.problems], diff.changes)
            # What the accounting says is not merged is exactly what the workspace lacks.
            if where in left:
                assert where in reported or (sheet.title, row, "") in reported
