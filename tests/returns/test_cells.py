"""What partners type, read as cspdesk reads it: RAG words and pasted text (returns/cells.py,
returns/layout.py), table-driven."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.core.rag.scheme import DEFAULT_SCHEME
from cspdesk.returns.cells import cell_text, read_rag
from cspdesk.returns.layout import normalise_text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Amber", (True, "A", "")),
        ("", (True, None, "")),
        ("Green - on track", (True, "G", "")),  # one status said twice: no note
        ("green/Green", (True, "G", "")),
        (
            "Amber/Red",
            (True, "R", "'Amber/Red' names two statuses: the less favourable, Red, was taken"),
        ),
        ("N/A", (False, None, "")),  # not applicable: no status at all
        ("n/a", (False, None, "")),
        ("n.a.", (False, None, "")),
        ("Not applicable", (False, None, "")),
        ("NA", (False, None, "")),
        ("Purple", (False, None, "")),
    ],
)
def test_rag_words(typed: str, read: tuple[bool, str | None, str]) -> None:
    assert read_rag(typed, DEFAULT_SCHEME) == read


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("form feed\x0cend", "form feed\nend"),  # a page break pasted from a document
        ("form feed_x000C_end", "form feed\nend"),
        ("Word\x0bline", "Word\nline"),
        ("bell\x07gone", "bellgone"),
    ],
)
def test_pasted_breaks(typed: str, stored: str) -> None:
    assert normalise_text(typed) == stored


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2016, 9, 30, 14, 30), "30/09/2016 14:30"),  # the time is kept
        (dt.datetime(2016, 9, 30, 14, 30, 5), "30/09/2016 14:30:05"),
        (dt.datetime(2016, 9, 30), "30/09/2016"),  # a date cell: no midnight added
        (dt.date(2016, 9, 30), "30/09/2016"),
        (dt.time(14, 30), "14:30"),
        (dt.time(9, 5, 7), "09:05:07"),
        (True, "TRUE"),
        (False, "FALSE"),
        (3.0, "3"),
    ],
)
def test_a_cell_reads_as_the_partner_saw_it(value: object, text: str) -> None:
    assert cell_text(value) == text
