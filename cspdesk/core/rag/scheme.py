"""The RAG scheme: the default statuses, lookup by what people type, and ordering."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import RagStatus


@dataclass(frozen=True)
class RagKey:
    """One status of a RAG scheme as plain data: the defaults a new workspace is seeded with,
    and each line of the key an appendix prints."""

    code: str
    label: str
    colour: str
    text_colour: str
    meaning: str
    rank: int | None
    is_complete: bool = False


DEFAULT_SCHEME: tuple[RagKey, ...] = (
    RagKey(
        "R",
        "Red",
        "#C0392B",
        "#FFFFFF",
        "Not on track: significant problems; action needed to recover.",
        1,
    ),
    RagKey(
        "A",
        "Amber",
        "#F0A30A",
        "#000000",
        "Progressing and generally on schedule, with some issues to watch.",
        2,
    ),
    RagKey(
        "G",
        "Green",
        "#2E8B57",
        "#FFFFFF",
        "On track: work progressing as planned, no cause for concern.",
        3,
    ),
    RagKey("B", "Blue", "#1F5FA8", "#FFFFFF", "Complete.", 4, is_complete=True),
    RagKey("N", "Grey", "#9E9E9E", "#000000", "Not started yet.", None),
)

# Words people type into a RAG cell, beyond the scheme's own codes and labels.
_SYNONYMS = {
    "complete": "B",
    "completed": "B",
    "done": "B",
    "closed": "B",
    "not started": "N",
    "notstarted": "N",
    "gray": "N",
    "grey": "N",
    "on track": "G",
    "ontrack": "G",
    "at risk": "A",
    "atrisk": "A",
    "orange": "A",
    "yellow": "A",
    "off track": "R",
    "offtrack": "R",
}


def seed_default_scheme(session: Session) -> None:
    for position, item in enumerate(DEFAULT_SCHEME):
        session.add(
            RagStatus(
                code=item.code,
                label=item.label,
                colour=item.colour,
                text_colour=item.text_colour,
                meaning=item.meaning,
                position=position,
                rank=item.rank,
                is_complete=item.is_complete,
            )
        )


def load_scheme(session: Session) -> list[RagStatus]:
    return list(session.scalars(select(RagStatus).order_by(RagStatus.position)))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def parse_rag(text: object, scheme: Iterable[RagStatus]) -> str | None:
    """The scheme code for what someone typed ("G", "green ", "GREEN", "Amber/Green" -> None).

    Returns None for blank input; raises ValueError when the text names no status.
    """
    if text is None:
        return None
    squashed = _squash(str(text))
    if not squashed:
        return None
    for status in scheme:
        if squashed in (status.code.lower(), _squash(status.label)):
            return status.code
    compact = squashed.replace(" ", "")
    code = _SYNONYMS.get(squashed) or _SYNONYMS.get(compact)
    if code is not None and any(s.code == code for s in scheme):
        return code
    raise ValueError(f"{str(text).strip()!r} is not a RAG status")


def rank_of(code: str | None, scheme: Iterable[RagStatus]) -> int | None:
    for status in scheme:
        if status.code == code:
            return status.rank
    return None


def scheme_rows(session: Session) -> list[dict[str, Any]]:
    """The workspace's RAG scheme as plain rows (labels, colours, meanings, ranks), as the
    quarter view and the workspace JSON hold it."""
    return [
        {
            "code": s.code,
            "label": s.label,
            "colour": s.colour,
            "text_colour": s.text_colour,
            "meaning": s.meaning,
            "rank": s.rank,
            "is_complete": s.is_complete,
        }
        for s in session.scalars(select(RagStatus).order_by(RagStatus.position))
    ]
