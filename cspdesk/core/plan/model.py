"""The workspace's entities as SQLAlchemy 2.x mapped classes.

One workspace file holds one partnership: its agencies and officers, its RAG scheme, and a plan
per financial year (Plan > Priority > Objective > Action > Milestone). Siblings are ordered by
``position`` (0-based, dense). Tables use ``sqlite_autoincrement`` so an id is never reused:
partner returns and history rows refer to actions by id long after they were deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AUTOINC: dict[str, Any] = {"sqlite_autoincrement": True}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_uid() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Partnership(Base):
    """The one partnership a workspace belongs to; ``uid`` is the workspace's identity."""

    __tablename__ = "partnership"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(Text)
    areas: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RagStatus(Base):
    """One status of the workspace's RAG scheme (editable labels, colours and meanings)."""

    __tablename__ = "rag_status"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    colour: Mapped[str] = mapped_column(String(7))
    text_colour: Mapped[str] = mapped_column(String(7), default="#000000")
    meaning: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Higher is better; direction of travel compares ranks. None: not comparable (not started).
    rank: Mapped[int | None] = mapped_column(Integer)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False)


class Agency(Base):
    __tablename__ = "agency"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    short_name: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    officers: Mapped[list[Officer]] = relationship(back_populates="agency")


class Officer(Base):
    __tablename__ = "officer"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    initials: Mapped[str] = mapped_column(Text, default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(Text, default="")
    agency: Mapped[Agency | None] = relationship(back_populates="officers")


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[str] = mapped_column(String(7), unique=True)  # "2016/17"
    title: Mapped[str] = mapped_column(Text, default="")
    version_label: Mapped[str] = mapped_column(Text, default="")
    introduction: Mapped[str] = mapped_column(Text, default="")
    current_quarter: Mapped[int] = mapped_column(Integer, default=1)
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    rolled_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="plan", order_by="Priority.position", cascade="all, delete-orphan"
    )


class Priority(Base):
    __tablename__ = "priority"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    sub_themes: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[str] = mapped_column(Text, default="")
    baseline: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    lead_agencies: Mapped[str] = mapped_column(Text, default="")
    resources: Mapped[str] = mapped_column(Text, default="")
    key_risks: Mapped[str] = mapped_column(Text, default="")
    mitigations: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[Plan] = relationship(back_populates="priorities")
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="priority", order_by="Objective.position", cascade="all, delete-orphan"
    )


class Objective(Base):
    __tablename__ = "objective"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("priority.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = relationship(back_populates="objectives")
    actions: Mapped[list[Action]] = relationship(
        back_populates="objective", order_by="Action.position", cascade="all, delete-orphan"
    )


class Action(Base):
    __tablename__ = "action"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    timescale: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    rag: Mapped[str | None] = mapped_column(
        ForeignKey("rag_status.code", onupdate="CASCADE", ondelete="SET NULL")
    )
    lead_note: Mapped[str] = mapped_column(Text, default="")
    # What an imported plan held beside the action's fields ("Internal notes: chased 12/4").
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An action carried into next year's plan points at the one it continues.
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="SET NULL"), index=True
    )
    objective: Mapped[Objective] = relationship(back_populates="actions")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="action", order_by="Milestone.position", cascade="all, delete-orphan"
    )
    leads: Mapped[list[ActionLead]] = relationship(
        back_populates="action", order_by="ActionLead.position", cascade="all, delete-orphan"
    )
    updates: Mapped[list[Update]] = relationship(
        back_populates="action", order_by="Update.quarter", cascade="all, delete-orphan"
    )


class ActionLead(Base):
    """One lead of an action: an agency, an officer, or both (officer on behalf of agency)."""

    __tablename__ = "action_lead"
    __table_args__ = (
        CheckConstraint("agency_id IS NOT NULL OR officer_id IS NOT NULL", name="has_lead"),
        AUTOINC,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    action: Mapped[Action] = relationship(back_populates="leads")
    agency: Mapped[Agency | None] = relationship()
    officer: Mapped[Officer | None] = relationship()


class Milestone(Base):
    __tablename__ = "milestone"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    # The first due date ever set; kept when the date is moved so slippage can be reported.
    original_due_date: Mapped[dt.date | None] = mapped_column(Date)
    done_date: Mapped[dt.date | None] = mapped_column(Date)
    rag: Mapped[str | None] = mapped_column(
        ForeignKey("rag_status.code", onupdate="CASCADE", ondelete="SET NULL")
    )
    action: Mapped[Action] = relationship(back_populates="milestones")


class Update(Base):
    """The officer's word on an action for one quarter: the agreed RAG and an own summary.

    ``rag`` is the agreed RAG (None: not set yet, proposed from the contributions); ``text``
    is the officer's summary, printed instead of the leads' contributions when given.
    """

    __tablename__ = "update"
    __table_args__ = (
        UniqueConstraint("action_id", "quarter", name="action_quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        AUTOINC,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    rag: Mapped[str | None] = mapped_column(
        ForeignKey("rag_status.code", onupdate="CASCADE", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(Text, default="officer")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[Action] = relationship(back_populates="updates")


class Snapshot(Base):
    """What was reported for a quarter, frozen when the quarter was closed (JSON payload)."""

    __tablename__ = "snapshot"
    __table_args__ = (UniqueConstraint("plan_id", "quarter", name="plan_quarter"), AUTOINC)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    closed_by: Mapped[str] = mapped_column(Text, default="")
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)  # reopened deliberately
    payload: Mapped[str] = mapped_column(Text, default="{}")


class ReportTitle(Base):
    """The lines above a quarter's appendix as last printed (core.quarter.title_block): kept
    per plan and quarter, so reprinting an old quarter gives what was sent."""

    __tablename__ = "report_title"
    __table_args__ = (UniqueConstraint("plan_id", "quarter", name="report_title_quarter"), AUTOINC)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    appendix_label: Mapped[str] = mapped_column(Text, default="")
    committee: Mapped[str] = mapped_column(Text, default="")
    meeting_date: Mapped[str] = mapped_column(String(10), default="")  # ISO, "" when not given
    version_line: Mapped[str] = mapped_column(Text, default="")  # "": the plan's


class HistoryEntry(Base):
    """Who changed what and when (an officer, or a named partner return)."""

    __tablename__ = "history"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    who: Mapped[str] = mapped_column(Text, default="")
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(Text, default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")


class ReturnRecord(Base):
    """A partner return made for a lead and quarter, and when it came back."""

    __tablename__ = "return_record"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    lead_name: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    made_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    merged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    merged_file: Mapped[str] = mapped_column(Text, default="")
    # Changes of the merged return still waiting on the officer's decision (conflicts).
    decisions_waiting: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the merged file was last saved (its document properties): an older version of the
    # same return arriving later is told from a correction by it.
    merged_saved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Who the cover says filled it in ("organisation, name"), for a forwarded or shared return.
    completed_by: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What the merged versions of this return set, field by field, as JSON
    # (cspdesk.returns.versions): a correction merged later undoes what it withdrew.
    merged_values: Mapped[str] = mapped_column(Text, default="", server_default="")


class ReturnNewWork(Base):
    """A row of new work a partner wrote in a return's new-work rows, kept until the officer
    places it in the plan (a new action, a new milestone, or a note on an action)."""

    __tablename__ = "return_new_work"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("return_record.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    lead_name: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sheet: Mapped[str] = mapped_column(Text, default="")
    row: Mapped[int] = mapped_column(Integer)
    # The row's cells as written: a JSON object of column heading -> text.
    cells: Mapped[str] = mapped_column(Text, default="{}")
    placed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    placed_as: Mapped[str] = mapped_column(Text, default="")  # "new action 2.1.4", ...
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Contribution(Base):
    """One lead's part of an action's update for a quarter: its words and RAG, and their source.

    Every lead of a joint action reports its own part; merging a lead's return writes only
    that lead's contributions. ``lead_key`` ("agency:12", "officer:5", "none") makes one row
    per lead; ``lead_name`` keeps the name it was given under, should the agency go.
    """

    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("action_id", "quarter", "lead_key", name="action_quarter_lead"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        AUTOINC,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    lead_key: Mapped[str] = mapped_column(String(40))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="SET NULL"))
    lead_name: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    rag: Mapped[str | None] = mapped_column(
        ForeignKey("rag_status.code", onupdate="CASCADE", ondelete="SET NULL")
    )
    # "officer" when typed in the window, else "return: <lead> <file name>".
    source: Mapped[str] = mapped_column(Text, default="officer")
    return_id: Mapped[int | None] = mapped_column(
        ForeignKey("return_record.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


def lead_key_of(agency_id: int | None, officer_id: int | None = None) -> str:
    """The contribution key of a lead: its agency, else its officer, else "none"."""
    if agency_id is not None:
        return f"agency:{agency_id}"
    return "none" if officer_id is None else f"officer:{officer_id}"


class Indicator(Base):
    """A performance indicator of a priority, an action, or the plan as a whole (``plan_id``,
    printed under "Performance overview")."""

    __tablename__ = "indicator"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), index=True
    )
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    better: Mapped[str] = mapped_column(Text, default="down")  # "up" or "down"
    baseline: Mapped[str] = mapped_column(Text, default="")
    baseline_period: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    # Decimal places of its % change as printed (seed 003: "+4%", seed 004: "22.6%");
    # None: the report's default.
    decimals: Mapped[int | None] = mapped_column(Integer)


class IndicatorValue(Base):
    """A value for one period, with the same period last year for comparison."""

    __tablename__ = "indicator_value"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period_label: Mapped[str] = mapped_column(Text)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    quarter: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[str | None] = mapped_column(Text)  # decimal as text: exact
    previous_value: Mapped[str | None] = mapped_column(Text)


class Grant(Base):
    __tablename__ = "grant"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    amount_pence: Mapped[int] = mapped_column(Integer, default=0)
    conditions: Mapped[str] = mapped_column(Text, default="")


class Allocation(Base):
    __tablename__ = "allocation"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="SET NULL"))
    amount_pence: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")


class Spend(Base):
    __tablename__ = "spend"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(
        ForeignKey("allocation.id", ondelete="CASCADE"), index=True
    )
    spent_on: Mapped[dt.date | None] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")


# The plan tree: each level's class, the column naming its parent, and its child level.
TREE_LEVELS: tuple[str, ...] = ("plan", "priority", "objective", "action", "milestone")
ENTITY_CLASSES: dict[str, type[Base]] = {
    "plan": Plan,
    "priority": Priority,
    "objective": Objective,
    "action": Action,
    "milestone": Milestone,
}
PARENT_COLUMN: dict[str, str | None] = {
    "plan": None,
    "priority": "plan_id",
    "objective": "priority_id",
    "action": "objective_id",
    "milestone": "action_id",
}


def child_level(entity: str) -> str | None:
    index = TREE_LEVELS.index(entity)
    return TREE_LEVELS[index + 1] if index + 1 < len(TREE_LEVELS) else None


def parent_level(entity: str) -> str | None:
    index = TREE_LEVELS.index(entity)
    return TREE_LEVELS[index - 1] if index > 0 else None


class LeadAlias(Base):
    """What a lead text means in this workspace, as the officer chose it on import: one row
    per lead it gives (in order), or one row with neither when it gives only a note."""

    __tablename__ = "lead_alias"
    __table_args__ = (UniqueConstraint("text", "position", name="text_position"), AUTOINC)
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")


class PoliceMonth(Base):
    """One month of police open data in the workspace: where it came from and what was not
    counted (rows without a location, rows in other districts)."""

    __tablename__ = "police_month"
    __table_args__ = AUTOINC
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, unique=True)  # the month's first day
    source: Mapped[str] = mapped_column(Text, default="")  # the file it came from
    forces: Mapped[str] = mapped_column(Text, default="")  # "Essex Police"
    no_location: Mapped[int] = mapped_column(Integer, default=0)
    other_districts: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PoliceCount(Base):
    """Crimes (or ASB incidents) of one police crime type in one district in one month."""

    __tablename__ = "police_count"
    __table_args__ = (
        UniqueConstraint("month", "district", "crime_type", name="month_district_type"),
        AUTOINC,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, index=True)
    district: Mapped[str] = mapped_column(Text)
    crime_type: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=0)
