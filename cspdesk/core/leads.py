"""Free-text leads ("Essex Police – Emma Clark (EC); HC + GB") matched to agencies and officers.

A Directory holds the workspace's agencies and officers (and any new ones a parse creates, with
negative keys until they are written). ``Directory.match`` finds every known name, short name
or initials in a text, turns what is left into new agencies or officers, and pairs an officer
with the agency named just before it (or the officer's own agency). Reused by partner returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.model import Agency, Officer

LeadKey = tuple[int | None, int | None]  # (agency key, officer key); new entities have keys < 0

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# Separators between leads; a dash only when spaced or before initials ("Clark- EC").
_SPLIT = re.compile(r"\s*(?:;|\n|/|\+|,|&|\band\b|\bi\.e\.|\be\.g\.)\s*", re.IGNORECASE)
_INITIALS = re.compile(r"^[A-Z]{2,3}$")
_OFFICER_INITIALS = re.compile(r"^[A-Z]{2}$")  # "HC"; "NHW", "ECC" are taken as agencies
_DASH_SPLIT = re.compile(r"\s+[-–]\s*|\s*[-–]\s+")
_TRAILING_INITIALS = re.compile(r"^(?P<name>.*?)[\s\-(]+(?P<ini>[A-Z]{2,3})\)?\s*$")
_AGENCY_WORDS = {
    "police", "council", "service", "services", "team", "teams", "partners", "partner", "board",
    "group", "officer", "officers", "licensing", "housing", "health", "fire", "rescue", "watch",
    "scheme", "churches", "church", "probation", "crc", "youth", "trading", "standards",
    "provider", "association", "pastors", "school", "schools", "unit", "partnership", "agency",
    "agencies", "all", "office", "department", "trust", "nhs", "ecc", "rdc", "cpbc", "executive",
    "csp", "nhw", "hub", "project", "panel", "centre", "leisure", "safer", "places",
}  # fmt: skip
_FILLER = re.compile(r"^[\s\-–:()\[\].,]*$")


@dataclass
class DirAgency:
    key: int
    name: str
    short_name: str = ""
    email: str = ""

    @property
    def is_new(self) -> bool:
        return self.key < 0


@dataclass
class DirOfficer:
    key: int
    name: str
    initials: str = ""
    agency_key: int | None = None
    email: str = ""

    @property
    def is_new(self) -> bool:
        return self.key < 0


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def initials_of(name: str) -> str:
    return "".join(part[0] for part in re.findall(r"[A-Za-z][A-Za-z'\-]*", name)).upper()[:4]


def looks_like_person(text: str) -> bool:
    """Two or three capitalised words and no agency word: "Emma Clark", "Mark Mcquade"."""
    words = text.split()
    if not 2 <= len(words) <= 3:
        return False
    if any(w.casefold().strip(".,") in _AGENCY_WORDS for w in words):
        return False
    return all(re.fullmatch(r"[A-Z][a-z'\-]+(?:[A-Z][a-z]+)?\.?", w) for w in words)


@dataclass
class Directory:
    """The agencies and officers leads are matched against; grows as new names are found."""

    agencies: dict[int, DirAgency] = field(default_factory=dict)
    officers: dict[int, DirOfficer] = field(default_factory=dict)
    _next_new: int = -1
    _pattern: re.Pattern[str] | None = None
    _lookup: dict[str, tuple[str, int]] = field(default_factory=dict)
    _seen: dict[tuple[str, bool], list[LeadKey]] = field(default_factory=dict)

    @classmethod
    def from_session(cls, session: Session) -> Directory:
        directory = cls()
        for a in session.execute(select(Agency.id, Agency.name, Agency.short_name, Agency.email)):
            directory.agencies[a.id] = DirAgency(a.id, a.name, a.short_name or "", a.email or "")
        rows = session.execute(
            select(Officer.id, Officer.name, Officer.initials, Officer.agency_id, Officer.email)
        )
        for o in rows:
            directory.officers[o.id] = DirOfficer(
                o.id, o.name, o.initials or "", o.agency_id, o.email or ""
            )
        return directory

    # ---- finding and adding ----------------------------------------------------------------

    def find_agency(self, name: str) -> DirAgency | None:
        wanted = _norm(name)
        for agency in self.agencies.values():
            if wanted in (_norm(agency.name), _norm(agency.short_name)) and wanted:
                return agency
        return None

    def find_officer(self, name: str) -> DirOfficer | None:
        wanted = _norm(name)
        for officer in self.officers.values():
            if wanted and wanted == _norm(officer.name):
                return officer
        return None

    def _new_key(self) -> int:
        key = self._next_new
        self._next_new -= 1
        self._pattern = None
        self._seen.clear()
        return key

    def add_agency(self, name: str, short_name: str = "", email: str = "") -> DirAgency:
        found = self.find_agency(name)
        if found is not None:
            return found
        agency = DirAgency(self._new_key(), name.strip()[:200], short_name.strip()[:40], email)
        self.agencies[agency.key] = agency
        return agency

    def add_officer(
        self, name: str, initials: str = "", agency_key: int | None = None, email: str = ""
    ) -> DirOfficer:
        found = self.find_officer(name)
        if found is not None:
            return found
        officer = DirOfficer(
            self._new_key(), name.strip()[:200], initials or initials_of(name), agency_key, email
        )
        self.officers[officer.key] = officer
        return officer

    def new_agencies(self) -> list[DirAgency]:
        return [a for a in self.agencies.values() if a.is_new]

    def new_officers(self) -> list[DirOfficer]:
        return [o for o in self.officers.values() if o.is_new]

    # ---- matching text -----------------------------------------------------------------------

    def _compile(self) -> re.Pattern[str]:
        if self._pattern is not None:
            return self._pattern
        lookup: dict[str, tuple[str, int]] = {}
        for agency in self.agencies.values():
            for name in (agency.name, agency.short_name):
                if name.strip():
                    lookup.setdefault(_norm(name), ("agency", agency.key))
        for officer in self.officers.values():
            if officer.name.strip():
                lookup.setdefault(_norm(officer.name), ("officer", officer.key))
        self._lookup = lookup
        names = sorted(lookup, key=len, reverse=True)
        alternatives = [r"\s+".join(map(re.escape, name.split(" "))) for name in names]
        inits = sorted({o.initials for o in self.officers.values() if _INITIALS.match(o.initials)})
        parts = []
        if alternatives:
            parts.append(r"(?i:(?<![\w])(?P<name>" + "|".join(alternatives) + r")(?![\w]))")
        if inits:
            parts.append(r"(?<![\w])(?P<ini>" + "|".join(inits) + r")(?![\w])")
        self._pattern = re.compile("|".join(parts) if parts else r"(?!x)x")
        return self._pattern

    def _officer_by_initials(self, initials: str) -> DirOfficer | None:
        for officer in self.officers.values():
            if officer.initials == initials:
                return officer
        return None

    def match(self, text: str, *, create: bool = True) -> tuple[list[LeadKey], list[str]]:
        """The leads named in ``text`` and notes on what was created or not understood."""
        text = _DASHES.sub("–", text or "").strip()
        if not text:
            return [], []
        if (text, create) in self._seen:  # the same lead text again: nothing new to say
            return list(self._seen[(text, create)]), []
        leads, notes = self._match(text, create)
        self._seen[(text, create)] = leads
        return list(leads), notes

    def _match(self, text: str, create: bool) -> tuple[list[LeadKey], list[str]]:
        found: list[tuple[int, int, str, int]] = []  # start, end, kind, key
        pattern = self._compile()
        for m in pattern.finditer(text):
            if m.group("name") if "name" in pattern.groupindex else None:
                kind, key = self._lookup[_norm(m.group("name"))]
            else:
                officer = self._officer_by_initials(m.group("ini"))
                if officer is None:
                    continue
                kind, key = "officer", officer.key
            found.append((m.start(), m.end(), kind, key))
        notes: list[str] = []
        # What no known name covered: split it into fragments and create entities.
        covered = [False] * len(text)
        for start, end, _, _ in found:
            covered[start:end] = [True] * (end - start)
        rest = "".join(c if not covered[i] else "\x00" for i, c in enumerate(text))
        offset = 0
        for chunk in re.split(r"\x00+", rest):
            position = rest.find(chunk, offset) if chunk else offset
            offset = position + len(chunk)
            for fragment in self._fragments(chunk):
                entity = self._new_entity(fragment, create, notes)
                if entity is not None:
                    at = text.find(fragment.strip(), position)
                    found.append((at if at >= 0 else position, at + len(fragment), *entity))
        found.sort()
        return self._pair(text, found), notes

    @staticmethod
    def _fragments(chunk: str) -> list[str]:
        """Pieces of unmatched text: split at separators, and at spaced dashes unless the piece
        is a person with initials ("Emma Clark- EC")."""
        pieces: list[str] = []
        for piece in _SPLIT.split(chunk):
            m = _TRAILING_INITIALS.match(piece.strip(" \t-–:()[].,"))
            if m and looks_like_person(m.group("name").strip(" -–(")):
                pieces.append(piece)
            else:
                pieces.extend(_DASH_SPLIT.split(piece))
        return pieces

    def _new_entity(self, fragment: str, create: bool, notes: list[str]) -> tuple[str, int] | None:
        fragment = fragment.strip(" \t-–:()[].,")
        if _FILLER.match(fragment) or not re.search(r"[A-Za-z]{2}", fragment):
            return None
        initials = ""
        m = _TRAILING_INITIALS.match(fragment)
        if m and looks_like_person(m.group("name").strip(" -–(")):
            fragment, initials = m.group("name").strip(" -–("), m.group("ini")
        if not create:
            notes.append(f"{fragment!r} is not a known agency or officer")
            return None
        if looks_like_person(fragment):
            officer = self.add_officer(fragment, initials)
            notes.append(f"new officer {officer.name!r}")
            return "officer", officer.key
        if _OFFICER_INITIALS.match(fragment):
            officer = self.add_officer(fragment, fragment)
            notes.append(f"{fragment!r} taken as a new officer's initials")
            return "officer", officer.key
        agency = self.add_agency(fragment)
        notes.append(f"new agency {agency.name!r}")
        return "agency", agency.key

    def _pair(self, text: str, found: list[tuple[int, int, str, int]]) -> list[LeadKey]:
        leads: list[LeadKey] = []
        last_agency: tuple[int, int] | None = None  # (end, key) of the agency just before
        for start, end, kind, key in found:
            if kind == "agency":
                leads.append((key, None))
                last_agency = (end, key)
                continue
            officer = self.officers[key]
            between = text[last_agency[0] : start] if last_agency else ""
            if last_agency is not None and re.fullmatch(r"[\s\-–:(]*", between):
                agency_key = last_agency[1]
                if leads and leads[-1] == (agency_key, None):
                    leads.pop()
                if officer.agency_key is None:
                    officer.agency_key = agency_key
            else:
                agency_key = officer.agency_key
            last_agency = None
            leads.append((agency_key, key))
        unique: list[LeadKey] = []
        for lead in leads:
            if lead not in unique:
                unique.append(lead)
        return unique

    # ---- writing text --------------------------------------------------------------------------

    def describe(self, leads: list[LeadKey]) -> str:
        """Leads as text the parser reads back: "Essex Police – Emma Clark (EC); All partners"."""
        parts = []
        for agency_key, officer_key in leads:
            agency = self.agencies.get(agency_key) if agency_key is not None else None
            officer = self.officers.get(officer_key) if officer_key is not None else None
            person = ""
            if officer is not None:
                person = (
                    f"{officer.name} ({officer.initials})" if officer.initials else officer.name
                )
            if agency is not None and officer is not None:
                parts.append(f"{agency.name} – {person}")
            elif agency is not None:
                parts.append(agency.name)
            elif officer is not None:
                parts.append(person)
        return "; ".join(parts)
