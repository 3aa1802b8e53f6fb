"""Reading or writing a whole plan without cycle collection."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cycle collection while a plan is read or written: that makes hundreds of thousands of
    objects and no garbage cycles worth finding, and each full collection walks them all (a
    tenth of a 10,000-action import). Collection resumes, as it was, when the work ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
