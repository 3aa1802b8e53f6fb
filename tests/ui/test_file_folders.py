"""File dialogs start where the officer last saved or opened that kind of file, else in
Documents; never in the folder the program happened to be started from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

import cspdesk.ui
from cspdesk.ui.file_folders import documents, remember_folder, start_folder


@pytest.mark.parametrize("kind", ["report", "plan", "police", "workspace"])
def test_a_dialog_starts_in_documents_then_where_the_officer_went_last(
    kind: str, tmp_path: Path
) -> None:
    QSettings().remove(f"{kind}/save_folder")
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert start_folder(kind) == documents() in (Path(found), Path.home())
    remember_folder(kind, tmp_path / "appendix.pdf")  # a file's folder is remembered
    assert start_folder(kind) == tmp_path
    remember_folder(kind, tmp_path)  # a folder chosen itself
    assert start_folder(kind) == tmp_path
    remember_folder(kind, tmp_path / "gone" / "x.xlsx")
    assert start_folder(kind) == documents()  # a folder since removed: Documents again


def test_no_file_dialog_starts_in_the_programs_own_folder() -> None:
    """Qt starts a dialog given "" (or no folder) in the current folder: the program's."""
    root = Path(cspdesk.ui.__file__).parent
    calls = re.compile(
        r"QFileDialog\.get(?:Open|Save)FileNames?\(\s*[^,]+,\s*[^,]+,\s*\"\"|"
        r"QFileDialog\.getExistingDirectory\(\s*[^,()]+,\s*\"[^\"]*\"\s*\)"
    )
    found = [
        f"{path.relative_to(root)}: {match.group(0)!r}"
        for path in root.rglob("*.py")
        for match in calls.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
