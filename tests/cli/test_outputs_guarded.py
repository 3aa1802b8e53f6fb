"""No output replaces a workspace, a backup or a file cspdesk did not write; a bad place for an
output, a broken pipe or a full disk ends in one clear line, never a traceback."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cspdesk.cli import main


def cspdesk(*args: str, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # the kernel then refuses writes past the limit, as a full disk does
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit if file_limit else None,
    )


@contextlib.contextmanager
def shared_place() -> Iterator[Path]:
    """A folder another user may enter (pytest's own folders are private to their owner)."""
    place = Path(tempfile.mkdtemp(prefix="cspdesk-ro-"))
    place.chmod(0o755)
    try:
        yield place
    finally:
        for folder in place.rglob("*"):
            if folder.is_dir():
                folder.chmod(0o755)
        shutil.rmtree(place)


def as_nobody(place: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """cspdesk run by a user who owns nothing here (skipped when that user cannot read the
    checkout at all, as in a clone made inside a private temporary folder)."""
    run = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
         "-m", "cspdesk", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(place)},
    )  # fmt: skip
    if "No module named cspdesk" in run.stderr:
        pytest.skip("another user cannot read this checkout (a private folder above it)")
    return run


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="runs cspdesk as another user")


def plans_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM plan").fetchone()[0]


@pytest.mark.parametrize("command", ["export-xlsx", "export-json"])
def test_exports_never_replace_the_workspace_or_another_one(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    other = tmp_path / "other.cspdesk"
    other.write_bytes(workspace_path.read_bytes())
    for target, reason in ((workspace_path, "the workspace's own file"), (other, "SQLite")):
        assert main([command, "--db", str(workspace_path), "-o", str(target)]) == 1
        assert reason in capsys.readouterr().err
        assert plans_in(target) == 1  # still a whole workspace
    assert not list(tmp_path.glob(".*.part"))


def test_exports_replace_only_their_own_kind(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(workspace_path)
    out = tmp_path / "returns"
    assert main(["returns", "make", "--db", db, "--quarter", "Q1", "-o", str(out)]) == 0
    a_return = next(out.glob("*.xlsx"))
    before = a_return.read_bytes()
    assert main(["export-xlsx", "--db", db, "-o", str(a_return)]) == 1
    assert "is not a plan exported by cspdesk" in capsys.readouterr().err
    assert a_return.read_bytes() == before
    notes = tmp_path / "notes.json"
    notes.write_text("my own notes")
    assert main(["export-json", "--db", db, "-o", str(notes)]) == 1
    assert notes.read_text() == "my own notes"
    export = tmp_path / "plan.xlsx"
    assert main(["export-xlsx", "--db", db, "-o", str(export)]) == 0
    assert main(["export-xlsx", "--db", db, "-o", str(export)]) == 0  # its own output: fine
    assert main(["report", "--db", db, "--quarter", "Q1", "-o", str(tmp_path / "w.pdf")]) == 0
    assert main(["report", "--db", db, "--quarter", "Q1", "-o", str(export) + ".html"]) == 0
    assert main(["report", "--db", db, "--quarter", "Q1", "-o", str(tmp_path / "w.pdf")]) == 0
    partners = {"x.html": b"<html><body>the partner's own page</body></html>", "p.pdf": b"%PDF-1.4"}
    for name, data in partners.items():
        (tmp_path / name).write_bytes(data)
        assert main(["report", "--db", db, "--quarter", "Q1", "-o", str(tmp_path / name)]) == 1
        assert (tmp_path / name).read_bytes() == data
    assert main(["export-json", "--db", db, "-o", str(tmp_path / "w.json")]) == 0
    assert main(["export-json", "--db", db, "-o", str(tmp_path / "w.json")]) == 0


def test_bad_output_places_get_one_line(workspace_path: Path, tmp_path: Path) -> None:
    db = str(workspace_path)
    long_name = str(tmp_path / ("é" * 200 + ".json"))
    for args, words in (
        (["export-json", "--db", db, "-o", long_name], "the file name is too long"),
        (["export-xlsx", "--db", db, "-o", long_name + ".xlsx"], "the file name is too long"),
        (["report", "--db", db, "--quarter", "Q1", "-o", long_name + ".pdf"], "too long"),
        (["export-xlsx", "--db", db, "-o", str(tmp_path)], "is a folder"),
        (["export-json", "--db", db, "-o", str(tmp_path / "no" / "a.json")], "does not exist"),
    ):
        run = cspdesk(*args)
        assert run.returncode == 1, run.stderr
        assert words in run.stderr and "Traceback" not in run.stderr, run.stderr


@needs_root
@pytest.mark.parametrize(
    "args",
    [
        ["export-json", "--db", "{db}", "-o", "{ro}/a.json"],
        ["export-xlsx", "--db", "{db}", "-o", "{ro}/a.xlsx"],
        ["report", "--db", "{db}", "--quarter", "Q1", "-o", "{ro}/a.pdf"],
        ["backup", "--db", "{db}", "--to", "{ro}"],
        ["restore", "--db", "{ro}/new.cspdesk", "--from", "{db}"],
    ],
)
def test_read_only_folder_is_named_as_the_folder(workspace_path: Path, args: list[str]) -> None:
    with shared_place() as place:
        db = place / "plan.cspdesk"
        shutil.copy(workspace_path, db)
        db.chmod(0o644)
        folder = place / "ro"
        folder.mkdir(mode=0o555)
        run = as_nobody(
            place, *[a.replace("{ro}", str(folder)).replace("{db}", str(db)) for a in args]
        )
        left = list(folder.iterdir())
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and not left, run.stderr
    assert f"{folder}" in run.stderr and "is read-only" in run.stderr, run.stderr
    assert ".part" not in run.stderr, run.stderr


def test_db_before_the_command_and_a_closed_pipe(workspace_path: Path) -> None:
    run = cspdesk("--db", str(workspace_path), "export-json")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("{")
    piped = subprocess.run(
        f'"{sys.executable}" -m cspdesk export-json --db "{workspace_path}" | head -c 10',
        shell=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert piped.stdout == run.stdout[:10]
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr, piped.stderr


@pytest.mark.parametrize(
    "args",
    [["new", "--name", "Vale CSP"], ["demo"], ["export-xlsx", "-o", "{tmp}/plan.xlsx"]],
)
def test_full_disk_says_so(workspace_path: Path, tmp_path: Path, args: list[str]) -> None:
    db = str(workspace_path) if "export-xlsx" in args else str(tmp_path / "new.cspdesk")
    filled = [a.replace("{tmp}", str(tmp_path)) for a in args]
    run = cspdesk(filled[0], "--db", db, *filled[1:], file_limit=8192)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith("cspdesk: ") and len(run.stderr.splitlines()) == 1, run.stderr
    assert not list(tmp_path.glob(".*.part")) and not (tmp_path / "plan.xlsx").exists()


def test_parts_left_by_interrupted_runs_are_cleaned(workspace_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "plan.xlsx"
    stale = tmp_path / ".plan.xlsx.k2j4_x.part"
    fresh = tmp_path / ".plan.xlsx.a9z8_q.part"  # perhaps another export running right now
    backups = tmp_path / "backups"
    backups.mkdir()
    stale_backup = backups / ".plan-2026-12-01.cspdesk.zz1.part"
    hour_ago = time.time() - 3600
    for part in (stale, fresh, stale_backup):
        part.write_bytes(b"half a file")
    for part in (stale, stale_backup):
        os.utime(part, (hour_ago, hour_ago))
    db = str(workspace_path)
    assert main(["export-xlsx", "--db", db, "-o", str(export)]) == 0
    assert not stale.exists() and fresh.exists()
    assert main(["backup", "--db", db, "--to", str(backups)]) == 0
    assert not stale_backup.exists()
    stale_restore = workspace_path.with_name(f".{workspace_path.name}.x1y2z3.restore")
    stale_restore.write_bytes(b"half a restore")
    os.utime(stale_restore, (hour_ago, hour_ago))
    backup = next(backups.glob("*.cspdesk"))
    assert main(["restore", "--db", db, "--from", str(backup)]) == 0
    assert not stale_restore.exists()


@needs_root
def test_restore_into_a_read_only_file_leaves_no_copy(workspace_path: Path) -> None:
    with shared_place() as place:
        place.chmod(0o777)
        db = place / "plan.cspdesk"
        backup = place / "backup.cspdesk"
        for copy in (db, backup):
            shutil.copy(workspace_path, copy)
        backup.chmod(0o644)
        db.chmod(0o444)
        run = as_nobody(place, "restore", "--db", str(db), "--from", str(backup))
        left = sorted(p.name for p in place.iterdir())
    assert run.returncode == 1, run.stderr
    assert "nothing was replaced" in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert not [name for name in left if ".replaced-" in name], left


@needs_root
def test_a_workspace_in_a_read_only_folder_says_the_folder(workspace_path: Path) -> None:
    with shared_place() as place:
        folder = place / "ro"
        folder.mkdir()
        db = folder / "plan.cspdesk"
        shutil.copy(workspace_path, db)
        db.chmod(0o666)
        folder.chmod(0o555)
        run = as_nobody(place, "close-quarter", "--db", str(db), "--quarter", "Q1")
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert f"the folder {folder} is read-only" in run.stderr, run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["import-plan", "{long}.xlsx", "--db", "{db}"],
        ["figures", "import", "{long}.xlsx", "--db", "{db}"],
        ["returns", "apply", "--db", "{db}", "{long}.xlsx"],
        ["returns", "make", "--db", "{db}", "--quarter", "Q1", "-o", "{long}"],
        ["backup", "--db", "{long}.cspdesk"],
        ["restore", "--db", "{db}", "--from", "{long}.cspdesk"],
        ["new", "--db", "{long}.cspdesk", "--name", "Vale CSP"],
        ["demo", "--db", "{long}.cspdesk"],
        ["check", "--db", "{long}.cspdesk"],
    ],
)
def test_names_over_255_bytes_get_one_line(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    long = str(tmp_path / ("é" * 200))
    filled = [a.replace("{long}", long).replace("{db}", str(workspace_path)) for a in args]
    assert main(filled) == 1
    assert (
        "the file name is too long (a name may have at most 255 bytes)" in capsys.readouterr().err
    )
