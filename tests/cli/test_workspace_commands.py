"""Headless commands run as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cspdesk import __version__

pytestmark = pytest.mark.both_engines


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cspdesk {__version__}"


def test_demo_then_export_json(tmp_path: Path) -> None:
    db = tmp_path / "demo.cspdesk"
    assert run("demo", "--db", str(db)).returncode == 0
    out = tmp_path / "demo.json"
    result = run("export-json", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["partnership"]["name"] == "Castle Point and Rochford Community Safety Partnership"
    plan = data["plans"][0]
    assert plan["year"] == "2016/17"
    titles = [p["title"] for p in plan["priorities"]]
    assert "Anti-Social Behaviour" in titles
    actions = [a for p in plan["priorities"] for o in p["objectives"] for a in o["actions"]]
    assert len(actions) >= 20
    assert any(lead["agency"] == "Essex Police" for a in actions for lead in a["leads"])
    assert all(u["quarter"] == 1 for a in actions for u in a["updates"])
    assert {a["rag"] for a in actions} >= {"R", "A", "G"}


def test_export_json_to_stdout(workspace_path: Path) -> None:
    result = run("export-json", "--db", str(workspace_path))
    assert result.returncode == 0
    assert (
        json.loads(result.stdout)["plans"][0]["priorities"][1]["title"] == "Anti-Social Behaviour"
    )


def test_errors_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    missing = run("export-json", "--db", str(tmp_path / "missing.cspdesk"))
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "no such workspace" in missing.stderr
    assert not (tmp_path / "missing.cspdesk").exists()
    junk = tmp_path / "junk.cspdesk"
    junk.write_bytes(b"PK\x03\x04 not a database")
    bad = run("export-json", "--db", str(junk), "-o", str(tmp_path / "out.json"))
    assert bad.returncode == 1 and "not a cspdesk workspace" in bad.stderr
    assert not (tmp_path / "out.json").exists()
    exists = run("demo", "--db", str(junk))
    assert exists.returncode == 1 and "already exists" in exists.stderr
    assert junk.read_bytes() == b"PK\x03\x04 not a database"


def test_no_year(workspace_path: Path) -> None:
    result = run("export-json", "--db", str(workspace_path), "--year", "2030/31")
    assert result.returncode == 1 and "no plan for 2030/31" in result.stderr


def test_headless_commands_do_not_import_qt_or_heavy_modules(
    workspace_path: Path, tmp_path: Path
) -> None:
    code = (
        "import sys; from cspdesk.cli import main; main(['export-json', '--db', "
        f"{str(workspace_path)!r}, '-o', {str(tmp_path / 'plan.json')!r}]); "
        "print(sorted(m for m in ('PySide6', 'openpyxl', 'reportlab') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_version_and_help_import_nothing_heavy() -> None:
    code = (
        "import sys, contextlib, io; from cspdesk.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--version'])\n"
        "print(sorted(m for m in ('sqlalchemy', 'PySide6', 'openpyxl', 'reportlab')"
        " if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_self_test(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "CSPDESK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "cspdesk", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "self-test ok" in result.stdout, result.stderr
