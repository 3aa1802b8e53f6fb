"""Small real workbooks for the gate tests, and a helper to rewrite their zip parts."""

from __future__ import annotations

import zipfile
from pathlib import Path


def make_workbook(path: Path, rows: int = 5) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append(["Priority", "Action", "Lead", "RAG"])
    for n in range(rows - 1):
        sheet.append([f"Priority {n}", f"Action {n}", "Police", "G"])
    workbook.create_sheet("Notes")["A1"] = "notes"
    workbook.save(path)
    return path


def rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy the zip ``source`` to ``target`` with some parts' bytes replaced (or added)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = replace.get(item.filename, old.read(item.filename))
            new.writestr(item.filename, data)
        for name, data in replace.items():
            if name not in old.namelist():
                new.writestr(name, data)
    return target


def part(source: Path, name: str) -> bytes:
    with zipfile.ZipFile(source) as archive:
        return archive.read(name)
