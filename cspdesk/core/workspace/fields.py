"""The fields of each level of a plan, as the workspace JSON and the plan tree hold them."""

from __future__ import annotations

PLAN_FIELDS = ("year", "title", "version_label", "introduction", "current_quarter", "read_only")
PRIORITY_FIELDS = (
    "title",
    "sub_themes",
    "indicators",
    "baseline",
    "target",
    "lead_agencies",
    "resources",
    "key_risks",
    "mitigations",
)
ACTION_FIELDS = ("title", "outcomes", "timescale", "start_date", "due_date", "rag", "lead_note")
MILESTONE_FIELDS = ("title", "outcomes", "due_date", "original_due_date", "done_date", "rag")
UPDATE_FIELDS = ("quarter", "text", "rag", "source", "updated_at")
# A contribution's "lead" is the name it was given under (Contribution.lead_name).
CONTRIBUTION_FIELDS = ("quarter", "lead_key", "text", "rag", "source", "updated_at")
DATE_FIELDS = {"start_date", "due_date", "original_due_date", "done_date"}
