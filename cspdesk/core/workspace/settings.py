"""What the workspace settings show: the partnership, its RAG scheme, agencies and officers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Agency, Officer, Partnership, RagStatus

RAG_STATUS_FIELDS = ("code", "label", "colour", "text_colour", "meaning")
AGENCY_FIELDS = ("name", "short_name", "email")
OFFICER_FIELDS = ("name", "initials", "email")

Row = tuple[Any, dict[str, Any]]  # (key, {field: value}), the key being a code or an id


@dataclass(frozen=True)
class WorkspaceSettings:
    partnership_id: int
    name: str
    areas: str
    rag_statuses: list[Row]  # in the scheme's order, keyed by code
    agencies: list[Row]  # by name
    officers: list[Row]  # by name


def _values(row: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def workspace_settings(session: Session) -> WorkspaceSettings:
    partnership = session.execute(select(Partnership)).scalar_one()
    scheme = session.execute(select(RagStatus).order_by(RagStatus.position)).scalars()
    agencies = session.execute(select(Agency).order_by(Agency.name)).scalars()
    officers = session.execute(select(Officer).order_by(Officer.name)).scalars()
    return WorkspaceSettings(
        partnership.id,
        partnership.name,
        partnership.areas,
        [(r.code, _values(r, RAG_STATUS_FIELDS)) for r in scheme],
        [(r.id, _values(r, AGENCY_FIELDS)) for r in agencies],
        [(r.id, _values(r, OFFICER_FIELDS)) for r in officers],
    )
