"""The few real limits on what a user types, checked here so both engines say the same.

Everything else a user or partner can type is TEXT with no limit (migration 0008): a column
type never refuses a name. What is left are values with a shape of their own: initials (printed
in brackets after a name in every lead line), a RAG status's code (a cell's worth, typed into
returns) and its colours (#RRGGBB).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cspdesk.errors import CspdeskError

# (table, column) -> (what the user calls it, most characters)
LIMITS: dict[tuple[str, str], tuple[str, int]] = {
    # "DCI AM-F (EP)" (13) is a real officer's; 20 leaves room and still prints as initials.
    ("officer", "initials"): ("Initials", 20),
    ("rag_status", "code"): ("A RAG code", 8),
    ("rag_status", "colour"): ("A colour", 7),
    ("rag_status", "text_colour"): ("A text colour", 7),
}


class TooLong(CspdeskError):
    """A value over one of LIMITS; nothing was changed."""


def over_limit(table: str, column: str, value: Any) -> str:
    """Why ``value`` cannot be stored in ``table.column`` ("Initials may have at most 20
    characters; this has 23"), or "" when it can."""
    limit = LIMITS.get((table, column))
    if limit is None or not isinstance(value, str):
        return ""
    what, most = limit
    if len(value) <= most:
        return ""
    return f"{what} may have at most {most} characters; this has {len(value)}"


def check_length(table: str, column: str, value: Any) -> None:
    """TooLong, worded for the user, when ``value`` is over the limit of ``table.column``."""
    if over_limit(table, column, value):
        what, most = LIMITS[(table, column)]
        raise TooLong(
            f"{what} may have at most {most} characters; {value!r} has {len(value)}. "
            "Nothing was changed."
        )


def check_lengths(table: str, values: Mapping[str, Any]) -> None:
    for column, value in values.items():
        check_length(table, column, value)
