"""Rows whose visible cells were sorted apart from their hidden ID (B1 of issue 23).

A partner who sorts only the visible columns (LibreOffice's "current selection", Excel's
"continue with the current selection") moves each row's plan text and words, while the hidden
ID column stays where it was: the ID then names another action than the text the partner read
and answered. The plan text decides: a row is read as its ID's item while its plan text is
that item's, and as another item of the return when its plan text is exactly that item's and
no other's. A newer return holds a digest of each row's plan text as written (layout.py): its
rows are placed by the text the return showed, so an action the officer renamed after making
the return is still found. When rows were moved and some row's text cannot be placed, the file
is refused rather than guessed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cspdesk.returns.cells import NotADate, cell_text, parse_date
from cspdesk.returns.layout import (
    MILESTONE_MARK,
    PLAN_KEYS,
    STAMP_CHARS,
    STAMPED_KEYS,
    column_stamps,
    text_stamp,
)
from cspdesk.returns.scope import ActionRow, MilestoneRow

if TYPE_CHECKING:
    from cspdesk.returns.compare import SheetRow

Item = tuple[str, int]  # (kind, id)
Signature = tuple[str, ...]
_MARK = MILESTONE_MARK.strip()


class Shuffled(ValueError):
    """The rows were sorted without their IDs and row ``row`` cannot be placed."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row


@dataclasses.dataclass(frozen=True)
class Moved:
    """A row read as another item than its hidden ID names."""

    row: int
    id_names: Item
    shows: Item

    def describe(self) -> str:
        shown, hidden = _name(self.shows), _name(self.id_names)
        return (
            f"row {self.row} shows {shown}'s text but {hidden}'s hidden ID (sorted without the "
            f"hidden column?): read as {shown}"
        )


def _name(item: Item) -> str:
    return f"{item[0]} {item[1]}"


def plan_cells(item: ActionRow | MilestoneRow) -> dict[str, Any]:
    """The plan's cells of ``item``'s row, as the return writes them."""
    if isinstance(item, MilestoneRow):
        return {"title": MILESTONE_MARK + item.title, "timescale": item.due_date}
    return {
        "context": f"{item.priority} › {item.objective}",
        "title": item.title,
        "outcomes": item.outcomes or None,
        "timescale": item.timescale or None,
        "last": item.last_update or None,
    }


def plan_text(key: str, value: object) -> str:
    """A plan cell's text as compared with what the return showed: as the partner sees it, a
    milestone's title without its mark, a due date whose date format was lost as its date."""
    if value is None:
        return ""
    if key == "title":
        if isinstance(value, str) and value.startswith(MILESTONE_MARK):
            title = value[len(MILESTONE_MARK) :]  # as written: normalised below only if need be
            plain = title.isprintable() and "_x" not in title and title == title.strip()
            if plain and not title.startswith(_MARK):
                return title
        text = cell_text(value)
        return text[len(_MARK) :].strip() if text.startswith(_MARK) else text
    if key == "timescale" and isinstance(value, int | float) and not isinstance(value, bool):
        with contextlib.suppress(NotADate):
            return cell_text(parse_date(value))
    return cell_text(value)


@functools.lru_cache(maxsize=65536, typed=True)  # contexts and dates recur on many rows
def _cell_stamp(key: str, value: object) -> str:
    return text_stamp(plan_text(key, value))


_BLANK_STAMP = text_stamp("")


def row_stamp(cells: dict[str, Any]) -> Signature:
    """The digests of a row's plan cells (layout.PLAN_KEYS), one per column."""
    return tuple(_cell_stamp(key, cells.get(key)) for key in PLAN_KEYS)


def plan_stamps(actions: list[ActionRow], milestones: list[MilestoneRow]) -> tuple[str, str]:
    """The manifest's "pa" and "pm" parts for these rows (each in the order given): the
    digests of ``plan_cells`` of each, column by column (layout.STAMPED_KEYS)."""
    dates = {day: plan_text("timescale", day) for day in {m.due_date for m in milestones}}
    due = [dates[m.due_date] for m in milestones]
    return (
        _texts_stamps("context", [f"{a.priority} › {a.objective}" for a in actions])
        + _texts_stamps("title", [a.title for a in actions])
        + _texts_stamps("outcomes", [a.outcomes for a in actions])
        + _texts_stamps("timescale", [a.timescale for a in actions])
        + _texts_stamps("last", [a.last_update for a in actions])
    ), _texts_stamps("title", [m.title for m in milestones], MILESTONE_MARK) + column_stamps(due)


def _texts_stamps(key: str, texts: list[str | None], mark: str = "") -> str:
    """``column_stamps`` of the cells ``mark + text`` (None when blank) of a column. When the
    texts are all one line of plain text (nearly always), plan_text gives them as they are."""
    if not _all_plain(texts):
        cells = [mark + text if text else (mark or None) for text in texts]
        return column_stamps([plan_text(key, cell) for cell in cells])
    return column_stamps(texts)  # type: ignore[arg-type]  # no blank (None) among them


def _all_plain(texts: list[str | None]) -> bool:
    """Whether each of ``texts`` is one line, none starting or ending with a space or
    starting with the milestone mark, nothing Excel escapes or normalise_text changes (the
    whole column at once: every row of every return made is stamped). False may only mean
    "look at each" (a blank text, or one holding " | ")."""
    try:
        joined = "|".join(texts)  # type: ignore[arg-type]  # a blank (None) is TypeError
    except TypeError:
        return False
    return (
        joined.isprintable()  # no line breaks or control characters in any
        and "_x" not in joined
        and not joined.startswith((" ", _MARK))
        and not joined.endswith(" ")
        and "| " not in joined
        and " |" not in joined
        and f"|{_MARK}" not in joined
    )


def split_stamp(kind: str, stamp: str) -> Signature:
    """A row's digests in the manifest as ``row_stamp`` gives them (one per PLAN_KEYS)."""
    keys = STAMPED_KEYS[kind]
    return tuple(
        stamp[keys.index(key) * STAMP_CHARS :][:STAMP_CHARS] if key in keys else _BLANK_STAMP
        for key in PLAN_KEYS
    )


def as_shown(kind: str, stamp: str, key: str, value: object) -> bool:
    """Whether the cell in column ``key`` holds the text the return showed (``stamp``: the
    row's plan digests in the manifest)."""
    keys = STAMPED_KEYS[kind]
    if key not in keys:
        return _cell_stamp(key, value) == _BLANK_STAMP  # written empty
    start = keys.index(key) * STAMP_CHARS
    return stamp[start : start + STAMP_CHARS] == _cell_stamp(key, value)


def _as_written(cells: dict[str, Any], expected: dict[str, Any]) -> bool:
    """The row's plan cells are exactly as written (nearly every row: no text compared)."""
    for key in PLAN_KEYS:
        raw, value = cells.get(key), expected.get(key)
        if raw is value or raw == value:
            continue
        if isinstance(raw, dt.datetime) and raw.date() == value:
            continue
        return False
    return True


def _unmoved(cells: dict[str, Any], item: ActionRow | MilestoneRow) -> bool:
    """``_as_written(cells, plan_cells(item))`` for a row left as written, without building
    the plan's cells (nearly every row of every return); False only means "compare them"."""
    title = cells.get("title")
    if isinstance(item, MilestoneRow):
        return (
            title == MILESTONE_MARK + item.title
            and cells.get("timescale") == item.due_date
            and cells.get("context") is None
            and cells.get("outcomes") is None
            and cells.get("last") is None
        )
    return (
        title == item.title
        and cells.get("outcomes") == (item.outcomes or None)
        and cells.get("timescale") == (item.timescale or None)
        and cells.get("last") == (item.last_update or None)
        and cells.get("context") == f"{item.priority} › {item.objective}"
    )


def _signature(cells: dict[str, Any]) -> Signature:
    return tuple(cell_text(cells.get(key)) for key in PLAN_KEYS)


def realign(
    rows: list[SheetRow],
    items: Iterable[Item],
    plan_of: Callable[[Item], ActionRow | MilestoneRow | None],
    shown_of: Callable[[Item], str | None] | None = None,
) -> tuple[list[SheetRow], list[Moved]]:
    """``rows``, each read as the item whose plan text it shows, and the rows so moved.
    ``items``: the rows the return was made with; ``plan_of``: an item's plan row (None when
    it is no longer in the plan); ``shown_of``: an item's plan digests as the return showed
    them (newer returns; None: older ones, whose rows are placed by the plan's text now).
    Shuffled when rows were moved and another row's text is no item's, or more than one
    item's (which item it is cannot be told)."""
    items = list(dict.fromkeys(items))
    made_with = set(items)
    read_as: Callable[[dict[str, Any]], Signature] = _signature if shown_of is None else row_stamp

    def expected(item: Item, plan: ActionRow | MilestoneRow) -> Signature:
        stamp = shown_of(item) if shown_of is not None else None
        return split_stamp(item[0], stamp) if stamp else read_as(plan_cells(plan))

    mismatched: list[tuple[SheetRow, Signature]] = []
    for row in rows:
        if (row.kind, row.item_id) not in made_with:
            continue  # an ID the return was not made with: compare.py refuses or skips it
        own = plan_of((row.kind, row.item_id))
        if own is None or _unmoved(row.cells, own) or _as_written(row.cells, plan_cells(own)):
            continue
        signature = read_as(row.cells)
        if signature == expected((row.kind, row.item_id), own):
            continue
        if shown_of is None or signature != read_as(plan_cells(own)):  # nor the plan's now
            mismatched.append((row, signature))
    if not mismatched:
        return rows, []
    by_signature: dict[Signature, list[Item]] = defaultdict(list)
    by_title: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        plan = plan_of(item)
        if plan is not None:
            signature = expected(item, plan)
            by_signature[signature].append(item)
            by_title[signature[PLAN_KEYS.index("title")]].append(item)
    moved: dict[int, Moved] = {}
    unplaced: list[tuple[SheetRow, str]] = []
    others_titles = 0  # rows showing another row's title: a sort, even when not placed
    for row, signature in mismatched:
        found = by_signature.get(signature, [])
        if len(found) == 1:
            moved[row.number] = Moved(row.number, (row.kind, row.item_id), found[0])
            continue
        title = signature[PLAN_KEYS.index("title")]
        if len(found) > 1:
            why = f"its plan text is that of {len(found)} rows of the return"
        elif [i for i in by_title.get(title, []) if i != (row.kind, row.item_id)]:
            others_titles += 1
            why = "its title is another row's, but its other plan columns are not that row's"
        else:
            why = "its plan text is no row's of the return (edited?)"
        unplaced.append((row, why))
    if unplaced and (moved or others_titles > 1):
        row, why = unplaced[0]
        sorted_how = (
            f"row {first.row} shows {_name(first.shows)}'s text but {_name(first.id_names)}'s ID"
            if (first := next(iter(moved.values()), None))
            else "rows show other rows' titles"
        )
        raise Shuffled(
            row.number,
            f"the rows were sorted without the hidden ID column ({sorted_how}) and row "
            f"{row.number} cannot be placed: {why}; cspdesk cannot tell which action its "
            "words are for: sort the rows back as the return was sent, or copy the words into "
            "a fresh return",
        )
    if not moved:
        return rows, []
    realigned = [
        dataclasses.replace(row, kind=m.shows[0], item_id=m.shows[1])
        if (m := moved.get(row.number))
        else row
        for row in rows
    ]
    return realigned, list(moved.values())
