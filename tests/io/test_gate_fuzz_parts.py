"""Fuzz the gate with mutated XML parts (bytes changed, parts dropped or swapped): only
ImportRefused may escape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.io.fuzzing import FUZZ, build, mutated_xml, read_or_refuse


@FUZZ
@given(data=st.data())
def test_mutated_parts(
    base_parts: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    parts = dict(base_parts)
    names = sorted(parts)
    action = data.draw(st.sampled_from(["mutate", "mutate", "mutate", "drop", "swap"]))
    name = data.draw(st.sampled_from(names))
    if action == "mutate":
        parts[name] = data.draw(mutated_xml(parts[name]))
    elif action == "drop":
        del parts[name]
    else:
        other = data.draw(st.sampled_from(names))
        parts[name], parts[other] = parts[other], parts[name]
    read_or_refuse(tmp_path_factory.getbasetemp() / "fuzz-parts.xlsx", build(parts))
