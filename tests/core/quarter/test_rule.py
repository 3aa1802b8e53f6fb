"""The one rule for an action in a quarter (core.quarter.rule), pinned table by table.

Pure functions over a RagClasses like the default scheme (Red 1, Amber 2, Green 3, Blue 4
complete, Grey unranked), so breaking any line of the rule fails here, not only in a window.
"""

from __future__ import annotations

import pytest

from cspdesk.core.quarter.rule import (
    AGREED,
    CARRIED,
    NONE,
    PLANNED,
    PROPOSED,
    Part,
    QuarterRag,
    printed_update,
    proposal,
    resolve,
)
from cspdesk.core.rag.classes import RagClasses

CLASSES = RagClasses(
    rank={"R": 1, "A": 2, "G": 3, "B": 4, "N": None},
    label={"R": "Red", "A": "Amber", "G": "Green", "B": "Blue", "N": "Grey"},
    complete=frozenset({"B"}),
    good=frozenset({"B", "G"}),
    concern=frozenset({"R", "A"}),
    worst=frozenset({"R"}),
)


def part(lead: str, rag: str | None, text: str = "") -> Part:
    return Part(lead=lead, text=text, rag=rag)


@pytest.mark.parametrize(
    ("rags", "expected_code", "disagree"),
    [
        ((), None, False),
        ((None,), None, False),
        (("G",), "G", False),
        (("G", "G"), "G", False),
        (("G", None), "G", False),  # a lead who gave no RAG is no opinion
        (("G", "A"), "A", True),  # the least favourable, marked until agreed
        (("B", "R", "G"), "R", True),
        (("G", "N"), "G", True),  # a ranked status is preferred over an unranked one
    ],
)
def test_proposal_takes_the_agreed_or_the_least_favourable(
    rags: tuple[str | None, ...], expected_code: str | None, disagree: bool
) -> None:
    parts = [part(f"Lead {i}", rag) for i, rag in enumerate(rags)]
    found = proposal(parts, CLASSES)
    if expected_code is None:
        assert found is None
        return
    assert found is not None
    assert (found.code, found.basis, found.disagree) == (expected_code, PROPOSED, disagree)
    if disagree:
        assert {lead for lead, _ in found.opinions} == {p.lead for p in parts if p.rag is not None}


@pytest.mark.parametrize(
    ("quarter", "agreed", "parts", "planned", "expected"),
    [
        # 1. the agreed RAG wins over the contributions
        (2, {2: "G"}, {2: ["R"]}, "A", QuarterRag("G", AGREED)),
        # 2. else the contributions propose
        (2, {}, {2: ["A", "A"]}, "G", QuarterRag("A", PROPOSED)),
        # 3. else carried from the latest earlier quarter with one, never as this quarter's
        (3, {1: "R"}, {2: ["A"]}, "G", QuarterRag("A", CARRIED, 2)),
        (3, {1: "R"}, {}, "G", QuarterRag("R", CARRIED, 1)),
        # ... or from the plan
        (2, {}, {}, "G", QuarterRag("G", CARRIED, PLANNED)),
        (1, {}, {1: [None]}, None, QuarterRag(None, NONE)),
        # a later quarter never counts for an earlier one
        (1, {2: "G"}, {3: ["R"]}, "A", QuarterRag("A", CARRIED, PLANNED)),
    ],
)
def test_resolve_agreed_then_proposed_then_carried(
    quarter: int,
    agreed: dict[int, str],
    parts: dict[int, list[str | None]],
    planned: str | None,
    expected: QuarterRag,
) -> None:
    by_quarter = {
        q: [part(f"Lead {i}", r) for i, r in enumerate(rags)] for q, rags in parts.items()
    }
    found = resolve(quarter, agreed, by_quarter, planned, CLASSES)
    assert (found.code, found.basis, found.from_quarter) == (
        expected.code,
        expected.basis,
        expected.from_quarter,
    )


def test_a_carried_rag_is_labelled_with_its_quarter_and_a_disagreement_is_said() -> None:
    assert QuarterRag("G", CARRIED, 1).label(CLASSES) == "Green (Q1)"
    assert QuarterRag("G", CARRIED, PLANNED).label(CLASSES) == "Green (the plan)"
    assert QuarterRag("G", AGREED).label(CLASSES) == "Green"
    disputed = QuarterRag("A", PROPOSED, opinions=(("Police", "A"), ("RDC", "G")))
    assert disputed.label(CLASSES) == "Amber (partners disagree)"


@pytest.mark.parametrize(
    ("summary", "texts", "joint", "expected"),
    [
        ("Officer's words.", ["Police words"], False, "Officer's words."),
        ("  ", ["Police words"], False, "Police words"),
        ("", ["Police words", ""], False, "Police words"),
        ("", ["Police words"], True, "Lead 0 – Police words"),
        ("", ["One", "Two"], False, "Lead 0 – One\nLead 1 – Two"),
        ("", ["", "  "], True, ""),
    ],
)
def test_printed_update_is_the_summary_else_the_contributions_headed_by_lead(
    summary: str, texts: list[str], joint: bool, expected: str
) -> None:
    parts = [part(f"Lead {i}", None, text) for i, text in enumerate(texts)]
    assert printed_update(summary, parts, joint) == expected
