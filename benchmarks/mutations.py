"""Are core's rules pinned? Break each one in turn and see whether a test notices.

    python -m benchmarks.mutations [NAME ...]

Each mutation is one small, plausible mistake in a rule (the agreed RAG ignored, the batch policy
switched off, equal ranks read as worse ...), applied to a copy of the source in a temporary
folder (the checkout is never touched), with the core tests that should fail run against it.
A mutation whose tests still pass "survives": the rule it breaks is not pinned. Exit status 1
when any survives. (mutmut over the whole of core takes hours on this machine; these are the
rules that matter, chosen by hand.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE_TESTS = ("tests/core/quarter",)


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...] = RULE_TESTS


MUTATIONS = (
    Mutation(
        "agreed RAG ignored",
        "cspdesk/core/quarter/rule.py",
        "        found = agreed.get(q)\n",
        "        found = None\n",
    ),
    Mutation(
        "most favourable proposed",
        "cspdesk/core/quarter/rule.py",
        "    least = min(codes, key=lambda code: _rank_key(code, classes))",
        "    least = max(codes, key=lambda code: _rank_key(code, classes))",
    ),
    Mutation(
        "carried shown as this quarter's",
        "cspdesk/core/quarter/rule.py",
        "            return rag if q == quarter else QuarterRag(rag.code, CARRIED, q)",
        "            return rag",
    ),
    Mutation(
        "summary not printed",
        "cspdesk/core/quarter/rule.py",
        "    if summary.strip():\n        return summary.strip()",
        "    if False:\n        return summary.strip()",
    ),
    Mutation(
        "disagreement not marked",
        "cspdesk/core/quarter/rule.py",
        "    return QuarterRag(least, PROPOSED, opinions=tuple(rated))",
        "    return QuarterRag(least, PROPOSED)",
    ),
    Mutation(
        "optimistic check ignores the RAG",
        "cspdesk/core/quarter/contributions.py",
        "else (value.text, value.rag)",
        "else (value.text, None)",
        ("tests/core/quarter/test_contributions.py",),
    ),
    Mutation(
        "batch policy off",
        "cspdesk/returns/diff.py",
        "    for diff in diffs:\n        for change in diff.changes:\n            other",
        "    for diff in []:\n        for change in diff.changes:\n            other",
        ("tests/returns/test_batch_policy.py",),
    ),
    Mutation(
        "equal ranks read as worse",
        "cspdesk/core/quarter/direction.py",
        "    return Trend.WORSENED if new < old else Trend.SAME",
        "    return Trend.WORSENED if new <= old else Trend.SAME",
    ),
    Mutation(
        "due today is overdue",
        "cspdesk/core/quarter/as_at.py",
        "due_date is not None and due_date < day",
        "due_date is not None and due_date <= day",
        ("tests/core/test_as_at.py", "tests/core/test_checks.py"),
    ),
    Mutation(
        "a closed quarter is open",
        "cspdesk/core/quarter/guards.py",
        "    return Snapshot.plan_id == plan_id, Snapshot.is_open.is_(False)",
        "    return Snapshot.plan_id == plan_id, Snapshot.is_open.is_(None)",
        ("tests/core/test_guards.py", "tests/core/quarter/test_closed.py"),
    ),
    Mutation(
        "undo may reopen a quarter",
        "cspdesk/core/quarter/guards.py",
        "        if change.closes_quarter:",
        "        if False:",
        ("tests/core/test_guards.py",),
    ),
    Mutation(
        "pence rounded down",
        "cspdesk/core/funding/money.py",
        "rounding=ROUND_HALF_UP",
        "rounding=ROUND_DOWN",
        ("tests/core/test_money.py",),
    ),
    Mutation(
        "a spend dated outside its plan's year",
        "cspdesk/core/funding/spend_dates.py",
        "    if first <= spent_on <= last:\n",
        "    if first <= spent_on:\n",
        ("tests/core/test_spend_dates.py",),
    ),
    Mutation(
        "a new spend dated today whatever the year",
        "cspdesk/core/funding/spend_dates.py",
        "    if first <= today <= last:\n",
        "    if True:\n",
        ("tests/core/test_spend_dates.py",),
    ),
)


def run(mutation: Mutation, *, control: bool = False) -> bool:
    """True when the tests caught the mutation (they failed); ``control`` runs them unmutated."""
    source = (ROOT / mutation.path).read_text(encoding="utf-8")
    if control:
        mutation = Mutation(
            mutation.name, mutation.path, mutation.old, mutation.old, mutation.tests
        )
    if source.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.name}: the code it mutates has changed ({mutation.path})")
    with tempfile.TemporaryDirectory(prefix="cspdesk-mutation-") as folder:
        copy = Path(folder)
        for part in ("cspdesk", "tests", "resources"):
            shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
        mutated = source.replace(mutation.old, mutation.new)
        (copy / mutation.path).write_text(mutated, encoding="utf-8")
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutation.tests],
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
        )
    return tests.returncode != 0


def main(names: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not names or m.name in names]
    for tests in {m.tests: m for m in chosen}.values():
        if run(tests, control=True):
            raise SystemExit(f"the tests fail without any mutation: {' '.join(tests.tests)}")
    survivors = []
    for mutation in chosen:
        start = time.perf_counter()
        caught = run(mutation)
        took = time.perf_counter() - start
        print(f"{'caught  ' if caught else 'SURVIVED'}  {mutation.name}  ({took:.0f} s)")
        if not caught:
            survivors.append(mutation.name)
    print(f"{len(chosen) - len(survivors)} of {len(chosen)} caught")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
