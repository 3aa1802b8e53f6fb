"""Shared parts of the gate fuzz tests: settings, the base workbook, mutations.

CSPDESK_FUZZ_EXAMPLES sets the number of cases per test (default 1000; two tests); the cases
are the same on every run unless CSPDESK_FUZZ_RANDOM=1.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cspdesk.io.gate import ImportRefused, open_workbook, read_rows

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


def build(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_or_refuse(path: Path, data: bytes) -> None:
    """Both ways readers use the gate: streaming read_rows, and a full load read cell by cell."""
    path.write_bytes(data)
    with contextlib.suppress(ImportRefused):
        read_rows(path, max_rows=5000)
    with contextlib.suppress(ImportRefused):
        workbook = open_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                str(row)


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
