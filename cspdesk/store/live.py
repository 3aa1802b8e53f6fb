"""The live view of a shared plan, without a screen: notices of committed changes, and presence.

Every committed write to a server plan sends, in its own transaction (so only a commit delivers
it), a small JSON notice: who wrote, which workspace wrote (so a window skips its own), and
which items changed as (entity, id) keys derived from the Change the write returned, or
"everything" when the write returned no Change (an import, a merge of returns, a closed
quarter) or the keys would not fit PostgreSQL's 8000-byte payload. A window keeps one
listening connection per open shared plan; its application_name ("cspdesk: Emma Clark") tells
the other windows who has the plan open. SQLite files send nothing: their windows poll.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cspdesk.store import server
from cspdesk.store.errors import WorkspaceError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cspdesk.store.db import Workspace

Key = tuple[str, Any]  # ("action", 12); a RAG status's key is its code
# tests/ui/test_live_view.py's control run switches it off to show the window then misses edits.
SEND_NOTICES = True
PAYLOAD_LIMIT = 7900  # PostgreSQL refuses a payload of 8000 bytes or more
_THIS_PROCESS = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


class LiveLost(WorkspaceError):
    """The listening connection is gone (server restart, network); try again later."""


def who_of(workspace: Workspace) -> str:
    """The officer's name, as notices and the status bar show it."""
    return workspace.who


def source_of(workspace: Workspace) -> str:
    """Which open workspace wrote: unique across processes and machines."""
    return f"{_THIS_PROCESS}-{id(workspace):x}"


@dataclass(frozen=True)
class Notice:
    who: str
    source: str
    keys: tuple[Key, ...] | None  # None: anything may have changed

    @property
    def everything(self) -> bool:
        return self.keys is None


def changed_keys(result: object) -> list[Key] | None:
    """The items a write's result changed; None when it cannot tell (not a Change)."""
    from cspdesk.core.plan import ops
    from cspdesk.core.quarter import contributions

    if isinstance(result, ops.ChangeSet):
        keys: list[Key] = []
        for part in result.changes:
            found = changed_keys(part)
            if found is None:
                return None
            keys.extend(found)
        return keys
    if isinstance(result, ops.FieldEdited):
        if result.old == result.new:
            return []
        if (result.entity, result.field) == ("plan", "current_quarter"):
            return None  # every milestone of the plan is judged on a new date
        return [(result.entity, result.id)]
    if isinstance(result, ops.ItemAdded | ops.ItemDeleted | ops.ItemMoved):
        return [(result.entity, result.id)]
    if isinstance(result, ops.LeadsSet | ops.UpdateSet):
        return [("action", result.action_id)]
    if isinstance(result, contributions.ContributionsSet):
        return [("action", action_id) for action_id in sorted(result.action_ids)]
    if getattr(result, "affects_tree", True) is False:  # funding, figures: the panes only
        entity = getattr(result, "table", None) or getattr(result, "entity", None)
        return [(str(entity or "figures"), getattr(result, "id", 0))]
    return None


def _unique(keys: Iterable[Key]) -> list[Key]:
    return list(dict.fromkeys(keys))


def encode_notice(notice: Notice) -> str:
    keys = None if notice.keys is None else [list(key) for key in _unique(notice.keys)]
    payload = json.dumps({"who": notice.who, "from": notice.source, "keys": keys})
    if len(payload.encode()) > PAYLOAD_LIMIT:
        payload = json.dumps({"who": notice.who, "from": notice.source, "keys": None})
    return payload


def decode_notice(payload: str) -> Notice:
    """A notice from its payload; one we cannot read (another version) means "everything"."""
    try:
        data = json.loads(payload)
        keys = data["keys"]
        return Notice(
            str(data["who"]),
            str(data["from"]),
            None if keys is None else tuple((str(e), i) for e, i in keys),
        )
    except (ValueError, KeyError, TypeError):
        return Notice("Someone else", "", None)


def announce(session: Session, workspace: Workspace, result: object) -> None:
    """Tell the other windows what this write changed (on a server; files are polled)."""
    if not SEND_NOTICES or session.get_bind().dialect.name == "sqlite":
        return
    keys = changed_keys(result)
    if keys == []:
        return  # nothing changed
    notice = Notice(who_of(workspace), source_of(workspace), None if keys is None else tuple(keys))
    server.send_notice(session.connection(), encode_notice(notice))


def presence_name(who: str) -> str:
    """application_name of ``who``'s listening connection ("cspdesk: Emma Clark")."""
    return server.application_name(server.PRESENCE_PREFIX, who)


def name_of(application_name: str) -> str:
    return server.name_in(application_name) or application_name


def _driver_errors() -> tuple[type[BaseException], ...]:
    import psycopg
    from sqlalchemy import exc

    return (psycopg.Error, exc.SQLAlchemyError, OSError)


class Listener:
    """A window's listening connection to a shared plan: notices from others, and who else
    has the plan open. Its methods never wait on the network beyond one short query; any
    failure of the connection is LiveLost."""

    def __init__(self, workspace: Workspace) -> None:
        self.source = source_of(workspace)
        try:
            self._conn = server.open_listening_connection(
                workspace.engine, presence_name(who_of(workspace))
            )
        except _driver_errors() as error:
            raise LiveLost(f"could not listen for changes ({type(error).__name__})") from error

    def fileno(self) -> int:
        """The socket to wait on: readable when a notice (or a broken connection) arrives."""
        return int(self._conn.fileno())

    def notices(self) -> list[Notice]:
        """Notices from other windows and commands that arrived so far (ours are skipped)."""
        try:
            payloads = server.pending_notices(self._conn)
        except _driver_errors() as error:
            raise LiveLost(f"lost the connection that listens for changes ({error})") from error
        found = (decode_notice(payload) for payload in payloads)
        return [notice for notice in found if notice.source != self.source]

    def others(self) -> list[str]:
        """The names of the others who have the plan open (each once, oldest first)."""
        try:
            names = server.present_names(self._conn)
        except _driver_errors() as error:
            raise LiveLost(f"lost the connection that listens for changes ({error})") from error
        return list(dict.fromkeys(name_of(name) for name in names))

    def close(self) -> None:
        try:
            self._conn.close()
        except _driver_errors():  # already broken: nothing more to release
            return


def connection_trouble(workspace: Workspace, error: BaseException) -> str | None:
    """Plain words when ``error`` means a shared plan's server is not answering (or dropped
    our connection): "cannot reach the server (…)"; None for any other failure (a refusal,
    a clash with a colleague, a file's trouble), which keeps its own message."""
    from sqlalchemy import exc

    from cspdesk.store.address import ServerAddress

    if not isinstance(workspace.location, ServerAddress):
        return None
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, exc.DBAPIError):
        cause = cause.__cause__ or cause.__context__
    if not isinstance(cause, exc.OperationalError | exc.InterfaceError):
        return None
    state = server.sqlstate(cause)
    if state is not None and not (
        state.startswith("08") or state in server.CONNECTION_LOST_SQLSTATES
    ):
        return None  # the server answered: a rolled-back save, a cancelled query...
    return server.describe_error(workspace.location, cause)
