"""The detail pane's quarter of an action: each lead's contribution, the agreed RAG, a summary.

Everything shown is read through core.quarter.rule, the same rule the tree, checker and report
use; every edit goes through the document, so it is saved at once and is one undo step.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.plan import ops
from cspdesk.core.plan.words import possessive
from cspdesk.core.quarter import contributions as contrib
from cspdesk.core.quarter.rule import ActionQuarter, load_quarters
from cspdesk.core.rag.classes import RagClasses, rag_classes
from cspdesk.ui.delegates import fill_rag_combo
from cspdesk.ui.document import PlanDocument
from cspdesk.ui.focus import FocusOut
from cspdesk.ui.pick_combo import PickOnlyCombo
from cspdesk.ui.unsaved import HeldEdit

NOT_AGREED = "Not agreed yet (use the proposal)"
# The program's own words, explained where they appear (the F1 guide says the same).
RAG_WORDS = (
    "The RAG the committee sees for this quarter. Agreed: the one you agreed. Proposed: worked "
    "out from what the leads reported (the least good where they disagree), not yet agreed. "
    "Green (Q1): carried from Q1, as nothing has been reported or agreed this quarter yet. "
    "Grey (plan): the RAG the plan was written with; no quarter has reported one yet."
)
AGREED_WORDS = (
    "The RAG you agree for this quarter; it is printed for the committee. "
    f"{NOT_AGREED}: the proposal shown above stands until you agree one."
)


def agree_tip(proposal: str, quarter: int, agreed: bool) -> str:
    """What "Agree proposal" does, naming the RAG it would agree ("Green (Q1)")."""
    if agreed:
        return (
            f"The Q{quarter} RAG is agreed. To go back to the proposal, choose "
            f"{NOT_AGREED!r} in the list."
        )
    if not proposal:
        return "Nothing to agree: no lead has reported a RAG, and none is carried or planned."
    return (
        f"Make the proposal, {proposal}, the agreed Q{quarter} RAG. The proposal is worked out "
        "from what the leads reported (the least good where they disagree); with nothing "
        "reported it is carried from an earlier quarter, as in Green (Q1), or from the plan, as "
        "in Grey (plan)."
    )


def describe_source(value: contrib.ContributionValue | None) -> str:
    """ "From its return (FILE), 1 Dec 2026 15:09" or "Typed by Emma Clark, …"."""
    if value is None:
        return "Nothing reported yet"
    when = f", {value.updated_at:%d %b %Y %H:%M}" if value.updated_at else ""
    prefix = f"return: {value.lead_name} "
    if value.source.startswith(prefix):
        return f"From its return ({value.source.removeprefix(prefix)}){when}"
    if value.source.startswith("return:"):
        return f"From {value.source.removeprefix('return:').strip()}{when}"
    who = "the officer" if value.source == ops.DEFAULT_WHO else value.source  # before names
    return f"Typed by {who}{when}"


class QuarterBox(QGroupBox):
    """One action's current quarter, editable."""

    def __init__(self, document: PlanDocument, action_id: int, quarter: int) -> None:
        super().__init__(f"Q{quarter} update")
        self.document, self.action_id, self.quarter = document, action_id, quarter
        self._filters: list[FocusOut] = []
        self.editors: list[QWidget] = []
        workspace = document.workspace
        self.classes: RagClasses = workspace.read(rag_classes)
        found: ActionQuarter = workspace.read(
            lambda s: load_quarters(s, {action_id: quarter}, self.classes)
        )[action_id]
        slots = workspace.read(contrib.lead_slots, action_id)
        said = dict(workspace.read(contrib.contributions_of, action_id, quarter))
        # What the editors show: a save states it, so a colleague's change since is not lost.
        self._seen_summary = found.summary
        self._seen_parts = said
        layout = QVBoxLayout(self)

        status = QFormLayout()
        status.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.rag_label = QLabel(self._rag_text(found))
        self.rag_label.setWordWrap(True)
        self.rag_label.setAccessibleName(f"Q{quarter} RAG")
        self.rag_label.setToolTip(RAG_WORDS)
        status.addRow("RAG this quarter", self.rag_label)
        agreed_row = QHBoxLayout()
        self.agreed = PickOnlyCombo()
        self.agreed.setAccessibleName(f"Agreed Q{quarter} RAG")
        self.agreed.setToolTip(AGREED_WORDS)
        fill_rag_combo(self.agreed, document.rag_style)
        self.agreed.setItemText(0, NOT_AGREED)  # the "(not set)" entry
        self.agreed.setCurrentIndex(max(0, self.agreed.findData(found.agreed)))
        # The pane may be a third of a small screen: the long "not agreed" words may elide.
        self.agreed.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.agreed.setMinimumContentsLength(8)
        self.agreed.activated.connect(lambda _i: self._agree(self.agreed.currentData()))
        agreed_row.addWidget(self.agreed, 1)
        self.confirm = QPushButton("Agree proposal")
        self.confirm.setAccessibleName("Agree proposal")
        self._proposed = found.rag.code
        self.confirm.setToolTip(
            agree_tip(found.rag.label(self.classes), quarter, found.agreed is not None)
        )
        self.confirm.setEnabled(found.agreed is None and found.rag.code is not None)
        self.confirm.clicked.connect(lambda: self._agree(self._proposed))
        agreed_row.addWidget(self.confirm)
        status.addRow("Agreed RAG", agreed_row)
        self.summary = QPlainTextEdit(found.summary)
        self.summary.setAccessibleName(f"Your Q{quarter} summary")
        self.summary.setPlaceholderText(
            "Optional: your own words for the committee, printed instead of the leads' parts"
        )
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(90)
        self._on_focus_out(self.summary, self._commit_summary)
        status.addRow("Your summary", self.summary)
        layout.addLayout(status)

        leads = QGroupBox(f"What each lead reported ({len(slots)})")
        form = QFormLayout(leads)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.parts: dict[str, tuple[QPlainTextEdit, QComboBox, contrib.LeadSlot]] = {}
        self._sources: dict[str, QLabel] = {}
        for slot in slots:
            value = said.get((action_id, quarter, slot.lead_key))
            text = QPlainTextEdit(value.text if value else "")
            text.setAccessibleName(f"{possessive(slot.name)} Q{quarter} update")
            text.setTabChangesFocus(True)
            text.setMaximumHeight(80)
            rag = PickOnlyCombo()
            rag.setAccessibleName(f"{possessive(slot.name)} Q{quarter} RAG")
            fill_rag_combo(rag, document.rag_style)
            rag.setCurrentIndex(max(0, rag.findData(value.rag if value else None)))
            source = QLabel(describe_source(value))
            source.setWordWrap(True)
            column = QVBoxLayout()
            column.addWidget(text)
            line = QHBoxLayout()
            line.addWidget(rag)
            line.addWidget(source, 1)
            column.addLayout(line)
            form.addRow(f"<b>{escape(slot.name)}</b>", column)
            self.parts[slot.lead_key] = (text, rag, slot)
            self._sources[slot.lead_key] = source
            self._on_focus_out(text, lambda key=slot.lead_key: self._commit_part(key))
            rag.activated.connect(lambda _i, key=slot.lead_key: self._commit_part(key))
            self.editors += [text, rag]
        layout.addWidget(leads)
        self.editors += [self.agreed, self.summary, self.confirm]
        for editor in self.editors:
            editor.setEnabled(not document.read_only)

    def refresh(self) -> bool:
        """Show what is saved now in every label and editor, except an editor the user has
        typed into and is still in; True when one was held back so."""
        workspace = self.document.workspace
        action_id, quarter = self.action_id, self.quarter
        found: ActionQuarter = workspace.read(
            lambda s: load_quarters(s, {action_id: quarter}, self.classes)
        )[action_id]
        said = dict(workspace.read(contrib.contributions_of, action_id, quarter))
        held = False
        self.rag_label.setText(self._rag_text(found))
        self._proposed = found.rag.code
        self.confirm.setToolTip(
            agree_tip(found.rag.label(self.classes), quarter, found.agreed is not None)
        )
        self.agreed.setCurrentIndex(max(0, self.agreed.findData(found.agreed)))
        self.confirm.setEnabled(
            found.agreed is None and found.rag.code is not None and not self.document.read_only
        )
        if found.summary != self._seen_summary:
            if self.summary.hasFocus() and self.summary.toPlainText().strip() != (
                self._seen_summary.strip()
            ):
                held = True
            else:
                self.summary.setPlainText(found.summary)
                self._seen_summary = found.summary
        for lead_key, (text, rag, _slot) in self.parts.items():
            key = (action_id, quarter, lead_key)
            value, seen = said.get(key), self._seen_parts.get(key)
            if value == seen:
                continue
            seen_text = seen.text if seen else ""
            if (text.hasFocus() or rag.hasFocus()) and text.toPlainText().strip() != seen_text:
                held = True
                continue
            text.setPlainText(value.text if value else "")
            rag.setCurrentIndex(max(0, rag.findData(value.rag if value else None)))
            self._sources[lead_key].setText(describe_source(value))
            self._seen_parts[key] = value  # type: ignore[assignment]
        return held

    def _rag_text(self, found: ActionQuarter) -> str:
        label = found.rag.label(self.classes) or "Not rated"
        note = found.rag.note(self.classes)
        return f"<b>{label}</b>" + (f" — {note}" if note else "")

    def _on_focus_out(self, editor: QWidget, callback: Any) -> None:
        watcher = FocusOut(callback)
        editor.installEventFilter(watcher)
        self._filters.append(watcher)

    def has_focus(self) -> bool:
        return any(editor.hasFocus() for editor in self.editors)

    def commit_focused(self) -> None:
        if self.summary.hasFocus():
            self._commit_summary()
        for key, (text, _rag, _slot) in self.parts.items():
            if text.hasFocus():
                self._commit_part(key)

    # ---- saving ----

    def _agree(self, rag: str | None) -> None:
        self.document.set_agreed_rag(self.action_id, rag)

    def _commit_summary(self) -> None:
        save_summary(
            self.document,
            self.action_id,
            self.quarter,
            self.summary.toPlainText().strip(),
            self._seen_summary,
        )

    def _commit_part(self, lead_key: str) -> None:
        text_editor, rag_editor, slot = self.parts[lead_key]
        key = (self.action_id, self.quarter, lead_key)
        save_part(
            self.document,
            key,
            slot,
            (text_editor.toPlainText().strip(), rag_editor.currentData()),
            self._seen_parts.get(key),
        )


# Module functions rather than methods: a save the server did not take is made again later by
# "Save now", when this box may be long gone.


def save_summary(
    document: PlanDocument, action_id: int, quarter: int, text: str, seen: str
) -> bool:
    """Save the officer's summary as typed (``seen``: the words the editor started from)."""
    try:
        current = document.workspace.read(ops.get_update, action_id, quarter)
    except Exception as error:  # the driver's own, when the server is away
        retry = lambda: save_summary(document, action_id, quarter, text, seen)  # noqa: E731
        held = HeldEdit(("update", action_id, quarter), f"your Q{quarter} summary", text, retry)
        if document.held_back(error, held):
            return False
        raise
    if (current.text if current else "") == text:
        return True
    rag = current.rag if current else None
    value = ops.UpdateValue(text, rag, ops.DEFAULT_WHO) if text or rag else None
    return document.set_update(action_id, quarter, value, seen)


def save_part(
    document: PlanDocument,
    key: contrib.ContributionKey,
    slot: contrib.LeadSlot,
    typed: tuple[str, str | None],
    seen: contrib.ContributionValue | None,
) -> bool:
    """Save one lead's part as typed (text and RAG; ``seen``: what the editors started from)."""
    action_id, quarter, _lead = key
    text, rag = typed
    label = f"Edit {possessive(slot.name)} Q{quarter} part"
    try:
        current = dict(document.workspace.read(contrib.contributions_of, action_id, quarter)).get(
            key
        )
    except Exception as error:  # the driver's own, when the server is away
        retry = lambda: save_part(document, key, slot, typed, seen)  # noqa: E731
        held = HeldEdit(("parts", key), label[0].lower() + label[1:], text or "(cleared)", retry)
        if document.held_back(error, held):
            return False
        raise
    if current is not None and (current.text, current.rag) == (text, rag):
        return True
    if current is None and not text and rag is None:
        return True
    value = (
        None
        if not text and rag is None
        else contrib.ContributionValue(text, rag, slot.name, slot.agency_id)
    )
    return document.set_contributions({key: value}, label, expected={key: seen})
