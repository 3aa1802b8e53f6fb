"""Free-text leads matched to agencies and officers, and new ones created."""

from __future__ import annotations

from cspdesk.core.leads import Directory, looks_like_person
from cspdesk.store.db import Workspace


def names(directory: Directory, leads: list[tuple[int | None, int | None]]) -> list[tuple]:
    return [
        (
            directory.agencies[a].name if a is not None else None,
            directory.officers[o].name if o is not None else None,
        )
        for a, o in leads
    ]


def test_known_agency_officer_and_initials(workspace: Workspace) -> None:
    directory = workspace.read(Directory.from_session)
    leads, notes = directory.match("Essex Police – Emma Clark (EC); All partners")
    assert names(directory, leads) == [("Essex Police", "Emma Clark"), ("All partners", None)]
    assert notes == []
    # Initials alone find the officer, and the officer's own agency.
    leads, _ = directory.match("GB")
    assert names(directory, leads) == [("Rochford District Council", "Graham Browne")]
    # Case, spacing and short names do not matter.
    leads, _ = directory.match("essex   police / rdc")
    assert names(directory, leads) == [
        ("Essex Police", None),
        ("Rochford District Council", None),
    ]


def test_new_names_are_created_once(workspace: Workspace) -> None:
    directory = workspace.read(Directory.from_session)
    leads, notes = directory.match("ECC Youth Service – Liz Martlew (LM) + HC")
    assert names(directory, leads) == [("ECC Youth Service", "Liz Martlew"), (None, "HC")]
    assert any("new agency 'ECC Youth Service'" in n for n in notes)
    assert directory.officers[leads[0][1]].initials == "LM"
    again, notes = directory.match("Liz Martlew; LM")
    assert again == [leads[0]] and notes == []
    assert len(directory.new_agencies()) == 1 and len(directory.new_officers()) == 2


def test_broken_punctuation_from_real_plans(workspace: Workspace) -> None:
    directory = workspace.read(Directory.from_session)
    leads, _ = directory.match("Essex Police – Emma Clark- EC)")
    assert names(directory, leads) == [("Essex Police", "Emma Clark")]
    leads, _ = directory.match("ECC -Mary Jones / NHW")
    assert names(directory, leads) == [("ECC", "Mary Jones"), ("NHW", None)]


def test_describe_reads_back(workspace: Workspace) -> None:
    directory = workspace.read(Directory.from_session)
    leads, _ = directory.match("Essex Police – Emma Clark (EC); All partners; GB")
    text = directory.describe(leads)
    assert directory.match(text, create=False)[0] == leads


def test_person_heuristic() -> None:
    assert looks_like_person("Emma Clark")
    assert looks_like_person("Mark Mcquade")
    assert not looks_like_person("Essex Police")
    assert not looks_like_person("All partners")
    assert not looks_like_person("Crimestoppers")
