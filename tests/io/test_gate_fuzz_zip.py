"""Fuzz the gate with mutated zip bytes (bits flipped, bytes overwritten, truncated): only
ImportRefused may escape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.io.fuzzing import FUZZ, build, read_or_refuse


@FUZZ
@given(data=st.data())
def test_mutated_zip_bytes(
    base_parts: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    raw = bytearray(build(base_parts))
    for _ in range(data.draw(st.integers(1, 8))):
        kind = data.draw(st.sampled_from(["flip", "truncate", "bytes"]))
        position = data.draw(st.integers(0, len(raw) - 1))
        if kind == "flip":
            raw[position] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "truncate":
            del raw[position:]
            if not raw:
                break
        else:
            chunk = data.draw(st.binary(min_size=1, max_size=8))
            raw[position : position + len(chunk)] = chunk
    read_or_refuse(tmp_path_factory.getbasetemp() / "fuzz-zip.xlsx", bytes(raw))
