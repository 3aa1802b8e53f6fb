"""Checks on what the frozen program wrote, run by packaging/build.sh with the build venv's Python.

    python packaging/smoke_checks.py workspace FILE
    python packaging/smoke_checks.py json FILE               (prints the names the next checks use)
    python packaging/smoke_checks.py xlsx FILE EXPORTED_JSON
    python packaging/smoke_checks.py pdf FILE EXPORTED_JSON
    python packaging/smoke_checks.py driver FILE             (what the frozen program said to a
                                                              server address nobody listens at)
    python packaging/smoke_checks.py server-database new URL (prints a new empty database's address)
    python packaging/smoke_checks.py server-database drop URL ADDRESS

Each exits non-zero with a message when the output is not what it should be.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"


class SmokeFailure(Exception):
    pass


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_workspace(path: Path) -> None:
    if not path.is_file() or path.read_bytes()[:16] != SQLITE_MAGIC:
        raise SmokeFailure(f"{path}: not an SQLite workspace file")


def load_export(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != "cspdesk-workspace":
        raise SmokeFailure(f"{path}: not a cspdesk workspace export (format={data.get('format')})")
    if not data.get("partnership", {}).get("name"):
        raise SmokeFailure(f"{path}: no partnership name")
    return data


def expected_texts(data: dict[str, Any]) -> list[str]:
    """Titles an export of this workspace must show: the first priority's and first action's."""
    texts: list[str] = []
    for plan in data.get("plans", []):
        for priority in plan.get("priorities", []):
            texts.append(priority["title"])
            for objective in priority.get("objectives", []):
                for action in objective.get("actions", []):
                    texts.append(action["title"])
                    return texts
    return texts


def check_xlsx(path: Path, export: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    if path.read_bytes()[:2] != b"PK":
        raise SmokeFailure(f"{path}: not an .xlsx (zip) file")
    workbook = load_workbook(path, read_only=True)
    cells = {
        _squash(str(value))
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    workbook.close()
    missing = [text for text in expected_texts(export) if _squash(text) not in cells]
    if missing:
        raise SmokeFailure(f"{path}: no cell holds {missing}")


def check_pdf(path: Path, export: dict[str, Any]) -> None:
    from pypdf import PdfReader

    if path.read_bytes()[:5] != b"%PDF-":
        raise SmokeFailure(f"{path}: not a PDF")
    reader = PdfReader(path)
    text = _squash(" ".join(page.extract_text() or "" for page in reader.pages))
    missing = [title for title in expected_texts(export)[:1] if _squash(title) not in text]
    if missing:
        raise SmokeFailure(f"{path}: the text of its {len(reader.pages)} pages lacks {missing}")


# What cspdesk says without psycopg, and what it says when psycopg tried and found no server.
NO_DRIVER = "need the PostgreSQL driver"
NO_SERVER = "cannot reach the server"


def check_driver(output: str) -> None:
    """The frozen program loaded psycopg and its libpq: it tried to connect, and said so."""
    if NO_DRIVER in output:
        raise SmokeFailure("the bundle lacks psycopg (PostgreSQL driver): " + _squash(output))
    if NO_SERVER not in output:
        raise SmokeFailure(f"expected {NO_SERVER!r} for a server nobody listens at, got: {output}")


def server_database(action: str, url: str, address: str | None = None) -> str:
    """Make (or drop) an empty database on the server ``url`` for the frozen program to fill."""
    import os

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(url).set(drivername="postgresql+psycopg")
    name = make_url(address).database if address else f"cspdesk_smoke_{os.getpid()}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if action == "drop":
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name).render_as_string().replace("+psycopg", "", 1)


def main(argv: list[str]) -> int:
    try:
        match argv:
            case ["workspace", file]:
                check_workspace(Path(file))
            case ["json", file]:
                data = load_export(Path(file))
                print(f"{data['partnership']['name']}: {len(data.get('plans', []))} plan(s)")
            case ["xlsx", file, exported]:
                check_xlsx(Path(file), load_export(Path(exported)))
            case ["pdf", file, exported]:
                check_pdf(Path(file), load_export(Path(exported)))
            case ["driver", file]:
                check_driver(Path(file).read_text(encoding="utf-8", errors="replace"))
            case ["server-database", "new", url]:
                print(server_database("new", url))
            case ["server-database", "drop", url, address]:
                server_database("drop", url, address)
            case _:
                print(__doc__, file=sys.stderr)
                return 2
    except SmokeFailure as failure:
        print(f"smoke check failed: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
