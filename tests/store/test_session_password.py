"""A password typed into the window, kept for the session only (store.server), on a server that
really asks for one (tests/password_server.py starts it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from cspdesk.core.plan.model import Action
from cspdesk.store import server
from cspdesk.store.db import Workspace, engine_for
from tests import password_server as pw
from tests.password_server import PASSWORD, ROLE, PasswordServer

password_server = pw.password_server
no_passwords_but_ours = pw.no_passwords_but_ours


def test_without_a_password_the_server_asks_for_one(password_server: PasswordServer) -> None:
    address = password_server.address
    with pytest.raises(server.PasswordNeeded) as asked:
        server.check_sign_in(address)
    assert not asked.value.refused
    assert "asks for a password" in str(asked.value)
    with pytest.raises(server.ServerUnavailable, match="asks for a password"):
        Workspace.open(address)


def test_a_wrong_password_is_refused_without_showing_it(password_server: PasswordServer) -> None:
    address = password_server.address
    with pytest.raises(server.PasswordNeeded) as refused:
        server.check_sign_in(address, "not-the-password")
    assert refused.value.refused
    assert f"refused the password for {ROLE}" in str(refused.value)
    assert "not-the-password" not in str(refused.value)


def test_a_remembered_password_serves_every_engine_for_that_address(
    password_server: PasswordServer, tmp_path: Path
) -> None:
    address = password_server.address
    server.check_sign_in(address, PASSWORD)  # right: no error
    server.remember_password(address, PASSWORD)
    with Workspace.open(address) as workspace:
        titles = workspace.read(lambda s: list(s.execute(select(Action.title)).scalars()))
        assert "Joint days of action" in titles
        assert PASSWORD not in repr(workspace.engine.url)
    # A background reader (the direction column's thread makes one the same way).
    reader = engine_for(address, read_only=True)
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == ROLE
    finally:
        reader.dispose()
    # A local copy (Backup now on a shared plan) reads the server through its own engine.
    from cspdesk.store.copying import copy_workspace

    copy_workspace(address, tmp_path / "copy.cspdesk")
    with Workspace.open(tmp_path / "copy.cspdesk") as copy:
        assert "Joint days of action" in copy.read(
            lambda s: list(s.execute(select(Action.title)).scalars())
        )
    # Another address (another database) does not get it.
    other = password_server.address_of("postgres")
    with pytest.raises(server.PasswordNeeded):
        server.check_sign_in(other)
    server.forget_password(address)
    with pytest.raises(server.PasswordNeeded):
        server.check_sign_in(address)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def test_the_command_line_uses_libpq_files_only(
    password_server: PasswordServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = str(password_server.address)
    out = tmp_path / "plan.json"
    refused = run_cli("export-json", "--db", address, "-o", str(out))
    assert refused.returncode != 0
    assert "asks for a password" in refused.stderr and "~/.pgpass" in refused.stderr
    assert "Traceback" not in refused.stderr
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{password_server.port}:*:{ROLE}:{PASSWORD}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    done = run_cli("export-json", "--db", address, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Joint days of action" in out.read_text(encoding="utf-8")
    assert PASSWORD not in done.stdout + done.stderr
