"""Workspace locations: a file path or a PostgreSQL address; never a password in any output."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.store.address import ServerAddress, UnsupportedAddress, parse_location


def test_a_path_stays_a_path() -> None:
    assert parse_location("plans/plan.cspdesk") == Path("plans/plan.cspdesk")
    assert parse_location("C:\\plans\\plan.cspdesk") == Path("C:\\plans\\plan.cspdesk")


def test_server_addresses() -> None:
    address = parse_location("postgresql://emma@db.council.local:5433/csp")
    assert address == ServerAddress("csp", "emma", "db.council.local", 5433)
    assert str(address) == "postgresql://emma@db.council.local:5433/csp"
    service = parse_location("postgresql:///?service=csp")
    assert isinstance(service, ServerAddress) and service.name == "csp"
    assert str(service) == "postgresql:///?service=csp"
    socket = parse_location("postgresql:///csp?host=/run/postgresql")
    assert str(socket) == "postgresql:///csp?host=/run/postgresql"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("mysql://emma@db/csp", "not a workspace cspdesk can open"),
        ("https://sharepoint.example/plan.cspdesk", "not a workspace cspdesk can open"),
        ("postgresql://emma@db/csp?foo=1", "does not use the option 'foo'"),
        ("postgresql://emma@db:99999/csp", "port"),
        ("postgresql://db", "no database named"),
    ],
)
def test_unsupported_addresses_are_refused(text: str, says: str) -> None:
    with pytest.raises(UnsupportedAddress, match=says):
        parse_location(text)


@pytest.mark.parametrize(
    "text",
    [
        "postgresql+psycopg://csp:s3cr3t@127.0.0.1:5432/cspdesk",
        "postgresql://csp@127.0.0.1/cspdesk?password=s3cr3t",
    ],
)
def test_a_password_in_the_address_is_refused_and_never_shown(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["demo", "--db", text], ["export-json", "--db", text]):
        with pytest.raises(SystemExit) as stopped:
            main(command)
        assert stopped.value.code == 2
        out = capsys.readouterr()
        assert "s3cr3t" not in out.out + out.err
        assert "postgresql://csp@127.0.0.1" in out.err
        assert "~/.pgpass" in out.err
    assert list(tmp_path.rglob("*")) == []  # nothing was created as a file


def test_an_address_like_path_is_never_created_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["new", "--db", "sqlite://plan.cspdesk", "--name", "CSP"])
    assert "not a workspace cspdesk can open" in capsys.readouterr().err
    assert list(tmp_path.rglob("*")) == []
