"""The hostile workbooks the import fuzz found (and those of issue #29), kept in
tests/data/hostile: each is imported cleanly or refused in one line, the workspace unchanged.

A file's name starts with its importer: plan-, return- or figures-. The returns were made by
issued-returns.cspdesk (the demo workspace), which they are merged into; figures go into it too,
and a plan into a new empty workspace.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cspdesk.store.db import Workspace
from tests.cli.import_fuzz import Bases, _run, check_import, importer_of

CORPUS = Path(__file__).parent.parent / "data" / "hostile"
FILES = sorted(CORPUS.glob("*.xlsx"))


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Bases:
    folder = tmp_path_factory.mktemp("corpus-bases")
    demo, empty = folder / "demo.cspdesk", folder / "empty.cspdesk"
    shutil.copyfile(CORPUS / "issued-returns.cspdesk", demo)
    Workspace.open(demo).close()  # upgraded to today's schema first, not by the import
    code, _, err = _run("new", "--db", str(empty), "--name", "Vale CSP")
    assert code == 0, err
    return Bases(folder, demo, empty, {})


def test_the_corpus_holds_every_kind() -> None:
    assert {importer_of(f.name) for f in FILES} == {"plan", "return", "figures"}


@pytest.mark.parametrize("workbook", FILES, ids=[f.stem for f in FILES])
def test_hostile_workbook(bases: Bases, workbook: Path, tmp_path: Path) -> None:
    kind = importer_of(workbook.name)
    copy = tmp_path / workbook.name
    shutil.copyfile(workbook, copy)
    assert check_import(bases, kind, copy, tmp_path) == "refused"
