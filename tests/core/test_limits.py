"""The real limits on typed values: the one rule both engines apply (core/plan/limits.py)."""

from __future__ import annotations

import pytest

from cspdesk.core.plan.limits import TooLong, check_length, check_lengths


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("officer", "initials", "DCI AM-F (EP)"),
        ("officer", "initials", "x" * 20),
        ("rag_status", "code", "AG"),
        ("rag_status", "colour", "#C0392B"),
        ("officer", "name", "x" * 5000),  # no limit: TEXT
        ("agency", "short_name", "Essex CRC (Probation) – Southend, Castle Point & Rochford"),
        ("officer", "initials", None),
    ],
)
def test_within_the_limits(table: str, column: str, value: object) -> None:
    check_length(table, column, value)


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("officer", "initials", "x" * 21, "Initials may have at most 20 characters; 'x"),
        ("rag_status", "code", "AMBERISH!", "A RAG code may have at most 8 characters"),
        ("rag_status", "colour", "#C0392BFF", "A colour may have at most 7 characters"),
        ("rag_status", "text_colour", "crimson!", "A text colour may have at most 7"),
    ],
)
def test_over_a_limit_is_refused_in_words(
    table: str, column: str, value: str, message: str
) -> None:
    with pytest.raises(TooLong) as refused:
        check_length(table, column, value)
    assert str(refused.value).startswith(message)
    assert str(refused.value).endswith(f"has {len(value)}. Nothing was changed.")


def test_every_value_of_a_new_row_is_checked() -> None:
    with pytest.raises(TooLong, match="Initials"):
        check_lengths("officer", {"name": "Graham Browne", "initials": "G" * 21})
