"""Pairing the names found in a lead text: which officer is whose, which note follows which
agency. Helpers of core/leads.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cspdesk.core.leads.directory import DirAgency, DirOfficer

LeadKey = tuple[int | None, int | None]  # (agency key, officer key); new entities have keys < 0

# Between an agency and the officer after it: spaces, dashes, brackets ("Essex Police – Emma").
_GLUE_BACK = re.compile(r"[\s\-–:(\[]*")
# Between an officer and the agency after it: also a comma ("Carolyn Butlin, Essex Probation").
GLUE_FORWARD = re.compile(r"[\s\-–:,()\[\]]*")
_BRACKET_OPEN = re.compile(r"[\s\-–:]*\(\s*")
_NOTE_GLUE = re.compile(r"[\s\-–:(\[]*")


@dataclass(frozen=True)
class LeadReading:
    """What one lead text becomes: its leads and the note of everything else it says."""

    leads: tuple[LeadKey, ...]
    note: str = ""


@dataclass
class Item:
    """A name found in a lead text, where it was found, and what it is."""

    start: int
    end: int
    kind: str  # "agency", "officer", "note"
    key: int | None = None
    text: str = ""
    consumed: bool = False  # an agency taken by the officer before it ("Name, Agency")


def pair(
    text: str,
    items: list[Item],
    agencies: dict[int, DirAgency],
    officers: dict[int, DirOfficer],
) -> LeadReading:
    """The leads and note of a text's items: each officer with its agency (its own, the one
    written just before it, or just after: "Carolyn Butlin, Essex Probation"), each note with
    the agency it follows."""
    officer_agency: dict[int, int | None] = {}  # officer item index -> agency key
    _pair_brackets(text, items, officers, officer_agency)
    for i, item in enumerate(items):
        if item.kind != "officer" or i in officer_agency:
            continue
        officer = officers[item.key]  # type: ignore[index]
        if officer.agency_key is not None:  # known, or met earlier in this plan
            officer_agency[i] = officer.agency_key
            continue
        agency = _agency_before(text, items, i)
        if agency is None:
            agency = _agency_after(text, items, i)
            if agency is not None:
                agency.consumed = True
        if agency is not None and officer.agency_key is None:
            officer.agency_key = agency.key
        officer_agency[i] = officer.agency_key if agency is None else agency.key
    leads: list[LeadKey] = []
    notes: list[str] = []
    last_agency: Item | None = None
    for i, item in enumerate(items):
        if item.kind == "agency":
            last_agency = item
            if not item.consumed:
                leads.append((item.key, None))
        elif item.kind == "officer":
            leads.append((officer_agency.get(i), item.key))
        else:
            notes.append(_note(text, item, last_agency, agencies))
            continue
        if item.kind == "officer":
            last_agency = None
    paired = {a for a, o in leads if o is not None}
    unique: list[LeadKey] = []
    for lead in leads:
        if lead not in unique and not (lead[1] is None and lead[0] in paired):
            unique.append(lead)
    return LeadReading(tuple(unique), "; ".join(dict.fromkeys(n for n in notes if n)))


def _pair_brackets(
    text: str,
    items: list[Item],
    officers: dict[int, DirOfficer],
    officer_agency: dict[int, int | None],
) -> None:
    """Agencies then as many officers in brackets ("CPBC & RDC (Helen Collins HC- Graham
    Browne- GB)"): the n-th officer is the n-th agency's."""
    i = 0
    while i < len(items):
        run = i
        while run + 1 < len(items) and items[run + 1].kind == "agency" == items[i].kind:
            run += 1
        count = run - i + 1
        people = items[run + 1 : run + 1 + count]
        if (
            items[i].kind == "agency"
            and count > 1
            and len(people) == count
            and all(o.kind == "officer" for o in people)
            and _BRACKET_OPEN.fullmatch(text[items[run].end : people[0].start])
        ):
            for n, officer_item in enumerate(people):
                agency_item = items[i + n]
                officer = officers[officer_item.key]  # type: ignore[index]
                if officer.agency_key is None or officer.is_new:
                    officer.agency_key = officer.agency_key or agency_item.key
                    officer_agency[run + 1 + n] = agency_item.key
                agency_item.consumed = True
            i = run + 1 + count
        else:
            i += 1


def _agency_before(text: str, items: list[Item], i: int) -> Item | None:
    j, end = i - 1, items[i].start
    while j >= 0 and items[j].kind == "note":
        if not _GLUE_BACK.fullmatch(text[items[j].end : end]):
            return None
        end = items[j].start
        j -= 1
    if j < 0 or items[j].kind != "agency" or items[j].consumed:
        return None
    return items[j] if _GLUE_BACK.fullmatch(text[items[j].end : end]) else None


def _agency_after(text: str, items: list[Item], i: int) -> Item | None:
    j, start = i + 1, items[i].end
    while j < len(items) and items[j].kind == "note":
        if not GLUE_FORWARD.fullmatch(text[start : items[j].start]):
            return None
        start = items[j].end
        j += 1
    if j >= len(items) or items[j].kind != "agency" or items[j].consumed:
        return None
    return items[j] if GLUE_FORWARD.fullmatch(text[start : items[j].start]) else None


def _note(text: str, item: Item, agency: Item | None, agencies: dict[int, DirAgency]) -> str:
    words = item.text.strip(" \t-–:()[].,")
    if agency is not None and _NOTE_GLUE.fullmatch(text[agency.end : item.start]):
        return f"{agencies[agency.key].name} – {words}"  # type: ignore[index]
    return words
