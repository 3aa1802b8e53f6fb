"""The tree model obeys Qt's model contract, before and after filters and edits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from cspdesk.store.db import Workspace
from cspdesk.ui.document import PlanDocument
from cspdesk.ui.plan_model import ID_ROLE, KIND_ROLE, Column

Mode = QAbstractItemModelTester.FailureReportingMode


def titles_under(model, index) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(r, 0, index).data() for r in range(model.rowCount(index))]


def test_model_contract_through_changes(qtbot, workspace_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = PlanDocument(Workspace.open(workspace_path))
    model = document.model
    QAbstractItemModelTester(model, Mode.Fatal)
    plan = model.index(0, 0)
    assert plan.data(KIND_ROLE) == "plan"
    priorities = titles_under(model, plan)
    assert priorities == ["Safeguarding Vulnerable People", "Anti-Social Behaviour"]
    objective = model.index(0, 0, model.index(0, 0, plan))
    actions = titles_under(model, objective)
    assert actions[0] == "Actively promote Essex wide campaigns"
    action = model.index(0, 0, objective)
    assert action.siblingAtColumn(Column.RAG).data() == "Green"
    assert action.siblingAtColumn(Column.LEADS).data() == "All partners"
    assert action.siblingAtColumn(Column.UPDATE).data().startswith("Q1: 'Together")

    added = document.add_item("action", objective.data(ID_ROLE), 1, title="Inserted")
    assert added is not None
    assert titles_under(model, objective)[1] == "Inserted"
    document.move_items([added], objective.data(ID_ROLE), 0)
    assert titles_under(model, objective)[0] == "Inserted"
    document.set_filter("j9")
    assert titles_under(model, objective) == ["Re-introduce the J9 scheme in both districts"]
    document.set_filter("")
    document.delete_items([added])
    assert "Inserted" not in titles_under(model, objective)
    document.undo_stack.undo()  # the delete
    assert titles_under(model, objective)[0] == "Inserted"
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert titles_under(model, objective) == actions
    document.workspace.close()


def test_filter_keeps_ancestors_and_matches_leads_and_rag(qtbot, workspace_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = PlanDocument(Workspace.open(workspace_path))
    model = document.model
    QAbstractItemModelTester(model, Mode.Fatal)
    document.set_filter(rags=frozenset({"R"}))
    plan = model.index(0, 0)
    assert titles_under(model, plan) == ["Anti-Social Behaviour"]
    objective = model.index(0, 0, model.index(0, 0, plan))
    assert titles_under(model, objective) == ["Joint days of action"]
    police = document.workspace.read(
        lambda s: s.execute(
            __import__("sqlalchemy").text("SELECT id FROM agency WHERE name='Essex Police'")
        ).scalar()
    )
    document.set_filter(lead=("agency", police))
    assert titles_under(model, plan) == ["Anti-Social Behaviour"]
    matches = document.set_filter("nothing matches this")
    assert matches == 0 and model.rowCount() == 0
    document.set_filter()
    assert len(titles_under(model, plan)) == 2
    document.workspace.close()


def test_read_only_document_has_no_editable_items(qtbot, workspace_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = PlanDocument(Workspace.open(workspace_path, read_only=True))
    index = document.model.index(0, 0)
    assert not (document.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    document.workspace.close()


def test_typing_on_sifts_what_shows_unless_the_plan_changed_and_same_rows_reset_nothing(
    qtbot, workspace_path: Path
) -> None:  # type: ignore[no-untyped-def]
    document = PlanDocument(Workspace.open(workspace_path))
    model = document.model
    QAbstractItemModelTester(model, Mode.Fatal)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    objective = model.index(0, 0, model.index(0, 0, model.index(0, 0)))
    campaigns = model.index(0, 0, objective).data(ID_ROLE)
    document.set_filter("j9")
    assert titles_under(model, objective) == ["Re-introduce the J9 scheme in both districts"]
    # Renamed while filtered out: typing on must still find it (the plan changed meanwhile).
    assert document.edit_field("action", campaigns, "title", "J9 scheme campaigns")
    document.set_filter("j9 s")
    assert titles_under(model, objective) == [
        "J9 scheme campaigns",
        "Re-introduce the J9 scheme in both districts",
    ]
    assert not document.shown_unchanged
    before = len(resets)
    document.set_filter("j9 sch")  # the same items match: the views are told nothing
    assert document.shown_unchanged and len(resets) == before
    assert titles_under(model, objective)[0] == "J9 scheme campaigns"
    document.set_filter("j9 scheme in")
    assert not document.shown_unchanged and len(resets) == before + 1
    assert titles_under(model, objective) == ["Re-introduce the J9 scheme in both districts"]
    document.workspace.close()
