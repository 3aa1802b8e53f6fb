"""The Open recent list, kept in the user's settings (registry on Windows).

Shared plans are listed beside files, by their address (which never holds a password).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from cspdesk.store.address import Location, ServerAddress, UnsupportedAddress, parse_location

KEY = "files/recent"
LIMIT = 8


class RecentFiles:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[Location]:
        stored = self.settings.value(KEY, [])
        if isinstance(stored, str):
            stored = [stored]
        found: list[Location] = []
        for text in stored or []:
            try:
                location = parse_location(str(text))
            except UnsupportedAddress:
                continue
            if isinstance(location, ServerAddress) or Path(location).exists():
                found.append(location)
        return found

    def add(self, path: Location) -> None:
        key = str(path) if isinstance(path, ServerAddress) else str(Path(path).resolve())
        items = [str(p) for p in self.paths() if str(p) != key]
        self.settings.setValue(KEY, [key, *items][:LIMIT])
