"""Counts in words people read: "1 action", "2 actions", "1 match", "3 matches"."""

from __future__ import annotations

from collections.abc import Sequence


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` and the noun that agrees with it (``plural`` defaults to singular + "s")."""
    word = singular if number == 1 else (plural or f"{singular}s")
    return f"{number:,} {word}"


def verb(number: int, singular: str, plural: str) -> str:
    """The verb that agrees with ``number``: verb(1, "has", "have") == "has"."""
    return singular if number == 1 else plural


def possessive(name: str) -> str:
    """ "Essex Police's", but "All partners'" (a name ending in s, as lead names do)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def listed(parts: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
