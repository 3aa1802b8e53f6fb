"""A throwaway PostgreSQL cluster whose TCP logins need a password (scram-sha-256).

The shared test server trusts everyone, so it cannot show a password being asked for, refused
or remembered. This fixture starts a cluster of its own (as .ci/run does: root and Debian's
PostgreSQL package), with one role ``officer`` and one database ``shared_plan`` holding the
small plan; it skips, saying why, where that is not possible. A test module takes the fixtures
by name (so that pytest finds them there):

    password_server = tests.password_server.password_server
    no_passwords_but_ours = tests.password_server.no_passwords_but_ours
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cspdesk.store.address import ServerAddress

ROLE = "officer"
PASSWORD = "Tide-Marsh-4417"  # a string that appears nowhere else, so a grep for it means a leak
DATABASE = "shared_plan"


@dataclass(frozen=True)
class PasswordServer:
    port: int
    socket_dir: Path

    @property
    def address(self) -> ServerAddress:
        """The plan over TCP: the server asks for the password."""
        return ServerAddress(DATABASE, ROLE, "127.0.0.1", self.port)

    def address_of(self, database: str) -> ServerAddress:
        return ServerAddress(database, ROLE, "127.0.0.1", self.port)

    def local(self, database: str) -> ServerAddress:
        """Over the Unix socket, trusted: for setting up, without a password."""
        options = (("host", str(self.socket_dir)), ("port", str(self.port)))
        return ServerAddress(database, ROLE, None, None, options)

    def sql(self, statement: str) -> None:
        psql = Path(_bin_dir() or "") / "psql"
        where = ["-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres"]
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(psql), *where, "-qAt", "-c", statement],
            check=True,
            capture_output=True,
        )


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _why_not() -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return "a password-protected test server needs root (to run PostgreSQL as postgres)"
    if _bin_dir() is None:
        return "no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb): apt install postgresql"
    if shutil.which("runuser") is None:
        return "no runuser to start PostgreSQL as the postgres user"
    return None


@contextmanager
def running_password_server() -> Iterator[PasswordServer]:
    """Start the cluster (or skip the test, saying why); stop and remove it afterwards."""
    reason = _why_not()
    if reason is not None:
        pytest.skip(reason)
    bin_dir = Path(_bin_dir() or "")
    folder = Path(tempfile.mkdtemp(prefix="cspdesk-pw-pg-"))
    shutil.chown(folder, "postgres")
    data = folder / "data"
    port = _free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"]
    auth = ["--auth-local=trust", "--auth-host=scram-sha-256"]  # set up by socket, test by TCP
    start = ["-w", "-l", str(folder / "log"), "start"]
    try:
        subprocess.run(
            [*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", *auth],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}"
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, *start],
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start a password-protected test server: {error.stderr!r}")
    server = PasswordServer(port, folder)
    try:
        server.sql(f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'")
        server.sql(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
        from cspdesk.store.db import Workspace
        from tests.conftest import load_workspace_data, small_plan_data

        with Workspace.create(server.local(DATABASE), "Test Vale CSP") as workspace:
            workspace.write(load_workspace_data, small_plan_data())
        yield server
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def password_server() -> Iterator[PasswordServer]:
    with running_password_server() as started:
        yield started


@pytest.fixture(autouse=True)
def no_passwords_but_ours(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """libpq finds no password of its own (no ~/.pgpass entry), and each test is a new session
    (nothing remembered from the one before)."""
    from cspdesk.store import server

    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGSERVICEFILE", raising=False)
    yield
    server._session_passwords.clear()
