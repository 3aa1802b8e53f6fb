"""Hostile copies of real workbooks given to the three importers, and what each may answer.

The bases are real: a plan exported from the demo workspace (``cspdesk export-xlsx``), a
partner return made from it (``cspdesk returns make``) and a police figures workbook. A
mutation changes XML bytes, puts a number at the float limits in a date-formatted cell, points
a cell's style nowhere or a style at an undeclared number format, or puts hostile text in a
cell (the return's hidden stamp sheet included). The importer then either
imports cleanly, or refuses in one line with the workspace unchanged; anything else (a
traceback, a Rust panic, a changed workspace, several lines of refusal) is a finding.

CSPDESK_IMPORT_FUZZ_EXAMPLES sets the cases per importer (default 8, the same on every run
unless CSPDESK_FUZZ_RANDOM=1). With CSPDESK_IMPORT_FUZZ_SAVE=DIR every finding is saved to DIR
and counted instead of failing the test: how the corpus under tests/data/hostile was gathered.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cspdesk.cli import main
from tests.io.fuzzing import build, mutated_xml
from tests.io.plan_layouts import rag_as_fill_only
from tests.io.test_figures_read import police_summary_workbook

EXAMPLES = int(os.environ.get("CSPDESK_IMPORT_FUZZ_EXAMPLES", "8"))
SAVE = os.environ.get("CSPDESK_IMPORT_FUZZ_SAVE")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CSPDESK_FUZZ_RANDOM") != "1",
    suppress_health_check=list(HealthCheck),
)
# What is imported: "plan-fills" is a plan giving its RAG as cell colour (its fills are read).
KINDS = ("plan", "plan-fills", "return", "figures")
# Around the float limits, and just past the dates Excel shows (31 Dec 9999 is 2958465).
LIMITS = ["-1e308", "1e308", "1e309", "-1e309", "-inf", "inf", "NaN", "nan", "2958466", "1e11",
          "-1e11", "1.7976931348623157e308", "5e-324", "-1"]  # fmt: skip
FORMAT_IDS = ["999", "164", "200", "-1", "x", "4294967296"]
TEXTS = ["NaN", "-inf", "1e309", "-1e308", "{}", "[", '{"a": NaN}', "null", "=1+1", "\u202e",
         "x" * 40_000, "31/02/2016", "0", "-1", "Q9", "2016/17"]  # fmt: skip
_TEXT = re.compile(rb"(<(?:\w+:)?t(?:\s[^>]*)?>)([^<]*)(</(?:\w+:)?t>)")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ROW_END = re.compile(rb"</sheetData>")
found: Counter[str] = Counter()  # outcomes of this run, printed by the tests with -s


@dataclass(frozen=True)
class Bases:
    """The real workbooks and the workspaces they are imported into."""

    folder: Path
    demo: Path  # the demo workspace: returns and figures are merged into it
    empty: Path  # an empty workspace: the plan is imported into it as a new plan
    workbooks: dict[str, Path]

    def workspace(self, kind: str) -> Path:
        return self.empty if importer_of(kind) == "plan" else self.demo

    def parts(self, kind: str) -> dict[str, bytes]:
        with zipfile.ZipFile(self.workbooks[kind]) as archive:
            return {name: archive.read(name) for name in archive.namelist()}


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def make_bases(folder: Path) -> Bases:
    demo, empty = folder / "demo.cspdesk", folder / "empty.cspdesk"
    for args in (
        ["demo", "--db", str(demo)],
        ["new", "--db", str(empty), "--name", "Vale CSP"],
        ["export-xlsx", "--db", str(demo), "-o", str(folder / "plan.xlsx")],
        ["returns", "make", "--db", str(demo), "--quarter", "Q1", "-o", str(folder / "returns")],
    ):
        code, _, err = _run(*args)
        assert code == 0, err
    a_return = folder / "returns" / "2016-17 Q1 return – Essex Police.xlsx"
    workbooks = {
        "plan": folder / "plan.xlsx",
        "plan-fills": rag_as_fill_only(folder / "colours.xlsx"),
        "return": a_return,
        "figures": police_summary_workbook(folder / "figures.xlsx"),
    }
    return Bases(folder, demo, empty, workbooks)


def importer_of(kind: str) -> str:
    return kind.split("-", 1)[0]


def importer(kind: str, workbook: Path, workspace: Path) -> list[str]:
    kind = importer_of(kind)
    if kind == "plan":
        return ["import-plan", "--db", str(workspace), str(workbook)]
    if kind == "return":
        return ["returns", "apply", "--db", str(workspace), str(workbook)]
    return ["figures", "import", "--db", str(workspace), str(workbook)]


def check_import(bases: Bases, kind: str, workbook: Path, work: Path) -> str:
    """Import ``workbook`` into a fresh copy of its workspace; "imported" or "refused", or an
    AssertionError (or whatever escaped the importer) for a finding."""
    workspace = work / "workspace.cspdesk"
    shutil.copyfile(bases.workspace(kind), workspace)
    before = workspace.read_bytes()
    code, out, err = _run(*importer(kind, workbook, workspace))
    said = out + err
    assert "Traceback" not in said and "panicked" not in said, said
    # returns apply says 2 when it merged what it could and left something to the officer
    left_for_you = importer_of(kind) == "return" and code == 2
    assert code in (0, 1) or left_for_you, said
    if code == 0 or left_for_you:
        return "imported"
    assert workspace.read_bytes() == before, f"refused, but the workspace changed: {said}"
    refusals = [line for line in said.splitlines() if line.startswith(("cspdesk: ", "refused: "))]
    # The figures import lists the cells it cannot read, each named, before one refusal line.
    assert len(refusals) == 1, said
    assert workbook.name in refusals[0], said
    return "refused"


def judged(bases: Bases, kind: str, data: bytes, work: Path, how: str) -> None:
    """``check_import`` on ``data``; with CSPDESK_IMPORT_FUZZ_SAVE a finding is saved and
    counted instead of raised."""
    work.mkdir(parents=True, exist_ok=True)
    workbook = work / f"{kind}-{how}.xlsx"
    workbook.write_bytes(data)
    try:
        found[f"{kind}: {check_import(bases, kind, workbook, work)}"] += 1
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        if SAVE is None:
            raise
        cause = f"{type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}"
        found[f"{kind}: FINDING {cause}"] += 1
        keep = Path(SAVE)
        keep.mkdir(parents=True, exist_ok=True)
        number = sum(1 for _ in keep.glob(f"{kind}-*.xlsx"))
        shutil.copyfile(workbook, keep / f"{kind}-{how}-{number:03d}.xlsx")


def _xf_count(styles: bytes) -> int:
    inside = styles.split(b"<cellXfs", 1)[-1].split(b"</cellXfs>", 1)[0]
    return len(re.findall(rb"<xf\b", inside))


def _with_date_style(styles: bytes) -> tuple[bytes, int]:
    """``styles`` with one more cell style, a date (built-in format 14), and its index."""
    index = _xf_count(styles)
    extra = b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
    return styles.replace(b"</cellXfs>", extra + b"</cellXfs>", 1), index


def _set_cell(sheet: bytes, pick: int, value: bytes | None, style: str | None) -> bytes:
    """The ``pick``-th cell (modulo their number) holding ``value`` (when given) with style
    ``style`` (when given); a new row holding it when the sheet has no cell."""
    cells = list(_CELL.finditer(sheet))
    if not cells:
        s = f' s="{style}"' if style is not None else ""
        cell = (
            b'<row r="60"><c r="B60"' + s.encode() + b"><v>" + (value or b"1") + b"</v></c></row>"
        )
        return _ROW_END.sub(cell + b"</sheetData>", sheet, count=1)
    match = cells[pick % len(cells)]
    attributes = match.group(1)
    content = match.group(2) or b""
    if value is not None:
        attributes = re.sub(rb'\s(?:t|s)="[^"]*"', b"", attributes)
        content = b"<v>" + value + b"</v>"
    if style is not None:
        attributes = re.sub(rb'\ss="[^"]*"', b"", attributes) + f' s="{style}"'.encode()
    return (
        sheet[: match.start()]
        + b"<c"
        + attributes
        + b">"
        + content
        + b"</c>"
        + sheet[match.end() :]
    )


@st.composite
def hostile(draw: st.DrawFn, parts: dict[str, bytes]) -> tuple[str, bytes]:
    """(what was done, the mutated workbook's bytes) from a real workbook's ``parts``."""
    parts = dict(parts)
    sheets = sorted(n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    how = draw(
        st.sampled_from(["xml", "date-limit", "date-limit", "style-nowhere", "format", "text"])
    )
    if how == "xml":
        name = draw(st.sampled_from(sorted(n for n in parts if n.endswith((".xml", ".rels")))))
        parts[name] = draw(mutated_xml(parts[name]))
    elif how == "date-limit":
        parts["xl/styles.xml"], index = _with_date_style(parts["xl/styles.xml"])
        sheet = draw(st.sampled_from(sheets))
        for _ in range(draw(st.integers(1, 3))):
            value = draw(st.sampled_from(LIMITS)).encode()
            parts[sheet] = _set_cell(parts[sheet], draw(st.integers(0, 10**6)), value, str(index))
    elif how == "style-nowhere":
        count = _xf_count(parts["xl/styles.xml"])
        style = draw(st.sampled_from([str(count), str(count + 7), "999", "65535", "-1", "x"]))
        sheet = draw(st.sampled_from(sheets))
        parts[sheet] = _set_cell(parts[sheet], draw(st.integers(0, 10**6)), None, style)
    elif how == "text":  # a text (shared or in the cell) replaced, the stamp sheet's too
        holders = sorted(n for n in parts if n.endswith(".xml") and _TEXT.search(parts[n]))
        name = draw(st.sampled_from(holders))
        texts = list(_TEXT.finditer(parts[name]))
        chosen = texts[draw(st.integers(0, len(texts) - 1))]
        text = draw(st.sampled_from(TEXTS)).encode("utf-8")
        data = parts[name]
        parts[name] = data[: chosen.start(2)] + text + data[chosen.end(2) :]
    else:  # a cell style pointing at a number format the workbook never declares
        styles = parts["xl/styles.xml"]
        head, _, rest = styles.partition(b"<cellXfs")
        xfs = list(re.finditer(rb'numFmtId="[^"]*"', rest))
        if xfs:
            chosen = xfs[draw(st.integers(0, len(xfs) - 1))]
            number = draw(st.sampled_from(FORMAT_IDS)).encode()
            rest = rest[: chosen.start()] + b'numFmtId="' + number + b'"' + rest[chosen.end() :]
        parts["xl/styles.xml"] = head + b"<cellXfs" + rest if rest else styles
    return how, build(parts)
