"""The filter bar: text over every field, a lead and a RAG status."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from cspdesk.core.leads.listing import lead_choices
from cspdesk.core.plan.words import count
from cspdesk.core.quarter.outline import Node
from cspdesk.core.workspace.plan_tree import short
from cspdesk.store.db import Workspace
from cspdesk.ui.plan_model import RagStyle

NOT_SET = "__none__"
KIND_WORDS = {
    "plan": ("plan", "plans"),
    "priority": ("priority", "priorities"),
    "objective": ("objective", "objectives"),
    "action": ("action", "actions"),
    "milestone": ("milestone", "milestones"),
}
TIP_LIMIT = 12


def describe_matches(shown_actions: int, matched: list[Node]) -> tuple[str, str]:
    """("4 actions shown · matched in 1 priority: Acquisitive Crime", tooltip naming each
    match): what the tree shows, and where the words were found."""
    if not matched:
        return "Nothing matches", "No item has all of the filter's words, lead and RAG"
    # Counted in C: the first keystroke can match 30,000 items. In the order first matched.
    kinds = Counter([node.kind for node in matched])
    where = [count(number, *KIND_WORDS[kind]) for kind, number in kinds.items()]
    text = f"{count(shown_actions, 'action')} shown · matched in {', '.join(where)}"
    if len(matched) == 1:
        text += f": {short(matched[0].title, 40)}"
    lines = [f"{KIND_WORDS[n.kind][0].title()}: {short(n.title, 80)}" for n in matched[:TIP_LIMIT]]
    more = len(matched) - TIP_LIMIT
    tip = "\n".join(lines) + (f"\n… and {more:,} more" if more > 0 else "")
    return text, tip


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit(placeholderText="Filter: type any words from the plan")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Filter text")
        self.lead = QComboBox()
        self.lead.setAccessibleName("Filter by lead")
        self.lead.setMinimumContentsLength(18)
        self.rag = QComboBox()
        self.rag.setAccessibleName("Filter by RAG")
        # "All statuses" in full: the lead list and the text give up room first.
        self.rag.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.matches = QLabel()
        self.matches.setObjectName("filterMatches")
        # On a line of its own, wrapped: beside the boxes it squeezed the filter's own words
        # and "All statuses" on a small or 150% screen, and pushed the detail pane aside.
        self.matches.setWordWrap(True)
        self.matches.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        boxes = QHBoxLayout()
        boxes.addWidget(self.text, 3)
        boxes.addWidget(QLabel("Lead:"))
        boxes.addWidget(self.lead, 2)
        boxes.addWidget(QLabel("RAG:"))
        boxes.addWidget(self.rag)
        layout.addLayout(boxes)
        layout.addWidget(self.matches)
        self.text.textChanged.connect(self.changed)
        self.lead.currentIndexChanged.connect(self.changed)
        self.rag.currentIndexChanged.connect(self.changed)

    def show_matches(self, shown_actions: int | None, matched: list[Node]) -> None:
        """Say what the filter shows (``shown_actions`` None: no filter, say nothing)."""
        text, tip = ("", "") if shown_actions is None else describe_matches(shown_actions, matched)
        self.matches.setText(text)
        self.matches.setToolTip(tip)
        self.matches.setVisible(bool(text))

    def populate(self, workspace: Workspace, style: RagStyle) -> None:
        choices = workspace.read(lead_choices)
        for combo in (self.lead, self.rag):
            combo.blockSignals(True)
            combo.clear()
        self.lead.addItem("All leads", None)
        for agency in choices.agencies:
            self.lead.addItem(agency.name, ("agency", agency.id))
        for officer in choices.officers:
            self.lead.addItem(officer.label, ("officer", officer.id))
        self.rag.addItem("All statuses", None)
        for code in style.codes:
            self.rag.addItem(style.icons[code], style.label(code), code)
        self.rag.addItem("Not set", NOT_SET)
        for combo in (self.lead, self.rag):
            combo.blockSignals(False)

    def values(self) -> tuple[str, tuple[str, int] | None, frozenset[str | None] | None]:
        lead = self.lead.currentData()
        rag = self.rag.currentData()
        rags = None if rag is None else frozenset({None if rag == NOT_SET else rag})
        return self.text.text(), (tuple(lead) if lead else None), rags  # type: ignore[return-value]
