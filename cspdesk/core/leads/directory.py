"""Free-text leads ("Essex Police – Emma Clark- EC)", "HC/GB", "RDC Park/Leisure services") read
as an officer reads them: agencies, officers and a note.

A Directory holds the workspace's agencies, officers and lead aliases, the catalogue of usual
partners (resources/partners.toml) and any new agencies or officers a reading creates (with
negative keys until they are written). ``Directory.read`` finds every known name, short form,
alias and officer's initials in a text; what is left is a person's name (a new officer), a
council or a fire and rescue service named in full (a new agency), or else words that go to
the lead note, attached to the agency they follow. It never makes an agency of a role, a
person's initials or half a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.leads.pairs import GLUE_FORWARD, Item, LeadKey, LeadReading, pair
from cspdesk.core.leads.partners import Catalogue, Partner, load_catalogue
from cspdesk.core.leads.text import (
    Piece,
    councils_and_services,
    fragments,
    honorifics_pattern,
    name_pattern,
    norm,
    person_and_initials,
)
from cspdesk.core.plan.model import Agency, LeadAlias, Officer, Partnership

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_CODE = re.compile(r"[A-Z]{2,5}")
_BROKEN_WORD = re.compile(r"([a-z])- ([a-z])")  # "Co- ordinator", broken at a line end


def initials_of(name: str) -> str:
    return "".join(part[0] for part in re.findall(r"[A-Za-z][A-Za-z'\-]*", name)).upper()[:4]


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
    initials_given: bool = True  # written in the workspace or the plan, not worked out here

    @property
    def is_new(self) -> bool:
        return self.key < 0


@dataclass
class Directory:
    """The agencies and officers leads are matched against; grows as new names are found."""

    agencies: dict[int, DirAgency] = field(default_factory=dict)
    officers: dict[int, DirOfficer] = field(default_factory=dict)
    aliases: dict[str, LeadReading] = field(default_factory=dict)  # normalised text ->
    places: frozenset[str] = frozenset()
    catalogue: Catalogue = field(default_factory=load_catalogue)
    _next_new: int = -1
    _pattern: re.Pattern[str] | None = None
    _lookup: dict[str, tuple[str, object]] = field(default_factory=dict)
    _seen: dict[str, LeadReading] = field(default_factory=dict)
    _create: bool = True

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
        grouped: dict[str, tuple[list[LeadKey], str]] = {}
        aliases = session.execute(
            select(
                LeadAlias.text, LeadAlias.agency_id, LeadAlias.officer_id, LeadAlias.note
            ).order_by(LeadAlias.text, LeadAlias.position)
        )
        for text, agency_id, officer_id, note in aliases:
            leads, old_note = grouped.setdefault(norm(text), ([], ""))
            if agency_id is not None or officer_id is not None:
                leads.append((agency_id, officer_id))
            grouped[norm(text)] = (leads, note or old_note)
        directory.aliases = {k: LeadReading(tuple(v[0]), v[1]) for k, v in grouped.items()}
        partnership = session.execute(select(Partnership.name, Partnership.areas)).first()
        if partnership is not None:
            directory.add_places(f"{partnership.name} {partnership.areas}")
        return directory

    def add_places(self, text: str) -> None:
        """Recognise the local short forms ("Police", "RDC") of the areas ``text`` names."""
        places = self.places | self.catalogue.places_in(text)
        if places != self.places:
            self.places = places
            self._forget()

    # ---- finding and adding ----------------------------------------------------------------

    def find_agency(self, name: str) -> DirAgency | None:
        wanted = norm(name)
        if not wanted:
            return None
        for agency in self.agencies.values():
            if wanted in (norm(agency.name), norm(agency.short_name)):
                return agency
        return None

    def find_officer(self, name: str) -> DirOfficer | None:
        wanted = norm(name)
        for officer in self.officers.values():
            if wanted and wanted == norm(officer.name):
                return officer
        return None

    def _forget(self) -> None:
        self._pattern = None
        self._seen.clear()

    def _new_key(self) -> int:
        key = self._next_new
        self._next_new -= 1
        self._forget()
        return key

    def add_agency(self, name: str, short_name: str = "", email: str = "") -> DirAgency:
        found = self.find_agency(name)
        if found is not None:
            return found
        agency = DirAgency(self._new_key(), name.strip(), short_name.strip(), email)
        self.agencies[agency.key] = agency
        return agency

    def _held(self, partner: Partner) -> DirAgency | None:
        for name in (partner.name, *partner.aliases, *partner.local):
            found = self.find_agency(name)
            if found is not None:
                return found
        return None

    def add_partner(self, partner: Partner) -> DirAgency:
        """The workspace's agency for a catalogue partner, under any of its names, or a new one."""
        return self._held(partner) or self.add_agency(partner.name, partner.short_name())

    def add_officer(
        self, name: str, initials: str = "", agency_key: int | None = None, email: str = ""
    ) -> DirOfficer:
        found = self.find_officer(name)
        if found is not None:
            if initials and not found.initials:
                found.initials = initials
                self._forget()
            return found
        officer = DirOfficer(
            self._new_key(),
            name.strip(),
            initials or initials_of(name),
            agency_key,
            email,
            initials_given=bool(initials),
        )
        self.officers[officer.key] = officer
        return officer

    def new_agencies(self) -> list[DirAgency]:
        return [a for a in self.agencies.values() if a.is_new]

    def new_officers(self) -> list[DirOfficer]:
        return [o for o in self.officers.values() if o.is_new]

    # ---- reading text ------------------------------------------------------------------------

    def _compile(self) -> re.Pattern[str]:
        if self._pattern is not None:
            return self._pattern
        lookup: dict[str, tuple[str, object]] = {}
        spellings: dict[str, set[str]] = {}  # normal form -> the ways it is written

        def add(name: str, entry: tuple[str, object]) -> None:
            if name.strip():
                lookup.setdefault(norm(name), entry)
                spellings.setdefault(norm(name), set()).add(name.strip())

        for agency in self.agencies.values():
            for name in (agency.name, agency.short_name):
                add(name, ("agency", agency.key))
        for officer in self.officers.values():
            add(officer.name, ("officer", officer.key))
        for text, reading in self.aliases.items():
            if len(reading.leads) == 1 and not reading.note:
                agency_key, officer_key = reading.leads[0]
                if officer_key is not None:
                    add(text, ("officer", officer_key))
                else:
                    add(text, ("agency", agency_key))
        for name, partner in self.catalogue.names_for(self.places).items():
            add(name, ("partner", partner))
        for name in self.catalogue.services:
            add(name, ("note", name))
        self._lookup = lookup
        # Short capitals ("EP", "RDC", an officer's "HC") only as written; names in any case.
        codes = {s for forms in spellings.values() for s in forms if _CODE.fullmatch(s)}
        codes |= self._initials()
        exact = sorted(codes, key=len, reverse=True)
        names = sorted(
            (k for k, forms in spellings.items() if any(not _CODE.fullmatch(f) for f in forms)),
            key=len,
            reverse=True,
        )
        parts = [r"(?P<hon>" + honorifics_pattern(self.catalogue.honorifics) + r")"]
        if names:
            parts.append(r"(?i:(?P<name>" + "|".join(map(name_pattern, names)) + r"))")
        if exact:
            parts.append(r"(?P<exact>" + "|".join(map(re.escape, exact)) + r")")
        self._pattern = re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")
        return self._pattern

    def _initials(self) -> set[str]:
        return {
            o.initials
            for o in self.officers.values()
            if o.initials_given and re.fullmatch(r"[A-Z]{2,3}", o.initials)
        }

    def _officer_by_initials(self, initials: str) -> DirOfficer | None:
        return next((o for o in self.officers.values() if o.initials == initials), None)

    def read(self, text: str, *, create: bool = True) -> LeadReading:
        """The leads and the note ``text`` gives; new agencies and officers are added (unless
        ``create`` is False: then what the workspace does not hold goes to the note)."""
        text = _DASHES.sub("–", text or "").strip()
        text = _BROKEN_WORD.sub(r"\1-\2", text)
        if not text:
            return LeadReading(())
        alias = self.aliases.get(norm(text))
        if alias is not None:
            return alias
        key = text if create else f"\x00{text}"
        if key not in self._seen:
            self._create = create
            items = self._items(text)
            reading = pair(text, items, self.agencies, self.officers)
            self._seen[key] = reading
        return self._seen[key]

    def _items(self, text: str) -> list[Item]:
        items: list[Item] = []
        covered = [False] * len(text)
        for m in self._compile().finditer(text):
            covered[m.start() : m.end()] = [True] * (m.end() - m.start())
            if m.group("hon"):
                continue
            item = self._known(m.group("name") or m.group("exact"), m.start(), m.end())
            if item is not None:
                items.append(item)
        start = 0
        while start < len(text):
            if covered[start]:
                start += 1
                continue
            end = start
            while end < len(text) and not covered[end]:
                end += 1
            position = start
            for piece in councils_and_services(text, start, end) if self._create else []:
                items.extend(self._unknown(p) for p in fragments(text, position, piece.start))
                name = " ".join(piece.text.replace("&", "and").split())
                items.append(Item(piece.start, piece.end, "agency", self.add_agency(name).key))
                position = piece.end
            items.extend(self._unknown(piece) for piece in fragments(text, position, end))
            start = end
        items.sort(key=lambda item: item.start)
        merged: list[Item] = []
        for item in items:  # "Emma Clark (EC)": one officer, named twice
            last = merged[-1] if merged else None
            if (
                last is not None
                and item.kind == last.kind == "officer"
                and item.key == last.key
                and GLUE_FORWARD.fullmatch(text[last.end : item.start])
            ):
                last.end = item.end
            else:
                merged.append(item)
        return merged

    def _known(self, found: str, start: int, end: int) -> Item | None:
        entry = self._lookup.get(norm(found))
        if entry is None:
            officer = self._officer_by_initials(found)
            if officer is None:
                return None
            return Item(start, end, "officer", officer.key)
        kind, value = entry
        if kind == "note":
            return Item(start, end, "note", text=found)
        if kind == "partner":
            assert isinstance(value, Partner)
            if not self._create and self._held(value) is None:
                return Item(start, end, "note", text=found)
            return Item(start, end, "agency", self.add_partner(value).key)
        assert isinstance(value, int)
        return Item(start, end, kind, value)

    def _unknown(self, piece: Piece) -> Item:
        if not self._create:
            return Item(piece.start, piece.end, "note", text=piece.text)
        person = person_and_initials(piece.text, self.catalogue.roles)
        if person is not None:
            name, initials = person
            officer = self.add_officer(name, initials)
            return Item(piece.start, piece.end, "officer", officer.key)
        return Item(piece.start, piece.end, "note", text=piece.text)

    # ---- writing text --------------------------------------------------------------------------

    def describe(self, leads: list[LeadKey] | tuple[LeadKey, ...], note: str = "") -> str:
        """Leads (and the note) as text that reads back the same: "Essex Police – Emma Clark
        (EC); Essex Police – crime reduction officer"."""
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
        for segment in filter(None, (s.strip() for s in note.split(";"))):
            if segment in parts:
                continue
            owner = next((p for p in parts if segment.startswith(f"{p} – ")), None)
            if owner is not None:
                parts[parts.index(owner)] = segment
            else:
                parts.append(segment)
        return "; ".join(parts)
