"""The workspace's lead aliases: what each lead text the officer corrected on import means."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Agency, LeadAlias, Officer


@dataclass(frozen=True)
class AliasRow:
    text: str
    leads: str  # "Essex Police – Emma Clark; Rochford District Council"
    note: str


def list_aliases(session: Session) -> list[AliasRow]:
    rows = session.execute(
        select(LeadAlias.text, LeadAlias.note, Agency.name, Officer.name)
        .outerjoin(Agency, Agency.id == LeadAlias.agency_id)
        .outerjoin(Officer, Officer.id == LeadAlias.officer_id)
        .order_by(LeadAlias.text, LeadAlias.position)
    ).all()
    grouped: dict[str, tuple[list[str], str]] = {}
    for text, note, agency, officer in rows:
        leads, old_note = grouped.setdefault(text, ([], ""))
        name = " – ".join(n for n in (agency, officer) if n)
        if name:
            leads.append(name)
        grouped[text] = (leads, old_note or note or "")
    return [AliasRow(text, "; ".join(leads), note) for text, (leads, note) in grouped.items()]


def forget(session: Session, text: str) -> ops.Change:
    """Forget what ``text`` was chosen to mean: the next import reads it afresh (undoable)."""
    ids = session.execute(select(LeadAlias.id).where(LeadAlias.text == text)).scalars().all()
    changes = tuple(ops.delete_item(session, "lead_alias", alias_id) for alias_id in ids)
    return ops.ChangeSet(changes, "Forget lead reading")
