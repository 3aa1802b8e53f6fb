"""The text side of reading leads: normal forms, name patterns, fragments and what they look like.

Helpers of core/leads.py, kept apart so each rule can be tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Separators between leads; a dash only when spaced on one side ("Clark- EC", "ECC -Liz").
_SEPARATOR = re.compile(
    r"\s*(?:;|\n|/|\+|,|&|\band\b|\bi\.e\.?|\be\.g\.?|\s[-–]\s*|\s*[-–]\s|[()\[\]])\s*",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"[A-Z]{2,3}")
_TRAILING_INITIALS = re.compile(r"^(?P<name>.*?)[\s\-–(]+(?P<ini>[A-Z]{2,3})\)?$")
_PERSON_WORD = re.compile(r"[A-Z][a-z'’\-]+(?:[A-Z][a-z]+)?\.?")
_STRIP = " \t-–:()[].,"
# Capitalised words that start organisations or describe work, never a person's name.
_NOT_NAMES = {
    "police", "council", "fire", "rescue", "watch", "churches", "church", "probation", "crc",
    "youth", "trading", "standards", "association", "pastors", "school", "schools", "health",
    "housing", "all", "trust", "nhs", "safer", "places", "community", "safety", "crime",
    "reduction", "domestic", "abuse", "victim", "victims", "support", "capacity", "building",
    "keep", "safe", "planning", "street", "pub", "town", "district", "borough", "county",
    "city", "parish", "private", "public", "local", "essex", "partners", "agencies", "leisure",
    "park", "parks", "women's", "womens", "aid", "centre", "center", "children", "family",
    "families", "drug", "alcohol", "mental", "education", "neighbourhood", "voluntary",
    "services", "service", "coordinator", "co-ordinator", "iom", "csp", "cvs", "ecc", "rdc",
    "management", "offender", "offenders", "strategy", "prevention", "enforcement", "team",
    "development", "operations", "intelligence", "manager", "commander", "officer", "group",
}  # fmt: skip
_PLACE_WORDS = {"town", "district", "borough", "city", "county", "parish", "metropolitan"}
_COUNCIL = re.compile(
    r"(?<![\w])(?P<place>[A-Z][\w'’\-]*(?:\s+(?:(?:on|upon|and|&|of|the|in)\s+)?[A-Z][\w'’\-]*)*?)"
    r"(?:\s+(?:District|Borough|City|County|Town|Parish|Metropolitan\s+Borough|County\s+Borough))?"
    r"\s+(?:Council|Fire\s+(?:and|&)\s+Rescue\s+(?:Service|Authority))(?![\w])"
)


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    text: str


def norm(text: str) -> str:
    """One form for names written several ways: case, "&"/"and", spaces, " / "."""
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split()).strip(_STRIP)


def name_pattern(key: str) -> str:
    """A regex finding a normalised name however it is spaced and joined in a text."""
    pattern = ""
    previous = ""
    for word in key.split(" "):
        if word == "and":
            token = r"(?:and|&)"
        else:
            token = r"\s*/\s*".join(re.escape(part) for part in word.split("/"))
        if pattern:
            pattern += r"\s*" if "and" in (word, previous) else r"\s+"
        pattern += token
        previous = word
    return pattern


def honorifics_pattern(honorifics: Iterable[str]) -> str:
    words = sorted(set(honorifics), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or r"(?!x)x"


def fragments(text: str, start: int, end: int) -> list[Piece]:
    """The pieces of ``text[start:end]`` between separators, with their places; a person's
    initials after a dash stay with the name ("Graham Browne- GB")."""
    pieces: list[Piece] = []
    position = start
    chunk = text[start:end]
    for m in [*_SEPARATOR.finditer(chunk), None]:
        piece_end = start + (m.start() if m else len(chunk))
        piece = text[position:piece_end]
        stripped = piece.strip(_STRIP)
        if re.search(r"[A-Za-z]{2}", stripped):
            offset = position + piece.find(stripped)
            pieces.append(Piece(offset, offset + len(stripped), stripped))
        if m is not None:
            position = start + m.end()
    merged: list[Piece] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and _INITIALS.fullmatch(piece.text)
            and looks_like_person(previous.text)
            and re.fullmatch(r"[\s\-–(]*", text[previous.end : piece.start])
        ):
            merged[-1] = Piece(previous.start, piece.end, text[previous.start : piece.end])
        else:
            merged.append(piece)
    return merged


def looks_like_person(text: str, roles: frozenset[str] = frozenset()) -> bool:
    """Two or three capitalised words naming no organisation or job: "Emma Clark"."""
    words = text.split()
    if not 2 <= len(words) <= 3:
        return False
    if any(w.casefold().strip(".,") in _NOT_NAMES or w.casefold() in roles for w in words):
        return False
    return all(_PERSON_WORD.fullmatch(w) for w in words)


def person_and_initials(text: str, roles: frozenset[str]) -> tuple[str, str] | None:
    """(name, initials) when ``text`` is a person, with initials after the name if written."""
    text = " ".join(text.strip(_STRIP).split())
    m = _TRAILING_INITIALS.match(text)
    if m:
        name = m.group("name").strip(_STRIP)
        if looks_like_person(name, roles):
            return name, m.group("ini")
    if looks_like_person(text, roles):
        return text, ""
    return None


def councils_and_services(text: str, start: int, end: int) -> list[Piece]:
    """Councils and fire and rescue services named in full: "Rayleigh Town Council"."""
    found = []
    for m in _COUNCIL.finditer(text, start, end):
        if m.group("place").split()[0].casefold() not in _PLACE_WORDS:
            found.append(Piece(m.start(), m.end(), m.group(0)))
    return found
