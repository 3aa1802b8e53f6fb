"""The one batch policy (returns.diff.mark_batch), pinned on plain diffs: no files, no plan."""

from __future__ import annotations

import datetime as dt

from cspdesk.returns.diff import RAG, UPDATE_TEXT, FieldChange, ReturnDiff, mark_batch


def diff(name: str, *changes: FieldChange, record_id: int = 1) -> ReturnDiff:
    return ReturnDiff(
        path=name,
        file_name=name,
        token=name,
        record_id=record_id,
        plan_id=1,
        plan_year="2016/17",
        quarter=1,
        agency_id=None,
        lead_name="Essex Police",
        made_at=dt.datetime(2016, 7, 1),
        changes=list(changes),
    )


def change(new: str, *, lead: str = "agency:police", field: str = UPDATE_TEXT) -> FieldChange:
    kind = "action" if lead else "milestone"
    return FieldChange(kind, 7, 7, field, "Patrols", old="", new=new, lead=lead)


def test_two_versions_with_different_words_are_both_held_for_the_officer() -> None:
    first, second = change("Done in June."), change("Done in July.")
    mark_batch([diff("v1.xlsx", first), diff("v2.xlsx", second)])
    for mine, theirs, file in ((first, second, "v2.xlsx"), (second, first, "v1.xlsx")):
        assert (mine.conflict, mine.accepted) == (True, False)
        assert mine.rival is theirs and mine.rival_file == file
        assert "another version of this return" in mine.note


def test_two_leads_on_one_milestone_clash_as_another_leads_return() -> None:
    police, council = change("2016-06-30", lead=""), change("2016-07-31", lead="")
    mark_batch([diff("police.xlsx", police), diff("rdc.xlsx", council, record_id=2)])
    assert police.conflict and council.conflict
    assert "another lead's return (rdc.xlsx)" in police.note


def test_the_same_words_twice_are_taken_once() -> None:
    first, second = change("Done."), change("Done.")
    mark_batch([diff("v1.xlsx", first), diff("v2.xlsx", second)])
    assert (first.accepted, first.conflict) == (True, False)
    assert (second.accepted, second.conflict) == (False, False)
    assert "the same as in v1.xlsx" in second.note


def test_different_leads_and_different_fields_never_clash() -> None:
    police = change("Police words.")
    council = change("Council words.", lead="agency:rdc")
    rag = change("G", field=RAG)
    mark_batch([diff("police.xlsx", police, rag), diff("rdc.xlsx", council)])
    assert all(c.accepted and not c.conflict for c in (police, council, rag))


def test_two_sheets_of_one_file_are_left_to_the_copy_rule() -> None:
    """The original sheet and a copy in one file were made one decision when the file was read
    (returns.copies): the batch policy never calls them another lead's or another version."""
    original, copy = change("2016-06-30", lead=""), change("2016-07-31", lead="")
    original.note = copy.note = "kept"
    mark_batch([diff("police.xlsx", original, copy)])
    assert (original.note, copy.note) == ("kept", "kept")
    assert original.rival is None and copy.rival is None
