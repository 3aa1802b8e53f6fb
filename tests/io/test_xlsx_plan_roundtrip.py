"""Export a plan, import the export into another workspace: the same plan comes back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cspdesk.core.leads.directory import Directory
from cspdesk.core.plan.model import Action, Agency, Milestone, Plan
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.io.plan_apply import PlanExists, apply_draft
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.io.xlsx_plan_write import export_plan_xlsx
from cspdesk.store.db import Workspace


def plan_tree(workspace: Workspace, year: str) -> list[dict[str, Any]]:
    """The plan as names and values only (no ids, sources or times)."""
    plan = workspace.read(export_workspace, year)["plans"][0]
    return [
        {
            "title": p["title"],
            "baseline": p["baseline"],
            "target": p["target"],
            "objectives": [
                {
                    "title": o["title"],
                    "actions": [
                        {
                            **{k: a[k] for k in ("title", "outcomes", "timescale", "rag")},
                            "leads": a["leads"],
                            "milestones": [
                                {k: m[k] for k in ("title", "due_date", "done_date", "rag")}
                                for m in a["milestones"]
                            ],
                            "updates": [(u["quarter"], u["text"], u["rag"]) for u in a["updates"]],
                        }
                        for a in o["actions"]
                    ],
                }
                for o in p["objectives"]
            ],
        }
        for p in plan["priorities"]
    ]


def import_file(workspace: Workspace, path: Path, year: str | None = None):  # type: ignore[no-untyped-def]
    directory = workspace.read(Directory.from_session)
    scheme = workspace.read(RagScheme.from_session)
    _, draft = read_plan(path, directory, scheme, year=year)
    return draft, workspace.write(apply_draft, draft)


def test_round_trip_gives_the_same_plan(workspace: Workspace, tmp_path: Path) -> None:
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    out = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, plan_id, out)
    with Workspace.create(tmp_path / "other.cspdesk", "Other CSP") as other:
        draft, change = import_file(other, out)
        assert draft.year == "2016/17"
        assert [p.level for p in draft.problems if p.level != "note"] == []
        assert plan_tree(other, "2016/17") == plan_tree(workspace, "2016/17")
        # The agencies sheet brought short names and initials along.
        police = other.read(
            lambda s: s.execute(select(Agency).where(Agency.name == "Essex Police")).scalar_one()
        )
        assert police.short_name == "Police"
        assert change.describe() == "Add plan"


def test_text_that_looks_like_rich_text_comes_back_as_typed(
    workspace: Workspace, tmp_path: Path
) -> None:
    """XlsxWriter writes a string from "<r>" to "</r>" unescaped, as rich text's XML: with "&"
    in it the workbook is broken. The export writes every text as text."""
    typed = "<r>Tom & Jerry <b></r>"

    def type_it(session) -> None:  # type: ignore[no-untyped-def]
        session.execute(select(Action).order_by(Action.id)).scalars().first().title = typed
        session.execute(select(Milestone).order_by(Milestone.id)).scalars().first().title = typed

    workspace.write(type_it)
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    out = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, plan_id, out)
    with Workspace.create(tmp_path / "other.cspdesk", "Other CSP") as other:
        import_file(other, out)
        assert plan_tree(other, "2016/17") == plan_tree(workspace, "2016/17")
        assert typed in str(plan_tree(other, "2016/17"))


def test_a_plan_imported_as_another_year_is_titled_with_that_year(
    workspace: Workspace, tmp_path: Path
) -> None:
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    title = workspace.read(lambda s: s.get(Plan, plan_id).title)
    assert "2016/17" in title
    out = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, plan_id, out)
    with Workspace.create(tmp_path / "other.cspdesk", "Other CSP") as other:
        draft, _ = import_file(other, out, year="2018/19")
        assert draft.title == title.replace("2016/17", "2018/19")
        stored = other.read(lambda s: s.execute(select(Plan.year, Plan.title)).one())
        assert tuple(stored) == ("2018/19", title.replace("2016/17", "2018/19"))
        # The year given only as the plan is added (the window's year field, changed after
        # the preview): the title follows too.
        directory = other.read(Directory.from_session)
        _, read = read_plan(out, directory, other.read(RagScheme.from_session))
        assert read.title == title
        other.write(apply_draft, read, year="2019/20")
        titles = other.read(lambda s: s.execute(select(Plan.title).where(Plan.year == "2019/20")))
        assert titles.scalar_one() == title.replace("2016/17", "2019/20")


def test_import_into_existing_year_is_refused_and_undo_removes_plan(
    workspace: Workspace, tmp_path: Path
) -> None:
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    out = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, plan_id, out)
    with pytest.raises(PlanExists, match="already has a plan for 2016/17"):
        import_file(workspace, out)
    _, change = import_file(workspace, out, year="2017/18")
    assert plan_tree(workspace, "2017/18") == plan_tree(workspace, "2016/17")
    workspace.write(change.revert)
    years = workspace.read(lambda s: s.execute(select(Plan.year)).scalars().all())
    assert years == ["2016/17"]


def test_apply_is_one_transaction(workspace: Workspace, tmp_path: Path) -> None:
    """A failure half-way (a RAG code the scheme lacks) leaves no plan and no new agency."""
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    out = tmp_path / "plan.xlsx"
    workspace.read(export_plan_xlsx, plan_id, out)
    directory = workspace.read(Directory.from_session)
    _, draft = read_plan(out, directory, workspace.read(RagScheme.from_session), year="2018/19")
    directory.add_agency("Brand New Agency")
    draft.actions()[-1].rag = "Z"  # violates the foreign key on the last action
    before = workspace.read(export_workspace)
    with pytest.raises(Exception, match="FOREIGN KEY"):
        workspace.write(apply_draft, draft)
    assert workspace.read(export_workspace) == before
