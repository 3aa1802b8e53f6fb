"""A blank return an older version recorded as merged is not a return received.

Since returns.received, a file holding nothing its partner wrote is "Nothing to merge": nothing
is recorded and its lead is still chased. Versions before it marked such a file's return record
merged all the same, so the chase list still says RETURNED for a partner who sent nothing back.
This upgrade takes the merge off every record that holds nothing of its partner's, and keeps
what it took off in the history, so nothing is lost silently.

A record merged with something of its partner's keeps its merge. What a merge kept of a partner:
a contribution or a row of new work from the return (return_id), who the cover says completed
it, what its versions set (merged_values), decisions still waiting on the officer, or a history
entry signed by the lead's return in the plan, quarter and time of the merge (the officer may
have changed the words since: the contribution is then the officer's, the history still says
who wrote first). A history entry is the record's unless it is known to be of another plan or
quarter: when in doubt the record keeps its merge, as before.

Why an upgrade, not a rule at read time: the new code records a return received with nothing
left beside the record (words all the same as the plan's, a cover note, a deleted row), which
looks the same as a blank file merged by the old code; only the records written before this
revision can be blank merges. The rule runs once here, on those.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UPGRADED_BY = "cspdesk upgrade (schema 0011)"
# A history entry this close to a merge is the merge's (one computer's clock, one transaction).
CLOCK_SLACK = dt.timedelta(hours=1)
SIGNATURE_LIMIT = 300  # returns.apply.SOURCE_LIMIT when the history was written
QUARTER_FIELD = re.compile(r"q([1-4])_")

record = sa.table(
    "return_record",
    sa.column("id", sa.Integer),
    sa.column("plan_id", sa.Integer),
    sa.column("quarter", sa.Integer),
    sa.column("lead_name", sa.Text),
    sa.column("made_at", sa.DateTime),
    sa.column("merged_at", sa.DateTime),
    sa.column("merged_file", sa.Text),
    sa.column("merged_saved_at", sa.DateTime),
    sa.column("decisions_waiting", sa.Integer),
    sa.column("completed_by", sa.Text),
    sa.column("merged_values", sa.Text),
)
contribution = sa.table("contribution", sa.column("return_id", sa.Integer))
new_work = sa.table("return_new_work", sa.column("return_id", sa.Integer))
history = sa.table(
    "history",
    sa.column("at", sa.DateTime),
    sa.column("who", sa.Text),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("field", sa.Text),
    sa.column("old", sa.Text),
    sa.column("new", sa.Text),
    sa.column("note", sa.Text),
)
priority = sa.table("priority", sa.column("id", sa.Integer), sa.column("plan_id", sa.Integer))
objective = sa.table("objective", sa.column("id", sa.Integer), sa.column("priority_id", sa.Integer))
action = sa.table("action", sa.column("id", sa.Integer), sa.column("objective_id", sa.Integer))
milestone = sa.table("milestone", sa.column("id", sa.Integer), sa.column("action_id", sa.Integer))


def _merged_with_nothing_beside(conn: sa.Connection) -> list[Any]:
    """Merged records that keep nothing of their partner's in the record or beside it."""
    r = record.c
    return list(
        conn.execute(
            sa.select(record)
            .where(
                r.merged_at.is_not(None),
                sa.func.coalesce(r.decisions_waiting, 0) == 0,
                sa.func.coalesce(r.completed_by, "") == "",
                sa.func.coalesce(r.merged_values, "").in_(["", "[]"]),
                ~sa.exists().where(contribution.c.return_id == r.id),
                ~sa.exists().where(new_work.c.return_id == r.id),
            )
            .order_by(r.id)
        )
    )


def _plans_of(conn: sa.Connection) -> dict[tuple[str, int], int]:
    """The plan of every action and milestone, keyed ("action", id) / ("milestone", id)."""
    of_action = (
        sa.select(action.c.id, priority.c.plan_id)
        .join(objective, objective.c.id == action.c.objective_id)
        .join(priority, priority.c.id == objective.c.priority_id)
    )
    plans = {("action", row.id): row.plan_id for row in conn.execute(of_action)}
    for row in conn.execute(sa.select(milestone.c.id, milestone.c.action_id)):
        if ("action", row.action_id) in plans:
            plans[("milestone", row.id)] = plans[("action", row.action_id)]
    return plans


def _signed_near_the_merge(conn: sa.Connection, found: Any) -> list[Any]:
    """History entries signed by the lead's return ("return: <lead> <file>") near the time
    of the merge of ``found``."""
    h = history.c
    signed = f"return: {found.lead_name} "[:SIGNATURE_LIMIT]  # as the merge cut it
    near = h.at.between(found.made_at - CLOCK_SLACK, found.merged_at + CLOCK_SLACK)
    query = sa.select(h.entity, h.entity_id, h.field).where(
        near, h.who.startswith(signed, autoescape=True)
    )
    return list(conn.execute(query))


def _of_this_return(entry: Any, found: Any, plans: dict[tuple[str, int], int]) -> bool:
    """Whether ``entry`` may be of the return of ``found``: not known to be of another plan
    or another quarter."""
    plan_id = plans.get((entry.entity, entry.entity_id))
    if plan_id is not None and plan_id != found.plan_id:
        return False
    of_quarter = QUARTER_FIELD.match(entry.field or "")  # "q1_update (Essex Police)"
    return not (entry.entity == "action" and of_quarter and of_quarter[1] != str(found.quarter))


def blank_merges(conn: sa.Connection) -> list[Any]:
    """The records merged that brought nothing of their partner's."""
    candidates = _merged_with_nothing_beside(conn)
    plans = _plans_of(conn) if candidates else {}
    return [
        found
        for found in candidates
        if not any(
            _of_this_return(entry, found, plans) for entry in _signed_near_the_merge(conn, found)
        )
    ]


def _history_rows(blank: Iterable[Any], now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for found in blank:
        merged_file = found.merged_file or "the file"
        rows.append(
            {
                "at": now,
                "who": UPGRADED_BY,
                "entity": "return_record",
                "entity_id": found.id,
                "field": "merged_at",
                "old": found.merged_at.isoformat(sep=" "),
                "new": None,
                "note": (
                    f"nothing written by {found.lead_name} was kept from {merged_file} "
                    f"(Q{found.quarter}): not a return received, the return is awaited again"
                ),
            }
        )
    return rows


def upgrade() -> None:
    conn = op.get_bind()
    blank = blank_merges(conn)
    if not blank:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    conn.execute(sa.insert(history), _history_rows(blank, now))
    ids = [found.id for found in blank]
    for start in range(0, len(ids), 500):
        conn.execute(
            sa.update(record)
            .where(record.c.id.in_(ids[start : start + 500]))
            .values(merged_at=None, merged_file="", merged_saved_at=None)
        )


def downgrade() -> None:
    pass  # a blank return was never received: nothing to put back
