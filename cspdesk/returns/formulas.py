"""Formulas a partner typed into a return: found in the sheet's XML, since cell values alone
(calamine gives a formula's saved result, or nothing) would let them vanish without a word.

Nothing is evaluated. The sheet part has passed the gate (size and ratio limits) already.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

_CELL = re.compile(rb"<(?:\w+:)?c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # not <formula1> of a validation rule
_PLAIN_FORMULA, _PREFIXED_FORMULA = re.compile(rb"<f[\s>/]"), re.compile(rb":f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)


@dataclass(frozen=True)
class FormulaCell:
    row: int
    column: str  # letter
    formula: str  # without "=", "" for a shared formula's follower
    saved: str | None  # the saved result, None when the file holds none
    error: bool  # the saved result is an error such as #DIV/0!

    def describe(self) -> str:
        shown = f"={self.formula}" if self.formula else "a formula"
        if self.error:
            return f"{shown} gives the error {self.saved}"
        if self.saved is None:
            return f"{shown} was saved without a value"
        return f"{shown} (saved result {self.saved!r})"


def formula_cells(
    path: Path, member: str | None, columns: set[str], data: bytes | None = None
) -> list[FormulaCell]:
    """Cells of the sheet part ``member`` in ``columns`` (letters) that hold a formula;
    ``data``: the part's bytes when the caller has read them already."""
    if member is None or not columns:
        return []
    if data is None:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(member)
    # A formula tag holds "<f" or (with a namespace prefix) ":f" and then its end: looking for
    # those (a fixed start) first is several times quicker than the pattern, and settles
    # nearly every return.
    if not (_PLAIN_FORMULA.search(data) or _PREFIXED_FORMULA.search(data)):
        return []
    if _ANY_FORMULA.search(data) is None:
        return []
    found = []
    for match in _CELL.finditer(data):
        body = match.group("body")
        if not body or b"f" not in body:
            continue
        ref = _REF.search(match.group("attrs"))
        formula = _FORMULA.search(body)
        if ref is None or formula is None or ref.group(1).decode() not in columns:
            continue
        value = _VALUE.search(body)
        saved = None if value is None or not value.group(1) else _text(value.group(1))
        found.append(
            FormulaCell(
                int(ref.group(2)),
                ref.group(1).decode(),
                _text(formula.group(1) or b""),
                saved,
                bool(_ERROR_TYPE.search(match.group("attrs"))),
            )
        )
    return found


def _text(raw: bytes) -> str:
    return unescape(raw.decode("utf-8", "replace")).strip()
