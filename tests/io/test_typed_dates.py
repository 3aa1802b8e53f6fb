"""Dates as officers type them: one rule for Start, Due and Timescale cells."""

from __future__ import annotations

import datetime as dt

import pytest

from cspdesk.io.typed_dates import read_typed_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "due", "expected"),
    [
        ("Apr 16", False, D(2016, 4, 1)),
        ("Dec 16", True, D(2016, 12, 31)),
        ("Sept '16", True, D(2016, 9, 30)),
        ("March 2017", True, D(2017, 3, 31)),  # a due month is its last day, not the 1st
        ("March 2017", False, D(2017, 3, 1)),
        ("By March 2017", True, D(2017, 3, 31)),
        ("end of March", True, D(2017, 3, 31)),  # in a 2016/17 plan
        ("end of March", False, D(2017, 3, 31)),
        ("30.09.16", True, D(2016, 9, 30)),
        ("31.03.17", True, D(2017, 3, 31)),
        ("1st June", False, D(2016, 6, 1)),
        ("Q3 16/17", True, D(2016, 12, 31)),
        ("Q1 16/17", False, D(2016, 4, 1)),
        ("Q3", True, D(2016, 12, 31)),
    ],
)
def test_dates_read_as_an_officer_means_them(text: str, due: bool, expected: dt.date) -> None:
    typed = read_typed_date(text, due=due, plan_year="2016/17")
    assert typed is not None and typed.day == expected


@pytest.mark.parametrize("text", ["Ongoing", "TBC", "Winter 2016", "2016", "16", "Q1-4", ""])
def test_words_that_are_no_date_stay_words(text: str) -> None:
    assert read_typed_date(text, due=True, plan_year="2016/17") is None


def test_a_date_without_its_year_needs_the_plans_year() -> None:
    assert read_typed_date("1st June", due=False, plan_year=None) is None
    assert read_typed_date("1st June", due=False, plan_year="2017/18").day == D(2017, 6, 1)  # type: ignore[union-attr]
    assert read_typed_date("31 January", due=True, plan_year="2017/18").day == D(2018, 1, 31)  # type: ignore[union-attr]
