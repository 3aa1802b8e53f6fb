"""A synthetic plan workspace of any size (default 10,000 actions, 40,000 milestones).

Reused by other benchmarks: keep the signature of ``make_synthetic_workspace``. Rows go in with
Core ``insert(...)`` executemany in one transaction (ORM objects would take ~20 s).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    Milestone,
    Objective,
    Officer,
    Plan,
    Priority,
    Update,
)
from cspdesk.store.db import Workspace

PRIORITIES = (
    "Safeguarding Vulnerable People",
    "Anti-Social Behaviour",
    "Acquisitive Crime",
    "Reducing Reoffending",
    "Partnership Working",
)
WORDS = [
    "partners",
    "deliver",
    "targeted",
    "awareness",
    "campaign",
    "vulnerable",
    "residents",
    "burglary",
    "prevention",
    "domestic",
    "abuse",
    "referrals",
    "licensed",
    "premises",
    "young",
    "people",
    "schools",
    "hotspot",
    "patrols",
    "intelligence",
    "sharing",
    "community",
    "safety",
    "officers",
    "training",
    "frontline",
    "staff",
    "reduce",
    "repeat",
    "victims",
    "reassurance",
    "neighbourhood",
    "watch",
    "volunteers",
    "mediation",
    "night",
    "time",
    "economy",
]
RAGS = ("R", "A", "G", "G", "G", "B", "N", None)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def make_synthetic_workspace(
    path: Path | str, actions: int = 10_000, milestones_per_action: int = 4, leads: int = 40
) -> Path:
    """Create a workspace at ``path`` holding one 2016/17 plan of ``actions`` actions, each with
    ``milestones_per_action`` milestones, a Q1 update and one or two of ``leads`` leads
    (``leads`` agencies, each with one officer). Deterministic (seeded)."""
    path = Path(path)
    rng = random.Random(2016)
    workspace = Workspace.create(path, "Synthetic CSP", "Synthetic District")

    def fill(session: Session) -> None:
        conn = session.connection()
        conn.execute(
            insert(Agency),
            [{"id": i, "name": f"Agency {i}", "short_name": f"AG{i}"} for i in range(1, leads + 1)],
        )
        conn.execute(
            insert(Officer),
            [
                {"id": i, "name": f"Officer {chr(65 + i % 26)}{i} Smith", "initials": f"O{i}",
                 "agency_id": i}
                for i in range(1, leads + 1)
            ],
        )  # fmt: skip
        conn.execute(insert(Plan).values(id=1, year="2016/17", title="Partnership Plan 2016/17",
                                         version_label="Version 1", current_quarter=1))  # fmt: skip
        conn.execute(
            insert(Priority),
            [{"id": i + 1, "plan_id": 1, "position": i, "title": t}
             for i, t in enumerate(PRIORITIES)],
        )  # fmt: skip
        per_objective = 10
        objectives = max(1, -(-actions // per_objective))
        conn.execute(
            insert(Objective),
            [{"id": o + 1, "priority_id": o % len(PRIORITIES) + 1, "position": o // len(PRIORITIES),
              "title": f"To {_sentence(rng, 4, 10).lower()}"} for o in range(objectives)],
        )  # fmt: skip
        action_rows, lead_rows, milestone_rows, update_rows = [], [], [], []
        start = dt.date(2016, 4, 1)
        for a in range(actions):
            action_id = a + 1
            action_rows.append({
                "id": action_id, "objective_id": a // per_objective + 1,
                "position": a % per_objective, "title": _sentence(rng, 6, 16),
                "outcomes": _sentence(rng, 5, 14), "timescale": rng.choice(("Q1-4", "Q2", "Q3-4")),
                "rag": rng.choice(RAGS), "lead_note": "",
            })  # fmt: skip
            first = rng.randint(1, leads)
            lead_rows.append({"action_id": action_id, "position": 0, "agency_id": first,
                              "officer_id": first})  # fmt: skip
            if rng.random() < 0.3:
                second = first % leads + 1
                lead_rows.append({"action_id": action_id, "position": 1, "agency_id": second,
                                  "officer_id": None})  # fmt: skip
            for m in range(milestones_per_action):
                milestone_rows.append({
                    "action_id": action_id, "position": m, "title": _sentence(rng, 3, 8),
                    "due_date": start + dt.timedelta(days=90 * (m + 1)),
                    "rag": rng.choice(RAGS),
                })  # fmt: skip
            text = _sentence(rng, 8, 25)
            update_rows.append({"action_id": action_id, "quarter": 1, "text": text,
                                "rag": rng.choice(RAGS)})  # fmt: skip
        for model, rows in ((Action, action_rows), (ActionLead, lead_rows),
                            (Milestone, milestone_rows), (Update, update_rows)):  # fmt: skip
            if rows:
                conn.execute(insert(model), rows)

    workspace.write(fill)
    workspace.close()
    return path


if __name__ == "__main__":
    import sys
    import time

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "synthetic.cspdesk")
    began = time.perf_counter()
    make_synthetic_workspace(target)
    print(f"{target}: made in {time.perf_counter() - began:.2f} s")
