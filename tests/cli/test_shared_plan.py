"""Shared plans: new, demo and copy on both engines, as the officer runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cspdesk.cli import main
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Agency, HistoryEntry, Snapshot
from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.db import Workspace
from tests.conftest import PG_URL_VARIABLE

pytestmark = pytest.mark.both_engines


def export(location: Location, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert main(["export-json", "--db", str(location)]) == 0
    return json.loads(capsys.readouterr().out)


def test_new_creates_an_empty_workspace(
    empty_location: Location, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "--db", str(empty_location), "--name", "Test Vale CSP"]) == 0
    assert f"workspace created: {empty_location}" in capsys.readouterr().out
    data = export(empty_location, capsys)
    assert data["partnership"]["name"] == "Test Vale CSP" and data["plans"] == []
    # A second `new` into the same place is refused and changes nothing.
    assert main(["new", "--db", str(empty_location), "--name", "Other CSP"]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err or "not empty" in err
    assert export(empty_location, capsys)["partnership"]["name"] == "Test Vale CSP"


def test_demo_then_close_quarter(
    empty_location: Location, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", str(empty_location)]) == 0
    assert main(["close-quarter", "--db", str(empty_location), "--quarter", "Q1"]) == 0
    assert "Q1 2016/17 closed" in capsys.readouterr().out
    plan = export(empty_location, capsys)["plans"][0]
    assert plan["current_quarter"] == 2


def test_copy_keeps_every_id_history_row_and_snapshot(
    workspace_path: Location,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """There and back again (file -> server -> file, or server -> file -> server)."""
    assert main(["close-quarter", "--db", str(workspace_path), "--quarter", "Q1"]) == 0
    capsys.readouterr()
    with Workspace.open(workspace_path) as source:
        last = source.read(lambda s: s.execute(select(func.max(Action.id))).scalar_one())
        source.write(ops.delete_item, "action", last)  # its id must never be given out again
        counts = source.read(
            lambda s: (
                s.scalar(select(func.count(HistoryEntry.id))),
                s.scalar(select(func.count(Snapshot.id))),
            )
        )
    assert counts[0] > 0 and counts[1] == 1
    before = export(workspace_path, capsys)

    if isinstance(workspace_path, ServerAddress):
        middle: Location = tmp_path / "taken-home.cspdesk"
        back: Location = request.getfixturevalue("empty_location")
    elif os.environ.get(PG_URL_VARIABLE):
        server = request.getfixturevalue("pg_server")
        middle = server.new_database()
        request.addfinalizer(lambda: server.drop(middle))
        back = tmp_path / "back.cspdesk"
    else:  # no server to hand: file to file still shows that nothing is lost
        middle = tmp_path / "middle.cspdesk"
        back = tmp_path / "back.cspdesk"
    assert main(["copy", "--from", str(workspace_path), "--to", str(middle)]) == 0
    assert main(["copy", "--from", str(middle), "--to", str(back)]) == 0
    out = capsys.readouterr().out
    assert f"copied {workspace_path} to {middle}" in out and " rows" in out
    assert export(back, capsys) == before
    with Workspace.open(back) as copy:
        assert (
            copy.read(
                lambda s: (
                    s.scalar(select(func.count(HistoryEntry.id))),
                    s.scalar(select(func.count(Snapshot.id))),
                )
            )
            == counts
        )
        objective = copy.read(lambda s: s.execute(select(Action.objective_id)).scalars().first())
        added = copy.write(ops.add_item, "action", objective, title="After the copy")
    assert added.id > last


def test_copy_refuses_a_target_that_is_not_empty(
    workspace_path: Location, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["copy", "--from", str(workspace_path), "--to", str(workspace_path)]) == 1
    assert "replace the workspace itself" in capsys.readouterr().err


def test_names_sort_the_same_on_both_engines(
    workspace: Workspace, workspace_path: Location, capsys: pytest.CaptureFixture[str]
) -> None:
    """Code-point order everywhere: a UK-collation server would put Rayleigh first."""
    workspace.write(
        lambda s: s.add_all([Agency(name="Rayleigh Town Council"), Agency(name="RRAVS")])
    )
    names = [a["name"] for a in export(workspace_path, capsys)["agencies"]]
    assert names.index("RRAVS") < names.index("Rayleigh Town Council")
    assert names == sorted(names)


def test_an_unreachable_server_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-json", "--db", "postgresql://nobody@127.0.0.1:1/csp"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the server" in err


def test_backup(
    workspace_path: Location, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file gets a checked backup; a shared plan a local workspace file copy (pg_dump is IT's)."""
    before = export(workspace_path, capsys)
    folder = tmp_path / "backups"
    assert main(["backup", "--db", str(workspace_path), "--to", str(folder)]) == 0
    out = capsys.readouterr().out
    (made,) = folder.iterdir()
    if isinstance(workspace_path, ServerAddress):
        assert "a copy of the shared plan" in out and "pg_dump" in out
        assert made.name.startswith(f"{workspace_path.database}-")
    else:
        assert "(checked)" in out
    assert export(made, capsys) == before
    assert main(["restore", "--db", str(workspace_path), "--from", str(made)]) in (0, 1)
    if isinstance(workspace_path, ServerAddress):
        assert "cspdesk copy --from" in capsys.readouterr().err
