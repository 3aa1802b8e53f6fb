"""Where a file dialog starts: the folder the officer last used for that kind of file, else
Documents; never the folder the program happened to be started from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths


def documents() -> Path:
    """The officer's Documents folder (the home folder where there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def _key(kind: str) -> str:
    return f"{kind}/save_folder"


def start_folder(kind: str) -> Path:
    """Where the dialog for ``kind`` of file ("report", "plan", "police", "workspace") starts."""
    used = str(QSettings().value(_key(kind), "", str) or "")
    return Path(used) if used and Path(used).is_dir() else documents()


def remember_folder(kind: str, chosen: Path | str) -> None:
    """Note the folder of a file (or the folder) the officer chose, for the next dialog."""
    path = Path(chosen)
    QSettings().setValue(_key(kind), str(path if path.is_dir() else path.parent))
