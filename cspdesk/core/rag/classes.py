"""Which statuses of the workspace's (editable) RAG scheme count as red, of concern, or good.

The scheme is configurable, so nothing here names "R" or "G": the *good* statuses are the
complete ones (Blue) and those at the best rank short of complete (Green); *of concern* are the
other ranked, incomplete statuses (Amber, Red); *worst* is the lowest rank (Red). Unranked
statuses (Grey, not started) are none of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import RagStatus


@dataclass(frozen=True)
class RagClasses:
    rank: dict[str, int | None]
    label: dict[str, str]
    complete: frozenset[str]
    good: frozenset[str]
    concern: frozenset[str]
    worst: frozenset[str]

    def rank_of(self, code: str | None) -> int | None:
        return None if code is None else self.rank.get(code)

    def label_of(self, code: str | None) -> str:
        return "no status" if code is None else self.label.get(code, code)


def rag_classes(session: Session) -> RagClasses:
    rows = session.execute(
        select(RagStatus.code, RagStatus.label, RagStatus.rank, RagStatus.is_complete).order_by(
            RagStatus.position
        )
    ).all()
    return classes_of(rows)


def classes_of(rows: Sequence[Any]) -> RagClasses:
    """The classes of the scheme's rows (each with code, label, rank and is_complete)."""
    complete = frozenset(r.code for r in rows if r.is_complete)
    in_progress = [r for r in rows if r.rank is not None and not r.is_complete]
    best = max((r.rank for r in in_progress), default=None)
    ranked = [r.rank for r in rows if r.rank is not None]
    lowest = min(ranked, default=None)
    return RagClasses(
        rank={r.code: r.rank for r in rows},
        label={r.code: r.label for r in rows},
        complete=complete,
        good=complete | frozenset(r.code for r in in_progress if r.rank == best),
        concern=frozenset(r.code for r in in_progress if best is not None and r.rank < best),
        worst=frozenset(r.code for r in rows if lowest is not None and r.rank == lowest),
    )
