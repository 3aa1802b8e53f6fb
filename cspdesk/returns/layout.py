"""The shape of a partner return workbook, shared by the writer and the reader.

A return has a visible "Cover" sheet, a protected "Actions" sheet (one row per action, its
milestones below it; the cspdesk id in a hidden column) and a very hidden "cspdesk" sheet: the
stamp. The stamp is plain cells (key in column A, value in column B) because cell values are
what every spreadsheet program keeps; LibreOffice turns "very hidden" into "hidden" and keeps
the cells. The token is also written as a custom document property and a defined name, so a
file whose stamp sheet was lost can still be recognised. The manifest in the stamp lists every
row the return was made with and the values it showed, so the reader can tell what the partner
changed from what the officer changed since. Newer returns also hold a short digest of each
row's plan cells as written (the "pa" and "pm" parts), so that an action the officer renamed
after making the return is not taken for the partner's edit.
"""

from __future__ import annotations

import array
import base64
import bisect
import datetime as dt
import functools
import hashlib
import json
import re
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FORMAT = "cspdesk-return"
VERSION = "1"
COVER_SHEET = "Cover"
ACTIONS_SHEET = "Actions"
STAMP_SHEET = "cspdesk"
WORKSPACE_PROPERTY = "cspdesk_workspace"
# The cover's cells saying who filled the return in (a forwarded or shared return shows it).
COMPLETED_BY = ("Completed by: organisation", "Completed by: name")
MANIFEST_KEY = "manifest"
MANIFEST_CHUNK = 8000  # characters per stamp cell (Excel holds 32,767)
# The plan's columns of a row. The manifest's "pa" (actions) and "pm" (milestones) parts are
# each one string: for each of the kind's STAMPED_KEYS columns in turn, a digest of the cell
# of every row of the "a" or "m" part, in the order of their ids (the text as the partner
# sees it, 24 bits of its CRC-32 in 4 characters; an edit is missed once in 16 million). A
# milestone's other plan cells are written empty.
PLAN_KEYS = ("context", "title", "outcomes", "timescale", "last")
STAMPED_KEYS = {"action": PLAN_KEYS, "milestone": ("title", "timescale")}
PLAN_PARTS = {"action": "pa", "milestone": "pm"}
ROW_PARTS = {"action": "a", "milestone": "m"}
STAMP_CHARS = 4
_WORD = next(code for code in "ILH" if array.array(code).itemsize == 4)  # a CRC-32 each
_STAMPS = re.compile(r"[A-Za-z0-9_-]*")

# Stamp keys, in the order written.
STAMP_KEYS = (
    "format",
    "version",
    "workspace",
    "partnership",
    "plan_id",
    "plan_year",
    "quarter",
    "agency_id",
    "lead",
    "token",
    "made_at",
    "due_date",
    "sheet",
)


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: float
    editable: bool = False


# The visible widths add up to what prints one page wide on A4 landscape at 84% or more, so
# 11 pt text prints at 9 pt at least (240 characters wide printed it at 6.7 pt); rows grow
# with their wrapped text instead (returns.sheets).
COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 8),
    Column("context", "Priority / objective", 18),
    Column("title", "Action / milestone", 32),
    Column("outcomes", "Outcomes / measures", 21),
    Column("timescale", "Timescale / due", 11),
    Column("last", "Last quarter's update", 29),
    Column("update", "This quarter's update", 42, editable=True),
    Column("rag", "RAG", 8, editable=True),
    Column("done", "Done date", 11, editable=True),
)
PRINTED_WIDTH = sum(c.width for c in COLUMNS if c.key != "id")
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}  # 0-based
HEADINGS = {c.heading.casefold(): c.key for c in COLUMNS}
ACTION_PREFIX, MILESTONE_PREFIX = "A", "M"
MILESTONE_MARK = "    • "
DATE_FORMAT = "DD/MM/YYYY"

_ID = re.compile(r"^\s*([AM])\s*(\d{1,12})\s*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]|_x00(?:0[0-8C-F]|1[0-9A-F])_")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def row_id(kind: str, item_id: int) -> str:
    return f"{ACTION_PREFIX if kind == 'action' else MILESTONE_PREFIX}{item_id}"


def parse_row_id(value: object) -> tuple[str, int] | None:
    """("action", 12) from "A12"; None when the cell is not an id cspdesk writes."""
    if value is None:
        return None
    # The id as written (nearly every row): what the pattern below would find, sooner.
    if (
        isinstance(value, str)
        and 1 < len(value) <= 13
        and value[0] in (ACTION_PREFIX, MILESTONE_PREFIX)
        and value[1:].isdecimal()
    ):
        return ("action" if value[0] == ACTION_PREFIX else "milestone"), int(value[1:])
    match = _ID.match(str(value))
    if not match:
        return None
    kind = "action" if match.group(1).upper() == ACTION_PREFIX else "milestone"
    return kind, int(match.group(2))


@functools.lru_cache(maxsize=65536)  # a batch compares the same titles and texts many times
def normalise_text(value: object) -> str:
    """Text as compared and stored: Windows/Mac line breaks, Excel's _x000D_ escapes and
    Word's line breaks (_x000B_) become \\n, other control characters go, trailing spaces on
    each line and blank lines at both ends go."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable() and "_x" not in text and text[:1] != " " and text[-1:] != " ":
        return text  # one line, nothing to change (most plan text): the steps below keep it
    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    # Word's line break (vertical tab) arrives raw or as Excel's _x000B_ escape; a page
    # break (form feed) pasted from a document is a line break too, never nothing.
    text = text.replace("_x000B_", "\n").replace("\x0b", "\n").replace("\u2028", "\n")
    text = text.replace("_x000C_", "\n").replace("\x0c", "\n")
    text = text.replace("\xa0", " ")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)  # printed as "\ufffd" in next quarter's return
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


@functools.lru_cache(maxsize=65536)
def digest(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def text_stamp(text: str) -> str:
    """The manifest's short digest of a plan cell's text (4 characters)."""
    return column_stamps([text])


def column_stamps(texts: list[str]) -> str:
    """``text_stamp`` of each of ``texts``, joined: the low 3 bytes of each CRC-32 (little
    end first) in base64, 4 characters each; worked out for the whole column at once, since
    every row of every return made is stamped."""
    words = array.array(_WORD, map(zlib.crc32, map(str.encode, texts)))
    if sys.byteorder == "big":
        words.byteswap()
    whole = words.tobytes()
    low = bytearray(3 * len(texts))
    low[0::3], low[1::3], low[2::3] = whole[0::4], whole[1::4], whole[2::4]
    return base64.urlsafe_b64encode(low).decode("ascii")


@dataclass
class ShownPlan:
    """The digests of the plan cells a return showed, for each row of one kind."""

    kind: str
    rows: Iterable[int]  # the ids of the manifest's "a" or "m" part
    stamps: str

    @functools.cached_property
    def ids(self) -> list[int]:
        """The rows in the order of their digests (sorted only when asked: seldom)."""
        return sorted(self.rows)

    def get(self, item_id: int) -> str | None:
        """The row's digests (one per STAMPED_KEYS column); None when it is not listed."""
        ids = self.ids
        index = bisect.bisect_left(ids, item_id)
        if index == len(ids) or ids[index] != item_id:
            return None
        starts = range(index * STAMP_CHARS, len(self.stamps), len(ids) * STAMP_CHARS)
        return "".join(self.stamps[start : start + STAMP_CHARS] for start in starts)


def file_name(year: str, quarter: int, lead: str, suffix: str = ".xlsx") -> str:
    """ "2016-17 Q1 return – Essex Police.xlsx": safe on Windows, ready to attach."""
    clean = _UNSAFE_NAME.sub(" ", lead).strip(" .") or "lead"
    return f"{year.replace('/', '-')} Q{quarter} return – {clean[:80]}{suffix}"


def encode_manifest(manifest: dict[str, Any]) -> list[str]:
    text = json.dumps(manifest, separators=(",", ":"), sort_keys=True)
    return [text[i : i + MANIFEST_CHUNK] for i in range(0, len(text), MANIFEST_CHUNK)] or ["{}"]


class BadManifest(ValueError):
    """The stamp's manifest is not one cspdesk wrote."""


def _no_constant(name: str) -> Any:
    raise BadManifest(f"it holds {name}")


def decode_manifest(chunks: list[str]) -> dict[str, Any]:
    """The manifest as written: {"a": {action id: [digest, RAG]}, "m": {milestone id:
    [ISO done date or None, RAG]}}, and in newer returns the plan's text each row showed
    ("pa" and "pm", read as a ShownPlan each); BadManifest when it is anything else."""
    try:
        data = json.loads("".join(chunks), parse_constant=_no_constant)
    except RecursionError as error:
        raise BadManifest("it is nested too deeply") from error
    except ValueError as error:
        raise BadManifest(str(error).split(":")[0]) from error
    if not isinstance(data, dict):
        raise BadManifest(f"it is {type(data).__name__}, not a list of rows")
    found: dict[str, dict[int, Any]] = {}
    for part in ("a", "m"):
        rows = data.get(part, {})
        if not isinstance(rows, dict):
            raise BadManifest(f"its {part!r} part is not a list of rows")
        found[part] = {}
        for key, value in rows.items():
            if not (type(key) is str and key.isdecimal() and len(key) <= 12):
                raise BadManifest(f"{str(key)[:20]!r} is not a row id")
            if type(value) is not list or len(value) != 2:
                raise BadManifest(f"row {key}'s values are not the ones written")
            first, second = value
            if not (first is None or type(first) is str) or not (
                second is None or type(second) is str
            ):
                raise BadManifest(f"row {key}'s values are not the ones written")
            if part == "m" and first is not None:
                try:
                    dt.date.fromisoformat(first)
                except ValueError as error:
                    why = f"row {key}'s date {first[:20]!r} is not a date"
                    raise BadManifest(why) from error
            found[part][int(key)] = value
    manifest: dict[str, Any] = dict(found)
    for kind, part in PLAN_PARTS.items():
        if part in data:  # older returns have none: compared with the plan as it is now
            manifest[part] = _shown_plan(kind, data[part], found[ROW_PARTS[kind]])
    return manifest


def _shown_plan(kind: str, stamps: object, rows: dict[int, list[Any]]) -> ShownPlan:
    part = PLAN_PARTS[kind]
    width = STAMP_CHARS * len(STAMPED_KEYS[kind])
    if type(stamps) is not str or not _STAMPS.fullmatch(stamps):
        raise BadManifest(f"its {part!r} part is not the digests written")
    if len(stamps) != width * len(rows):
        raise BadManifest(f"its {part!r} part does not hold one digest for each row")
    return ShownPlan(kind, rows.keys(), stamps)
