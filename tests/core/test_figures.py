"""Indicators and their figures: the seed tables reproduced to the digit from entered values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from cspdesk.core.figures import performance as figures
from cspdesk.core.figures.comparison import compare, format_percent, parse_figure, summary
from cspdesk.core.figures.indicators import check_decimals
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Indicator, IndicatorValue
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from tests.seed_figures import (
    SEED_003,
    SEED_004,
    enter_seed_003,
    enter_seed_004,
    first_plan_id,
    make_plan_2013,
    priority_ids,
)

pytestmark = pytest.mark.both_engines


def test_seed_003_table(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    workspace.write(enter_seed_003, plan_id)
    rows = workspace.read(figures.performance_table, plan_id, 4)
    assert [(r.name, r.value, r.change, r.percent_change) for r in rows] == [
        (s.name, s.value, s.change, s.percent) for s in SEED_003
    ]
    assert {r.period for r in rows} == {"1 Apr 2016 – 31 Mar 2017"}
    assert all(r.direction == "worse" for r in rows if r.name != "Sexual offences")
    assert next(r for r in rows if r.name == "Sexual offences").direction == "better"


def test_seed_004_figures(workspace: Workspace) -> None:
    plan_id = workspace.write(make_plan_2013)
    workspace.write(enter_seed_004, plan_id)
    rows = workspace.read(figures.performance_table, plan_id, 3)
    assert [r.name for r in rows] == [s.name for s in SEED_004]
    for row, seed in zip(rows, SEED_004, strict=True):
        assert (row.change, row.percent_change, row.summary) == (
            seed.change,
            seed.percent,
            seed.summary,
        ), seed.name
    solved = rows[1]
    assert (solved.value, solved.previous, solved.direction) == ("26.1%", "24.3%", "better")
    assert rows[0].direction == "same"
    assert rows[3].value == "" and rows[3].direction == ""
    assert {r.period for r in rows} == {"1 Apr – 31 Dec 2013"}


@pytest.mark.parametrize(
    ("value", "previous", "decimals", "printed"),
    [
        ("9", "8", 0, "+13%"),  # 12.5: half up; banker's rounding would print 12%
        ("7", "8", 0, "-13%"),  # a tie rounds away from zero both ways
        ("17", "16", 1, "+6.3%"),  # 6.25 -> 6.3 (banker's: 6.2)
        ("1000", "1000.5", 0, "0%"),  # -0.05%: no "-0%"
        ("5", "0", 0, "n/a"),
        ("100", "40", 0, "+150%"),
    ],
)
def test_percent_rounding(value: str, previous: str, decimals: int, printed: str) -> None:
    c = compare(Decimal(value), Decimal(previous), unit="crimes", better="down", decimals=decimals)
    assert format_percent(c) == printed


def test_summary_singular_and_rates() -> None:
    c = compare(Decimal(101), Decimal(100), unit="crimes", better="down", decimals=0)
    assert summary(c, "crimes") == "1% increase (1 crime)"
    rate = compare(Decimal("20.0"), Decimal("22.5"), unit="%", better="up", decimals=1)
    assert rate.direction == "worse" and summary(rate, "%") == "2.5% worse"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1,833", "1833"),
        ("26.1%", "26.1"),
        (" 727 ", "727"),
        (3266, "3266"),
        ("n/a", None),
        ("-", None),
        ("", None),
        (22.5, "22.5"),
        ("-5", "-5"),
    ],
)
def test_parse_figure(typed: object, number: str | None) -> None:
    assert parse_figure(typed) == (None if number is None else Decimal(number))


@pytest.mark.parametrize("typed", ["12 crimes", "1,83", "1.2.3", "%", "+"])
def test_parse_figure_refuses(typed: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_figure(typed)


def test_decimals_are_checked() -> None:
    from cspdesk.errors import CspdeskError

    assert check_decimals(1) == 1 and check_decimals(None) is None
    with pytest.raises(CspdeskError, match="choose 0 to 3"):
        check_decimals(5)


def test_report_default_decimals(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[1]
    added = workspace.write(
        figures.add_indicator, "ASB incidents", priority_id=pid, unit="incidents"
    )
    workspace.write(figures.set_value, added.id, "5,442", "5,607", quarter=4)
    whole = workspace.read(figures.performance_table, plan_id, 4, decimals=0)[0]
    one = workspace.read(figures.performance_table, plan_id, 4)[0]
    # Seed 003's summary: 5,442 incidents, "a decrease of 2.9%, 165 fewer incidents"; police
    # summaries print one decimal place, the report's default.
    assert (whole.value, whole.percent_change) == ("5442", "-3%")
    assert (one.percent_change, one.summary) == ("-2.9%", "2.9% reduction (165 incidents)")


def test_quarter_falls_back_to_latest_earlier(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    added = workspace.write(figures.add_indicator, "Burglary", priority_id=pid, unit="crimes")
    workspace.write(figures.set_value, added.id, "100", "90", quarter=1)
    workspace.write(figures.set_value, added.id, "210", "200", quarter=2)
    assert workspace.read(figures.performance_table, plan_id, 1)[0].value == "100"
    q4 = workspace.read(figures.performance_table, plan_id, 4)[0]
    assert (q4.value, q4.period, q4.quarter) == ("210", "1 Apr – 30 Sep 2016", 2)
    assert [p.label for p in q4.history] == ["Q1", "Q2"]


def test_set_value_and_add_indicator_undo(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    before = workspace.read(export_workspace)
    added = workspace.write(enter_seed_003, plan_id)
    first = added[0]
    edit = workspace.write(figures.set_value, first, "800", "699", quarter=4)
    assert workspace.read(figures.performance_table, plan_id, 4)[0].change == "+101"
    workspace.write(edit.revert)
    assert workspace.read(figures.performance_table, plan_id, 4)[0].change == "+28"
    # Deleting an indicator takes its values; undo brings both back with their ids.
    deleted = workspace.write(ops.delete_item, "indicator", first)
    assert workspace.read(lambda s: s.get(Indicator, first)) is None
    workspace.write(deleted.revert)
    assert workspace.read(figures.performance_table, plan_id, 4)[0].value == "727"
    # Undo every add: the workspace is as it was.
    for indicator_id in added:
        workspace.write(figures.IndicatorAdded(indicator_id).revert)
    assert workspace.read(export_workspace) == before
    assert workspace.read(lambda s: s.execute(select(IndicatorValue)).all()) == []


def test_setting_the_same_value_changes_nothing(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    first = workspace.write(enter_seed_003, plan_id)[0]
    same = workspace.write(figures.set_value, first, "727", "699", quarter=4)
    assert same.before == same.after


def test_bad_input_is_refused(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    with pytest.raises(CspdeskError, match="one priority, one action or one plan"):
        workspace.write(figures.add_indicator, "x")
    with pytest.raises(CspdeskError, match="better"):
        workspace.write(figures.add_indicator, "x", priority_id=pid, better="sideways")
    added = workspace.write(figures.add_indicator, "x", priority_id=pid)
    with pytest.raises(CspdeskError, match="not a number"):
        workspace.write(figures.set_value, added.id, "lots", None, quarter=1)
    with pytest.raises(CspdeskError, match="quarter 5"):
        workspace.write(figures.set_value, added.id, "1", None, quarter=5)


def test_action_indicators_follow_their_priority(workspace: Workspace) -> None:
    from cspdesk.core.plan.model import Action

    plan_id = workspace.read(first_plan_id)
    first, second = workspace.read(priority_ids, plan_id)
    action_id = workspace.read(lambda s: s.execute(select(Action.id).order_by(Action.id)).scalar())
    workspace.write(figures.add_indicator, "ASB", priority_id=second)
    workspace.write(figures.add_indicator, "Campaign reach", action_id=action_id, better="up")
    workspace.write(figures.add_indicator, "DA repeat victims", priority_id=first)
    rows = workspace.read(figures.performance_table, plan_id)
    assert [(r.name, r.action_id is not None) for r in rows] == [
        ("DA repeat victims", False),
        ("Campaign reach", True),
        ("ASB", False),
    ]
    assert rows[0].summary == "no figures entered"


def test_a_quarter_knows_only_figures_of_periods_ended_by_then(workspace: Workspace) -> None:
    """Issue 25: the Q1 appendix charted Q3's figures while its table said none were entered."""
    plan_id = workspace.write(make_plan_2013)
    workspace.write(enter_seed_004, plan_id)  # figures for 1 April to 31 December 2013
    q1 = workspace.read(figures.performance_table, plan_id, 1)
    assert {r.summary for r in q1} == {"no figures entered"}
    assert all(r.history == () for r in q1)
    q3 = workspace.read(figures.performance_table, plan_id, 3)
    assert [p.value for p in q3[0].history] == [Decimal("2123")]
    latest = workspace.read(figures.performance_table, plan_id, None)
    assert latest[0].value == "2123" and latest[0].period == "1 Apr – 31 Dec 2013"


@pytest.mark.parametrize(
    ("name", "unit", "value", "previous", "line"),
    [
        ("Burglary Dwelling", "crimes", "206", "168",
         "22.6% increase (38 crimes) in Burglary Dwelling"),
        # The unit is said once, not "(12 incidents) in Anti-Social Behaviour incidents".
        ("Anti-Social Behaviour incidents", "incidents", "1247", "1259",
         "1.0% reduction (12 incidents) in Anti-Social Behaviour"),
        ("Burglary Dwelling", "count", "206", "168", "22.6% increase (38) in Burglary Dwelling"),
        ("Robbery victims", "victims", "5", "4", "25.0% increase (1 victim) in Robbery"),
    ],
)  # fmt: skip
def test_a_headline_names_the_unit_once(
    name: str, unit: str, value: str, previous: str, line: str
) -> None:
    from cspdesk.core.figures.comparison import headline

    c = compare(parse_figure(value), parse_figure(previous), unit=unit, better="down", decimals=1)
    assert headline(summary(c, unit), name, unit, c.difference) == line
