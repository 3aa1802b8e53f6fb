"""Versions of one return: a correction supersedes what an earlier version of it set.

Versions are ordered by when the workbook was saved (returns.saved), never by the order the
files arrive in. The return's record keeps, field by field, the value the plan held before
the first merged version and the value the last one set (ReturnRecord.merged_values). A newer
version is the partner's whole answer: a field it sets back to what the return showed, or a
cell it clears, undoes the earlier version's change, while the plan still holds what that
version put there; if the officer or another return changed it since, the undoing is a
decision shown to the officer, never silent. In one batch the older version is not merged at
all: it is listed as superseded by the newer file, with both saved times.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from cspdesk.core.plan.words import possessive
from cspdesk.returns.diff import DONE_DATE, FieldChange, Problem, ReturnDiff
from cspdesk.returns.parts import organisation
from cspdesk.returns.saved import local_text

FieldKey = tuple[str, int, str, str]  # as FieldChange.key
# A field an earlier version set: (the plan's value before it, the value it set).
Earlier = dict[FieldKey, tuple[Any, Any]]


def _plain(value: Any) -> str:
    """A date as merged_values keeps it (json.dumps asks only for what it cannot write)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{value!r} cannot be kept in merged_values")


def _typed(field: str, value: Any) -> Any:
    if field == DONE_DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def earlier_values(stored: str | None) -> Earlier:
    """What the merged versions of a return set, from its record's merged_values."""
    if not stored:
        return {}
    earlier: Earlier = {}
    for kind, item_id, field, lead, before, after in json.loads(stored):
        earlier[(kind, item_id, field, lead)] = (_typed(field, before), _typed(field, after))
    return earlier


def with_merged(stored: str | None, chosen: Iterable[FieldChange]) -> str:
    """The record's merged_values once ``chosen`` are merged: each field keeps the value the
    plan held before the first version that set it, and takes the value set now."""
    earlier = earlier_values(stored)
    for change in chosen:
        key = change.key
        set_before = earlier.get(key)
        earlier[key] = (change.old if set_before is None else set_before[0], change.new)
    if not earlier:
        return stored or ""
    # Sorted by key: each key is one field's, so no two compare beyond it.
    rows = [(*key, before, after) for key, (before, after) in sorted(earlier.items())]
    return json.dumps(rows, ensure_ascii=False, default=_plain)


def correction(diff: ReturnDiff, entry: tuple[Any, Any], old: Any) -> tuple[bool, str]:
    """Whether undoing or replacing what an earlier version set is a decision for the officer
    (the plan no longer holds that version's value), and the note saying so."""
    when = f" on {local_text(diff.merged_at)}" if diff.merged_at else ""
    earlier = f"{diff.merged_file or 'an earlier version'} (merged{when})"
    if old != entry[1]:
        return True, (
            f"a correction of {earlier}, but the plan was changed after that version set it"
        )
    return False, f"corrects {earlier}, an earlier version of this return"


def _order(diff: ReturnDiff) -> dt.datetime:
    return diff.saved_at or dt.datetime.min


def mark_superseded(diffs: list[ReturnDiff]) -> None:
    """Two or more versions of one return in a batch: each older one is superseded by the
    newest (saved last) and none of its cells is merged. Copies that name two different
    organisations on their covers are two partners' answers, not versions; versions saved
    at the same time (or not saying when) cannot be ordered and stay for the officer."""
    groups: dict[tuple[int, str], list[ReturnDiff]] = defaultdict(list)
    for diff in diffs:
        groups[(diff.record_id, diff.credit_key)].append(diff)
    for group in groups.values():
        if len(group) < 2:
            continue
        newest = max(group, key=_order)
        for older in group:
            if older is newest or older.saved_at is None or _order(older) >= _order(newest):
                continue  # not known to be older: both stay for the officer (mark_batch)
            mine, theirs = organisation(older.completed_by), organisation(newest.completed_by)
            if mine and theirs and mine != theirs:
                continue
            _supersede(older, newest)


def _supersede(older: ReturnDiff, newest: ReturnDiff) -> None:
    name = newest.file_name
    older.superseded_by = name
    assert older.saved_at is not None and newest.saved_at is not None
    older.problems.insert(
        0,
        Problem(
            f"an older version of {possessive(newest.lead_name)} return, superseded by "
            f"{name}: this file was saved {local_text(older.saved_at)}, {name} later, "
            f"on {local_text(newest.saved_at)}; nothing was merged from this file, the "
            "newer version stands"
        ),
    )
    newer = {(c.key, repr(c.new)) for c in newest.changes}
    for change in older.changes:
        change.accepted, change.conflict = False, False
        if (change.key, repr(change.new)) in newer:
            change.same_as = name
            change.note = _join(change.note, f"the same as in {name}")
        else:
            change.superseded_by = name
            change.note = _join(change.note, f"superseded by {name}")
    for row in older.added:
        older.problems.append(
            Problem(
                f"new work not kept from this older version (superseded by {name}; new work "
                f"written there is kept from there): {row.describe()[:80]}",
                row.sheet,
                row.row,
            )
        )
    older.added = []


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
