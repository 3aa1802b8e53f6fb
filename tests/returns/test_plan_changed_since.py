"""A return is read against the plan text it showed, not the plan as the officer has edited it
since: renaming an action or moving a milestone's due date after making the returns is never
reported as the partner's edit, and rows sorted apart from their IDs are still placed by the
text the partner saw. Through `cspdesk returns make` and `returns apply`, as an officer runs them.

The All partners Q1 return of the conftest plan: row 2 is action A1 ("Actively promote Essex
wide campaigns"), rows 3 and 4 its milestones M1 ("Campaign one launched", due 30/06/2016,
done 20/06/2016) and M2 ("Campaign two launched", due 31/12/2016); columns C, E, G, H and I
are the title, the timescale, the update, the RAG and the done date.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Mapping
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cspdesk.core.plan import ops
from cspdesk.io.gate import ImportRefused
from cspdesk.returns.layout import PLAN_KEYS, ShownPlan, decode_manifest
from cspdesk.returns.moved import plan_cells, plan_stamps, plan_text, row_stamp, split_stamp
from cspdesk.returns.read import read_return
from cspdesk.returns.scope import ActionRow, MilestoneRow
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.returns.test_rows_moved import swap_visible

pytestmark = pytest.mark.both_engines

ALL = "2016-17 Q1 return – All partners.xlsx"
A1, M1, M2 = 1, 1, 2
OLD_TITLE = "Actively promote Essex wide campaigns"
NEW_TITLE = "Promote the Essex-wide domestic abuse campaigns"


def make(db: str, out: Path) -> Path:
    made = run_cli("returns", "make", "--db", db, "--quarter", "Q1", "-o", str(out))
    assert made.returncode == 0, made.stdout + made.stderr
    return out / ALL


def officer_edits(location: Location) -> None:
    """The officer renames A1 and M2 and moves M2's due date, after making the returns."""
    with Workspace.open(location) as workspace:
        workspace.write(lambda s: ops.edit_field(s, "action", A1, "title", NEW_TITLE))
        workspace.write(lambda s: ops.edit_field(s, "milestone", M2, "title", "Campaign two run"))
        workspace.write(
            lambda s: ops.edit_field(s, "milestone", M2, "due_date", dt.date(2017, 2, 28))
        )


def fill(path: Path, cells: Mapping[str, object], *, sort_milestones: bool = False) -> None:
    book = load_workbook(path)
    sheet = book["Actions"]
    if sort_milestones:
        sheet.protection.sheet = False
        swap_visible(sheet, 3, 4)  # row 3 (M1's hidden ID) now shows M2's text
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)


def apply(db: str, path: Path) -> tuple[int, str]:
    applied = run_cli("returns", "apply", "--db", db, str(path))
    return applied.returncode, applied.stdout + applied.stderr


def returned_after_renames(
    location: Location,
    tmp_path: Path,
    cells: Mapping[str, object],
    *,
    sort: bool = False,
    older: bool = False,
    renames: bool = True,
) -> tuple[str, int, str]:
    """Make the returns (``older``: as cspdesk wrote them before the plan's digests), let the
    officer edit the plan, fill the All partners return with ``cells`` and merge it: the
    workspace, the exit status and what `returns apply` said."""
    db = str(location)
    path = make(db, tmp_path / "out")
    if older:
        without_plan_digests(path)
    if renames:
        officer_edits(location)
    fill(path, cells, sort_milestones=sort)
    return db, *apply(db, path)


def plan_now(db: str) -> dict:  # type: ignore[type-arg]
    """A1 as `export-json` prints it."""
    dump = run_cli("export-json", "--db", db)
    assert dump.returncode == 0, dump.stderr
    (plan,) = json.loads(dump.stdout)["plans"]
    return next(
        action
        for priority in plan["priorities"]
        for objective in priority["objectives"]
        for action in objective["actions"]
        if action["id"] == A1
    )


def said(action: dict) -> tuple[str, str | None]:  # type: ignore[type-arg]
    (words,) = [c for c in action["contributions"] if c["quarter"] == 1]
    return words["text"], words["rag"]


def done_dates(action: dict) -> dict[int, str | None]:  # type: ignore[type-arg]
    return {m["id"]: m["done_date"] for m in action["milestones"]}


def test_an_officers_renames_after_making_are_not_the_partners_edits(
    workspace_path: Location, tmp_path: Path
) -> None:
    words = {"G2": "Both campaigns promoted on social media", "H2": "Amber"}
    db, code, out = returned_after_renames(
        workspace_path, tmp_path, {**words, "I4": dt.datetime(2016, 6, 28)}
    )
    assert code == 0, out
    assert "the plan's" not in out and "not merged" not in out, out
    assert "  merged 3 changes" in out, out
    action = plan_now(db)
    assert action["title"] == NEW_TITLE  # the officer's rename stands
    assert said(action) == ("Both campaigns promoted on social media", "A")
    assert done_dates(action)[M2] == "2016-06-28"


def test_rows_sorted_apart_from_their_ids_are_placed_by_the_text_the_return_showed(
    workspace_path: Location, tmp_path: Path
) -> None:
    # M2's title and due date are no longer what row 3 shows.
    filled = {"I3": dt.datetime(2016, 9, 28), "H3": "Blue"}
    db, code, out = returned_after_renames(workspace_path, tmp_path, filled, sort=True)
    assert code == 0, out
    assert (
        "row 3 shows milestone 2's text but milestone 1's hidden ID (sorted without the hidden "
        "column?): read as milestone 2" in out
    ), out
    assert "the plan's" not in out and "cannot be placed" not in out, out
    action = plan_now(db)
    assert done_dates(action) == {M1: "2016-06-20", M2: "2016-09-28"}
    assert {m["id"]: m["rag"] for m in action["milestones"]}[M2] == "B"


def test_a_partners_own_edit_of_the_plan_text_is_still_noted(
    workspace_path: Location, tmp_path: Path
) -> None:
    # The partner rewrites A1's title (which the officer renamed too) and M1's due date.
    typed = {"C2": f"{OLD_TITLE} (Rochford only)", "E3": "31/07/2016", "G2": "Promoted"}
    db, code, out = returned_after_renames(workspace_path, tmp_path, typed)
    assert code == 2, out
    assert (
        "note: sheet 'Actions', row 2, column C: the plan's 'Action / milestone' was changed in "
        f"the return to '{OLD_TITLE} (Rochford only)'" in out
    ), out
    assert (
        "note: sheet 'Actions', row 3, column E: the plan's 'Timescale / due' was changed in "
        "the return to '31/07/2016'" in out
    ), out
    assert "row 4" not in out, out  # M2 as the return showed it: the officer moved its date
    assert "2 cells of the partner's were not merged" in out, out
    action = plan_now(db)
    assert action["title"] == NEW_TITLE and said(action) == ("Promoted", "G")


def without_plan_digests(path: Path) -> None:
    """The return as cspdesk wrote it before the manifest held the plan text's digests."""
    book = load_workbook(path)
    stamp = book["cspdesk"]
    cells = [row[1] for row in stamp.iter_rows() if row[0].value == "manifest"]
    manifest = json.loads("".join(cell.value for cell in cells))
    assert set(manifest) == {"a", "m", "pa", "pm"}
    del manifest["pa"], manifest["pm"]
    cells[0].value = json.dumps(manifest, separators=(",", ":"), sort_keys=True)
    for cell in cells[1:]:
        cell.value = ""
    book.save(path)


def test_an_older_return_without_the_digests_reads_as_before(
    workspace_path: Location, tmp_path: Path
) -> None:
    words = {"G2": "Both campaigns promoted"}
    db, code, out = returned_after_renames(workspace_path, tmp_path, words, older=True)
    # Compared with the plan as it is now, as before: the rename reads as the partner's.
    assert (
        "note: sheet 'Actions', row 2, column C: the plan's 'Action / milestone' was changed in "
        f"the return to '{OLD_TITLE}'" in out
    ), out
    assert code == 2 and said(plan_now(db))[0] == "Both campaigns promoted", out


def test_an_older_return_without_the_digests_and_no_renames_merges_whole(
    workspace_path: Location, tmp_path: Path
) -> None:
    filled = {"I3": dt.datetime(2016, 9, 28), "H3": "Blue"}
    db, code, out = returned_after_renames(
        workspace_path, tmp_path, filled, sort=True, older=True, renames=False
    )
    assert code == 0 and "read as milestone 2" in out and "the plan's" not in out, out
    assert done_dates(plan_now(db))[M2] == "2016-09-28"


def test_the_digests_are_small_and_follow_the_text_as_a_partner_sees_it(
    workspace_path: Location, tmp_path: Path
) -> None:
    path = make(str(workspace_path), tmp_path / "out")
    stamp = load_workbook(path)["cspdesk"]
    chunks = [str(row[1].value) for row in stamp.iter_rows() if row[0].value == "manifest"]
    manifest = decode_manifest(chunks)
    actions, milestones = manifest["pa"], manifest["pm"]
    assert isinstance(actions, ShownPlan) and isinstance(milestones, ShownPlan)
    assert len(actions.stamps) == 4 * len(PLAN_KEYS) and len(milestones.stamps) == 2 * 2 * 4
    assert actions.ids == [A1] and milestones.ids == [M1, M2] and milestones.get(3) is None
    assert milestones.get(M2) == milestones.stamps[4:8] + milestones.stamps[12:]
    # A due date read back as a date cell, as a day number (format lost) or as typed text.
    due = [plan_text("timescale", v) for v in (dt.datetime(2016, 6, 30), 42551, "30/06/2016")]
    assert due == ["30/06/2016"] * 3
    assert plan_text("title", "    • Campaign one launched ") == "Campaign one launched"


@pytest.mark.parametrize(
    ("part", "says"),
    [
        ('"pa":[]', "its 'pa' part is not the digests written"),
        ('"pm":"AAAA AAAA"', "its 'pm' part is not the digests written"),
        ('"pa":"AAAA"', "its 'pa' part does not hold one digest for each row"),
        ('"pm":7', "its 'pm' part is not the digests written"),
    ],
)
def test_a_damaged_plan_digest_is_refused_in_one_line(
    workspace_path: Location, tmp_path: Path, part: str, says: str
) -> None:
    path = make(str(workspace_path), tmp_path / "out")
    book = load_workbook(path)
    for row in book["cspdesk"].iter_rows():
        if row[0].value == "manifest":
            row[1].value = '{"a":{"1":["0123456789abcdef","G"]},"m":{},' + part + "}"
    book.save(path)
    with Workspace.open(workspace_path) as workspace, pytest.raises(ImportRefused) as refused:
        workspace.read(read_return, path)
    message = str(refused.value)
    assert path.name in message and says in message and "\n" not in message


@pytest.mark.parametrize("awkward", ["", " ", "•", "\n", "\r\n", "_x000D_", "\xa0", "\t", "\x01"])
def test_a_whole_columns_digests_are_each_cells_as_read_back(awkward: str) -> None:
    """The manifest's digests, worked out column by column when a return is made, are those of
    each cell as the reader sees it (awkward text included: line breaks, marks, spaces)."""
    pick = random.Random(awkward)

    def text() -> str:
        words = [pick.choice(["Plan", "work", "3", "Q1-4"]) for _ in range(3)]
        if pick.random() < 0.2:  # the awkward part at the start, in the middle or at the end
            words.insert(pick.choice([0, 1, 3]), awkward)
        return " ".join(words)

    days = [None, dt.date(2016, 6, 30), dt.date(2017, 2, 28)]
    actions = [
        ActionRow(i, 1, text(), text(), text(), text(), pick.choice([text(), ""]), None, text())
        for i in range(1, 30)
    ]
    milestones = [MilestoneRow(i, 1, text(), pick.choice(days), None, None) for i in range(1, 40)]
    stamped_actions, stamped_milestones = plan_stamps(actions, milestones)
    for kind, rows, stamps in (
        ("action", actions, stamped_actions),
        ("milestone", milestones, stamped_milestones),
    ):
        shown = ShownPlan(kind, [row.id for row in rows], stamps)
        for row in rows:
            stamp = shown.get(row.id)
            assert stamp is not None
            assert split_stamp(kind, stamp) == row_stamp(plan_cells(row))
