"""Fuzz the gate: mutated workbooks (zip bytes, XML bytes, parts dropped or swapped) either
read or are refused with ImportRefused; nothing else may escape.

CSPDESK_FUZZ_EXAMPLES sets the number of cases per test (default 1000, two tests); the cases
are the same on every run unless CSPDESK_FUZZ_RANDOM=1.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspdesk.io.gate import ImportRefused, read_rows
from tests.io.workbooks import make_workbook

EXAMPLES = int(os.environ.get("CSPDESK_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CSPDESK_FUZZ_RANDOM") != "1",
    suppress_health_check=list(HealthCheck),
)
TOKENS = [
    b"<",
    b">",
    b"&",
    b'"',
    b"&amp;",
    b"<!DOCTYPE x>",
    b"]]>",
    b"\x00",
    b"\xff\xfe",
    b'r="XFD1048576"',
    b'r="A0"',
    b'r="1048576"',
    b't="s"',
    b"<v>99999999</v>",
    b"<v>-1</v>",
    b"<v>1e308</v>",
    b"<v>NaN</v>",
    b'ref="A1:XFD1048576"',
    b"</sheetData>",
    b"<row>",
    b"<c>",
    b"<f>SUM(A1)</f>",
    b's="999"',
    b'numFmtId="14"',
    b'count="-1"',
    b"\xf0\x9f\x92\xa9",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = make_workbook(tmp_path_factory.mktemp("fuzz") / "base.xlsx", rows=6)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def build(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_or_refuse(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    with contextlib.suppress(ImportRefused):
        read_rows(path, max_rows=5000)


@st.composite
def mutated_xml(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 64)))
        kind = draw(st.sampled_from(["replace", "delete", "insert", "token", "duplicate"]))
        if kind == "replace":
            data = data[:start] + draw(st.binary(max_size=16)) + data[end:]
        elif kind == "delete":
            data = data[:start] + data[end:]
        elif kind == "insert":
            data = data[:start] + draw(st.binary(min_size=1, max_size=8)) + data[start:]
        elif kind == "token":
            data = data[:start] + draw(st.sampled_from(TOKENS)) + data[end:]
        else:
            data = data[:start] + data[start:end] * draw(st.integers(2, 50)) + data[end:]
    return data


@FUZZ
@given(data=st.data())
def test_mutated_parts(
    base: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    parts = dict(base)
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


@FUZZ
@given(data=st.data())
def test_mutated_zip_bytes(
    base: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    raw = bytearray(build(base))
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
