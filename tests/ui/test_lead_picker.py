"""The lead picker: several leads per action, plus a free-text note; one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.ui.dialogs.lead_picker import LeadPicker
from cspdesk.ui.plan_model import Column


def test_pick_two_leads_and_undo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    workspace = window.document.workspace
    action_id = workspace.read(
        lambda s: s.execute(
            select(Action.id).where(Action.title == "Joint days of action")
        ).scalar_one()
    )
    picker = LeadPicker(workspace, action_id, "Essex Police – Emma Clark (EC)", window)
    qtbot.addWidget(picker)
    items = {picker.list.item(r).text(): picker.list.item(r) for r in range(picker.list.count())}
    assert items["Emma Clark (EC) – Essex Police"].checkState() == Qt.CheckState.Checked
    items["Rochford District Council"].setCheckState(Qt.CheckState.Checked)
    picker.search.setText("rochford")
    assert items["Essex Police"].isHidden() and not items["Rochford District Council"].isHidden()
    picker.note.setText("Police + RDC")
    before = workspace.read(ops.get_leads, action_id)
    window.document.set_leads(action_id, picker.chosen(), picker.note.text())
    after = workspace.read(ops.get_leads, action_id)
    assert len(after) == 2 and after != before
    index = window.document.model.find("action", action_id)
    assert "Rochford District Council" in index.siblingAtColumn(Column.LEADS).data()
    window.undo_action.trigger()
    assert workspace.read(ops.get_leads, action_id) == before
    assert (
        workspace.read(lambda s: s.get(Action, action_id).lead_note)
        == "Essex Police – Emma Clark (EC)"
    )


def test_a_long_lead_note_opens_at_its_start_and_shows_whole_on_hover(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    workspace = window.document.workspace
    action_id = workspace.read(
        lambda s: s.execute(
            select(Action.id).where(Action.title == "Joint days of action")
        ).scalar_one()
    )
    note = (
        "Essex Police – Emma Clark (EC), with the Community Safety Officers of Rochford "
        "and Castle Point and the Neighbourhood Watch co-ordinators"
    )
    picker = LeadPicker(workspace, action_id, note, window)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    assert picker.note.cursorPosition() == 0  # the start is what shows
    assert picker.note.toolTip() == note
    picker.note.setText("Police + RDC")
    assert picker.note.toolTip() == "Police + RDC"
