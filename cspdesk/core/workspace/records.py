"""What the workspace keeps beside the plan tree, as JSON-ready data for ``export-json``:
the returns made and merged, the new work partners sent, the quarters closed (with what
the committee saw), how lead texts were read on import, and who changed what."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import (
    Agency,
    HistoryEntry,
    LeadAlias,
    Officer,
    ReturnNewWork,
    ReturnRecord,
    Snapshot,
)

RETURN_FIELDS = (
    "token",
    "quarter",
    "lead_name",
    "file_name",
    "made_at",
    "due_date",
    "merged_at",
    "merged_file",
    "merged_saved_at",
    "completed_by",
    "decisions_waiting",
)
NEW_WORK_FIELDS = (
    "quarter",
    "lead_name",
    "file_name",
    "sheet",
    "row",
    "placed_at",
    "placed_as",
    "created_at",
)
HISTORY_FIELDS = ("at", "who", "entity", "entity_id", "field", "old", "new", "note")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _json(text: str | None) -> Any:
    """A stored JSON text as data; kept as the text it is when it is not JSON."""
    try:
        return json.loads(text or "{}")
    except ValueError:
        return text


def returns_json(session: Session, plan_id: int) -> list[dict[str, Any]]:
    """Every return made for the plan: for whom, when, and when and from which file merged."""
    rows = session.execute(
        select(ReturnRecord, Agency.name)
        .outerjoin(Agency, Agency.id == ReturnRecord.agency_id)
        .where(ReturnRecord.plan_id == plan_id)
        .order_by(ReturnRecord.quarter, ReturnRecord.id)
    ).all()
    return [
        {name: _plain(getattr(record, name)) for name in RETURN_FIELDS} | {"agency": agency}
        for record, agency in rows
    ]


def new_work_json(session: Session, plan_id: int) -> list[dict[str, Any]]:
    """The rows of new work partners wrote in their returns, placed in the plan or waiting,
    each with the return it came in and its cells as written (heading -> text)."""
    rows = session.execute(
        select(ReturnNewWork, ReturnRecord.token)
        .join(ReturnRecord, ReturnRecord.id == ReturnNewWork.return_id)
        .where(ReturnNewWork.plan_id == plan_id)
        .order_by(ReturnNewWork.quarter, ReturnNewWork.id)
    ).all()
    return [
        {name: _plain(getattr(item, name)) for name in NEW_WORK_FIELDS}
        | {"return_token": token, "cells": _json(item.cells)}
        for item, token in rows
    ]


def closed_quarters_json(session: Session, plan_id: int) -> list[dict[str, Any]]:
    """Each quarter closed, by whom and when, with the report it froze."""
    snapshots = session.execute(
        select(Snapshot).where(Snapshot.plan_id == plan_id).order_by(Snapshot.quarter)
    ).scalars()
    return [
        {
            "quarter": s.quarter,
            "closed_at": _plain(s.closed_at),
            "closed_by": s.closed_by,
            "reopened": s.is_open,
            "frozen": _json(s.payload),
        }
        for s in snapshots
    ]


def lead_aliases_json(session: Session) -> list[dict[str, Any]]:
    """How each lead text was read on import: the leads it gives (in order) or its note."""
    rows = session.execute(
        select(LeadAlias, Agency.name, Officer.name)
        .outerjoin(Agency, Agency.id == LeadAlias.agency_id)
        .outerjoin(Officer, Officer.id == LeadAlias.officer_id)
        .order_by(LeadAlias.text, LeadAlias.position)
    ).all()
    return [
        {"text": a.text, "position": a.position, "agency": agency, "officer": officer}
        | {"note": a.note}
        for a, agency, officer in rows
    ]


def history_json(session: Session) -> list[dict[str, Any]]:
    """Who changed what and when, oldest first (entity ids are the plan tree's ``id``)."""
    entries = session.execute(
        select(*(getattr(HistoryEntry, name) for name in HISTORY_FIELDS)).order_by(
            HistoryEntry.at, HistoryEntry.id
        )
    ).all()
    return [
        {name: _plain(value) for name, value in zip(HISTORY_FIELDS, row, strict=True)}
        for row in entries
    ]
