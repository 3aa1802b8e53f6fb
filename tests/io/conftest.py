"""Fixtures for the io tests."""

from __future__ import annotations

import zipfile

import pytest

from tests.io.workbooks import make_workbook


@pytest.fixture(scope="session")
def base_parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The parts of a small valid workbook, by name (the fuzz tests mutate them)."""
    path = make_workbook(tmp_path_factory.mktemp("fuzz") / "base.xlsx", rows=6)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
