"""Real partners' names, and text longer than any old column, through every path that writes
(merge, rename, import, copy): a file and a server take the same text, and refuse the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.limits import TooLong
from cspdesk.core.plan.model import Action, Agency, HistoryEntry, Officer
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.returns_batch import fill_batch, lead_of

pytestmark = pytest.mark.both_engines

PROBATION = "Essex Community Rehabilitation Company (Probation)"
LONG_TIMESCALE = "Quarterly, reviewed at each CSP Executive meeting; " * 6  # 312 characters
LONG_SHORT_NAME = "Essex CRC (Probation) – Southend, Castle Point & Rochford"  # 57
LONG_EMAIL = "community.safety." * 12 + "@probation.example.gov.uk"  # 229
INITIALS = "DCI AM-F (EP)"  # 13: a real officer's


def make_q2_returns(location: Location, folder: Path) -> list[Path]:
    assert run_cli("demo", "--db", str(location)).returncode == 0
    made = run_cli("returns", "make", "--db", str(location), "--quarter", "Q2", "-o", str(folder))
    assert made.returncode == 0, made.stdout + made.stderr
    paths = sorted(folder.glob("*.xlsx"))
    fill_batch(paths, set())
    return paths


def test_a_partner_with_a_long_name_merges_alone_and_in_a_batch(
    empty_location: Location, tmp_path: Path
) -> None:
    paths = make_q2_returns(empty_location, tmp_path / "Q2")
    probation = next(p for p in paths if lead_of(p) == PROBATION)
    alone = run_cli("returns", "apply", "--db", str(empty_location), str(probation))
    assert alone.returncode == 0, alone.stdout + alone.stderr
    rest = [str(p) for p in paths if p != probation]
    batch = run_cli("returns", "apply", "--db", str(empty_location), *rest)
    assert batch.returncode == 0, batch.stdout + batch.stderr
    assert "Traceback" not in batch.stderr
    with Workspace.open(empty_location, read_only=True) as workspace:
        fields = workspace.read(lambda s: set(s.scalars(select(HistoryEntry.field)).all()))
    assert f"q2_update ({PROBATION})" in fields
    assert sum(field.startswith("q2_update (") for field in fields) == len(paths)


def test_a_long_rename_and_long_details_save(workspace: Workspace) -> None:
    agency = workspace.read(lambda s: s.scalars(select(Agency.id).order_by(Agency.id)).first())
    action = workspace.read(lambda s: s.scalars(select(Action.id).order_by(Action.id)).first())
    workspace.write(ops.edit_field, "agency", agency, "name", PROBATION + " and partners" * 20)
    workspace.write(ops.edit_field, "agency", agency, "short_name", LONG_SHORT_NAME)
    workspace.write(ops.edit_field, "agency", agency, "email", LONG_EMAIL)
    workspace.write(ops.edit_field, "action", action, "timescale", LONG_TIMESCALE)
    added = workspace.write(ops.add_row, "officer", name="Anne Marie Fox-Hale", initials=INITIALS)
    saved = workspace.read(
        lambda s: (
            s.get(Agency, agency).short_name,
            s.get(Action, action).timescale,
            s.get(Officer, added.id).initials,
        )
    )
    assert saved == (LONG_SHORT_NAME, LONG_TIMESCALE, INITIALS)


def test_initials_over_the_limit_are_refused_the_same_on_both_engines(
    workspace: Workspace,
) -> None:
    officer = workspace.write(ops.add_row, "officer", name="Graham Browne", initials="GB")
    too_long = "DCI AM-F (EP) retired"  # 21
    with pytest.raises(TooLong, match=r"Initials may have at most 20 characters.*has 21"):
        workspace.write(ops.edit_field, "officer", officer.id, "initials", too_long)
    with pytest.raises(TooLong, match="Nothing was changed"):
        workspace.write(ops.add_row, "officer", name="Someone Else", initials=too_long)
    names = workspace.read(lambda s: s.scalars(select(Officer.name)).all())
    assert "Someone Else" not in names
    assert workspace.read(lambda s: s.get(Officer, officer.id).initials) == "GB"


def test_a_file_used_for_a_while_copies_onto_the_target(
    tmp_path: Path, empty_location: Location
) -> None:
    """Whatever a file took (longer than any old VARCHAR) copies onto a server whole."""
    used = tmp_path / "used-for-a-while.cspdesk"
    assert run_cli("demo", "--db", str(used)).returncode == 0
    with Workspace.open(used) as workspace:
        action = workspace.read(lambda s: s.scalars(select(Action.id)).first())
        workspace.write(ops.edit_field, "action", action, "timescale", LONG_TIMESCALE)
        workspace.write(ops.add_row, "officer", name="Anne Marie Fox-Hale", initials=INITIALS)
        workspace.write(ops.add_row, "agency", name=PROBATION + " (North)", email=LONG_EMAIL)
    copied = run_cli("copy", "--from", str(used), "--to", str(empty_location))
    assert copied.returncode == 0, copied.stdout + copied.stderr
    with Workspace.open(empty_location, read_only=True) as target:
        assert target.read(lambda s: s.get(Action, action).timescale) == LONG_TIMESCALE
        emails = target.read(lambda s: set(s.scalars(select(Agency.email)).all()))
    assert LONG_EMAIL in emails


def test_an_exported_plan_with_long_names_imports_into_a_new_workspace(
    tmp_path: Path, empty_location: Location
) -> None:
    source = tmp_path / "source.cspdesk"
    assert run_cli("demo", "--db", str(source)).returncode == 0
    book = tmp_path / "plan.xlsx"
    assert run_cli("export-xlsx", "--db", str(source), "-o", str(book)).returncode == 0
    imported = run_cli("import-plan", str(book), "--db", str(empty_location), "--name", "CP&R")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"workspace created: {empty_location}" in imported.stdout
    with Workspace.open(empty_location, read_only=True) as target:
        agencies = target.read(lambda s: set(s.scalars(select(Agency.name)).all()))
    assert PROBATION in agencies


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (Path(__file__).parents[1] / "data" / "workspaces").glob("v*"))
)
def test_every_frozen_file_copies_onto_the_target(
    name: str, tmp_path: Path, empty_location: Location
) -> None:
    """`copy` moves any file the program ever wrote (each schema revision's) onto a server."""
    source = tmp_path / name
    source.write_bytes((Path(__file__).parents[1] / "data" / "workspaces" / name).read_bytes())
    copied = run_cli("copy", "--from", str(source), "--to", str(empty_location))
    assert copied.returncode == 0, copied.stdout + copied.stderr
    with Workspace.open(empty_location, read_only=True) as target:
        names = target.read(lambda s: set(s.scalars(select(Agency.name)).all()))
    assert PROBATION in names
