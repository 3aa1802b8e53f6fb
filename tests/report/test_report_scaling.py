"""The appendix stays linear in the plan's size, checked without a clock.

Each output is written for a plan of N actions and of 2N (objectives of two actions each, so a
walk over every action once per objective is quadratic). We count the calls into cspdesk's own
code while writing: linear work doubles, a quadratic walk quadruples. The count is exact and
the same on a busy machine as on a quiet one.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from cspdesk.report.model import (
    RagKey,
    ReportAction,
    ReportMilestone,
    ReportModel,
    ReportObjective,
    ReportSection,
)

SCHEME = [
    RagKey("R", "Red", "#C00000", "#FFFFFF", "Off track", 1, False),
    RagKey("A", "Amber", "#FFC000", "#000000", "At risk", 2, False),
    RagKey("G", "Green", "#00B050", "#000000", "On track", 3, False),
]
# Linear work doubles (measured 1.94-1.98 here); the per-objective walk of issue 25 made the
# PDF's count grow 2.35 times from 80 to 160 actions (the HTML's 2.8), tending to 4.
MOST = 2.15
SIZES = (80, 160)


def plan_of(actions: int) -> ReportModel:
    sections = []
    for number in (1, 2):
        objectives = [
            ReportObjective(
                f"Objective {number}.{o}",
                [
                    ReportAction(
                        id=number * 100_000 + o * 2 + a,
                        title=f"Action {o} {a} raise awareness of domestic abuse",
                        outcomes="More reports",
                        leads=["Essex Police"],
                        timescale="Q1-4",
                        update="Campaign run in schools.",
                        rag="GAR"[(o + a) % 3],
                        milestones=[
                            ReportMilestone("Schools approached", "", "30 Sep 2016", "", "A")
                        ],
                    )
                    for a in range(2)
                ],
            )
            for o in range(actions // 4)
        ]
        sections.append(ReportSection(id=number, number=number, title=f"Priority {number}"))
        sections[-1].objectives = objectives
    return ReportModel(
        partnership="Scaling CSP",
        areas="",
        year="2016/17",
        plan_title="",
        version_label="",
        introduction="",
        quarter=1,
        date=dt.date(2016, 7, 15),
        rag_scheme=SCHEME,
        sections=sections,
    )


def calls_into_cspdesk(work: Callable[[], Any]) -> int:
    """How many times ``work`` calls (or resumes) a function of cspdesk while it runs."""
    count = 0

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        nonlocal count
        if event == "call" and "/cspdesk/" in frame.f_code.co_filename:
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def _html(model: ReportModel, out: Path) -> None:
    from cspdesk.report.html import render_html

    render_html(model)


def _pdf(model: ReportModel, out: Path) -> None:
    from cspdesk.report.pdf import write_pdf

    write_pdf(model, out / "appendix.pdf")


def _pdf_milestones(model: ReportModel, out: Path) -> None:
    from cspdesk.report.pdf import write_pdf

    write_pdf(model, out / "appendix.pdf", layout="milestones")


def _docx(model: ReportModel, out: Path) -> None:
    from cspdesk.report.docx import write_docx

    write_docx(model, out / "appendix.docx")


WRITERS = {"html": _html, "pdf": _pdf, "pdf milestones": _pdf_milestones, "docx": _docx}


@pytest.mark.parametrize("name", list(WRITERS))
def test_each_output_grows_linearly_with_the_plan(name: str, tmp_path: Path) -> None:
    writer = WRITERS[name]
    small, large = (plan_of(n) for n in SIZES)
    writer(plan_of(8), tmp_path)  # imports and first-use caches out of the count
    counted = [calls_into_cspdesk(lambda m=m: writer(m, tmp_path)) for m in (small, large)]
    assert counted[1] / counted[0] < MOST, f"{name}: {counted[0]} calls, then {counted[1]}"


def test_the_check_fails_on_a_walk_over_every_action_per_objective(tmp_path: Path) -> None:
    """The check can fail: a writer that asks for the columns once per objective (the regression
    of issue 25) grows about fourfold when the plan doubles."""

    def quadratic(model: ReportModel, _out: Path) -> None:
        for section in model.sections:
            for _objective in section.objectives:
                model.objective_columns()

    counted = [calls_into_cspdesk(lambda n=n: quadratic(plan_of(n), tmp_path)) for n in SIZES]
    assert counted[1] / counted[0] > MOST
