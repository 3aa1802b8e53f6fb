"""Where a workspace lives: a file path, or a shared plan on a PostgreSQL server (a libpq URL).

Accepted server addresses: ``postgresql://USER@HOST[:PORT]/DBNAME`` and
``postgresql:///DBNAME?service=NAME`` (an entry of pg_service.conf), with a few libpq options in
the query (``host`` for a socket folder, ``sslmode``...). The password never goes in the
address: libpq finds it in ~/.pgpass, PGPASSFILE or the service file. An address with a password
is refused (the message shows it without the password), and so is anything else that looks
like an address but is not a supported one, so that it is never created as a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from cspdesk.store.errors import WorkspaceError

if TYPE_CHECKING:  # imported when an address is read: a file path needs no SQLAlchemy at start
    from sqlalchemy.engine import URL

SERVER_SCHEMES = frozenset({"postgresql", "postgres", "postgresql+psycopg"})
# libpq connection options an officer's IT may need; anything else is refused by name.
ALLOWED_OPTIONS = frozenset(
    {
        "service",
        "host",
        "port",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "connect_timeout",
        "application_name",
        "target_session_attrs",
        "passfile",
    }
)
# "scheme:" of two or more letters: "C:\\plans" (a drive letter) is a path, "mysql://" is not.
_ADDRESS_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")
_PASSWORD_IN_NETLOC = re.compile(r"^([^:/?#]+://[^:@/?#]*):[^@/?#]*@")


class UnsupportedAddress(WorkspaceError):
    """Looks like an address, but not one cspdesk can open (or it carries a password)."""


@dataclass(frozen=True)
class ServerAddress:
    """A shared plan on a PostgreSQL server; printing it never shows a password."""

    database: str | None
    user: str | None = None
    host: str | None = None
    port: int | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """A short name for window titles and backup file names."""
        return self.database or dict(self.options).get("service") or "shared plan"

    @property
    def file_stem(self) -> str:
        """The name, safe as a file name (for local copies and their folder)."""
        return re.sub(r"[^\w.-]", "_", self.name).strip(".") or "shared-plan"

    def sqlalchemy_url(self) -> URL:
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            host=self.host,
            port=self.port,
            database=self.database,
            query=dict(self.options),
        )

    def with_database(self, database: str) -> ServerAddress:
        return ServerAddress(database, self.user, self.host, self.port, self.options)

    def __str__(self) -> str:
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        host = self.host or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{self.port}" if self.port else ""
        database = quote(self.database, safe="") if self.database else ""
        query = "?" + urlencode(self.options, safe="/") if self.options else ""
        return f"postgresql://{user}{host}{port}/{database}{query}"


Location = Path | ServerAddress


def without_password(text: str) -> str:
    """``text`` with any password in a URL's user part removed (for messages and logs)."""
    return _PASSWORD_IN_NETLOC.sub(r"\1@", text)


def looks_like_address(text: str) -> bool:
    return bool(_ADDRESS_LIKE.match(text))


def parse_location(value: str | Path | ServerAddress) -> Location:
    """A workspace file path or a ServerAddress; UnsupportedAddress for anything else."""
    if isinstance(value, ServerAddress | Path):
        return value
    text = str(value).strip()
    if not looks_like_address(text):
        return Path(text)
    scheme = text.split(":", 1)[0].lower()
    shown = without_password(text)
    if scheme not in SERVER_SCHEMES:
        raise UnsupportedAddress(
            f"{shown}: not a workspace cspdesk can open; give a file path or a server address "
            "postgresql://USER@HOST[:PORT]/DBNAME"
        )
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as error:
        raise UnsupportedAddress(
            f"{shown}: not a valid server address ({without_password(str(error))}); "
            "write it as postgresql://USER@HOST[:PORT]/DBNAME"
        ) from None
    if url.password is not None or "password" in url.query:
        safe = ServerAddress(url.database, url.username, url.host, url.port)
        raise UnsupportedAddress(
            f"{safe}: the password must not be written in the address (it would show in "
            "messages and the recent files list); put it in ~/.pgpass, PGPASSFILE or the "
            "service file"
        )
    options: dict[str, str] = {}
    for key, raw in url.query.items():
        values = (raw,) if isinstance(raw, str) else tuple(raw)
        if key not in ALLOWED_OPTIONS:
            raise UnsupportedAddress(f"{shown}: cspdesk does not use the option {key!r}")
        if len(values) != 1:
            raise UnsupportedAddress(f"{shown}: the option {key!r} is given more than once")
        options[key] = values[0]
    if not url.database and "service" not in options:
        raise UnsupportedAddress(
            f"{shown}: no database named; write postgresql://USER@HOST[:PORT]/DBNAME "
            "or postgresql:///?service=NAME"
        )
    if url.port is not None and not 0 < url.port < 65536:
        raise UnsupportedAddress(f"{shown}: the port must be a number from 1 to 65535")
    return ServerAddress(
        database=url.database or None,
        user=url.username or None,
        host=url.host or None,
        port=url.port,
        options=tuple(sorted(options.items())),
    )


def is_server(location: Location) -> bool:
    return isinstance(location, ServerAddress)
