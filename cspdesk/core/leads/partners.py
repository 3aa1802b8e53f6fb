"""The usual partners of a Community Safety Partnership, from resources/partners.toml.

Lead texts name agencies the way officers write them ("EP", "ECFRS", "Police", "RDC"): the
catalogue gives each partner's name, the short forms recognised everywhere and the ones that
only mean it where the partnership works ("Police" is the local force).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cspdesk.paths import resources_dir

CATALOGUE_FILE = "partners.toml"


@dataclass(frozen=True)
class Partner:
    name: str
    aliases: tuple[str, ...] = ()
    local: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    def short_name(self) -> str:
        """The first all-capitals alias ("ECFRS"), for the agency's short name."""
        short = [a for a in (*self.local, *self.aliases) if re.fullmatch(r"[A-Z&]{2,8}", a)]
        return short[0] if short else ""

    def serves(self, places: frozenset[str]) -> bool:
        return any(area.casefold() in places for area in self.areas)


@dataclass(frozen=True)
class Catalogue:
    partners: tuple[Partner, ...]
    roles: frozenset[str]
    honorifics: tuple[str, ...]
    services: tuple[str, ...] = ()

    def names_for(self, places: frozenset[str]) -> dict[str, Partner]:
        """Every way of writing a partner's name that counts where the partnership works."""
        found: dict[str, Partner] = {}
        for partner in self.partners:
            for name in (partner.name, *partner.aliases):
                found.setdefault(name, partner)
        for partner in self.partners:
            if partner.serves(places):
                for name in partner.local:
                    found.setdefault(name, partner)
        return found

    def places_in(self, text: str) -> frozenset[str]:
        """The partners' areas that ``text`` (the partnership's name and areas) mentions."""
        folded = " ".join(re.split(r"[^\w'-]+", text.casefold()))
        return frozenset(
            area.casefold()
            for partner in self.partners
            for area in partner.areas
            if re.search(r"(?<!\w)" + re.escape(area.casefold()) + r"(?!\w)", folded)
        )


@functools.cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    data = tomllib.loads((path or resources_dir() / CATALOGUE_FILE).read_text(encoding="utf-8"))
    partners = tuple(
        Partner(
            entry["name"],
            tuple(entry.get("aliases", ())),
            tuple(entry.get("local", ())),
            tuple(entry.get("areas", ())),
        )
        for entry in data.get("partner", ())
    )
    roles = frozenset(w.casefold() for entry in data.get("role", ()) for w in entry["words"])
    honorifics = tuple(w for entry in data.get("honorific", ()) for w in entry["words"])
    services = tuple(n for entry in data.get("service", ()) for n in entry["names"])
    return Catalogue(partners, roles, honorifics, services)
