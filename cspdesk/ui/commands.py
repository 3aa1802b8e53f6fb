"""Undo commands: each wraps one core Change, already applied when it is pushed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from cspdesk.core.ops import Change


class AppliedChange(QUndoCommand):
    """One undo step over a Change that was committed before the push.

    The first redo (which QUndoStack.push calls) does nothing; after that undo and redo each
    commit the stored change's inverse and keep the inverse's own Change for the next step.
    """

    def __init__(
        self, change: Change, apply: Callable[[Change], Change], text: str | None = None
    ) -> None:
        super().__init__(text or change.describe())
        self._change = change
        self._apply = apply
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._change = self._apply(self._change)

    def undo(self) -> None:
        self._change = self._apply(self._change)
