"""Edits typed while a shared plan's server was not answering: kept, never shown as saved,
and offered again ("Save now") once it answers."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class HeldEdit:
    """One edit the server did not take. ``retry`` makes it again as the user made it (with
    what they saw then, so a colleague's change since is refused, not overwritten)."""

    key: Hashable  # what it edits: a newer edit of the same thing replaces it
    what: str  # "the action's title"
    text: str  # what the user typed, as they will recognise it
    retry: Callable[[], bool]  # True: saved


class UnsavedEdits(QObject):
    """The held edits of one open plan, oldest first."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edits: dict[Hashable, HeldEdit] = {}

    def __len__(self) -> int:
        return len(self._edits)

    @property
    def edits(self) -> list[HeldEdit]:
        return list(self._edits.values())

    def hold(self, edit: HeldEdit) -> None:
        self._edits.pop(edit.key, None)
        self._edits[edit.key] = edit
        self.changed.emit()

    def drop(self, key: Hashable) -> None:
        """A newer edit of the same thing was saved: the held one is out of date."""
        if self._edits.pop(key, None) is not None:
            self.changed.emit()

    def save_now(self) -> int:
        """Make every held edit again; one the server still does not take is held again, one
        refused (a colleague's change since) says so. How many were saved."""
        edits, self._edits = self.edits, {}
        self.changed.emit()
        return sum(bool(edit.retry()) for edit in edits)

    def take_all(self) -> list[HeldEdit]:
        """Give up the held edits (the caller keeps their words elsewhere)."""
        edits, self._edits = self.edits, {}
        self.changed.emit()
        return edits

    def describe(self) -> str:
        """One line an edit: the thing, then the words typed."""
        return "\n".join(f"{edit.what}: {edit.text}" for edit in self._edits.values())


def not_saved_message(reason: str, held: HeldEdit | None, error_text: str) -> str:
    """The box for a save the server did not take: what became of it and of the typing.

    A connection lost as the save was committed leaves it unknown whether it was saved (the
    store says so in ``error_text``); "Save now" is safe either way, as a repeat saves nothing.
    """
    uncertain = "may or may not have been saved" in error_text
    if held is not None:
        said = (
            f"The connection was lost as your change was being saved ({reason}): it may or "
            "may not have been saved."
            if uncertain
            else f"Not saved: {reason}."
        )
        return (
            f"{said}\n\nWhat you typed is kept: {held.text}\n\nIt is offered again with "
            "“Save now” at the foot of the window once the server answers."
        )
    if uncertain:
        return (
            f"The connection was lost as the change was being saved ({reason}): it may or may "
            "not have been saved. Look again once the server answers."
        )
    sentence = f"{reason[0].upper()}{reason[1:]}"
    return f"{sentence}; nothing was changed. Try again once the server answers."
