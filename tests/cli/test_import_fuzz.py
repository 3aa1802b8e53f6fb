"""Fuzz the three importers with hostile copies of real workbooks (tests/cli/import_fuzz.py):
each imports cleanly or refuses in one line, the workspace unchanged; never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.cli.import_fuzz import FUZZ, KINDS, Bases, found, hostile, judged, make_bases


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Bases:
    return make_bases(tmp_path_factory.mktemp("fuzz-bases"))


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_workbooks_are_imported_or_refused_in_one_line(
    bases: Bases, tmp_path_factory: pytest.TempPathFactory, kind: str
) -> None:
    parts = bases.parts(kind)
    work = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @FUZZ
    @given(case=hostile(parts))
    def importing(case: tuple[str, bytes]) -> None:
        how, data = case
        judged(bases, kind, data, work, how)

    importing()
    print(dict(sorted(found.items())))
