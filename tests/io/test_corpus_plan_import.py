"""The plan import itself over a fixed sample of the real-world corpus: every file is imported
or refused with our own one-line error (the whole corpus: benchmarks/corpus_plan_import.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.store.db import Workspace
from tests.io.test_corpus import corpus_files

SAMPLE = corpus_files()[::17]


@pytest.mark.skipif(not SAMPLE, reason="no corpus beside the repository")
def test_plan_import_refuses_or_reads_every_sampled_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "corpus.cspdesk"
    Workspace.create(db, "Corpus CSP").close()
    before = db.read_bytes()
    for path in SAMPLE:
        code = main(["import-plan", str(path), "--db", str(db), "--dry-run", "--year", "2016/17"])
        err = capsys.readouterr().err
        assert code in (0, 1), path.name
        if code == 1:
            assert err.startswith(f"cspdesk: {path.name}"), (path.name, err[:300])
    assert db.read_bytes() == before  # a dry run writes nothing
