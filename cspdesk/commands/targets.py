"""Options that name something in the plan on the command line: an id, a priority, an action or
an indicator, checked before anything is written and refused in one line naming the option."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def refuse(option: str, value: object, reason: str) -> CspdeskError:
    return CspdeskError(f"{option} {value!r}: {reason}")


def parse_id(option: str, text: str) -> int:
    if not text.strip().isdigit():
        raise refuse(option, text, "not an id (a whole number)")
    return int(text)


def in_plan(session: Session, plan_id: int, option: str, kind: str, wanted: str) -> int:
    from cspdesk.core.funding.lists import find_indicator, find_target

    try:
        if kind == "indicator":
            return find_indicator(session, plan_id, wanted)
        return find_target(session, plan_id, kind, wanted)
    except CspdeskError as error:
        raise CspdeskError(f"{option} {wanted!r}: {error}") from None


def target_of(session: Session, plan_id: int, args: argparse.Namespace) -> dict[str, int | None]:
    if args.priority is not None:
        return {
            "priority_id": in_plan(session, plan_id, "--priority", "priority", args.priority),
            "action_id": None,
        }
    return {
        "priority_id": None,
        "action_id": in_plan(session, plan_id, "--action", "action", args.action),
    }


def target_label(session: Session, plan_id: int, where: dict[str, int | None]) -> str:
    from cspdesk.core.funding.lists import plan_targets

    kind = "priority" if where["priority_id"] is not None else "action"
    wanted = where[f"{kind}_id"]
    return next(t.label for t in plan_targets(session, plan_id) if (t.kind, t.id) == (kind, wanted))
