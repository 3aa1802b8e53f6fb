"""kill -9 in the middle of whole commands: ``python -m benchmarks.kill_commands [KILLS]``.

For each writing command (import-plan, returns apply, roll-forward, close-quarter, backup,
export-xlsx), a fresh copy of a prepared workspace is given to the command as a child process,
which is killed with SIGKILL after a random delay. Afterwards the workspace must pass SQLite's
integrity and foreign-key checks, open, and hold either everything the command commits or
none of it (never a torn plan). Prints kills survived per command.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cli.runner import run_cli  # noqa: E402
from tests.io.xlsx_fixtures import seed_000_layout  # noqa: E402
from tests.returns_batch import fill_batch  # noqa: E402


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _healthy(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "integrity check failed"
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            return "foreign key check failed"
    opened = run_cli("check", "--db", str(path))
    if opened.returncode not in (0, 1):
        return f"does not open: {opened.stderr.strip()[:120]}"
    return ""


def prepare(folder: Path) -> dict[str, tuple[list[str], str]]:
    """The workspace, the files commands need, and per command: its arguments and the SQL whose
    count tells whether it committed."""
    base = folder / "base.cspdesk"
    assert run_cli("demo", "--db", str(base)).returncode == 0
    out = folder / "returns"
    assert run_cli("returns", "make", "--db", str(base), "--quarter", "Q2", "-o", str(out)) \
        .returncode == 0  # fmt: skip
    paths = sorted(out.glob("*.xlsx"))
    fill_batch(paths, set())
    book = seed_000_layout(folder / "plan.xlsx")
    return {
        "returns apply": (
            ["returns", "apply", "--db", "{db}", *map(str, paths)],
            "SELECT count(*) FROM contribution",
        ),
        "import-plan": (
            ["import-plan", str(book), "--db", "{db}", "--year", "2017/18"],
            "SELECT count(*) FROM plan",
        ),
        "roll-forward": (
            ["roll-forward", "--db", "{db}", "--from", "2016/17", "--to", "2018/19"],
            "SELECT count(*) FROM plan",
        ),
        "close-quarter": (
            ["close-quarter", "--db", "{db}", "--quarter", "Q1"],
            "SELECT count(*) FROM snapshot",
        ),
        "backup": (["backup", "--db", "{db}"], "SELECT count(*) FROM plan"),
        "export-xlsx": (
            ["export-xlsx", "--db", "{db}", "-o", "{folder}/export.xlsx"],
            "SELECT count(*) FROM plan",
        ),
    }


def main() -> int:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rng = random.Random(1)
    failed = False
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        commands = prepare(folder)
        base = folder / "base.cspdesk"
        for name, (args, sql) in commands.items():
            # What the command commits, run once to the end: the "after" count.
            whole = folder / f"whole-{name.replace(' ', '-')}.cspdesk"
            shutil.copy(base, whole)
            done = run_cli(*[a.format(db=whole, folder=folder) for a in args])
            allowed = {_count(base, sql), _count(whole, sql)}
            if done.returncode != 0:
                print(f"{name}: does not run: {done.stdout[-200:]} {done.stderr[-200:]}")
                failed = True
                continue
            survived, problems = 0, []
            for _ in range(kills):
                target = folder / "victim.cspdesk"
                for leftover in folder.glob("victim.cspdesk*"):
                    leftover.unlink()
                shutil.copy(base, target)
                argv = [a.format(db=target, folder=folder) for a in args]
                child = subprocess.Popen(
                    [sys.executable, "-m", "cspdesk", *argv],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=ROOT,
                )
                time.sleep(rng.uniform(0.3, 2.5))
                if child.poll() is None:
                    os.kill(child.pid, signal.SIGKILL)
                child.wait()
                problem = _healthy(target) or (
                    "" if _count(target, sql) in allowed else f"torn: {_count(target, sql)} rows"
                )
                if problem:
                    problems.append(problem)
                else:
                    survived += 1
            failed |= bool(problems)
            print(
                f"{name:14} {survived}/{kills} kills survived"
                + (f"; {problems[:3]}" if problems else "")
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
