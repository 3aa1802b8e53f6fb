"""The police open-data rules where they live: wording, the months compared, districts picked
from the areas, and an import kept per month (replaced, never counted twice; undoable)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from cspdesk.core.figures.performance import performance_table
from cspdesk.core.figures.police import MonthCounts, choose_districts, preview_police
from cspdesk.core.figures.police_apply import apply_police
from cspdesk.core.figures.police_lines import (
    ALL_CRIME,
    ASB,
    CrimeSummary,
    change_words,
    crime_summary,
    window,
)
from cspdesk.core.plan.model import Indicator, Partnership, Plan, PoliceCount, PoliceMonth
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


@pytest.mark.parametrize(
    ("value", "previous", "unit", "words"),
    [
        (7001, 6857, "crimes", "2.1% increase (144 more crimes)"),  # the example
        (2861, 2620, "incidents", "9.2% increase (241 incidents)"),  # the example
        (1247, 1259, "incidents", "1.0% reduction (12 incidents)"),  # seed 004
        (206, 168, "crimes", "22.6% increase (38 more crimes)"),  # seed 004
        (131, 166, "crimes", "21.1% reduction (35 fewer crimes)"),
        (40, 41, "crimes", "2.4% reduction (1 fewer crime)"),
        (41, 40, "incidents", "2.5% increase (1 incident)"),
        (2123, 2123, "crimes", "0% change (2123 crimes both years)"),
        (13058, 12448, "crimes", "4.9% increase (610 more crimes)"),  # seed 003, grouped
        (3, 0, "crimes", "3 crimes (none in the same period last year)"),
        (0, 0, "crimes", "none either year (no crimes)"),
        (1, 8, "crimes", "87.5% reduction (7 fewer crimes)"),
        (9, 8, "crimes", "12.5% increase (1 more crime)"),  # half up: 12.5 stays 12.5
    ],
)
def test_change_words(value: int, previous: int, unit: str, words: str) -> None:
    assert change_words(value, previous, unit) == words


def months(first: str, last: str) -> list[dt.date]:
    out, day = [], dt.date.fromisoformat(first + "-01")
    while day <= dt.date.fromisoformat(last + "-01"):
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def test_window_compares_the_year_to_date_with_the_same_months_last_year() -> None:
    found = window("2016/17", 3, months("2015-04", "2017-03"))
    assert found is not None
    assert found.months == tuple(months("2016-04", "2016-12"))
    assert found.missing == ()
    assert found.period == "1 April – 31 December 2016 against the same period of 2015"
    q4 = window("2016/17", 4, months("2015-04", "2017-03"))
    assert q4 is not None
    assert q4.period == "1 April 2016 – 31 March 2017 against the same period of 2015/16"


def test_window_names_missing_months_and_shortens_the_period() -> None:
    held = months("2015-04", "2016-11")  # December 2016 not published yet
    found = window("2016/17", 3, held)
    assert found is not None
    assert found.period == "1 April – 30 November 2016 against the same period of 2015"
    assert found.missing == ("December 2016 is not in the data yet",)

    gap = [m for m in months("2015-04", "2016-12") if m != dt.date(2016, 6, 1)]
    found = window("2016/17", 2, gap)
    assert found is not None
    assert dt.date(2016, 6, 1) not in found.months
    assert found.missing == ("June 2016 is not in the data (left out of both years)",)

    no_last_year = [m for m in months("2015-04", "2016-09") if m != dt.date(2015, 5, 1)]
    found = window("2016/17", 1, no_last_year)
    assert found is not None
    assert found.missing == ("May 2015 is not in the data (May 2016 left out)",)

    assert window("2016/17", 1, months("2016-04", "2016-06")) is None  # nothing to compare


BOTH = ["Castle Point", "Rochford"]


@pytest.mark.parametrize(
    ("areas", "available", "chosen"),
    [
        ("Castle Point; Rochford", ["Rochford", "Castle Point", "Basildon"], BOTH),
        ("Castle Point and Rochford CSP", ["Rochford", "Castle Point"], BOTH),
        ("brighton and hove", ["Brighton and Hove", "Adur"], ["Brighton and Hove"]),
        ("Southend-on-Sea", ["Southend-on-Sea", "Southend"], ["Southend-on-Sea"]),
        ("Rochfordshire", ["Rochford"], []),
        ("", ["Rochford"], []),
    ],
)
def test_districts_are_picked_from_the_areas_by_name(
    areas: str, available: list[str], chosen: list[str]
) -> None:
    assert choose_districts(areas, available) == chosen


# ---- an import against a real workspace ------------------------------------------------------


def download(first: str = "2015-04", last: str = "2017-03", extra: int = 0) -> list[MonthCounts]:
    """Known counts: every month, Castle Point 10 burglaries + 30 ASB, Rochford 5 burglaries +
    20 ASB (one more each from April 2016, plus ``extra``), Basildon 99 burglaries."""
    out = []
    for day in months(first, last):
        later = int(day >= dt.date(2016, 4, 1))
        counts = {
            ("Castle Point", "Burglary"): 10 + later + extra,
            ("Castle Point", ASB): 30 + later,
            ("Rochford", "Burglary"): 5 + later,
            ("Rochford", ASB): 20 + later,
            ("Basildon", "Burglary"): 99,
        }
        out.append(MonthCounts(f"{day:%Y-%m}", counts, 2, ("Essex Police",), ("x.csv",)))
    return out


def set_areas(workspace: Workspace, areas: str) -> None:
    workspace.write(lambda s: s.execute(update(Partnership).values(areas=areas)))


def plan_id(workspace: Workspace) -> int:
    return workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())


def kept(workspace: Workspace) -> list[tuple[object, ...]]:
    def read(session):  # type: ignore[no-untyped-def]
        counts = session.execute(
            select(PoliceCount.month, PoliceCount.district, PoliceCount.crime_type,
                   PoliceCount.count).order_by(PoliceCount.month, PoliceCount.district,
                                               PoliceCount.crime_type)
        ).all()  # fmt: skip
        return [tuple(row) for row in counts]

    return workspace.read(read)


def import_(workspace: Workspace, data: list[MonthCounts], districts=None):  # type: ignore[no-untyped-def]
    pid = plan_id(workspace)

    def run(session):  # type: ignore[no-untyped-def]
        return apply_police(
            session, preview_police(session, pid, data, "dl.zip", districts=districts)
        )

    return workspace.write(run)


def test_import_keeps_counts_for_the_partnerships_districts(workspace: Workspace) -> None:
    set_areas(workspace, "Castle Point; Rochford")
    pid = plan_id(workspace)
    preview = workspace.read(preview_police, pid, download(), "dl.zip")
    assert preview.ok, preview.problem
    assert preview.districts == ("Castle Point", "Rochford")
    assert preview.other_districts == {"Basildon": 99 * 24}
    assert preview.no_location == 48
    assert {c.kind for c in preview.changes} == {"new"}
    assert preview.new_indicators == (ALL_CRIME, ASB, "Burglary")
    assert not any(line.startswith("Months missing") for line in preview.lines())
    assert preview.done() == (
        "Police data imported from dl.zip for Castle Point, Rochford: 24 months, April 2015 "
        "to March 2017 (24 new)."
    )
    gap = [m for m in download() if m.month != "2016-06"]
    lines = workspace.read(preview_police, pid, gap, "dl.zip").lines()
    assert "Months missing from the download: June 2016" in lines
    import_(workspace, download())
    stored = kept(workspace)
    assert len(stored) == 24 * 4  # Basildon not kept
    assert all(row[1] in ("Castle Point", "Rochford") for row in stored)

    summary = workspace.read(crime_summary, pid, 3)
    assert summary is not None
    assert summary.period == "1 April – 31 December 2016 against the same period of 2015"
    whole, castle, rochford = summary.areas
    assert [area.area for area in summary.areas] == ["Test Vale CSP", "Castle Point", "Rochford"]
    # Q3 year to date: 9 months; burglary 15 a month last year, 17 this year.
    assert whole.lines[0].text == "All crime: 13.3% increase (18 more crimes)"
    assert whole.lines[1].text == "Anti-social behaviour: 4.0% increase (18 incidents)"
    assert castle.lines[0].text == "All crime: 10.0% increase (9 more crimes)"
    assert rochford.lines[1].text == "Anti-social behaviour: 5.0% increase (9 incidents)"
    assert "48" not in summary.notes[0] and "36 crimes and incidents" in summary.notes[0]
    assert CrimeSummary.from_json(summary.to_json()) == summary

    rows = {r.name: r for r in workspace.read(performance_table, pid, 3)}
    assert rows[ALL_CRIME].value == "153" and rows[ALL_CRIME].previous == "135"
    assert rows[ALL_CRIME].period == "1 Apr – 31 Dec 2016"
    assert rows[ASB].unit == "incidents" and rows[ASB].better == "down"
    assert rows["Burglary"].source == "data.police.uk street-level crime (Essex Police)"


def test_reimport_replaces_and_never_counts_twice(workspace: Workspace) -> None:
    set_areas(workspace, "Castle Point and Rochford")
    pid = plan_id(workspace)
    import_(workspace, download())
    before = kept(workspace)
    indicators = workspace.read(lambda s: s.execute(select(func.count(Indicator.id))).scalar())
    again = import_(workspace, download())
    assert again.changes == ()  # the same months, the same counts: nothing changes
    assert kept(workspace) == before
    preview = workspace.read(preview_police, pid, download(), "dl.zip")
    assert {c.kind for c in preview.changes} == {"same"}
    assert preview.lines()[-1] == "Importing changes nothing: the same counts are already kept."
    assert preview.done() == (
        "Police data from dl.zip: the same counts were already kept for Castle Point, "
        "Rochford; nothing changed."
    )

    # A corrected download of two months replaces just those months.
    change = import_(workspace, download("2016-05", "2016-06", extra=5))
    after = kept(workspace)
    assert len(after) == len(before)
    may = [r for r in after if r[0] == dt.date(2016, 5, 1) and r[2] == "Burglary"]
    assert [r[3] for r in may] == [16, 6]
    assert workspace.read(lambda s: s.execute(select(func.count(Indicator.id))).scalar()) == (
        indicators
    )
    summary = workspace.read(crime_summary, pid, 1)
    assert summary is not None
    assert summary.areas[0].lines[0].text == "All crime: 35.6% increase (16 more crimes)"

    workspace.write(change.revert)  # undo puts the months back as they were
    assert kept(workspace) == before


def test_a_later_download_adds_its_months(workspace: Workspace) -> None:
    set_areas(workspace, "Castle Point; Rochford")
    pid = plan_id(workspace)
    import_(workspace, download("2015-04", "2016-09"))
    assert workspace.read(crime_summary, pid, 3).period.startswith("1 April – 30 September")
    import_(workspace, download("2016-10", "2016-12"))
    assert workspace.read(lambda s: s.execute(select(func.count(PoliceMonth.id))).scalar()) == 21
    summary = workspace.read(crime_summary, pid, 3)
    assert summary.period == "1 April – 31 December 2016 against the same period of 2015"


def test_months_outside_the_plans_year_and_the_year_before_are_refused(
    workspace: Workspace,
) -> None:
    set_areas(workspace, "Castle Point; Rochford")
    preview = workspace.read(
        preview_police, plan_id(workspace), download("2015-03", "2015-05"), "dl.zip"
    )
    assert preview.problem == (
        "2015-03 lies outside 2015/16 and 2016/17 (the plan's year and the year before); "
        "download April 2015 to March 2017 only"
    )
    with pytest.raises(Exception, match="nothing imported"):
        workspace.write(apply_police, preview)
    assert kept(workspace) == []


def test_no_row_in_the_partnerships_districts_names_what_the_download_holds(
    workspace: Workspace,
) -> None:
    pid = plan_id(workspace)  # the small plan's areas: "Test Vale"
    preview = workspace.read(preview_police, pid, download(), "dl.zip")
    assert preview.problem == (
        "no row lies in the partnership's districts (its areas: 'Test Vale'); the download "
        "holds Basildon (2,376 rows), Castle Point (984 rows), Rochford (624 rows); set the "
        "areas in Workspace settings or choose districts"
    )
    chosen = workspace.read(preview_police, pid, download(), "dl.zip", districts=["rochford"])
    assert chosen.ok and chosen.districts == ("Rochford",)
    unknown = workspace.read(preview_police, pid, download(), "dl.zip", districts=["Thurrock"])
    assert unknown.problem is not None
    assert unknown.problem.startswith("no row lies in Thurrock; the download holds Basildon")


def test_a_closed_quarter_keeps_the_lines_it_was_closed_with(workspace: Workspace) -> None:
    from cspdesk.core.quarter.closing import close_quarter
    from cspdesk.core.quarter.view import quarter_view, view_crime

    set_areas(workspace, "Castle Point; Rochford")
    pid = plan_id(workspace)
    import_(workspace, download("2015-04", "2016-06"))
    workspace.write(close_quarter, pid, 1)
    import_(workspace, download("2016-04", "2016-06", extra=50))  # counts corrected later

    def printed(session):  # type: ignore[no-untyped-def]
        view, frozen = quarter_view(session, pid, 1)
        return frozen, view_crime(view)

    frozen, lines = workspace.read(printed)
    assert frozen and lines is not None
    assert lines.areas[0].lines[0].text == "All crime: 13.3% increase (6 more crimes)"
    live = workspace.read(crime_summary, pid, 1)
    assert live is not None and live.areas[0].lines[0].text != lines.areas[0].lines[0].text


def test_last_years_months_alone_make_no_empty_indicators(workspace: Workspace) -> None:
    set_areas(workspace, "Castle Point; Rochford")
    pid = plan_id(workspace)
    preview = workspace.read(preview_police, pid, download("2015-04", "2016-03"), "dl.zip")
    assert preview.ok and preview.new_indicators == ()
    import_(workspace, download("2015-04", "2016-03"))
    assert workspace.read(lambda s: s.execute(select(func.count(Indicator.id))).scalar()) == 0
    assert workspace.read(crime_summary, pid, 4) is None
    preview = workspace.read(preview_police, pid, download("2016-04", "2016-04"), "dl.zip")
    assert preview.new_indicators == (ALL_CRIME, ASB, "Burglary")


def test_months_corrected_for_next_years_plan_update_this_years_figures(
    workspace: Workspace,
) -> None:
    from cspdesk.core.plan import ops

    set_areas(workspace, "Castle Point; Rochford")
    this_year = plan_id(workspace)
    import_(workspace, download())
    next_year = workspace.write(lambda s: ops.add_item(s, "plan", None, year="2017/18").id)

    def all_crime_q1(session, pid):  # type: ignore[no-untyped-def]
        rows = {r.name: r for r in performance_table(session, pid, 1)}
        return rows[ALL_CRIME].value if ALL_CRIME in rows else None

    assert workspace.read(all_crime_q1, this_year) == "51"
    corrected = download("2016-04", "2017-06", extra=2)

    def run(session):  # type: ignore[no-untyped-def]
        return apply_police(session, preview_police(session, next_year, corrected, "dl.zip"))

    workspace.write(run)
    assert workspace.read(all_crime_q1, this_year) == "57"  # 3 months x 2 more burglaries
    assert workspace.read(all_crime_q1, next_year) == "57"
