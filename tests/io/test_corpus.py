"""The real-world corpus (../shared/corpus beside the repository): every file imports or is
refused with ImportRefused, in bounded time.

CI runs a fixed sample: every hostile-looking file and every 12th of the rest. The whole corpus,
each file in its own process with time and memory measured: benchmarks/corpus_run.py.
CSPDESK_CORPUS points elsewhere; CSPDESK_CORPUS_ALL=1 runs every file here.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from cspdesk.io.gate import ImportRefused, read_rows

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("CSPDESK_CORPUS", REPO.parent / "shared" / "corpus"))
HOSTILE_MARKS = ("clusterfuzz", "crash-", "poc-", "bomb", "protect", "pass", "54764", "issue")
SECONDS_PER_FILE = 20
MEMORY_GROWTH_MB = 400


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*.xls*") if p.is_file())


def sample(files: list[Path]) -> list[Path]:
    if os.environ.get("CSPDESK_CORPUS_ALL") == "1":
        return files
    hostile = [p for p in files if any(mark in p.name.lower() for mark in HOSTILE_MARKS)]
    rest = [p for p in files if p not in hostile]
    return hostile + rest[::12]


FILES = sample(corpus_files())


@pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}")
def test_corpus_sample_imports_or_is_refused() -> None:
    outcomes = {"imported": 0, "refused": 0}
    slowest = (0.0, "")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for path in FILES:
        started = time.perf_counter()
        try:
            read_rows(path)
            outcomes["imported"] += 1
        except ImportRefused as error:
            assert error.path == path and error.reason
            outcomes["refused"] += 1
        elapsed = time.perf_counter() - started
        assert elapsed < SECONDS_PER_FILE, f"{path.name} took {elapsed:.1f} s"
        slowest = max(slowest, (elapsed, path.name))
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    assert growth < MEMORY_GROWTH_MB
    assert sum(outcomes.values()) == len(FILES)
    assert outcomes["refused"] >= 5  # the sample holds hostile files: the gate must act
    print(f"{len(FILES)} corpus files {outcomes}; slowest {slowest[1]} {slowest[0]:.2f} s")


@pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}")
def test_known_hostile_files_get_our_messages() -> None:
    names = {p.name: p for p in corpus_files()}
    expected = {
        "poc-xmlbomb.xlsx": "XML bomb",
        "54764.xlsx": "XML bomb",
        "protected_passtika.xlsx": "password",
        "pass_protected.xlsx": "password",
    }
    for name, words in expected.items():
        if name not in names:
            continue
        with pytest.raises(ImportRefused, match=words):
            read_rows(names[name])
