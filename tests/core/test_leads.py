"""Lead texts read as an officer reads them: agencies, officers and a note."""

from __future__ import annotations

import pytest

from cspdesk.core.leads.directory import Directory, LeadKey
from cspdesk.core.leads.text import looks_like_person
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def names(directory: Directory, leads: tuple[LeadKey, ...] | list[LeadKey]) -> list[str]:
    out = []
    for a, o in leads:
        agency = directory.agencies[a].name if a is not None else ""
        officer = directory.officers[o].name if o is not None else ""
        out.append(" – ".join(x for x in (agency, officer) if x))
    return out


def test_known_agency_officer_and_initials(workspace: Workspace) -> None:
    directory = workspace.read(Directory.from_session)
    reading = directory.read("Essex Police – Emma Clark (EC); All partners")
    assert names(directory, reading.leads) == ["Essex Police – Emma Clark", "All partners"]
    assert reading.note == ""
    # Initials alone find the officer, and the officer's own agency.
    assert names(directory, directory.read("GB").leads) == [
        "Rochford District Council – Graham Browne"
    ]
    # Case, spacing and short names do not matter.
    assert names(directory, directory.read("essex   police / RDC").leads) == [
        "Essex Police",
        "Rochford District Council",
    ]
    assert directory.new_agencies() == [] and directory.new_officers() == []


# The seeds' own lead texts (seed 000, then seed 004), in a new workspace for Castle Point and
# Rochford: what each becomes, read after all of them were met once (as an import does).
SEED_LEADS = [
    ("Essex Police – Emma Clark- EC)", ["Essex Police – Emma Clark"], ""),
    (
        "Community Safety Officers CPBC & RDC (Helen Collins HC- Graham Browne- GB)",
        [
            "Castle Point Borough Council – Helen Collins",
            "Rochford District Council – Graham Browne",
        ],
        "Community Safety Officers",
    ),
    ("All partners", ["All partners"], ""),
    (
        "ECC -Liz Martlew / HC",
        ["Essex County Council – Liz Martlew", "Castle Point Borough Council – Helen Collins"],
        "",
    ),
    (
        "Melanie Harris – CPBC + CSP executive",
        ["Castle Point Borough Council – Melanie Harris"],
        "CSP executive",
    ),
    ("GB", ["Rochford District Council – Graham Browne"], ""),
    ("Partnership Keep Safe Planning Group", [], "Partnership Keep Safe Planning Group"),
    (
        "HC Lin Kettley - ECFRS",
        [
            "Castle Point Borough Council – Helen Collins",
            "Essex County Fire and Rescue Service – Lin Kettley",
        ],
        "",
    ),
    (
        "RDC / CPBC Licensing Teams + Police",
        ["Rochford District Council", "Castle Point Borough Council", "Essex Police"],
        "Castle Point Borough Council – Licensing Teams",
    ),
    ("Essex Police School Officers", ["Essex Police"], "Essex Police – School Officers"),
    (
        "RDC Park/Leisure services RDC / CPBC / Housing Association / Essex Police",
        ["Rochford District Council", "Castle Point Borough Council", "Essex Police"],
        "Rochford District Council – Park/Leisure services; Housing Association",
    ),
    (
        "Essex Police EP Watch Coordinator RDC Partnership Officer - Andrew Lowing + NHW "
        "Essex Police",
        ["Essex Police", "Rochford District Council – Andrew Lowing", "Neighbourhood Watch"],
        "Essex Police – Watch Coordinator; Rochford District Council – Partnership Officer",
    ),
    (
        "Essex Police – crime reduction officer - Emma Clark NHW",
        ["Essex Police – Emma Clark", "Neighbourhood Watch"],
        "Essex Police – crime reduction officer",
    ),
    (
        "Essex CRC/ probation Essex Police",
        ["Essex Community Rehabilitation Company", "Essex Police"],
        "",
    ),
    (
        "Essex Police – crime reduction officer",
        ["Essex Police"],
        "Essex Police – crime reduction officer",
    ),
    ("Essex Fire and Rescue Service", ["Essex County Fire and Rescue Service"], ""),
    ("Victim Support", ["Victim Support"], ""),
    ("Spencer Clarke, Community Safety Manager", ["Spencer Clarke"], "Community Safety Manager"),
    (
        "Carolyn Butlin, Essex Probation/Sgt Paul Schwarz, Essex Police Kate Sale, IOM Co- "
        "ordinator, Essex Police/Essex Probation",
        [
            "Essex Probation Trust – Carolyn Butlin",
            "Essex Police – Paul Schwarz",
            "Essex Police – Kate Sale",
        ],
        "IOM Co-ordinator",
    ),
]


def test_seed_lead_texts_read_as_an_officer_would() -> None:
    directory = Directory()
    directory.add_places("Castle Point and Rochford Community Safety Partnership")
    for text, _, _ in SEED_LEADS:
        directory.read(text)
    for text, leads, note in SEED_LEADS:
        reading = directory.read(text)
        assert (names(directory, reading.leads), reading.note) == (leads, note), text
    agencies = sorted(a.name for a in directory.agencies.values())
    assert agencies == [
        "All partners",
        "Castle Point Borough Council",
        "Essex Community Rehabilitation Company",
        "Essex County Council",
        "Essex County Fire and Rescue Service",
        "Essex Police",
        "Essex Probation Trust",
        "Neighbourhood Watch",
        "Rochford District Council",
        "Victim Support",
    ]
    officers = {o.name: o.initials for o in directory.officers.values()}
    assert officers["Helen Collins"] == "HC" and officers["Graham Browne"] == "GB"
    assert "HC" not in officers and "GB" not in officers


@pytest.mark.parametrize(
    "text",
    ["Community Safety Manager", "crime reduction officer", "IOM Co-ordinator", "XY", "Park"],
)
def test_roles_initials_and_half_names_are_never_agencies_or_people(text: str) -> None:
    directory = Directory()
    reading = directory.read(text)
    assert reading.leads == () and reading.note == text
    assert directory.agencies == {} and directory.officers == {}


def test_local_short_forms_only_where_the_partnership_works() -> None:
    elsewhere = Directory()
    elsewhere.add_places("Test Vale CSP")
    assert elsewhere.read("RDC").leads == () and elsewhere.read("Police").note == "Police"
    here = Directory()
    here.add_places("Rochford")
    assert names(here, here.read("RDC + Police").leads) == [
        "Rochford District Council",
        "Essex Police",
    ]


def test_councils_and_fire_services_named_in_full_are_agencies() -> None:
    directory = Directory()
    reading = directory.read("Rayleigh Town Council / Kent Fire & Rescue Service")
    assert names(directory, reading.leads) == [
        "Rayleigh Town Council",
        "Kent Fire and Rescue Service",
    ]


def test_describe_reads_back(workspace: Workspace) -> None:
    directory = workspace.read(Directory.from_session)
    reading = directory.read(
        "Essex Police – crime reduction officer - Emma Clark; All partners; GB"
    )
    text = directory.describe(reading.leads, reading.note)
    again = directory.read(text, create=False)
    assert again == reading


def test_person_heuristic() -> None:
    assert looks_like_person("Emma Clark")
    assert looks_like_person("Mark Mcquade")
    assert not looks_like_person("Essex Police")
    assert not looks_like_person("All partners")
    assert not looks_like_person("Victim Support")
    assert not looks_like_person("Community Capacity")


def test_the_catalogue_of_partners() -> None:
    from cspdesk.core.leads.partners import load_catalogue
    from cspdesk.core.leads.text import norm

    catalogue = load_catalogue()
    seen: dict[str, str] = {}
    for partner in catalogue.partners:
        for name in (partner.name, *partner.aliases):
            assert seen.setdefault(norm(name), partner.name) == partner.name, name
    forces = [p for p in catalogue.partners if "Police" in p.local]
    assert len(forces) == 43  # the territorial police forces of England and Wales
    kent = Directory()
    kent.add_places("Maidstone and Kent CSP")
    assert names(kent, kent.read("Police").leads) == ["Kent Police"]
