"""The tree's filter (core.quarter.outline.apply_filter) on plain nodes: what matches, what
stays visible around a match, and the order matches are listed in."""

from __future__ import annotations

import pytest

from cspdesk.core.quarter.outline import Node, apply_filter, narrows


def node(kind: str, number: int, title: str, *children: Node, **fields: object) -> Node:
    made = Node(kind, number, title, children=list(children), **fields)  # type: ignore[arg-type]
    made.haystack = title.casefold()
    for child in children:
        child.parent = made
    return made


def tree() -> Node:
    """One plan: a burglary priority, and a youth priority whose one action is on burglary."""
    return node(
        "root",
        0,
        "",
        node(
            "plan",
            1,
            "Plan 2016/17",
            node(
                "priority",
                1,
                "Burglary",
                node(
                    "objective",
                    1,
                    "Fewer break-ins",
                    node("action", 1, "Target hardening", node("milestone", 1, "Locks fitted")),
                ),
            ),
            node(
                "priority",
                2,
                "Young people",
                node(
                    "objective",
                    2,
                    "Diversion",
                    node(
                        "action",
                        2,
                        "Burglary workshop in schools",
                        node("milestone", 2, "Autumn term", rag="G"),
                        node("milestone", 3, "Spring term", rag="R"),
                        lead_keys=frozenset({("agency", 7)}),
                        rag="A",
                    ),
                    node(
                        "action",
                        3,
                        "Youth club nights",
                        node("milestone", 4, "Burglary talk", rag="R"),
                        node("milestone", 5, "Club open", rag="G"),
                        rag="R",
                    ),
                    node("action", 4, "Sports evenings", node("milestone", 6, "Pitch booked")),
                ),
            ),
        ),
    )


def shown(parent: Node) -> list[str]:
    return [child.title for child in parent.visible_children()]


def find(root: Node, kind: str, number: int) -> Node:
    return next(n for n in root.walk() if n.key == (kind, number))


def test_text_keeps_ancestors_everything_under_a_match_and_lists_matches_in_order() -> None:
    root = tree()
    matched: list[Node] = []
    assert apply_filter(root, "  BURGLARY ", matched=matched) == 3
    assert [n.key for n in matched] == [("priority", 1), ("action", 2), ("milestone", 4)]
    assert shown(find(root, "priority", 1)) == ["Fewer break-ins"]  # under a match: all of it
    assert shown(find(root, "action", 1)) == ["Locks fitted"]
    assert shown(find(root, "objective", 2)) == [
        "Burglary workshop in schools",
        "Youth club nights",
    ]
    assert shown(find(root, "action", 2)) == ["Autumn term", "Spring term"]
    assert shown(find(root, "action", 3)) == ["Burglary talk"]  # only the milestone matched
    assert shown(root) == ["Plan 2016/17"]


def test_nothing_matching_hides_everything_and_no_filter_shows_everything() -> None:
    root = tree()
    assert apply_filter(root, "arson") == 0
    assert shown(root) == []
    assert apply_filter(root) == 0
    assert all(n.shown is None for n in root.walk())
    assert shown(find(root, "objective", 2)) == [
        "Burglary workshop in schools",
        "Youth club nights",
        "Sports evenings",
    ]


def test_a_lead_shows_its_actions_with_all_their_milestones() -> None:
    root = tree()
    assert apply_filter(root, lead=("agency", 7)) == 1
    assert shown(find(root, "objective", 2)) == ["Burglary workshop in schools"]
    assert shown(find(root, "action", 2)) == ["Autumn term", "Spring term"]
    assert shown(find(root, "plan", 1)) == ["Young people"]


def test_a_rag_shows_matching_milestones_only_under_an_action_that_does_not_match() -> None:
    root = tree()
    matched: list[Node] = []
    assert apply_filter(root, rags=frozenset({"R"}), matched=matched) == 3
    assert [n.key for n in matched] == [("milestone", 3), ("action", 3), ("milestone", 4)]
    assert shown(find(root, "action", 2)) == ["Spring term"]
    assert shown(find(root, "action", 3)) == ["Burglary talk", "Club open"]  # a red action
    assert shown(find(root, "objective", 2)) == [
        "Burglary workshop in schools",
        "Youth club nights",
    ]


def test_text_and_rag_together_must_both_hold() -> None:
    root = tree()
    assert apply_filter(root, "term", rags=frozenset({"G"})) == 1
    assert shown(find(root, "action", 2)) == ["Autumn term"]
    assert shown(find(root, "objective", 2)) == ["Burglary workshop in schools"]


def every_shown(root: Node) -> list[tuple[tuple[str, int], list[tuple[str, int]] | None]]:
    return [(n.key, None if n.shown is None else [c.key for c in n.shown]) for n in root.walk()]


@pytest.mark.parametrize(
    ("shown_text", "text", "expected"),
    [
        ("bur", "burg", True),
        ("", "burg", True),  # no filter: everything shows
        ("urg", "burglary", True),  # contained, not only a start
        (" BUR", "burg ", True),  # as matched: case and outer spaces do not count
        ("burg", "bur", False),  # a letter taken back shows more
        ("burg", "term", False),
    ],
)
def test_which_text_narrows_what_a_text_shows(shown_text: str, text: str, expected: bool) -> None:
    assert narrows(shown_text, text) is expected


def test_typing_on_from_what_shows_gives_what_a_whole_pass_gives() -> None:
    """Each keystroke narrowing from the tree as the last one left it: every node's shown
    children and the matches listed are those of the text filtered afresh."""
    typed = ["b", "bu", "bur", "burglary", "burglary w", "burglary", "term", "terms", "sports"]
    typed += ["", "s", "sp"]
    root, shown_text = tree(), ""
    for text in typed:
        matched: list[Node] = []
        count = apply_filter(root, text, matched=matched, narrowing=narrows(shown_text, text))
        fresh, fresh_matched = tree(), []  # type: ignore[var-annotated]
        assert count == apply_filter(fresh, text, matched=fresh_matched), text
        assert [n.key for n in matched] == [n.key for n in fresh_matched], text
        assert every_shown(root) == every_shown(fresh), text
        shown_text = text
