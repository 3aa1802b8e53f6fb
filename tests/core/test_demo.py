"""The demo is the whole of seed 000's plan: every objective and action of its tables, once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cspdesk.store.demo import demo_data

pytestmark = pytest.mark.both_engines

SEED = Path(__file__).resolve().parent.parent / "data" / "seeds" / "000_castle_point_2016.txt"

# The seed's plan tables, objective by objective, each action by its opening words (a cell
# that lists several actions on one line is one action in the plan, as the demo keeps it).
SEED_TABLES: dict[str, list[str]] = {
    "To safeguard victims of Domestic Abuse from repeat incidents": [
        "Crime Prevention Tactical Advisor (CPTA) will visit all suitable high risk DA victims",
    ],
    "To raise awareness of Domestic abuse and encourage reporting": [
        "Actively promote Essex wide campaigns in Rochford & Castle Point",
        "Re - introduce the J9 scheme in both districts",
        "Family event in Castle Point targeting Thorney Bay residents",
    ],
    "Domestic Homicide Review (DHR) (statutory obligation)": [
        "Complete existing DHR within appropriate timescales",
    ],
    "To protect the most vulnerable and elderly residents from becoming victims of crime": [
        "Senior Safety Road Shows",
        "Re-launch the Keep Safe Scheme in Rochford",
        "Electric Blanket and Fire Safety event in Castle Point",
        "To pilot a Well Homes Scheme in Rochford",
    ],
    "To protect vulnerable people from Harm including domestic abuse, radicalisation": [
        "Training event for licensed premises in Rochford & Castle Point",
        "Strengthening conditions for Taxi drivers in Rochford & Castle Point",
        "Intelligence from partners re underage sales supplied to Trading Standards",
        "Dedicated police staff school officers based at HQ",
        "Increased PREVENT awareness across partner agencies",
        "Continued development of Thorney Bay Steering Group",
        "Gang awareness training to front line staff",
    ],
    "To Raise Awareness of Hidden Harm with Partners and Frontline Practitioners": [
        "Ensure information is provided through existing media sources",
    ],
    "To continue to work with partners to ensure that the Night Time Economy (NTE)": [
        "Continue to support taxi Marshalls in Rayleigh Town Centre",
    ],
    "Joint working to proactively tackle ASB in the Borough": [
        "Managing hotspot areas through robust partnership working",
        "Regular partner proactive days of action",
        "'Crucial Crew' life skills event for year 6 pupils",
        "Identification and partnership resolution on wider ASB issues",
        "Attendance and support at local Community/resident/council meetings",
        "Promotion and appropriate use of most recent ASB legislation",
    ],
    "Encourage Residents to be proactive in dealing with neighbour disputes & ASB": [
        "Promotion of Restorative Justice service to residents and agency referrals",
    ],
    "To target those responsible for Environmental Crime": [
        "To develop the Community Safety Accreditation scheme",
    ],
    "To support communities and young people in providing alternative diversionary activities": [
        "Support and enable partner community groups and partner organisations",
    ],
    "To continue to promote and support Neighbourhood Watch (NHW)": [
        "To promote the Police Community Messaging System",
    ],
    "Enabling residents and communities to keep and feel safe.": [
        "Provide crime prevention advice and produce relevant awareness literature",
        "To improve the profile of the CSP through an enhanced web profile.",
    ],
    "Targeting prolific Offenders": [
        "Integrated Offender Management (IOM)",
    ],
    "Reduce dwelling burglaries": [
        "Support for Operation Insight - Identifying vulnerable areas",
    ],
}


def words(text: str) -> str:
    """Letters and digits only: "Re - introduce" and "Re-introduce" are the same words."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def test_the_transcription_is_the_seed() -> None:
    seed = words(SEED.read_text(encoding="utf-8"))
    for objective, actions in SEED_TABLES.items():
        assert words(objective) in seed, objective
        for action in actions:
            assert words(action) in seed, action


def test_demo_has_every_objective_and_action_of_the_seed_once() -> None:
    plan = demo_data()["plans"][0]
    objectives = [o for p in plan["priorities"] for o in p["objectives"]]
    actions = [a for o in objectives for a in o["actions"]]
    assert len(objectives) == len(SEED_TABLES) == 15
    assert len(actions) == sum(len(a) for a in SEED_TABLES.values()) == 32
    for objective, seed_actions in SEED_TABLES.items():
        found = [o for o in objectives if words(o["title"]).startswith(words(objective))]
        assert len(found) == 1, objective
        titles = [words(a["title"]) for a in found[0]["actions"]]
        for action in seed_actions:
            assert sum(t.startswith(words(action)) for t in titles) == 1, action
    last = plan["priorities"][-1]["objectives"][-1]
    assert last["actions"][0]["lead_note"] == "Essex Police – crime reduction officer"
