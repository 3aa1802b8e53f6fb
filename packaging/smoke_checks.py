"""Checks on what the frozen program wrote, run by packaging/build.sh with the build venv's Python.

    python packaging/smoke_checks.py workspace FILE
    python packaging/smoke_checks.py json FILE               (prints the names the next checks use)
    python packaging/smoke_checks.py xlsx FILE EXPORTED_JSON
    python packaging/smoke_checks.py pdf FILE EXPORTED_JSON

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
            case _:
                print(__doc__, file=sys.stderr)
                return 2
    except SmokeFailure as failure:
        print(f"smoke check failed: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
