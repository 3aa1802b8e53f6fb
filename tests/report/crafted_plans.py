"""Plans made to test page breaks (issue 25): updates longer than a page, actions with many
milestones, and ordinary actions between them, in seed 000's shape."""

from __future__ import annotations

import random
from typing import Any

WORDS = [
    "partners",
    "residents",
    "domestic",
    "abuse",
    "campaign",
    "safeguarding",
    "vulnerable",
    "training",
    "schools",
    "licensed",
    "premises",
    "police",
    "council",
    "youth",
    "service",
    "referrals",
    "victims",
    "reduction",
    "hotspot",
    "awareness",
    "events",
    "Rochford",
    "Castle",
    "Point",
    "delivery",
    "quarter",
    "ongoing",
    "support",
    "review",
    "community",
    "safety",
    "officer",
    "meetings",
    "intelligence",
    "burglary",
    "prevention",
    "scheme",
    "volunteers",
    "funding",
]
RAGS = ("R", "A", "G", "B")


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


def _action(rng: random.Random, n: int, update_words: int, milestones: int) -> dict[str, Any]:
    return {
        "title": f"Action {n}: " + _words(rng, rng.randint(8, 20)),
        "outcomes": _words(rng, rng.randint(6, 18)),
        "timescale": "Q1-4",
        "rag": rng.choice(RAGS),
        "leads": [{"agency": "Essex Police"}],
        "milestones": [
            {
                "title": f"Milestone {n}.{m}: " + _words(rng, rng.randint(6, 16)),
                "due_date": "2016-09-30",
                "rag": RAGS[(n + m) % len(RAGS)],
            }
            for m in range(1, milestones + 1)
        ],
        "updates": [{"quarter": 1, "rag": rng.choice(RAGS), "text": _words(rng, update_words)}],
    }


def crafted_plan(seed: int = 25) -> dict[str, Any]:
    """Three priorities: long updates (one over a page long), many milestones, ordinary."""
    rng = random.Random(seed)
    n = 0

    def actions(shapes: list[tuple[int, int]]) -> list[dict[str, Any]]:
        nonlocal n
        made = []
        for update_words, milestones in shapes:
            n += 1
            made.append(_action(rng, n, update_words, milestones))
        return made

    priorities = [
        {
            "title": "Long updates",
            "objectives": [
                {
                    "title": "To report at length",
                    "actions": actions([(40, 1), (120, 2), (1400, 2), (60, 1), (350, 3)]),
                },
                {"title": "To report briefly", "actions": actions([(20, 0)] * 6)},
            ],
        },
        {
            "title": "Many milestones",
            "objectives": [
                {
                    "title": "To deliver in steps",
                    "actions": actions([(30, 14), (50, 22), (25, 9), (40, 30)]),
                }
            ],
        },
        {
            "title": "Ordinary actions",
            "objectives": [
                {"title": f"Objective {k}", "actions": actions([(45, 2)] * 5)} for k in (1, 2)
            ],
        },
    ]
    return {
        "format": "cspdesk-workspace",
        "version": 1,
        "partnership": {"name": "Crafted Vale CSP", "areas": "Crafted Vale"},
        "agencies": [{"name": "Essex Police", "officers": []}],
        "plans": [
            {
                "year": "2016/17",
                "title": "Partnership Plan 2016/17",
                "current_quarter": 1,
                "priorities": priorities,
            }
        ],
    }
