"""Shared fixtures: real workspace files in a temporary folder, Qt offscreen.

Both engines: a test module marked ``pytest.mark.both_engines`` runs each test that uses the
``workspace_path``/``workspace``/``empty_location`` fixtures twice, on an SQLite file and on a
fresh PostgreSQL database (CREATE DATABASE ... TEMPLATE a migrated, seeded one). The PostgreSQL
leg runs when CSPDESK_TEST_PG_URL names a server (any database on it, e.g.
postgresql://postgres@127.0.0.1:5432/postgres, with the right to create databases) and is
skipped, with the reason, when it is not set. ``pytest.mark.file_only`` keeps a test of a
both-engines module on SQLite alone (lock files, journals, backups of files).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.store.address import Location, ServerAddress, parse_location
from cspdesk.store.db import Workspace

PG_URL_VARIABLE = "CSPDESK_TEST_PG_URL"
PG_SKIP_REASON = (
    f"PostgreSQL leg: set {PG_URL_VARIABLE}=postgresql://USER@HOST:PORT/postgres to run it "
    "(.ci/run starts a throwaway server and sets it)"
)
_database_numbers = itertools.count(1)
TEST_USER = "Alex Morgan"


def small_plan_data() -> dict[str, Any]:
    """A two-priority plan with leads, milestones and Q1 updates, shaped like seed 000."""
    return {
        "format": "cspdesk-workspace",
        "version": 1,
        "partnership": {"name": "Test Vale CSP", "areas": "Test Vale"},
        "agencies": [
            {
                "name": "Essex Police",
                "short_name": "Police",
                "officers": [{"name": "Emma Clark", "initials": "EC"}],
            },
            {
                "name": "Rochford District Council",
                "short_name": "RDC",
                "officers": [{"name": "Graham Browne", "initials": "GB"}],
            },
            {"name": "All partners"},
        ],
        "plans": [
            {
                "year": "2016/17",
                "title": "Partnership Plan 2016/17",
                "version_label": "Version 1 – June 2016",
                "current_quarter": 1,
                "priorities": [
                    {
                        "title": "Safeguarding Vulnerable People",
                        "baseline": "",
                        "target": "",
                        "objectives": [
                            {
                                "title": "To raise awareness of Domestic abuse",
                                "actions": [
                                    {
                                        "title": "Actively promote Essex wide campaigns",
                                        "outcomes": "Two DA campaigns promoted within the year",
                                        "timescale": "Q1-4",
                                        "rag": "G",
                                        "lead_note": "All partners",
                                        "leads": [{"agency": "All partners"}],
                                        "milestones": [
                                            {
                                                "title": "Campaign one launched",
                                                "due_date": "2016-06-30",
                                                "done_date": "2016-06-20",
                                                "rag": "B",
                                            },
                                            {
                                                "title": "Campaign two launched",
                                                "due_date": "2016-12-31",
                                                "rag": "G",
                                            },
                                        ],
                                        "updates": [
                                            {
                                                "quarter": 1,
                                                "rag": "G",
                                                "source": "officer",
                                                "text": "'Together we Can' campaign promoted.",
                                            }
                                        ],
                                    },
                                    {
                                        "title": "Re-introduce the J9 scheme in both districts",
                                        "outcomes": "Partner agencies trained",
                                        "timescale": "Q2 – Sept 16",
                                        "rag": "A",
                                        "lead_note": "GB",
                                        "leads": [
                                            {
                                                "agency": "Rochford District Council",
                                                "officer": "Graham Browne",
                                            }
                                        ],
                                        "updates": [
                                            {
                                                "quarter": 1,
                                                "rag": "A",
                                                "source": "officer",
                                                "text": "J9 training sessions booked for October",
                                            }
                                        ],
                                    },
                                ],
                            },
                        ],
                    },
                    {
                        "title": "Anti-Social Behaviour",
                        "baseline": "1259 incidents",
                        "target": "Reduce by 5%",
                        "objectives": [
                            {
                                "title": "To reduce ASB in hotspot areas",
                                "actions": [
                                    {
                                        "title": "Joint days of action",
                                        "timescale": "Q1-4",
                                        "rag": "R",
                                        "lead_note": "Essex Police – Emma Clark (EC)",
                                        "leads": [
                                            {"agency": "Essex Police", "officer": "Emma Clark"}
                                        ],
                                    },
                                ],
                            },
                        ],
                    },
                ],
            }
        ],
    }


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups, logs and default workspaces of a test go to a temporary folder."""
    home = tmp_path_factory.mktemp("cspdesk-home")
    monkeypatch.setenv("CSPDESK_HOME", str(home))
    monkeypatch.setenv("CSPDESK_USER", TEST_USER)  # signs the changes a test makes
    return home


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    node = metafunc.definition
    if node.get_closest_marker("both_engines") and not node.get_closest_marker("file_only"):
        metafunc.parametrize("engine", ["sqlite", "postgresql"])


@pytest.fixture
def engine() -> str:
    """The engine a workspace fixture uses: SQLite unless the module runs on both."""
    return "sqlite"


class PgServer:
    """The test server: creates and drops the fresh databases the tests get."""

    def __init__(self, address: ServerAddress) -> None:
        from sqlalchemy import create_engine

        self.address = address
        self.admin = create_engine(address.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
        self.prefix = f"cspdesk_test_{os.getpid()}"
        self.made: list[str] = []

    def execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def new_database(self, template: str | None = None) -> ServerAddress:
        name = f"{self.prefix}_{next(_database_numbers)}"
        if template is not None:
            self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            # A UK collation, as a council's server has: it sorts "Rayleigh" before "RRAVS".
            self.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LOCALE_PROVIDER icu ICU_LOCALE 'en-GB' LOCALE 'C.UTF-8'"
            )
        self.made.append(name)
        return self.address.with_database(name)

    def drop(self, address: ServerAddress) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{address.database}" WITH (FORCE)')
        self.made.remove(str(address.database))

    def close(self) -> None:
        for name in list(self.made):
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(PG_SKIP_REASON)
    address = parse_location(url)
    assert isinstance(address, ServerAddress), f"{PG_URL_VARIABLE} is not a server address"
    server = PgServer(address)
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database holding the small plan, copied (as a template) for each test."""
    address = pg_server.new_database()
    workspace = Workspace.create(address, "Test Vale CSP")
    workspace.write(load_workspace_data, small_plan_data())
    workspace.close()
    return str(address.database)


def _fresh_server_database(request: pytest.FixtureRequest, template: str | None) -> ServerAddress:
    server: PgServer = request.getfixturevalue("pg_server")
    address = server.new_database(template)
    request.addfinalizer(lambda: server.drop(address))
    return address


@pytest.fixture
def workspace_path(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Location:
    """The small plan: a file, or (PostgreSQL leg) a fresh database's address."""
    if engine == "postgresql":
        return _fresh_server_database(request, request.getfixturevalue("pg_template"))
    path = tmp_path / "plan.cspdesk"
    workspace = Workspace.create(path, "Test Vale CSP")
    workspace.write(load_workspace_data, small_plan_data())
    workspace.close()
    return path


@pytest.fixture
def empty_location(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Location:
    """Where `new`/`demo`/`copy` can create a workspace: a new file or an empty database."""
    if engine == "postgresql":
        return _fresh_server_database(request, None)
    return tmp_path / "new.cspdesk"


@pytest.fixture
def workspace(workspace_path: Location) -> Iterator[Workspace]:
    with Workspace.open(workspace_path) as opened:
        yield opened
