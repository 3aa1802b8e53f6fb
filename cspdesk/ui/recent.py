"""The Open recent list, kept in the user's settings (registry on Windows)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "files/recent"
LIMIT = 8


class RecentFiles:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[Path]:
        stored = self.settings.value(KEY, [])
        if isinstance(stored, str):
            stored = [stored]
        return [Path(p) for p in stored or [] if Path(p).exists()]

    def add(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        items = [str(p) for p in self.paths() if str(p) != resolved]
        self.settings.setValue(KEY, [resolved, *items][:LIMIT])
