"""The cyclic collector is paused for a batch of returns and always set back as it was."""

from __future__ import annotations

import gc

import pytest

from cspdesk.returns.collector import without_collector


@without_collector
def _batch(fail: bool = False) -> bool:
    if fail:
        raise ValueError("a refused return")
    return gc.isenabled()


def test_paused_inside_and_running_again_after_even_on_error() -> None:
    assert gc.isenabled()
    assert _batch() is False
    assert gc.isenabled()
    with pytest.raises(ValueError):
        _batch(fail=True)
    assert gc.isenabled()


def test_left_paused_when_the_caller_paused_it() -> None:
    gc.disable()
    try:
        assert _batch() is False
        assert not gc.isenabled()
    finally:
        gc.enable()
