"""Compare the rows read from a return with the plan: changes, conflicts and oddities.

For each field the return showed a value (the manifest in its stamp), the partner left a value
(the cell) and the plan holds a value now. The partner changed the field when the cell differs
from what was shown; the officer changed it since when the plan differs from what was shown.
Both at once is a conflict: shown, never accepted by default. The plan's own columns (context,
title, outcomes, timescale or due date, last quarter's update) are never merged: a cell the
partner changed from what the return showed is noted; one the officer changed in the plan since
is not the partner's doing (older returns, whose manifest has no digest of the plan's text, are
compared with the plan as it is now).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import HistoryEntry, RagStatus
from cspdesk.core.plan.words import possessive
from cspdesk.io.cells import EXCEL_CELL_LIMIT
from cspdesk.io.gate import ImportRefused
from cspdesk.returns.cells import NotADate, cell_text, is_blank, parse_date, read_rag
from cspdesk.returns.diff import (
    COMPLETED_MARK,
    DONE_DATE,
    RAG,
    UPDATE_TEXT,
    AddedRow,
    DeletedRow,
    FieldChange,
    Problem,
    ReturnDiff,
    WrittenCell,
)
from cspdesk.returns.layout import (
    COLUMNS,
    MILESTONE_MARK,
    PLAN_PARTS,
    ShownPlan,
    digest,
    normalise_text,
)
from cspdesk.returns.moved import Shuffled, as_shown, plan_cells, realign
from cspdesk.returns.parts import organisation
from cspdesk.returns.saved import local_text
from cspdesk.returns.scope import ActionRow, BatchScope, MilestoneRow, Said, load_actions
from cspdesk.returns.versions import correction

UNKNOWN = object()  # the return's shown value is not known (its manifest was lost)
LONG_TEXT = 12  # longer than any RAG word: text typed into the RAG cell is an update
AS_SHOWN = "as the return showed it"
IN_PLAN = "the plan holds it already"


@dataclass
class SheetRow:
    number: int
    kind: str
    item_id: int
    cells: dict[str, Any]  # column key -> raw value
    strays: list[tuple[str, Any]]  # (column letter, value) outside the return's columns


@dataclass
class SheetRead:
    name: str
    rows: list[SheetRow]
    added: list[tuple[int, dict[str, str]]]
    letters: dict[str, str]  # column key -> letter as found
    written: list[WrittenCell] = field(default_factory=list)  # every cell a partner could write


class _Comparer:
    def __init__(
        self,
        session: Session,
        path: Path,
        diff: ReturnDiff,
        sheet: SheetRead,
        manifest: dict[str, Any] | None,
        scope: BatchScope,
    ) -> None:
        self.session, self.path, self.diff, self.sheet = session, path, diff, sheet
        self.letters = sheet.letters
        # Read once for the file's rows: the diff's lead and credit stay as they are here.
        self.agency_id, self.credit_agency = diff.agency_id, diff.credit_agency
        self.credit_key = diff.credit_key
        known = scope.actions(diff.plan_id, diff.quarter)
        self._rags: dict[str, tuple[bool, str | None, str]] = {}
        self.manifest = manifest
        self.scheme: list[RagStatus] = scope.scheme
        self.labels = {s.code: s.label for s in self.scheme}
        self.shown_a: dict[int, list[Any]] = (manifest or {}).get("a", {})
        self.shown_m: dict[int, list[Any]] = (manifest or {}).get("m", {})
        # Each row's plan text as the return showed it (digests; None in older returns).
        self.shown_plan: dict[str, ShownPlan | None] = {
            kind: (manifest or {}).get(part) for kind, part in PLAN_PARTS.items()
        }
        milestone_ids = {r.item_id for r in sheet.rows if r.kind == "milestone"}
        milestone_ids |= set(self.shown_m)
        known_parent = scope.parents(diff.plan_id, diff.quarter)
        self.parent: dict[int, int] = {
            m: known_parent[m] for m in milestone_ids if m in known_parent
        }
        unknown = (m for m in milestone_ids if m not in known_parent)
        self.parent.update(scope.milestone_parents(unknown))
        action_ids = {r.item_id for r in sheet.rows if r.kind == "action"}
        action_ids |= set(self.shown_a) | set(self.parent.values())
        self.actions: dict[int, ActionRow] = {a: known[a] for a in action_ids if a in known}
        # Not loaded yet (a small batch loads only what its files hold), or rows of another
        # plan (refused below).
        missing = [a for a in action_ids if a not in known]
        if missing:
            loaded = load_actions(
                session, diff.plan_id, diff.quarter, missing, classes=scope.classes,
                quarter_rags=False,
            )  # fmt: skip
            self.actions.update(loaded)
            scope.remember(diff.plan_id, diff.quarter, loaded)
        self.milestones: dict[int, MilestoneRow] = {
            m.id: m for a in self.actions.values() for m in a.milestones
        }
        # A row the manifest does not list is compared with what the return would show now.
        unlisted = {r.item_id for r in sheet.rows if r.kind == "action"} - set(self.shown_a)
        scope.quarter_rags(diff.quarter, (self.actions[a] for a in unlisted if a in self.actions))
        self.touched: set[tuple[str, int]] = set() if manifest is not None else self._touched()

    def _touched(self) -> set[tuple[str, int]]:
        """Without a manifest: items the history shows changed since the return was made."""
        rows = self.session.execute(
            select(HistoryEntry.entity, HistoryEntry.entity_id).where(
                HistoryEntry.at > self.diff.made_at, HistoryEntry.who != self.diff.who
            )
        ).all()
        return {(e, i) for e, i in rows}

    def problem(self, message: str, row: SheetRow | int | None = None, key: str = "") -> None:
        number = row.number if isinstance(row, SheetRow) else row
        self.diff.problems.append(
            Problem(message, self.sheet.name, number, self.sheet.letters.get(key, key))
        )

    def keep(self, row: SheetRow, key: str, how: str = AS_SHOWN) -> None:
        """The cell in column ``key`` (or a letter) holds what the workspace holds already."""
        letter = self.letters.get(key, key)
        if letter:
            self.diff.kept.setdefault((self.sheet.name, row.number, letter), how)

    def refuse(self, row: SheetRow, reason: str) -> None:
        raise ImportRefused(
            self.path,
            reason,
            sheet=self.sheet.name,
            row=row.number,
            column=self.sheet.letters.get("id"),
        )

    # ---- the rows -------------------------------------------------------------------------

    def run(self) -> None:
        for column in COLUMNS:
            if column.editable and column.key not in self.sheet.letters:
                self.problem(
                    f"the {column.heading!r} column is not in this sheet (deleted?): no "
                    f"{column.heading.casefold()} was read, and the plan's were left as they are"
                )
        seen: dict[tuple[str, int], int] = {}  # item -> the row read for it
        for row in self._realigned():
            first = seen.get((row.kind, row.item_id))
            if first is not None:
                self._skipped_twice(row, first)
                continue
            seen[(row.kind, row.item_id)] = row.number
            if self._belongs(row):
                if row.kind == "action":
                    self._action_row(row, self.actions[row.item_id])
                else:
                    self._milestone_row(row, self.milestones[row.item_id])
        for number, values in self.sheet.added:
            self.diff.added.append(AddedRow(number, values, self.sheet.name))
        for kind, shown in (("action", self.shown_a), ("milestone", self.shown_m)):
            for item_id in shown:
                if (kind, item_id) in seen:
                    continue
                item = (self.actions if kind == "action" else self.milestones).get(item_id)
                if item is not None:
                    self.diff.deleted.append(DeletedRow(kind, item_id, item.title))

    def _skipped_twice(self, row: SheetRow, first: int) -> None:
        """A second row for one item (a row copied with its ID): not read; each of its
        cells the partner wrote is named, with what it held."""
        why = (
            f"was not merged: {row.kind} {row.item_id} appears twice (rows {first} and "
            f"{row.number}) and only row {first} was read; copy it into the plan yourself if "
            "it is needed"
        )
        plan = self._plan_row((row.kind, row.item_id))
        expected = plan_cells(plan) if plan is not None else {}
        listed = False
        for letter, value in self._cells_of(row):
            self.problem(f"{cell_text(value)[:200]!r} {why}", row.number, letter)
            listed = True
        for key, value in expected.items():
            raw = row.cells.get(key)
            if (
                not is_blank(raw)
                and cell_text(raw) != cell_text(value)
                and not self._left_as_shown(row, key, raw)
            ):
                self.problem(f"{cell_text(raw)[:200]!r} {why}", row, key)
                self._typed_in_plan(row, key, raw)
                listed = True
        if not listed:
            self.problem(
                f"{row.kind} {row.item_id} appears twice (rows {first} and {row.number}); "
                f"only row {first} was read (row {row.number} holds nothing of the partner's)",
                row,
            )

    def _cells_of(self, row: SheetRow) -> list[tuple[str, Any]]:
        """The cells of ``row`` a partner could write, as read (column letter, value)."""
        return [
            (cell.column, cell.value)
            for cell in self.sheet.written
            if cell.row == row.number and cell.sheet == self.sheet.name
        ]

    def _realigned(self) -> list[SheetRow]:
        """The sheet's rows, each read as the item whose plan text it shows (moved.py)."""
        if self.manifest is not None:
            items = [("action", a) for a in self.shown_a] + [("milestone", m) for m in self.shown_m]
        else:
            items = [(row.kind, row.item_id) for row in self.sheet.rows]
        try:
            stamped = any(part is not None for part in self.shown_plan.values())
            shown_of = self._shown_plan if stamped else None
            rows, moved = realign(self.sheet.rows, items, self._plan_row, shown_of)
        except Shuffled as error:
            raise ImportRefused(
                self.path,
                str(error),
                sheet=self.sheet.name,
                row=error.row,
                column=self.sheet.letters.get("title"),
            ) from error
        for row in moved:
            self.problem(row.describe(), row.row, "title")
        return rows

    def _plan_row(self, item: tuple[str, int]) -> ActionRow | MilestoneRow | None:
        kind, item_id = item
        return (self.actions if kind == "action" else self.milestones).get(item_id)

    def _shown_plan(self, item: tuple[str, int]) -> str | None:
        """The digests of ``item``'s plan cells as the return showed them (None: not known)."""
        part = self.shown_plan[item[0]]
        return part.get(item[1]) if part is not None else None

    def _left_as_shown(self, row: SheetRow, key: str, raw: Any) -> bool:
        """Whether the plan cell in column ``key`` holds what the return showed (when known):
        then it differs from the plan because the officer changed the plan since."""
        stamp = self._shown_plan((row.kind, row.item_id))
        return stamp is not None and as_shown(row.kind, stamp, key, raw)

    def _belongs(self, row: SheetRow) -> bool:
        shown = self.shown_a if row.kind == "action" else self.shown_m
        in_manifest = row.item_id in shown
        action_id = row.item_id if row.kind == "action" else self.parent.get(row.item_id)
        action = self.actions.get(action_id) if action_id is not None else None
        exists = action is not None and (row.kind == "action" or row.item_id in self.milestones)
        if not exists:
            if in_manifest:
                self.problem(
                    f"{row.kind} {row.item_id} is no longer in the plan (deleted since "
                    "the return was made); its row was skipped",
                    row,
                )
                return False
            self.refuse(
                row,
                f"this row holds {row.kind} {row.item_id}, which is not in this workspace's plan",
            )
        assert action is not None
        if action.plan_id != self.diff.plan_id:
            self.refuse(
                row,
                f"this row holds {row.kind} {row.item_id}, which belongs to "
                f"another plan, not the {self.diff.plan_year} plan",
            )
        if not in_manifest and self.agency_id not in action.lead_ids:
            self.refuse(
                row,
                f"this row holds {row.kind} {row.item_id} ({action.title[:60]!r}), "
                f"which {self.diff.lead_name} does not lead; was it copied from "
                "another return?",
            )
        return True

    def _rag(self, row: SheetRow, key: str = "rag") -> tuple[bool, str | None, str]:
        value = row.cells.get(key)
        if not isinstance(value, str):
            return read_rag(value, self.scheme)
        if value not in self._rags:  # partners type the same few words thousands of times
            self._rags[value] = read_rag(value, self.scheme)
        return self._rags[value]

    def _action_row(self, row: SheetRow, action: ActionRow) -> None:
        """This lead's part of the action: its words and RAG against its contribution now."""
        letters = self.letters
        own = action.own(self.credit_agency)
        shown = self.shown_a.get(action.id)
        if shown:
            shown_digest, shown_rag = shown
        else:
            shown_text_now, shown_rag = action.shown_to(self.agency_id)
            shown_digest = digest(shown_text_now)
        raw_update = row.cells.get("update")
        text = "" if is_blank(raw_update) else cell_text(raw_update)
        text_from: str = ""
        rag_from_text = ""
        rag_ok, rag, rag_note = self._rag(row)
        raw_rag = row.cells.get("rag")
        rag_given = rag_ok and rag is not None

        def text_unchanged(value: str) -> bool:
            return digest(value) == shown_digest

        # None: no words to read (the column was deleted), never "cleared".
        new_text: str | None = text if "update" in letters else None
        # An update that is a status word ("On track", "Done") is the partner's words; it is
        # read as the RAG too only when the RAG cell was left empty.
        if text and len(text) <= LONG_TEXT and is_blank(raw_rag) and not text_unchanged(text):
            ok, code, _ = read_rag(text, self.scheme)
            if ok and code is not None:
                rag, rag_ok, rag_given = code, True, True
                rag_from_text = f"read from the update {text!r} (the RAG cell was empty)"
                self.problem(
                    f"{text!r} was kept as the update and read as the RAG status too (the RAG "
                    "cell was empty)",
                    row,
                    "update",
                )
        if not rag_ok:
            typed = cell_text(raw_rag)
            if len(typed) > LONG_TEXT and new_text is not None and text_unchanged(new_text):
                new_text, text_from = typed, letters.get("rag", "")
            else:
                self.problem(
                    f"{typed[:40]!r} is not a RAG status; the RAG was left as it was", row, "rag"
                )
        elif rag_note:
            self.problem(rag_note, row, "rag")
        if not rag_given:  # a blank RAG cell changes nothing
            rag = shown_rag
        strays = list(row.strays)
        if not is_blank(row.cells.get("done")):
            strays.insert(0, (letters.get("done", ""), row.cells["done"]))
        for letter, value in strays:
            typed = cell_text(value)
            if new_text is not None and not text_from and text_unchanged(new_text):
                new_text, text_from = typed, letter
            else:
                self.problem(
                    f"{typed!r} was typed outside the update column and was not merged",
                    row.number,
                    letter,
                )
        self._last_check(row, action)
        self._title_check(row, action.title)
        self._plan_check(row, action)
        text_changed = new_text is not None and not text_unchanged(new_text)
        rag_changed = rag_given and rag != shown_rag
        update_letter = text_from or letters.get("update", "")
        if not text_changed and text:
            self.keep(row, "update")
        if rag_given and not rag_changed:
            self.keep(row, "rag")
        if not (text_changed or rag_changed):
            # The partner said nothing new about this action, unless it withdraws what an
            # earlier version of the return set.
            self._correct_action(row, action, own, text_changed=False, rag=None)
            return
        if new_text is None or not text_changed:
            new_text = own.text if own is not None else ""
        new_text = normalise_text(new_text)
        cut = len(new_text) - EXCEL_CELL_LIMIT
        if cut > 0:
            # The file holds more than an Excel cell can (an .ods can): the rest is named, and
            # the cell counts as not merged, since a plan export and the next return stop there.
            rest = new_text[EXCEL_CELL_LIMIT:]
            self.problem(
                f"the update holds {len(new_text):,} characters, more than the "
                f"{EXCEL_CELL_LIMIT:,} an Excel cell holds: the first {EXCEL_CELL_LIMIT:,} were "
                f"taken; the last {cut:,}, from {rest[:60]!r}{'…' if cut > 60 else ''}, were "
                "not merged: copy them into the plan yourself if they are needed",
                row,
                update_letter,
            )
            new_text = new_text[:EXCEL_CELL_LIMIT]
        elif cut == 0:
            # Excel stops a cell at its limit, so a full cell may have held more when typed.
            self.problem(
                f"the update fills the cell ({EXCEL_CELL_LIMIT:,} characters, the most an Excel "
                f"cell holds): the first {EXCEL_CELL_LIMIT:,} were taken; anything typed beyond "
                "them is only in the partner's file",
                row,
                update_letter,
            )
        conflict, note = self._standing(own)
        if text_from:
            note = "; ".join(n for n in (f"typed in column {text_from}", note) if n)
        old_text, old_rag = (own.text, own.rag) if own is not None else ("", None)
        other, rag_conflict = self._other_part(own), False
        if other is not None and text_changed and own is not None:
            # A shared return answered by two organisations in two copies: the words of both
            # are kept, each under its organisation's name; their RAGs are a decision.
            mine = organisation(self.diff.completed_by) or "Another copy"
            theirs = old_text if old_text.startswith(f"{other}: ") else f"{other}: {old_text}"
            new_text = f"{theirs}\n\n{mine}: {new_text}" if old_text else f"{mine}: {new_text}"
            note = _join(note, f"added to the words {other} gave in another copy of this return")
            rag_conflict = rag_changed and old_rag is not None and rag != old_rag
        if text_changed and new_text != old_text:
            text_note = note if rag_given or old_rag is not None else _join(note, "no RAG given")
            self._add(row, "action", action.id, action.id, UPDATE_TEXT, action.title,
                      old_text, new_text, None, conflict, text_note, update_letter)  # fmt: skip
            self.diff.changes[-1].cut = max(cut, 0)
        elif text_changed:
            self.keep(row, update_letter, IN_PLAN)
        # A RAG left as the return showed it still stands for this lead's part, unless the
        # part is in dispute; a RAG cell left empty gives none.
        affirmed = text_changed and rag_given and old_rag is None and not conflict
        if (rag_changed or affirmed) and rag != old_rag and rag is not None:
            rag_note = (
                _join(rag_from_text, note)
                if rag_from_text
                else note
                if rag_changed
                else "the RAG the return showed, left as it was"
            )
            self._add(row, "action", action.id, action.id, RAG, action.title,
                      old_rag, rag, None, (conflict or rag_conflict) and rag_changed,
                      _join(rag_note, f"{other} gave another" if rag_conflict else ""),
                      "rag" if not is_blank(raw_rag) else "update")  # fmt: skip
        elif rag_changed:
            self.keep(row, "rag", IN_PLAN)
        self._correct_action(
            row, action, own, text_changed=text_changed, rag=rag if rag_given else None,
            rag_changed=rag_changed,
        )  # fmt: skip

    def _correct_action(
        self,
        row: SheetRow,
        action: ActionRow,
        own: Said | None,
        *,
        text_changed: bool,
        rag: str | None,
        rag_changed: bool = False,
    ) -> None:
        """The fields of this lead's part an earlier version of the return set and this
        version leaves as the return showed them (or clears): undone (returns.versions)."""
        if not self.diff.earlier:
            return  # the first version merged (nearly every return)
        lead = self.diff.credit_key
        keys = {name: ("action", action.id, name, lead) for name in (UPDATE_TEXT, RAG)}
        earlier = {name: self.diff.earlier.get(key) for name, key in keys.items()}
        if not any(earlier.values()):
            return
        mine = keys.values()
        done = {c.field for c in self.diff.changes if c.key in mine and c.row == row.number}
        old = {UPDATE_TEXT: own.text if own else "", RAG: own.rag if own else None}
        for name, entry in earlier.items():
            if entry is None or name in done:
                continue
            if name == UPDATE_TEXT:
                if text_changed or "update" not in self.sheet.letters:
                    continue  # new words were compared above; no column says nothing
                target = entry[0]
            else:
                # The RAG this version would give on its own: a changed one, or the one shown
                # beside new words when the part had none; else what was there before.
                affirms = text_changed and rag is not None and entry[0] is None
                target = rag if rag is not None and (rag_changed or affirms) else entry[0]
            column = "update" if name == UPDATE_TEXT else "rag"
            self._correct(row, action, name, old[name], target, entry, column)

    def _correct(
        self,
        row: SheetRow,
        item: ActionRow | MilestoneRow,
        name: str,
        old: Any,
        target: Any,
        earlier: tuple[Any, Any],
        column: str,
    ) -> None:
        """Set ``name`` to ``target``, superseding what an earlier version of the return set."""
        if target == old:
            self.keep(row, column, IN_PLAN)
            return
        conflict, note = correction(self.diff, earlier, old)
        milestone = isinstance(item, MilestoneRow)
        action_id = item.action_id if isinstance(item, MilestoneRow) else item.id
        self._add(row, "milestone" if milestone else "action", item.id, action_id, name,
                  item.title, old, target, None, conflict, note, column)  # fmt: skip
        self.diff.changes[-1].corrects = True

    def _standing(self, own: Said | None) -> tuple[bool, str]:
        """Whether this lead's contribution now stands in the way of the return (a genuine
        conflict), and a note: changed by the officer or another return since this one was
        made is a conflict; an earlier merge of this same return is simply replaced."""
        if own is None or own.updated_at is None or own.updated_at <= self.diff.made_at:
            return False, ""
        when = local_text(own.updated_at)
        if own.return_id == self.diff.record_id:
            return False, f"replaces the version of this return merged on {when}"
        by = "the officer" if own.source in ("", ops.DEFAULT_WHO) else own.source
        return (
            True,
            f"{possessive(self.diff.credit_name)} part was changed on {when} by {by} "
            "after this return was made",
        )

    def _other_part(self, own: Said | None) -> str | None:
        """The organisation that completed the copy of this same return merged before, when
        the cover of this copy names another (a shared return answered twice); else None."""
        if own is None or own.return_id != self.diff.record_id or COMPLETED_MARK not in own.source:
            return None
        before = organisation(own.source.split(COMPLETED_MARK, 1)[1])
        mine = organisation(self.diff.completed_by)
        return before if before and before != mine else None

    def _last_check(self, row: SheetRow, action: ActionRow) -> None:
        raw = row.cells.get("last")
        if raw is None or raw == action.last_update:
            return  # left as written (most rows): nothing to normalise
        typed = normalise_text(raw)
        if (
            typed
            and typed != normalise_text(action.last_update)
            and not self._left_as_shown(row, "last", raw)
        ):
            self.problem(
                f"text typed over last quarter's update was not merged: {typed!r} "
                "(write this quarter's progress in 'This quarter's update')",
                row,
                "last",
            )
            self._typed_in_plan(row, "last", raw)

    def _milestone_row(self, row: SheetRow, milestone: MilestoneRow) -> None:
        shown = self.shown_m.get(milestone.id)
        shown_done: Any = (
            UNKNOWN if not shown else (dt.date.fromisoformat(shown[0]) if shown[0] else None)
        )
        shown_rag: Any = UNKNOWN if not shown else shown[1]
        rag_ok, rag, rag_note = self._rag(row)
        raw_rag, raw_done = row.cells.get("rag"), row.cells.get("done")
        rag_column = "rag"
        if not rag_ok:
            self.problem(
                f"{cell_text(raw_rag)[:40]!r} is not a RAG status; the RAG was left as it was",
                row,
                "rag",
            )
        elif rag_note:
            self.problem(rag_note, row, "rag")
        if not rag_ok or rag is None:  # a blank RAG cell changes nothing
            rag = milestone.rag if shown_rag is UNKNOWN else shown_rag
        done_read = True
        if "done" not in self.letters:  # a deleted column says nothing: never "cleared"
            done = milestone.done_date if shown_done is UNKNOWN else shown_done
        else:
            try:
                done = parse_date(raw_done)
            except NotADate as error:
                done_read = False
                ok, code, _ = self._rag(row, "done")
                if ok and code is not None and is_blank(raw_rag):
                    rag, rag_column = code, "done"
                else:
                    self.problem(f"{error}; the done date was left as it was", row, "done")
                done = milestone.done_date if shown_done is UNKNOWN else shown_done
        for letter, value in [
            (self.letters.get("update", ""), row.cells.get("update")),
            *row.strays,
        ]:
            if not is_blank(value):
                self.problem(
                    f"{cell_text(value)[:60]!r} was typed beside a milestone and was "
                    "not merged (milestones take a done date and a RAG)",
                    row.number,
                    letter,
                )
        self._title_check(row, milestone.title, milestone=True)
        self._plan_check(row, milestone)
        touched = ("milestone", milestone.id) in self.touched
        for name, new, old, was, column, read in (
            (DONE_DATE, done, milestone.done_date, shown_done, "done", done_read),
            (RAG, rag, milestone.rag, shown_rag, rag_column, rag_ok),
        ):
            earlier = self.diff.earlier.get(("milestone", milestone.id, name, ""))
            if earlier is not None and read and column in self.sheet.letters:
                # A newer version: as the return showed it (or cleared) undoes the earlier one.
                target = earlier[0] if was is not UNKNOWN and new == was else new
                self._correct(row, milestone, name, old, target, earlier, column)
                continue
            if new == old or (was is not UNKNOWN and new == was):
                if read and not is_blank(row.cells.get(column)):  # an empty cell says nothing
                    self.keep(row, column, AS_SHOWN if new == was else IN_PLAN)
                continue
            officer = touched if was is UNKNOWN else old != was
            note = "typed in the done date column" if column != "rag" and name == RAG else ""
            if name == DONE_DATE and isinstance(new, dt.date) and new > dt.date.today():
                note = f"a done date in the future (after today, {dt.date.today():%d/%m/%Y})"
            self._add(
                row,
                "milestone",
                milestone.id,
                milestone.action_id,
                name,
                milestone.title,
                old,
                new,
                None if was is UNKNOWN else was,
                officer,
                note,
                column,
            )

    def _plan_check(self, row: SheetRow, item: ActionRow | MilestoneRow) -> None:
        """The plan's other columns, edited after unprotecting the sheet: noted, never merged."""
        cells = row.cells
        if isinstance(item, MilestoneRow):
            due, raw_due = item.due_date, cells.get("timescale")
            if (
                cells.get("context") is None
                and cells.get("outcomes") is None
                and (raw_due == due or (isinstance(raw_due, dt.datetime) and raw_due.date() == due))
            ):
                return  # left as written (nearly every row)
            expected: dict[str, Any] = {"timescale": due, "context": None, "outcomes": None}
        else:
            expected = {
                "context": f"{item.priority} › {item.objective}",
                "outcomes": item.outcomes or None,
                "timescale": item.timescale or None,
            }
        for key, value in expected.items():
            raw = row.cells.get(key)
            if raw == value or (raw is None and not value):
                continue  # left as written (nearly every cell)
            if isinstance(value, dt.date) and not isinstance(raw, str):
                with contextlib.suppress(NotADate):
                    if parse_date(raw) == value:
                        continue
            typed, written = cell_text(raw), cell_text(value)
            if typed == written:
                continue
            self._plan_edited(row, key, raw, typed, written)

    def _plan_edited(self, row: SheetRow, key: str, raw: Any, typed: str, written: str) -> None:
        """A note for a plan cell the partner changed, quoting what they typed; the cell is
        then one of the partner's cells not merged (account.py counts it). No note when the
        cell holds what the return showed: the officer changed the plan since, not the partner."""
        if self._left_as_shown(row, key, raw):
            return
        heading = next(c.heading for c in COLUMNS if c.key == key)
        what = edited_part(typed, written) if typed else "nothing (the plan's text was deleted)"
        self.problem(
            f"the plan's {heading!r} was changed in the return to {what}; returns change only "
            "updates, RAG and done dates (edit the plan itself if it is wrong)",
            row,
            key,
        )
        self._typed_in_plan(row, key, raw)

    def _typed_in_plan(self, row: SheetRow, key: str, raw: Any) -> None:
        letter = self.sheet.letters.get(key)
        if letter and not is_blank(raw):
            self.diff.written.append(WrittenCell(self.sheet.name, row.number, letter, raw))

    def _title_check(self, row: SheetRow, title: str, milestone: bool = False) -> None:
        raw = row.cells.get("title")
        # A cell left as written (most rows) passes the comparison below: skip normalising it.
        # (An action's title holding the mark is left to it, since the mark is cut below.)
        if milestone:
            unchanged = raw == MILESTONE_MARK + title
        else:
            unchanged = raw == title and MILESTONE_MARK.strip() not in title
        if raw is None or unchanged:
            return
        typed = normalise_text(raw)
        if typed.startswith(MILESTONE_MARK.strip()):
            typed = typed[len(MILESTONE_MARK.strip()) :].strip()
        if typed and typed != normalise_text(title):
            self._plan_edited(row, "title", raw, typed, normalise_text(title))

    def _add(
        self,
        row: SheetRow,
        kind: str,
        item_id: int,
        action_id: int,
        field: str,
        title: str,
        old: Any,
        new: Any,
        shown: Any,
        conflict: bool,
        note: str,
        key: str,
    ) -> None:
        """A change of the cell in column ``key`` (a column key or a letter)."""
        if conflict and not note:
            note = "changed in the plan since the return was made"
        self.diff.changes.append(
            FieldChange(
                kind=kind,
                item_id=item_id,
                action_id=action_id,
                field=field,
                item_title=title,
                old=old,
                new=new,
                shown=shown,
                conflict=conflict,
                note=note,
                sheet=self.sheet.name,
                row=row.number,
                column=self.letters.get(key, key if key.isupper() else ""),
                accepted=not conflict,
                lead=self.credit_key if kind == "action" else "",
            )
        )


def edited_part(typed: str, written: str, limit: int = 80) -> str:
    """What the partner typed, quoted; a long text only around what differs from what the
    return wrote (a few words appended to a long title are the point, not its start)."""
    if len(typed) <= limit:
        return repr(typed)
    start = _same_for(typed, written)
    end = _same_for(typed[start:][::-1], written[start:][::-1])
    first, last = max(0, start - 20), min(len(typed), len(typed) - end + 20)
    last = min(last, first + limit)
    return repr(("…" if first else "") + typed[first:last] + ("…" if last < len(typed) else ""))


def _same_for(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` start with alike."""
    pairs = enumerate(zip(one, other, strict=False))
    return next((i for i, (a, b) in pairs if a != b), min(len(one), len(other)))


def _join(*parts: str) -> str:
    return "; ".join([p for p in parts if p])


def compare_rows(
    session: Session,
    path: Path,
    diff: ReturnDiff,
    sheet: SheetRead,
    manifest: dict[str, Any] | None,
    scope: BatchScope | None = None,
    *,
    lost_note: bool = True,
) -> None:
    """Fill ``diff`` with the changes, deleted rows, added rows and problems of ``sheet``."""
    diff.written.extend(sheet.written)
    if manifest is None and lost_note:
        diff.problems.append(
            Problem(
                "the return's list of rows was lost (re-saved by another "
                "program?); changes were checked against the plan's "
                "history instead"
            )
        )
    _Comparer(session, path, diff, sheet, manifest, scope or BatchScope(session)).run()
