"""The cyclic garbage collector paused while a batch of returns is made, read or merged.

A batch builds some hundreds of thousands of small objects (rows, cells, changes) that mostly
live until the batch ends; the collector would walk them all again each time it runs, about a
fifth of the batch's time, to find next to nothing. Reference counting still frees what is
dropped; the collector runs again as usual once the batch is over.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from cspdesk.core.workspace.plan_tree import paused_gc

P = ParamSpec("P")
R = TypeVar("R")


def collect_young() -> None:
    """Free the cycles made since the last collection (while paused: a file's objects once
    it is written; those of earlier files have been walked already and are left alone)."""
    gc.collect(0)


def without_collector(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the cyclic collector paused (left paused when it already was)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return function(*args, **kwargs)

    return run
