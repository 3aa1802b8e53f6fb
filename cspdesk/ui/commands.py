"""Undo commands: each wraps one core Change, already applied when it is pushed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from cspdesk.core.plan.ops import Change


class AppliedChange(QUndoCommand):
    """One undo step over a Change that was committed before the push.

    The first redo (which QUndoStack.push calls) does nothing; after that undo and redo each
    commit the stored change's inverse and keep the inverse's own Change for the next step.
    ``apply`` returns None when it refused the step (a closed quarter, a read-only plan): the
    change stays as it was, and ``refused(undoing)`` is told so that it can move the stack
    back over this command, which then does nothing.
    """

    def __init__(
        self,
        change: Change,
        apply: Callable[[Change], Change | None],
        text: str | None = None,
        refused: Callable[[bool], None] | None = None,
    ) -> None:
        super().__init__(text or change.describe())
        self._change = change
        self._apply = apply
        self._refused = refused
        self._skip = True  # the push's redo: the change is already applied

    def redo(self) -> None:
        self._step(undoing=False)

    def undo(self) -> None:
        self._step(undoing=True)

    def _step(self, *, undoing: bool) -> None:
        if self._skip:
            self._skip = False
            return
        result = self._apply(self._change)
        if result is None:
            self._skip = True  # the stack steps back over this command: nothing to apply
            if self._refused is not None:
                self._refused(undoing)
            return
        self._change = result
